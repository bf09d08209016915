import { cpus } from "node:os";
import { type LoadResult, startLoadGenerator } from "../lib/autocannon.js";
import { ratio } from "../lib/compare.js";
import { missedTargetNotes } from "../lib/notes.js";
import { ChildGroup, canPin, cpuMicros, type RunningServer } from "../lib/process.js";
import { summarize } from "../lib/stats.js";
import type { BenchCase, VariantResult } from "../lib/types.js";

/** Every contender: a label and the server script that runs it (each in its own process). */
const SERVERS: ReadonlyArray<{ label: string; script: string; env?: Record<string, string> }> = [
  { label: "bare Fastify", script: "bench/servers/fastify-bare.ts" },
  { label: "Fastify + hand-written hook", script: "bench/servers/fastify-handwritten.ts" },
  { label: "Fastify + keyward", script: "bench/servers/fastify-keyward.ts" },
  {
    label: "Fastify + keyward, no rate limit",
    script: "bench/servers/fastify-keyward.ts",
    env: { RATE_LIMIT: "off" },
  },
  { label: "Fastify + bearer-auth + rate-limit", script: "bench/servers/fastify-bearer.ts" },
  { label: "bare Express", script: "bench/servers/express-bare.ts" },
  { label: "Express + hand-written middleware", script: "bench/servers/express-handwritten.ts" },
  { label: "Express + keyward", script: "bench/servers/express-keyward.ts" },
  {
    label: "Express + passport-headerapikey + express-rate-limit",
    script: "bench/servers/express-passport.ts",
  },
];

const CONNECTIONS = 32;
/** Servers run on this CPU, the load generator on the other (when pinning is possible). */
const SERVER_CPU = 1;
const LOAD_CPU = 0;

// Where the time goes, from `node --cpu-prof` on the keyward and hand-written servers under
// autocannon (bench/cpu-top.ts); printed only when a target is missed.
const WHERE_THE_TIME_GOES =
  "Where the time goes (CPU profiles of the Fastify servers under load): keyward's hook is about 7% of the server's busy time against 2.5% for the hand-written check, most of either server's time being Node's HTTP parsing and the socket writes. A cached key on the memory store is answered in the same tick (no promise between the hook and the next one), so keyward's 4–5 extra points are the work the floor skips: reading every header line (request.raw.headersDistinct, a per-request object of arrays, so that a second Authorization line is refused), lru-cache's get over the floor's Map lookup, the key's checks (revoked, enabled, expiry, scopes), the usage write-behind count, and the result objects the API promises (the verification result, one RateLimitState per limit, the outcome and its headers object). To close it: find credentials from rawHeaders for the credential headers only instead of headersDistinct, and build the headers straight from the counter state without the intermediate result objects.";
const MISSED: Record<string, string> = {
  "Fastify + keyward / hand-written hook":
    "The hand-written hook reads one header, hashes it, looks it up in a Map and counts; keyward does that plus the checks and objects listed below.",
  "Fastify + keyward / Fastify + bearer-auth + rate-limit":
    "The peers do less: bearer-auth compares the header against one static key (no hashing, no lookup, no scopes, no expiry) and @fastify/rate-limit keeps a fixed-window counter with no store deadline; compare the server CPU per request above, which the load generator's share of the machine does not skew.",
  "Express + keyward / hand-written middleware": "Same pipeline as on Fastify (the adapters only translate).",
};
const PATH = "/v1/tasks";

/** Fails the case when any response was not a 2xx or any request failed: a fast 401 is not a result. */
function assertClean(label: string, run: LoadResult): void {
  if (run.non2xx > 0 || run.errors > 0 || run.timeouts > 0 || run.total === 0) {
    throw new Error(
      `${label}: ${run.non2xx} non-2xx, ${run.errors} errors, ${run.timeouts} timeouts of ${run.total} requests`,
    );
  }
}

export const httpCase: BenchCase = {
  id: "http",
  title: "HTTP overhead (autocannon, one process per server)",
  async run(ctx) {
    const rounds = ctx.quick ? 2 : 5;
    const seconds = ctx.quick ? 0.75 : 5;
    const children = new ChildGroup();
    try {
      const servers: RunningServer[] = await Promise.all(
        SERVERS.map(({ script, env }) =>
          children.startServer(script, { env, timeoutMs: 90_000, cpu: SERVER_CPU }),
        ),
      );
      const generator = await startLoadGenerator(children, LOAD_CPU);
      const load = (i: number, s: number) =>
        generator.run(servers[i]!, { path: PATH, connections: CONNECTIONS, seconds: s });

      // Warm-up (JIT, caches, connection setup) for every server before anything is measured.
      for (let i = 0; i < SERVERS.length; i++)
        assertClean(SERVERS[i]!.label, await load(i, ctx.quick ? 0.25 : 3));

      const samples = SERVERS.map(() => [] as number[]);
      const latencies = SERVERS.map(() => [] as number[]);
      const cpuPerRequest = SERVERS.map(() => [] as number[]);
      for (let round = 0; round < rounds; round++) {
        for (let j = 0; j < SERVERS.length; j++) {
          const i = (j + round) % SERVERS.length;
          const cpuBefore = cpuMicros(servers[i]!.child.pid);
          const run = await load(i, seconds);
          const cpuAfter = cpuMicros(servers[i]!.child.pid);
          assertClean(SERVERS[i]!.label, run);
          if (cpuBefore !== null && cpuAfter !== null)
            cpuPerRequest[i]!.push((cpuAfter - cpuBefore) / run.total);
          samples[i]!.push(run.rps);
          latencies[i]!.push(run.latencyP99);
        }
        ctx.log(
          `round ${round + 1}/${rounds}: ${samples.map((s) => Math.round(s.at(-1)!)).join(" / ")} req/s`,
        );
      }

      const variants: VariantResult[] = SERVERS.map(({ label }, i) => ({ label, ...summarize(samples[i]!) }));
      const cpu = cpuPerRequest.every((s) => s.length > 0)
        ? SERVERS.map(({ label }, i) => `${label} ${summarize(cpuPerRequest[i]!).median.toFixed(1)} µs`).join(
            ", ",
          )
        : null;
      const p99 = SERVERS.map(({ label }, i) => `${label} ${summarize(latencies[i]!).median} ms`).join(", ");
      const ratios = [
        ratio(
          "Fastify + keyward / hand-written hook",
          variants,
          "Fastify + keyward",
          "Fastify + hand-written hook",
          0.95,
        ),
        ratio(
          "Fastify + keyward / Fastify + bearer-auth + rate-limit",
          variants,
          "Fastify + keyward",
          "Fastify + bearer-auth + rate-limit",
          1.05,
        ),
        ratio(
          "Express + keyward / hand-written middleware",
          variants,
          "Express + keyward",
          "Express + hand-written middleware",
          0.95,
        ),
        ratio("Fastify + keyward / bare Fastify", variants, "Fastify + keyward", "bare Fastify", null),
        ratio("Express + keyward / bare Express", variants, "Express + keyward", "bare Express", null),
        ratio(
          "Express + keyward / Express + passport + express-rate-limit",
          variants,
          "Express + keyward",
          "Express + passport-headerapikey + express-rate-limit",
          1,
        ),
      ];
      return {
        id: this.id,
        title: this.title,
        unit: "req/s",
        higherIsBetter: true,
        variants,
        ratios,
        notes: [
          `GET ${PATH}, same small JSON from every server; autocannon in its own process, ${CONNECTIONS} connections, ${seconds} s per measurement, ${rounds} rounds with the order rotated each round; every response checked 2xx.`,
          "keyward: memory store, one sliding-window limit of 1e9/min on every key (none in the “no rate limit” variant), the route requires a scope, a real minted token. Peers: one static key each, limits keyed by the credential.",
          canPin
            ? `Every server pinned to CPU ${SERVER_CPU} and the load generator to CPU ${LOAD_CPU} (taskset), so the generator never steals the server's core; ${cpus().length} CPUs. Median p99 latency: ${p99}.`
            : `Not pinned (no taskset or one CPU): server and load generator share ${cpus().length} CPU(s), which overstates the slower server; read the ratios with care. Median p99 latency: ${p99}.`,
          "The hand-written hook/middleware is the floor: one-shot SHA-256 of the Bearer token, a Map lookup, one fixed-window counter and the two draft-10 headers — no scopes, expiry, store deadline or problem+json.",
          ...(cpu
            ? [
                `Server CPU time per request (user+system from /proc, median of rounds; less sensitive to a starved load generator than req/s): ${cpu}.`,
              ]
            : []),
          ...missedTargetNotes(ratios, MISSED, WHERE_THE_TIME_GOES),
        ],
      };
    } finally {
      await children.killAll();
    }
  },
};
