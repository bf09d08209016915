/**
 * Cross-instance invalidation over LISTEN/NOTIFY. `publish` is one `pg_notify()` through the
 * store's client; `subscribe` listens on a dedicated connection (pg) or with PGlite's
 * `listen()`. Payloads are key ids only.
 *
 * On a pg Pool the listening connection is opened beside the pool (same connection options),
 * so it never takes a pool slot. When it breaks (database restart, network loss), or cannot be
 * opened at all when keyward subscribes, it is (re)opened with backoff until it works;
 * `subscribe` resolves after the first attempt either way. Notifications sent while it was
 * down are lost, which the cache TTL bounds (see docs/postgres.md).
 */
import type { InvalidationBus } from "@keyward/core/store";
import { asPglite, asPool, type ClientKind, type PgClientLike, type QueryClient } from "./client.js";

type Listener = (keyId: string) => void;

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;

/** An invalidation bus for this client, or undefined when it cannot listen. */
export function createInvalidationBus(
  client: QueryClient,
  kind: ClientKind,
  channel: string,
  track: (stop: () => Promise<void>) => void,
): InvalidationBus | undefined {
  if (kind !== "pg-pool" && kind !== "pglite") return undefined;
  const publish = async (keyId: string): Promise<void> => {
    await client.query("SELECT pg_notify($1, $2)", [channel, keyId]);
  };
  const subscribe =
    kind === "pglite"
      ? async (listener: Listener) => {
          const unlisten = await asPglite(client).listen(channel, (payload) => listener(payload));
          let stopped = false;
          const stop = async () => {
            if (stopped) return;
            stopped = true;
            await unlisten();
          };
          track(stop);
          return stop;
        }
      : async (listener: Listener) => {
          const stop = await listenOnPool(client, channel, listener);
          track(stop);
          return stop;
        };
  return { publish, subscribe };
}

/** Opens a dedicated LISTEN connection next to a pg Pool and keeps it open. */
async function listenOnPool(
  client: QueryClient,
  channel: string,
  listener: Listener,
): Promise<() => Promise<void>> {
  const pool = asPool(client);
  let stopped = false;
  let current: PgClientLike | null = null;
  let timer: NodeJS.Timeout | null = null;
  let delay = RETRY_MIN_MS;

  const open = async (): Promise<PgClientLike> => {
    let connection: PgClientLike;
    if (typeof pool.Client === "function" && pool.options) {
      connection = new pool.Client({ keepAlive: true, ...pool.options });
      await connection.connect!();
    } else {
      connection = await pool.connect(); // fallback: hold one pool connection
    }
    // Attach before LISTEN so an error while subscribing cannot go unhandled.
    connection.on("error", () => reconnect(connection));
    connection.on("end", () => reconnect(connection));
    connection.on("notification", (message) => {
      if (message.channel === channel && typeof message.payload === "string" && message.payload !== "") {
        listener(message.payload);
      }
    });
    try {
      await connection.query(`LISTEN ${channel}`);
    } catch (error) {
      dispose(connection);
      throw error;
    }
    return connection;
  };

  const dispose = (connection: PgClientLike): void => {
    connection.removeAllListeners?.("notification");
    if (connection.release) connection.release(true);
    else connection.end?.().catch(() => {});
  };

  const reconnect = (broken: PgClientLike): void => {
    if (stopped || broken !== current) return;
    current = null;
    dispose(broken);
    schedule();
  };

  const schedule = (): void => {
    if (stopped || timer !== null) return;
    timer = setTimeout(async () => {
      timer = null;
      try {
        const connection = await open();
        if (stopped) {
          dispose(connection);
          return;
        }
        current = connection;
        delay = RETRY_MIN_MS;
      } catch {
        delay = Math.min(delay * 2, RETRY_MAX_MS);
        schedule();
      }
    }, delay);
    timer.unref?.();
  };

  // A database that is down when keyward starts must not cost this instance its invalidations
  // for good: the first failure is retried in the background like a later one.
  try {
    current = await open();
  } catch {
    schedule();
  }
  return async () => {
    if (stopped) return;
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    const connection = current;
    current = null;
    if (connection) {
      connection.removeAllListeners?.("notification");
      if (connection.release) connection.release(true);
      else await connection.end?.().catch(() => {});
    }
  };
}
