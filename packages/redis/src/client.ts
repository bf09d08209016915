import { Redis, type RedisOptions } from "ioredis";

/**
 * The client options keyward recommends: fail fast instead of queueing while Redis is away,
 * so a verification answers `unavailable` (503) at once rather than piling up.
 *
 * - `enableOfflineQueue: false` — a command sent while disconnected fails immediately;
 * - `maxRetriesPerRequest: 1` — a command in flight when the connection drops is retried once
 *   on the new connection, then fails;
 * - `commandTimeout: 1000` — a command without an answer after 1 s fails (keep it below
 *   keyward's `timeout`, 2 s by default);
 * - `connectTimeout: 2000` and a reconnect back-off capped at 1 s — it recovers by itself.
 */
export const RECOMMENDED_CLIENT_OPTIONS = Object.freeze({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 1_000,
  connectTimeout: 2_000,
  retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 1_000),
}) satisfies RedisOptions;

/**
 * Opens a standalone ioredis client with {@link RECOMMENDED_CLIENT_OPTIONS} (yours win) and
 * resolves once it is ready — with the offline queue off, commands sent before that would
 * fail. Rejects when the first connection attempt fails; the caller owns the client and
 * closes it with `quit()`.
 *
 * @example
 * const redis = await createRedisClient(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
 * const keyward = createKeyward({ store: redisStore({ client: redis }) });
 */
export async function createRedisClient(url: string, options: RedisOptions = {}): Promise<Redis> {
  if (typeof url !== "string" || url === "") {
    throw new TypeError('createRedisClient: option "url" must be a redis:// or rediss:// URL');
  }
  const client = new Redis(url, { ...RECOMMENDED_CLIENT_OPTIONS, ...options, lazyConnect: true });
  client.on("error", () => {
    // Failures surface on the calls (as 503 through keyward); this keeps Node from crashing.
  });
  try {
    await client.connect();
    // ioredis selects the URL's database (`/99`) on connect, but carries on in database 0 when
    // SELECT fails; select it again so a database the server lacks is an error, not a surprise.
    const database = client.options.db ?? 0;
    if (database !== 0) {
      await client.select(database).catch((error: Error) => {
        throw new Error(`createRedisClient: cannot select database ${database} (${error.message})`, {
          cause: error,
        });
      });
    }
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return client;
}
