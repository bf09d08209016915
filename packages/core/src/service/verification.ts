/**
 * The verification pipeline, in DESIGN order:
 * missing → token shape and checksum (no I/O) → prefix → negative cache → cache / store lookup
 * by hash → revoked → disabled → expired → scopes → rate limits and quota (ONE store call).
 *
 * The hot path — a cached key and no limits — is: one hash, one LRU get, a few comparisons and
 * a Map update; no store call, no allocation beyond the result. A cache hit skips the checksum
 * check, which that exact token passed before it could be cached; every other credential is
 * checked before any store call. Nothing here throws: every store failure or timeout becomes
 * `unavailable`.
 */

import type { CachedKey, OwnerSlot } from "../cache/key-cache.js";
import { STATUS_BY_CODE, type VerifyFailureCode } from "../errors/index.js";
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from "../errors/retry.js";
import { compileAllowlist } from "../ip/index.js";
import { quotaView } from "../quota/index.js";
import { type ConsumptionPlan, evaluateConsumption, planConsumption } from "../ratelimit/index.js";
import type { ResolvedRoutePolicy } from "../ratelimit/route-policy.js";
import type { CompiledRequirement } from "../scopes/index.js";
import { storeDeadline } from "../store/deadline.js";
import { unavailableDetail } from "../store/setup-error.js";
import { syncConsumeOf } from "../store/sync-consume.js";
import type { ConsumeResult, StoredKey } from "../store/types.js";
import { tokenSeparator } from "../token/parse.js";
import type {
  ApiKey,
  RateLimitState,
  ResolvedRateLimit,
  VerifyFailure,
  VerifyResult,
  VerifySuccess,
} from "../types.js";
import { freezeApiKey, toApiKey } from "./api-key.js";
import { storeCall } from "./deadline.js";
import { ownerOf } from "./owner.js";
import type { Runtime } from "./runtime.js";
import { type Settled, settle } from "./verify-now.js";

/** Longest credential hashed at all; anything longer is rejected as invalid without work. */
const MAX_TOKEN_LENGTH = 512;
const NO_LIMITS: RateLimitState[] = Object.freeze([]) as unknown as RateLimitState[];

const MESSAGES = {
  missing: "No API key was provided.",
  malformed: "The API key is malformed or its checksum does not match.",
  prefix: "The API key was not issued for this service.",
  unknown: "The API key is not valid.",
  revoked: "The API key has been revoked.",
  disabled: "The API key is disabled.",
  expired: "The API key has expired.",
  rotated: "The API key was rotated and its grace period has ended; use the new key.",
  ownerInactive: "The API key's owner is no longer active.",
  ipUnknown: "The API key is restricted to certain client addresses, and this request's address is unknown.",
  ipNotAllowed: "The API key may not be used from this client address.",
  unavailable: "The key store is unavailable; try again shortly.",
} as const;

/** A verification request with everything pre-resolved (see `createVerifier`). */
export interface PreparedCheck {
  requirement: CompiledRequirement | null;
  names: readonly string[] | false | undefined;
  /** Route policies the route declares, consumed beside the named key limits. */
  policies: readonly ResolvedRoutePolicy[];
  cost: number;
}

/**
 * Verifies one credential. Never throws: every failure, a store error or timeout included, is
 * a `{ ok: false }` result. Synchronous up to the first real I/O, so a cached key whose limits
 * live in the memory store (or that has none) is answered with the result itself.
 */
export function verifyNow(
  rt: Runtime,
  token: string | null | undefined,
  check: PreparedCheck,
  ip?: string,
): Settled<VerifyResult> {
  try {
    // The asynchronous paths catch their own failures, so a promise here never rejects.
    return verifyToken(rt, token, check, ip);
  } catch {
    return reject(rt, "unavailable", MESSAGES.unavailable, null);
  }
}

/** {@link verifyNow} as a promise (the body of `keyward.verify`). */
export function runVerification(
  rt: Runtime,
  token: string | null | undefined,
  check: PreparedCheck,
  ip?: string,
): Promise<VerifyResult> {
  return settle(verifyNow(rt, token, check, ip));
}

function verifyToken(
  rt: Runtime,
  token: string | null | undefined,
  check: PreparedCheck,
  ip: string | undefined,
): VerifyResult | Promise<VerifyResult> {
  const { config, cache } = rt;
  if (typeof token !== "string" || token.length === 0)
    return reject(rt, "missing_key", MESSAGES.missing, null);
  if (token.length > MAX_TOKEN_LENGTH) return reject(rt, "invalid_key", MESSAGES.malformed, null);

  // The cache is keyed by the hash of the exact token and filled only after that token passed
  // the checksum and prefix checks below, so a hit proves they pass again: skip them.
  const hash = config.hasher.hash(token);
  const entry = cache.get(hash);
  if (entry !== undefined) return checkKey(rt, entry, check, ip);

  const separator = tokenSeparator(token);
  if (separator < 0) {
    if (!config.legacyTokens || rt.ownShape(token))
      return reject(rt, "invalid_key", MESSAGES.malformed, null);
  } else if (
    !config.legacyTokens &&
    (separator !== config.prefix.length || !token.startsWith(config.prefix))
  ) {
    return reject(rt, "invalid_key", MESSAGES.prefix, null);
  }
  if (cache.isUnknown(hash)) return reject(rt, "invalid_key", MESSAGES.unknown, null);
  return lookupAndCheck(rt, token, hash, check, ip);
}

/** The uncached path: find the key in the store, cache it, then check it. */
async function lookupAndCheck(
  rt: Runtime,
  token: string,
  hash: string,
  check: PreparedCheck,
  ip: string | undefined,
): Promise<VerifyResult> {
  try {
    const { cache } = rt;
    const generation = cache.generation;
    const found = await lookup(rt, token, hash);
    if (found === null) {
      cache.setUnknown(hash, generation);
      return reject(rt, "invalid_key", MESSAGES.unknown, null);
    }
    if (found.secret.hash !== hash) rt.scheduleRehash(found.secret.hash, hash, found.key.id);
    const entry = buildEntry(rt, found.key, found.secret.expiresAt);
    cache.set(hash, entry, generation);
    return await checkKey(rt, entry, check, ip);
  } catch (error) {
    return reject(rt, "unavailable", unavailableDetail(rt, error, MESSAGES.unavailable), null);
  }
}

/**
 * Revoked → disabled → expired → client address → owner → scopes (under the owner's ceiling),
 * then limits and quota. Sync unless the owner must be resolved or limits apply.
 */
function checkKey(
  rt: Runtime,
  entry: CachedKey,
  check: PreparedCheck,
  ip: string | undefined,
): VerifyResult | Promise<VerifyResult> {
  const { config } = rt;
  const now = config.clock();
  const key = entry.key;
  if (key.revokedAt !== null) return reject(rt, "revoked_key", MESSAGES.revoked, key);
  if (!key.enabled) return reject(rt, "disabled_key", MESSAGES.disabled, key);
  if (key.expiresAt !== null && key.expiresAt <= now) return reject(rt, "expired_key", MESSAGES.expired, key);
  if (entry.secretExpiresAt !== null && entry.secretExpiresAt <= now) {
    return reject(rt, "expired_key", MESSAGES.rotated, key);
  }
  // Before any owner lookup or counter work (docs/decisions.md: the allowlist is known only once the key is).
  if (entry.allowIp && !entry.allowIp(ip)) {
    return reject(rt, "ip_not_allowed", ip === undefined ? MESSAGES.ipUnknown : MESSAGES.ipNotAllowed, key);
  }
  if (config.resolveOwner === null || key.ownerId === null) {
    return checkGrants(rt, entry, check, now, entry.granted, undefined);
  }
  const slot = ownerOf(rt, entry);
  if (!(slot instanceof Promise)) return checkOwned(rt, entry, check, now, slot);
  return slot.then(
    (resolved) => checkOwned(rt, entry, check, now, resolved),
    () => reject(rt, "unavailable", MESSAGES.unavailable, key),
  );
}

/** A key whose owner is resolved: inactive owners are refused, the rest checked under their ceiling. */
function checkOwned(
  rt: Runtime,
  entry: CachedKey,
  check: PreparedCheck,
  now: number,
  slot: OwnerSlot,
): VerifyResult | Promise<VerifyResult> {
  if (slot.owner === null) {
    const failure = reject(rt, "disabled_key", MESSAGES.ownerInactive, entry.key);
    failure.reason = "owner_inactive";
    return failure;
  }
  return checkGrants(rt, entry, check, now, slot.granted, slot.owner);
}

/** Scopes against the effective grants, then limits and quota. */
function checkGrants(
  rt: Runtime,
  entry: CachedKey,
  check: PreparedCheck,
  now: number,
  granted: ReadonlySet<string>,
  owner: unknown,
): VerifyResult | Promise<VerifyResult> {
  const key = entry.key;
  if (check.requirement !== null && !check.requirement.test(granted)) {
    const failure = reject(
      rt,
      "insufficient_scope",
      `The API key lacks the required scopes: ${check.requirement.source}.`,
      key,
    );
    failure.key = entry.apiKey;
    return failure;
  }

  const plan = planFor(rt, entry, check);
  if (plan === null) {
    rt.usage.record(key.id, now);
    // Nothing in this answer changes while the entry is cached: share one frozen result.
    entry.passed ??= Promise.resolve(
      Object.freeze(withOwner(rt, { ok: true, key: entry.apiKey, rateLimit: NO_LIMITS }, owner, granted)),
    );
    return entry.passed;
  }
  return consumeAndFinish(rt, entry, plan, now, owner, granted);
}

const grantsOfResult = new WeakMap<VerifySuccess, ReadonlySet<string>>();

/**
 * The scopes a success was granted under its owner's ceiling, when a ceiling applies
 * (undefined: the key's own scopes). Internal: a nested route checks its scopes against these.
 */
export function effectiveGrants(result: VerifySuccess): ReadonlySet<string> | undefined {
  return grantsOfResult.get(result);
}

function withOwner(
  rt: Runtime,
  success: VerifySuccess,
  owner: unknown,
  granted: ReadonlySet<string>,
): VerifySuccess {
  if (owner === undefined) return success;
  success.owner = owner;
  if (rt.config.ownerScopes !== null) grantsOfResult.set(success, granted);
  return success;
}

/** The consumption plan of this entry for these options, memoized for the last options seen. */
function planFor(rt: Runtime, entry: CachedKey, check: PreparedCheck): ConsumptionPlan | null {
  if (!entry.metered && check.policies.length === 0) return null;
  const memo = entry.memo;
  if (memo !== undefined && memo.check === check) return memo.plan as ConsumptionPlan | null;
  const { config } = rt;
  const plan = planConsumption({
    key: entry.key,
    defaults: config.rateLimit as ResolvedRateLimit[] | null,
    owner: config.ownerRateLimit,
    names: check.names,
    policies: check.policies,
    cost: check.cost,
  });
  entry.memo = { check, plan };
  return plan;
}

/**
 * Limits and quota in ONE store call, then the outcome: synchronously when the store does its
 * counter work synchronously (the memory store), so a cached, rate-limited verification
 * settles with one resolved promise, like an unlimited one.
 */
function consumeAndFinish(
  rt: Runtime,
  entry: CachedKey,
  plan: ConsumptionPlan,
  now: number,
  owner: unknown,
  granted: ReadonlySet<string>,
): VerifyResult | Promise<VerifyResult> {
  const sync = syncConsumeOf(rt.config.store);
  if (sync === undefined) {
    return consumeAsync(rt, plan, now).then(
      (consumed) => finish(rt, entry, plan, consumed, now, owner, granted),
      (error: unknown) =>
        reject(rt, "unavailable", unavailableDetail(rt, error, MESSAGES.unavailable), entry.key),
    );
  }
  let consumed: ConsumeResult;
  try {
    const { partition, limits, quota } = plan.request;
    consumed = sync({ partition, now, limits, quota });
  } catch (error) {
    return reject(rt, "unavailable", unavailableDetail(rt, error, MESSAGES.unavailable), entry.key);
  }
  return finish(rt, entry, plan, consumed, now, owner, granted);
}

/** The store call under the deadline, for stores that answer asynchronously. */
function consumeAsync(rt: Runtime, plan: ConsumptionPlan, now: number): Promise<ConsumeResult> {
  const { store, timeout } = rt.config;
  const { partition, limits, quota } = plan.request;
  return storeCall(store.kind, "consume", timeout, () =>
    store.consume({ partition, now, limits, quota, deadline: storeDeadline(Date.now(), timeout) }),
  );
}

/** What the store answered, as the verification's outcome. */
function finish(
  rt: Runtime,
  entry: CachedKey,
  plan: ConsumptionPlan,
  consumed: ConsumeResult,
  now: number,
  owner: unknown,
  granted: ReadonlySet<string>,
): VerifyResult {
  const key = entry.key;
  let outcome: ReturnType<typeof evaluateConsumption>;
  try {
    outcome = evaluateConsumption(plan, consumed);
  } catch {
    return reject(rt, "unavailable", MESSAGES.unavailable, key);
  }
  const apiKey: ApiKey =
    plan.quota && outcome.ok && outcome.quota
      ? { ...entry.apiKey, quota: quotaView(plan.quota, outcome.quota) }
      : entry.apiKey;
  if (!outcome.ok) {
    const failure = reject(rt, outcome.code, outcome.message, key);
    failure.key = apiKey;
    failure.rateLimit = outcome.rateLimit;
    if (outcome.retryAfter !== undefined) failure.retryAfter = outcome.retryAfter;
    return failure;
  }
  rt.usage.record(key.id, now);
  if (rt.writer !== null && plan.quota && outcome.quota)
    rt.writer.quotaCharged(key, plan.quota, outcome.quota, plan.cost);
  return withOwner(rt, { ok: true, key: apiKey, rateLimit: outcome.rateLimit }, owner, granted);
}

/** Finds the key by the primary hash, then (peppers being rotated) by the older ones. */
async function lookup(rt: Runtime, token: string, hash: string) {
  const { store, timeout, hasher } = rt.config;
  const find = (candidate: string) =>
    storeCall(store.kind, "findByHash", timeout, () => store.findByHash(candidate));
  const found = await find(hash);
  if (found !== null || !hasher.peppered) return found;
  const others = hasher.candidates(token);
  for (let i = 1; i < others.length; i++) {
    const older = await find(others[i]!);
    if (older !== null) return older;
  }
  return null;
}

function buildEntry(rt: Runtime, key: StoredKey, secretExpiresAt: number | null): CachedKey {
  const allowedIps = key.allowedIps ?? null; // records written before allowlists existed have none
  return {
    allowIp: allowedIps === null || allowedIps.length === 0 ? null : compileAllowlist(allowedIps),
    key,
    apiKey: freezeApiKey(toApiKey(key, null)),
    secretExpiresAt,
    granted: rt.config.scopes.expand(key.scopes),
    metered:
      key.quota !== null ||
      (key.rateLimit ?? rt.config.rateLimit ?? []).length > 0 ||
      (rt.config.ownerRateLimit !== null && key.ownerId !== null),
  };
}

export function reject(
  rt: Runtime,
  code: VerifyFailureCode,
  message: string,
  key: Pick<StoredKey, "id" | "ownerId"> | null,
): VerifyFailure {
  const failure: VerifyFailure = { ok: false, code, status: STATUS_BY_CODE[code], message };
  if (code === "unavailable") failure.retryAfter = UNAVAILABLE_RETRY_AFTER_SECONDS;
  if (rt.events.enabled) {
    rt.events.emit({
      type: "key.rejected",
      at: new Date(rt.config.clock()),
      keyId: key?.id ?? null,
      ownerId: key?.ownerId ?? null,
      code,
    });
  }
  return failure;
}
