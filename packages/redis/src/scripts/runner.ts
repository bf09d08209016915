import { createHash } from "node:crypto";
import type { Cluster, Redis } from "ioredis";
import { guardOf } from "../guard.js";

/** An ioredis client: a standalone `Redis` or a `Cluster`. */
export type RedisClient = Redis | Cluster;

/** A Lua script called by its SHA-1, loaded on demand. */
interface Script {
  readonly name: string;
  readonly sha: string;
  run(keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
}

const isNoScript = (error: unknown): boolean =>
  error instanceof Error && error.message.startsWith("NOSCRIPT");

/**
 * Binds a Lua script to a client. Every call is `EVALSHA`; when the server answers
 * `NOSCRIPT` (first call on a node, after `SCRIPT FLUSH`, a restart or a failover) the same
 * call is repeated once as `EVAL`, which runs it and caches it on that node, so the next calls
 * are `EVALSHA` again. The client is not modified (no `defineCommand`). All keys of one call
 * must share a hash tag; the callers guarantee it.
 */
export function defineScript(client: RedisClient, name: string, lua: string): Script {
  const sha = createHash("sha1").update(lua).digest("hex");
  const guard = guardOf(client);
  return {
    name,
    sha,
    async run(keys, args) {
      try {
        // Through the guard: sent only while connected, never queued (see guard.ts).
        return await guard.send(() => client.evalsha(sha, keys.length, ...keys, ...args));
      } catch (error) {
        if (!isNoScript(error)) throw error;
        return guard.send(() => client.eval(lua, keys.length, ...keys, ...args));
      }
    },
  };
}
