/**
 * node-redis (`redis` v5 and later) as a client of the Redis store. The store speaks a small
 * command surface — EVALSHA/EVAL, HMGET, DEL, three sorted-set reads and writes, PUBLISH,
 * SUBSCRIBE on a duplicated connection — written against ioredis' call shapes; this file
 * gives a node-redis client (`createClient()` or `createCluster()`) that same surface, so
 * every script, key and retry path of the store is the one ioredis runs.
 *
 * Every command goes through node-redis' `sendCommand`: on a standalone client as is, on a
 * Cluster with the command's first key for routing (node-redis follows MOVED and ASK). Replies
 * are the raw RESP values (numbers, strings, null, arrays), as ioredis gives them.
 */
import { EventEmitter } from "node:events";
import type { RedisClient } from "../scripts/runner.js";

type Argument = string | number;
// node-redis types its listeners generically (string or Buffer messages); `any` keeps every
// version's client assignable to the interfaces below.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Listener = (message: any, channel: any) => unknown;
// biome-ignore lint/suspicious/noExplicitAny: node-redis' EventEmitter listeners take any[]
type EventListener = (...args: any[]) => void;

/** What keyward uses of a node-redis client; `createClient()`'s client satisfies it. */
export interface NodeRedisStandalone {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  sendCommand(args: string[]): Promise<unknown>;
  duplicate(): NodeRedisStandalone;
  connect(): Promise<unknown>;
  destroy?(): void;
  disconnect(): Promise<void>;
  subscribe(channel: string, listener: Listener): Promise<void>;
  unsubscribe(channel?: string, listener?: Listener): Promise<void>;
  on(event: string, listener: EventListener): unknown;
  off(event: string, listener: EventListener): unknown;
}

/** What keyward uses of a node-redis Cluster; `createCluster()`'s client satisfies it. */
export interface NodeRedisCluster {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  /** Present on Cluster clients only: how they are told apart. */
  readonly masters: readonly unknown[];
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
  ): Promise<unknown>;
  duplicate(): NodeRedisCluster;
  connect(): Promise<unknown>;
  destroy?(): void;
  disconnect(): Promise<void>;
  subscribe(channel: string, listener: Listener): Promise<void>;
  unsubscribe(channel?: string, listener?: Listener): Promise<void>;
  on(event: string, listener: EventListener): unknown;
  off(event: string, listener: EventListener): unknown;
}

/** A node-redis client: `createClient()` (standalone) or `createCluster()`. */
export type NodeRedisClient = NodeRedisStandalone | NodeRedisCluster;

/** Any client the Redis store accepts: ioredis `Redis` or `Cluster`, node-redis client or Cluster. */
export type AnyRedisClient = RedisClient | NodeRedisClient;

/** True for a node-redis client (camel-case `evalSha`, no ioredis `evalsha`). */
export function isNodeRedis(client: unknown): client is NodeRedisClient {
  const c = client as Record<string, unknown> | null | undefined;
  return (
    typeof c?.sendCommand === "function" && typeof c.evalSha === "function" && typeof c.evalsha !== "function"
  );
}

const isCluster = (client: NodeRedisClient): client is NodeRedisCluster =>
  Array.isArray((client as Partial<NodeRedisCluster>).masters);

/**
 * The ioredis-shaped surface over a node-redis client. `main` tells the user's client (whose
 * status is "end" once closed) from a duplicate keyward opens itself ("wait" until connected).
 */
class NodeRedisSurface extends EventEmitter {
  readonly #client: NodeRedisClient;
  readonly #main: boolean;
  #channelListener: Listener | undefined;

  constructor(client: NodeRedisClient, main: boolean) {
    super();
    this.#client = client;
    this.#main = main;
  }

  #send(firstKey: string | undefined, args: Argument[]): Promise<unknown> {
    const strings = args.map(String);
    const client = this.#client;
    return isCluster(client) ? client.sendCommand(firstKey, false, strings) : client.sendCommand(strings);
  }

  /** ioredis' status names, from node-redis' `isOpen` / `isReady`. */
  get status(): string {
    const client = this.#client;
    if (client.isReady) return "ready";
    if (client.isOpen) return "connecting";
    return this.#main ? "end" : "wait";
  }

  evalsha(sha: string, numKeys: number, ...rest: Argument[]): Promise<unknown> {
    return this.#send(numKeys > 0 ? String(rest[0]) : undefined, ["EVALSHA", sha, numKeys, ...rest]);
  }

  eval(lua: string, numKeys: number, ...rest: Argument[]): Promise<unknown> {
    return this.#send(numKeys > 0 ? String(rest[0]) : undefined, ["EVAL", lua, numKeys, ...rest]);
  }

  hmget(key: string, ...fields: string[]): Promise<unknown> {
    return this.#send(key, ["HMGET", key, ...fields]);
  }

  del(...keys: string[]): Promise<unknown> {
    return this.#send(keys[0], ["DEL", ...keys]);
  }

  zrevrangebylex(key: string, ...args: Argument[]): Promise<unknown> {
    return this.#send(key, ["ZREVRANGEBYLEX", key, ...args]);
  }

  zrangebyscore(key: string, ...args: Argument[]): Promise<unknown> {
    return this.#send(key, ["ZRANGEBYSCORE", key, ...args]);
  }

  zrem(key: string, ...members: string[]): Promise<unknown> {
    return this.#send(key, ["ZREM", key, ...members]);
  }

  publish(channel: string, message: string): Promise<unknown> {
    return this.#send(undefined, ["PUBLISH", channel, message]);
  }

  /** A second connection for SUBSCRIBE, not connected yet (status "wait"). */
  duplicate(): NodeRedisSurface {
    return new NodeRedisSurface(this.#client.duplicate(), false);
  }

  async connect(): Promise<void> {
    await this.#client.connect();
    // A Cluster has no "ready" event of its own: it is ready once connect() resolves.
    if (isCluster(this.#client)) this.emit("ready");
  }

  disconnect(): void {
    const client = this.#client;
    if (typeof client.destroy === "function") client.destroy();
    else void client.disconnect().catch(() => {});
  }

  /**
   * SUBSCRIBE with one listener that re-emits ioredis' `("message", channel, message)`.
   * node-redis re-subscribes by itself after a reconnect; subscribing again is a no-op.
   */
  async subscribe(channel: string): Promise<void> {
    this.#channelListener ??= (message: string, from: string) => this.emit("message", from, message);
    await this.#client.subscribe(channel, this.#channelListener);
  }

  async unsubscribe(channel: string): Promise<void> {
    await this.#client.unsubscribe(channel, this.#channelListener);
  }

  /** "error" (and a standalone client's "ready") are the client's own; "message" is emitted here. */
  override on(event: string | symbol, listener: EventListener): this {
    if (this.#native(event)) this.#client.on(event as string, listener);
    else super.on(event, listener);
    return this;
  }

  override off(event: string | symbol, listener: EventListener): this {
    if (this.#native(event)) this.#client.off(event as string, listener);
    else super.off(event, listener);
    return this;
  }

  #native(event: string | symbol): boolean {
    return event === "error" || (event === "ready" && !isCluster(this.#client));
  }
}

/**
 * The client the store runs on: an ioredis client as it is, a node-redis client behind the
 * ioredis-shaped surface above. Anything else is returned unchanged for the caller's own
 * option check to reject.
 */
export function storeClient(client: AnyRedisClient): RedisClient;
export function storeClient(client: AnyRedisClient | undefined): RedisClient | undefined;
export function storeClient(client: AnyRedisClient | undefined): RedisClient | undefined {
  if (!isNodeRedis(client)) return client;
  // The surface implements exactly the calls the store makes (see the file comment); the
  // node-redis contract tests run the whole store through it.
  return new NodeRedisSurface(client, true) as unknown as RedisClient;
}

/** Options with `client` (and `subscriber`) as the store runs them: see {@link storeClient}. */
export type WithStoreClients<O> = Omit<O, "client" | "subscriber"> & {
  client: RedisClient;
  subscriber?: RedisClient;
};

/** @internal The options of a Redis factory with its clients passed through {@link storeClient}. */
export function withStoreClients<O extends { client: AnyRedisClient; subscriber?: AnyRedisClient }>(
  options: O,
): WithStoreClients<O> {
  if (!options || typeof options !== "object") return options;
  const out = { ...options, client: storeClient(options.client) } as WithStoreClients<O>;
  if (options.subscriber !== undefined) out.subscriber = storeClient(options.subscriber);
  return out;
}
