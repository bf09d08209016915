/**
 * Resolves the `webhooks` and `events` options of `createKeyward()` once: defaults filled in,
 * durations in ms, every value checked (a `TypeError` naming the option), the result frozen.
 */
import { Webhook } from "standardwebhooks";
import { parseDuration } from "../duration/index.js";
import { checkOptionNames } from "../options/check.js";
import { LIFECYCLE_EVENT_TYPES, type LifecycleEventType } from "../store/outbox-types.js";

/** Defaults, durations in ms (docs/events.md). */
export const DELIVERY_DEFAULTS = Object.freeze({
  retry: Object.freeze({ initialDelay: 5_000, maxDelay: 36_000_000, attempts: 8 }),
  timeout: 10_000,
  expiringLeads: Object.freeze([604_800_000, 86_400_000]),
  graceEndingLead: 3_600_000,
  quotaThresholds: Object.freeze([80, 95, 100]),
  poll: 1_000,
  concurrency: 8,
  retention: 604_800_000,
});

const WEBHOOK_NAMES = ["url", "secret", "events", "retry", "id", "timeout"];
const RETRY_NAMES = ["initialDelay", "maxDelay", "attempts"];
const EVENTS_NAMES = [
  "expiringLeads",
  "graceEndingLead",
  "quotaThresholds",
  "poll",
  "concurrency",
  "retention",
  "deliver",
];
const SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/** One endpoint, resolved. */
export interface ResolvedEndpoint {
  readonly id: string;
  readonly url: string;
  /** Signs with the endpoint's secret (never logged, never stored). */
  readonly signer: Webhook;
  readonly events: ReadonlySet<LifecycleEventType>;
  readonly retry: { readonly initialDelay: number; readonly maxDelay: number; readonly attempts: number };
  readonly timeout: number;
}

/** Delivery settings; null in the config when no webhook is configured. */
export interface ResolvedDelivery {
  readonly endpoints: ReadonlyMap<string, ResolvedEndpoint>;
  /** Endpoint ids subscribed to each type. */
  readonly subscribers: ReadonlyMap<LifecycleEventType, readonly string[]>;
  /** Longest first. */
  readonly expiringLeads: readonly number[];
  readonly graceEndingLead: number;
  /** Ascending percentages. */
  readonly quotaThresholds: readonly number[];
  readonly poll: number;
  readonly concurrency: number;
  readonly retention: number;
  readonly deliver: boolean;
  /** How long a leased delivery is held: longer than any endpoint's timeout, so two instances never send it at once. */
  readonly leaseMs: number;
}

const fail = (option: string, expected: string): never => {
  throw new TypeError(`keyward: option "${option}" must be ${expected}`);
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function duration(value: unknown, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(value as never, option);
  if (!(ms > 0)) fail(option, "a duration > 0");
  return ms;
}

function positiveInteger(value: unknown, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0)
    fail(option, "a positive integer");
  return value as number;
}

function resolveUrl(value: unknown, option: string): URL {
  let url: URL | null = null;
  try {
    url = typeof value === "string" ? new URL(value) : null;
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== "http:" && url.protocol !== "https:"))
    return fail(option, "an http: or https: URL");
  return url;
}

function resolveSecret(value: unknown, option: string): Webhook {
  const shape = 'a Standard Webhooks secret: "whsec_" + base64 of 24 to 64 random bytes';
  if (typeof value !== "string" || !SECRET.test(value)) return fail(option, shape);
  const bytes = Buffer.from(value.slice("whsec_".length), "base64").length;
  if (bytes < 24 || bytes > 64) fail(option, shape);
  return new Webhook(value);
}

function resolveTypes(value: unknown, option: string): ReadonlySet<LifecycleEventType> {
  if (value === undefined) return new Set(LIFECYCLE_EVENT_TYPES);
  const known = LIFECYCLE_EVENT_TYPES as readonly string[];
  if (!Array.isArray(value) || value.length === 0 || value.some((type) => !known.includes(type)))
    fail(option, `a non-empty list of event types (${known.join(", ")})`);
  return new Set(value as LifecycleEventType[]);
}

function resolveRetry(value: unknown, option: string): ResolvedEndpoint["retry"] {
  const defaults = DELIVERY_DEFAULTS.retry;
  if (value === undefined) return defaults;
  if (!isObject(value)) return fail(option, "an object { initialDelay, maxDelay, attempts }");
  checkOptionNames(value, RETRY_NAMES, "createKeyward()", option);
  const initialDelay = duration(value.initialDelay, `${option}.initialDelay`, defaults.initialDelay);
  const maxDelay = duration(value.maxDelay, `${option}.maxDelay`, Math.max(defaults.maxDelay, initialDelay));
  if (maxDelay < initialDelay) fail(`${option}.maxDelay`, 'at least "initialDelay"');
  const attempts = positiveInteger(value.attempts, `${option}.attempts`, defaults.attempts);
  return Object.freeze({ initialDelay, maxDelay, attempts });
}

/** The default endpoint id: the URL without credentials, query or fragment. */
const defaultId = (url: URL): string => `${url.origin}${url.pathname}`;

function resolveEndpoint(value: unknown, option: string): ResolvedEndpoint {
  if (!isObject(value)) return fail(option, "an object { url, secret, events?, retry?, id?, timeout? }");
  checkOptionNames(value, WEBHOOK_NAMES, "createKeyward()", option);
  const url = resolveUrl(value.url, `${option}.url`);
  const signer = resolveSecret(value.secret, `${option}.secret`);
  if (value.id !== undefined && (typeof value.id !== "string" || !/^[\x21-\x7e]{1,200}$/.test(value.id)))
    fail(`${option}.id`, "a non-empty string of at most 200 printable ASCII characters");
  return Object.freeze({
    id: (value.id as string | undefined) ?? defaultId(url),
    url: url.href,
    signer,
    events: resolveTypes(value.events, `${option}.events`),
    retry: resolveRetry(value.retry, `${option}.retry`),
    timeout: duration(value.timeout, `${option}.timeout`, DELIVERY_DEFAULTS.timeout),
  });
}

function resolveLeads(value: unknown): readonly number[] {
  if (value === undefined) return DELIVERY_DEFAULTS.expiringLeads;
  if (!Array.isArray(value)) return fail("events.expiringLeads", 'a list of durations, e.g. ["7d", "1d"]');
  const leads = value.map((lead, i) => duration(lead, `events.expiringLeads[${i}]`, 0));
  return Object.freeze([...new Set(leads)].sort((a, b) => b - a));
}

function resolveThresholds(value: unknown): readonly number[] {
  if (value === undefined) return DELIVERY_DEFAULTS.quotaThresholds;
  if (!Array.isArray(value) || value.some((t) => typeof t !== "number" || !(t > 0 && t <= 100)))
    return fail(
      "events.quotaThresholds",
      "a list of percentages above 0 and at most 100, e.g. [80, 95, 100]",
    );
  return Object.freeze([...new Set(value as number[])].sort((a, b) => a - b));
}

/**
 * Checks `webhooks` and `events`; null when no webhook is configured (then nothing is written
 * to the outbox and no worker runs).
 * @throws TypeError naming the first bad option
 */
export function resolveDelivery(webhooks: unknown, events: unknown): ResolvedDelivery | null {
  if (events !== undefined && !isObject(events)) fail("events", `an object { ${EVENTS_NAMES.join(", ")} }`);
  const given = (events ?? {}) as Record<string, unknown>;
  checkOptionNames(given, EVENTS_NAMES, "createKeyward()", "events");
  if (given.deliver !== undefined && typeof given.deliver !== "boolean") fail("events.deliver", "a boolean");
  const settings = {
    expiringLeads: resolveLeads(given.expiringLeads),
    graceEndingLead: duration(
      given.graceEndingLead,
      "events.graceEndingLead",
      DELIVERY_DEFAULTS.graceEndingLead,
    ),
    quotaThresholds: resolveThresholds(given.quotaThresholds),
    poll: duration(given.poll, "events.poll", DELIVERY_DEFAULTS.poll),
    concurrency: positiveInteger(given.concurrency, "events.concurrency", DELIVERY_DEFAULTS.concurrency),
    retention: duration(given.retention, "events.retention", DELIVERY_DEFAULTS.retention),
    deliver: (given.deliver as boolean | undefined) ?? true,
  };
  if (webhooks === undefined) return null;
  if (!Array.isArray(webhooks)) return fail("webhooks", "a list of { url, secret, events?, retry? }");
  if (webhooks.length === 0) return null;
  const endpoints = new Map<string, ResolvedEndpoint>();
  webhooks.forEach((value, i) => {
    const endpoint = resolveEndpoint(value, `webhooks[${i}]`);
    if (endpoints.has(endpoint.id))
      fail(`webhooks[${i}].id`, `unique (another webhook already has the id "${endpoint.id}")`);
    endpoints.set(endpoint.id, endpoint);
  });
  const subscribers = new Map<LifecycleEventType, string[]>();
  for (const type of LIFECYCLE_EVENT_TYPES) {
    const ids = [...endpoints.values()].filter((e) => e.events.has(type)).map((e) => e.id);
    if (ids.length > 0) subscribers.set(type, ids);
  }
  const longest = Math.max(...[...endpoints.values()].map((e) => e.timeout));
  return Object.freeze({
    ...settings,
    endpoints,
    subscribers,
    leaseMs: 2 * longest + 1_000,
  });
}
