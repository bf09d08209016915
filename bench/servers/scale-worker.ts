/**
 * One memory store of N keys, in its own process (its own heap, so a big store's garbage
 * collection does not tax the small one), driven over IPC by bench/cases/scale.ts.
 *
 * `scale-worker.ts <keys> <sample> <cacheMax>` (run with --expose-gc): mints <keys> keys
 * through keyward, measuring the heap they take; keeps <sample> tokens spread evenly over the
 * store; then answers `{ variant: "cached" | "deferred" | "uncached", ms }` with `{ ops }`
 * (verifications per second over that many ms, sequential) until the channel closes.
 * "deferred" is the cached instance with its usage write-behind pushed past the run.
 */
import { createKeyward, type Keyward, memoryStore } from "@keyward/core";

const [keysArg, sampleArg, cacheMaxArg] = process.argv.slice(2);
const keys = Number(keysArg);
const sample = Number(sampleArg);
const cacheMax = Number(cacheMaxArg);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("scale-worker needs --expose-gc");
if (!process.send) throw new Error("scale-worker needs an IPC channel");

const PREFIX = "sk_bench";
const store = memoryStore();
const creator = createKeyward({ store, prefix: PREFIX, rateLimit: false, cache: false });

const settle = () => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};

const started = performance.now();
const step = Math.max(1, Math.floor(keys / sample));
const tokens: string[] = [];
const heapBefore = settle();
const BATCH = 256;
for (let from = 0; from < keys; from += BATCH) {
  const batch = await Promise.all(
    Array.from({ length: Math.min(BATCH, keys - from) }, () =>
      creator.create({ name: "bench", scopes: ["task:read"] }),
    ),
  );
  batch.forEach(({ token }, i) => {
    if ((from + i) % step === 0 && tokens.length < sample) tokens.push(token);
  });
}
const heapAfter = settle();
const buildMs = performance.now() - started;

const cached = createKeyward({
  store,
  prefix: PREFIX,
  rateLimit: false,
  cache: { max: cacheMax, ttl: "1h" },
});
const deferred = createKeyward({
  store,
  prefix: PREFIX,
  rateLimit: false,
  cache: { max: cacheMax, ttl: "1h" },
  writeBehind: { interval: "1h", maxBatch: 1_000_000 },
});
const uncached = createKeyward({ store, prefix: PREFIX, rateLimit: false, cache: false });
for (const token of tokens) {
  const result = await cached.verify(token);
  if (!result.ok) throw new Error(`a minted key did not verify: ${result.code}`);
  await deferred.verify(token);
}
const instances: Record<string, Keyward> = { cached, deferred, uncached };

/** Sequential verifications over the sample, round-robin, for `ms`; batches of 64 keep clock reads out. */
async function measure(keyward: Keyward, ms: number): Promise<number> {
  let i = 0;
  let ops = 0;
  const start = performance.now();
  const deadline = start + ms;
  while (performance.now() < deadline) {
    for (let j = 0; j < 64; j++) {
      const result = await keyward.verify(tokens[i++ % tokens.length]);
      if (!result.ok) throw new Error(`verify failed: ${result.code}`);
    }
    ops += 64;
  }
  return (ops * 1000) / (performance.now() - start);
}

process.on("message", (message: { variant: "cached" | "deferred" | "uncached"; ms: number }) => {
  measure(instances[message.variant]!, message.ms).then(
    (ops) => process.send!({ ops }),
    (error: Error) => {
      console.error(error);
      process.exit(1);
    },
  );
});
// The runner closing the channel is the signal to exit (normally, so --cpu-prof can write).
process.on("disconnect", () => process.exit(0));
process.send({ bytesPerKey: (heapAfter - heapBefore) / keys, buildMs, sample: tokens.length });
