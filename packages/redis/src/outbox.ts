/**
 * The outbox half of `redisStore()`: one Lua script per method over keys that all share the
 * hash tag `{outbox}` (`<prefix>:{outbox}:<part>`, see scripts/outbox.ts), so every call is
 * single-slot on Redis Cluster and atomic on its own. Times are the callers' (`now`, `at`):
 * core passes its clock, so tests can move it.
 *
 * `atomicWrites` is false, on a standalone Redis as on a Cluster: a key write is a sequence of
 * scripts over other hash tags (the key's, its secrets', the indexes'), so its events cannot
 * join it in one atomic step. Core appends them right after the write succeeds; a crash in
 * between loses those events (docs/redis.md, "Outbox").
 */
import { randomUUID } from "node:crypto";
import type {
  DeliveryOutcome,
  DeliveryQuery,
  DeliveryStatus,
  LeasedDelivery,
  OutboxAppend,
  OutboxDelivery,
  OutboxEvent,
  OutboxStats,
  OutboxStore,
} from "@keyward/core/store";
import type { Keyspace } from "./keyspace.js";
import {
  OUTBOX_APPEND_LUA,
  OUTBOX_FINISH_LUA,
  OUTBOX_LEASE_LUA,
  OUTBOX_LIST_LUA,
  OUTBOX_PARTS,
  OUTBOX_PRUNE_LUA,
  OUTBOX_RETRY_LUA,
  OUTBOX_STATS_LUA,
} from "./scripts/outbox.js";
import { defineScript, type RedisClient } from "./scripts/runner.js";

/** A delivery's state as the scripts keep it (see scripts/outbox.ts). */
interface State {
  s: DeliveryStatus;
  a: number;
  n: number;
  l?: string;
  lu?: number;
  e?: string;
  f?: number;
}

/** The index `list()` reads for each status filter. */
const LIST_INDEX: Readonly<Record<NonNullable<DeliveryQuery["status"]>, string>> = {
  pending: "s:pending",
  delivered: "s:delivered",
  dead: "s:dead",
  skipped: "s:skipped",
  failed: "failed",
};

/** A (member, state json, event json) triple as a delivery, with the state for the lease. */
function toDelivery(member: string, stateJson: string, eventJson: string): OutboxDelivery & { state: State } {
  const state = JSON.parse(stateJson) as State;
  return {
    event: JSON.parse(eventJson) as OutboxEvent,
    endpoint: member.slice(member.indexOf("\n") + 1),
    status: state.s,
    attempts: state.a,
    nextAttemptAt: state.n,
    lastError: state.e ?? null,
    finishedAt: state.f ?? null,
    state,
  };
}

function triples(reply: unknown): (OutboxDelivery & { state: State })[] {
  const flat = reply as string[];
  const out: (OutboxDelivery & { state: State })[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) out.push(toDelivery(flat[i]!, flat[i + 1]!, flat[i + 2]!));
  return out;
}

const withoutState = ({ state: _state, ...delivery }: OutboxDelivery & { state: State }): OutboxDelivery =>
  delivery;

/** Newest event first; one event's endpoints in name order (what every store answers). */
const newestFirst = (a: OutboxDelivery, b: OutboxDelivery): number =>
  a.event.id === b.event.id ? (a.endpoint < b.endpoint ? -1 : 1) : a.event.id < b.event.id ? 1 : -1;

/** The OutboxStore of `redisStore()`. */
export function createOutbox(client: RedisClient, keys: Keyspace): OutboxStore {
  const outboxKeys = OUTBOX_PARTS.map((part) => keys.outbox(part));
  const script = (name: string, lua: string) => {
    const defined = defineScript(client, `keyward:outbox-${name}`, lua);
    return (args: (string | number)[]) => defined.run(outboxKeys, args);
  };
  const run = {
    append: script("append", OUTBOX_APPEND_LUA),
    lease: script("lease", OUTBOX_LEASE_LUA),
    finish: script("finish", OUTBOX_FINISH_LUA),
    retry: script("retry", OUTBOX_RETRY_LUA),
    list: script("list", OUTBOX_LIST_LUA),
    stats: script("stats", OUTBOX_STATS_LUA),
    prune: script("prune", OUTBOX_PRUNE_LUA),
  };

  return {
    atomicWrites: false,

    async append(entries: readonly OutboxAppend[]): Promise<number> {
      if (entries.length === 0) return 0;
      const args: (string | number)[] = [];
      for (const { event, endpoints } of entries) {
        const targets = [...new Set(endpoints)];
        args.push(event.id, JSON.stringify(event), event.dedupeKey ?? "", event.deliverAfter, targets.length);
        args.push(...targets);
      }
      return Number(await run.append(args));
    },

    async lease(now: number, leaseMs: number, limit: number): Promise<LeasedDelivery[]> {
      if (limit <= 0) return [];
      const leased = triples(await run.lease([now, leaseMs, limit, randomUUID()]));
      const dueAt = (d: OutboxDelivery) => Math.max(d.event.deliverAfter, d.nextAttemptAt);
      leased.sort((a, b) => dueAt(a) - dueAt(b) || (a.event.id < b.event.id ? -1 : 1));
      return leased.map((d) => ({ ...withoutState(d), lease: d.state.l!, leaseUntil: d.state.lu! }));
    },

    async finish(eventId: string, endpoint: string, lease: string, outcome: DeliveryOutcome) {
      const next = outcome.status === "failed" ? (outcome.nextAttemptAt ?? "") : "";
      const error = outcome.status === "failed" ? outcome.error : "";
      const reply = await run.finish([eventId, endpoint, lease, outcome.status, outcome.at, next, error]);
      return Number(reply) === 1;
    },

    async retry(eventId: string, now: number): Promise<number> {
      return Number(await run.retry([eventId, now]));
    },

    async list(query: DeliveryQuery): Promise<OutboxDelivery[]> {
      const index = query.status === undefined ? "all" : LIST_INDEX[query.status];
      const reply = await run.list([index, query.beforeEventId ?? "", query.limit]);
      return triples(reply).map(withoutState).sort(newestFirst);
    },

    async stats(now: number): Promise<OutboxStats> {
      const reply = (await run.stats([now])) as (string | number)[];
      const endpoints: OutboxStats["endpoints"][number][] = [];
      for (let i = 4; i + 1 < reply.length; i += 2) {
        const last = JSON.parse(String(reply[i + 1])) as { e?: string; at?: number };
        endpoints.push({
          endpoint: String(reply[i]),
          lastError: last.e ?? null,
          lastErrorAt: last.at ?? null,
        });
      }
      endpoints.sort((a, b) => (a.endpoint < b.endpoint ? -1 : 1));
      return {
        pending: Number(reply[0]),
        retrying: Number(reply[1]),
        dead: Number(reply[2]),
        oldestDueAt: reply[3] === "" ? null : Number(reply[3]),
        endpoints,
      };
    },

    async prune(before: number, batchSize: number): Promise<number> {
      return Number(await run.prune([before, batchSize]));
    },
  };
}
