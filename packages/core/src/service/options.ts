/**
 * The one place `createKeyward()` options are read: defaults filled in, every value checked
 * (a `TypeError` naming the option), the result frozen. The request path only ever reads the
 * resolved config.
 */
import { type ResolvedDelivery, resolveDelivery } from "../delivery/options.js";
import { parseDuration } from "../duration/index.js";
import { type ResolvedSigningKeys, resolveSigningKeys } from "../edge/signing-keys.js";
import { createHasher } from "../hash/index.js";
import { checkOptionNames } from "../options/check.js";
import { resolveOwnerRateLimit, resolveRateLimit } from "../ratelimit/index.js";
import { createScopes } from "../scopes/index.js";
import type { KeywardStore } from "../store/types.js";
import { assertPrefix } from "../token/index.js";
import type { KeywardEvent, KeywardOptions, ResolvedRateLimit, ScopePresets } from "../types.js";

/** Defaults of `createKeyward()` options, in milliseconds where they are durations. */
const DEFAULTS = Object.freeze({
  prefix: "sk",
  cache: Object.freeze({ ttl: 30_000, max: 10_000, negativeTtl: 5_000 }),
  timeout: 2_000,
  writeBehind: Object.freeze({ interval: 5_000, maxBatch: 10_000 }),
});

const OPTION_NAMES = new Set([
  "store",
  "prefix",
  "pepper",
  "scopes",
  "rateLimit",
  "ownerRateLimit",
  "cache",
  "timeout",
  "writeBehind",
  "legacyTokens",
  "onEvent",
  "clock",
  "signingKeys",
  "issuer",
  "resolveOwner",
  "ownerScopes",
  "webhooks",
  "events",
]);

const STORE_METHODS = [
  "insertKey",
  "findByHash",
  "getKey",
  "listKeys",
  "updateKey",
  "rotateKey",
  "rehashSecret",
  "deleteKey",
  "recordUsage",
  "purge",
  "consume",
  "getQuota",
  "setQuota",
  "clearCounters",
] as const;

/** Options after resolution: every default filled in, durations in ms, frozen. */
export interface ResolvedConfig {
  readonly store: KeywardStore;
  readonly prefix: string;
  readonly hasher: ReturnType<typeof createHasher>;
  readonly scopes: ReturnType<typeof createScopes>;
  readonly rateLimit: readonly ResolvedRateLimit[] | null;
  readonly ownerRateLimit: ResolvedRateLimit | null;
  readonly cache: { readonly ttl: number; readonly max: number; readonly negativeTtl: number } | null;
  readonly timeout: number;
  readonly writeBehind: { readonly interval: number; readonly maxBatch: number };
  readonly legacyTokens: boolean;
  readonly onEvent: ((event: KeywardEvent) => void | Promise<void>) | null;
  readonly clock: () => number;
  /** Access-token signing keys, or null without `signingKeys`. */
  readonly signingKeys: ResolvedSigningKeys | null;
  readonly issuer: string | null;
  readonly resolveOwner: ((ownerId: string) => Promise<unknown>) | null;
  readonly ownerScopes: ((owner: unknown) => readonly string[]) | null;
  /** Webhook delivery of lifecycle events; null without `webhooks`. */
  readonly delivery: ResolvedDelivery | null;
}

const fail = (option: string, expected: string): never => {
  throw new TypeError(`keyward: option "${option}" must be ${expected}`);
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function checkKeys(value: Record<string, unknown>, allowed: readonly string[], option: string): void {
  checkOptionNames(value, allowed, "createKeyward()", option || undefined);
}

function positiveInteger(value: unknown, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0)
    fail(option, "a positive integer");
  return value as number;
}

function duration(value: unknown, option: string, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(value as never, option);
  if (ms < 0 || (!allowZero && ms === 0)) fail(option, allowZero ? "a duration >= 0" : "a duration > 0");
  return ms;
}

function resolveStore(store: unknown): KeywardStore {
  if (!isObject(store)) return fail("store", "a keyward store, e.g. memoryStore()");
  const missing = STORE_METHODS.filter((name) => typeof store[name] !== "function");
  if (missing.length > 0) fail("store", `a keyward store (it lacks ${missing.join(", ")})`);
  return store as unknown as KeywardStore;
}

function resolveCache(value: unknown): ResolvedConfig["cache"] {
  if (value === false) return null;
  if (value === undefined) return DEFAULTS.cache;
  if (!isObject(value)) return fail("cache", "an object { ttl, max, negativeTtl } or false");
  checkKeys(value, ["ttl", "max", "negativeTtl"], "cache");
  return Object.freeze({
    ttl: duration(value.ttl, "cache.ttl", DEFAULTS.cache.ttl),
    max: positiveInteger(value.max, "cache.max", DEFAULTS.cache.max),
    negativeTtl: duration(value.negativeTtl, "cache.negativeTtl", DEFAULTS.cache.negativeTtl, true),
  });
}

function resolveWriteBehind(value: unknown): ResolvedConfig["writeBehind"] {
  if (value === undefined) return DEFAULTS.writeBehind;
  if (!isObject(value)) return fail("writeBehind", "an object { interval, maxBatch }");
  checkKeys(value, ["interval", "maxBatch"], "writeBehind");
  return Object.freeze({
    interval: duration(value.interval, "writeBehind.interval", DEFAULTS.writeBehind.interval),
    maxBatch: positiveInteger(value.maxBatch, "writeBehind.maxBatch", DEFAULTS.writeBehind.maxBatch),
  });
}

const freezeLimit = (limit: ResolvedRateLimit | null): ResolvedRateLimit | null =>
  limit && Object.freeze({ ...limit });

function freezeLimits(limits: ResolvedRateLimit[] | null): readonly ResolvedRateLimit[] | null {
  return limits === null ? null : Object.freeze(limits.map((limit) => Object.freeze({ ...limit })));
}

/** Checks and freezes `createKeyward()` options; throws a `TypeError` naming the first bad option. */
export function resolveOptions<P extends ScopePresets, O>(options: KeywardOptions<P, O>): ResolvedConfig {
  if (!isObject(options)) return fail("options", "an object with at least { store }");
  checkKeys(options, [...OPTION_NAMES], "");
  const store = resolveStore(options.store);

  const prefix = options.prefix ?? DEFAULTS.prefix;
  assertPrefix(prefix, "prefix");

  const presets = options.scopes ?? {};
  if (!isObject(presets)) fail("scopes", "an object of preset name → list of scopes");

  const rateLimit = options.rateLimit ?? false;
  const ownerRateLimit = options.ownerRateLimit ?? false;
  if (options.legacyTokens !== undefined && typeof options.legacyTokens !== "boolean")
    fail("legacyTokens", "a boolean");
  if (options.onEvent !== undefined && typeof options.onEvent !== "function") fail("onEvent", "a function");
  if (options.clock !== undefined && typeof options.clock !== "function")
    fail("clock", "a function returning epoch ms");
  if (options.issuer !== undefined && (typeof options.issuer !== "string" || options.issuer === ""))
    fail("issuer", "a non-empty string, e.g. the URL of your API");
  if (options.resolveOwner !== undefined && typeof options.resolveOwner !== "function")
    fail("resolveOwner", "an async function (ownerId) => owner | null");
  if (options.ownerScopes !== undefined && typeof options.ownerScopes !== "function")
    fail("ownerScopes", "a function (owner) => scopes");
  if (options.ownerScopes !== undefined && options.resolveOwner === undefined)
    fail("ownerScopes", 'used together with "resolveOwner" (it receives the resolved owner)');

  const delivery = resolveDelivery(options.webhooks, options.events);
  if (delivery !== null && store.outbox === undefined)
    fail("webhooks", `used with a store that keeps an outbox (the ${store.kind} store has none)`);

  return Object.freeze({
    store,
    prefix,
    hasher: createHasher(options.pepper, "pepper"),
    scopes: createScopes(presets as ScopePresets),
    rateLimit: rateLimit === false ? null : freezeLimits(resolveRateLimit(rateLimit, "rateLimit")),
    ownerRateLimit: freezeLimit(resolveOwnerRateLimit(ownerRateLimit, "ownerRateLimit")),
    cache: resolveCache(options.cache),
    timeout: duration(options.timeout, "timeout", DEFAULTS.timeout),
    writeBehind: resolveWriteBehind(options.writeBehind),
    legacyTokens: options.legacyTokens ?? false,
    onEvent: options.onEvent ?? null,
    clock: options.clock ?? Date.now,
    signingKeys: resolveSigningKeys(options.signingKeys, "signingKeys"),
    issuer: options.issuer ?? null,
    resolveOwner: (options.resolveOwner as ResolvedConfig["resolveOwner"]) ?? null,
    ownerScopes: (options.ownerScopes as ResolvedConfig["ownerScopes"]) ?? null,
    delivery,
  });
}
