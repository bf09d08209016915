/** The text of docs/benchmarks.md around a run's generated tables. */
export function benchmarksPage(generated: string): string {
  return `# Benchmarks

keyward is measured against the hand-written floor of the same work and against the libraries
people would otherwise pick, **in the same run on the same machine**, in alternating rounds
(every round measures every contender once, in rotated order). Shared machines are noisy, so the
results are ratios of medians, with min–max of the rounds shown beside them.

This page is written by \`pnpm bench\` (a full run); nothing below is edited by hand. The
benchmark first builds the JavaScript the measured packages ship (\`pnpm build:bench\`: the ESM
\`dist/\` that \`import\` loads, without type declarations) and measures that, not the TypeScript
sources (a source loader adds work of its own, such as naming every closure).

## Reproduce

\`\`\`sh
npm install -g pnpm@10 && pnpm install
pnpm bench           # full run, regenerates this page and docs/benchmarks.svg
pnpm bench --quick   # about a minute (each case prints its time); writes bench/results/<stamp>.{json,md,svg} only
pnpm bench --only http,verify   # some cases (ids: verify, openapi, edge, ratelimit-memory,
                                # ratelimit-redis, http, postgres, scale, propagation)
\`\`\`

It needs the local PostgreSQL and Redis (\`DATABASE_URL\`, \`REDIS_URL\`, same defaults as the
tests). Every case runs in a fresh process.

## How it measures

- **In-process cases** (verify, the memory limiter, OpenAPI matching, edge tokens) call each
  contender sequentially and await its promise when it returns one. verify and the memory
  limiter are timed by the process's own CPU time (user + system), so that a round which lost
  the CPU to another process on a shared machine does not count slower; each contender's call
  is the library's own promise (no wrapper adds a hop to one side only).
- **HTTP** runs every server in its own process, **pinned to CPU 1** (\`taskset\`), and autocannon
  in another process **pinned to CPU 0**, so the load generator never takes CPU from the server it
  measures (unpinned, it does, and skews the ratios). Same route, same small JSON, same
  connections and duration for every server; every response is checked 2xx; the server's CPU
  time per request (from /proc) is reported beside req/s.
- **Floors** are the same work written by hand with nothing general about it: for verify(), a
  one-shot SHA-256 of the token and a \`Map\` lookup (and, rate-limited, rate-limiter-flexible's
  \`consume\` on top); for HTTP, a Fastify hook and an Express middleware doing that SHA-256, the
  lookup, one fixed-window counter and the two draft-10 headers (\`bench/servers/handwritten.ts\`).
- **Profiles**: a missed target prints where the time goes, from \`node --cpu-prof\` on the same
  loops and servers; \`tsx bench/cpu-top.ts <file.cpuprofile> [count] [function,…]\` prints a
  profile's top frames by self time and the inclusive share of named functions.

## What is measured

| case | contenders |
| --- | --- |
| verify() hot path | keyward \`verify()\` on a cached key (memory store), without and with a rate limit · the floor: SHA-256 of the token + a \`Map\` lookup, also returned as a promise · the floor + rate-limiter-flexible \`consume\` · better-auth's api-key \`verifyApiKey\` on its memory adapter |
| OpenAPI, edge | request matching against an OpenAPI document next to a cached verify(); edge access-token verification (EdDSA, ES256) next to verify() and the floor |
| HTTP overhead | bare Fastify · Fastify + the hand-written hook · Fastify + keyward (memory store, one rate limit; and without) · Fastify + @fastify/bearer-auth + @fastify/rate-limit; bare Express · Express + the hand-written middleware · Express + keyward · Express + passport-headerapikey + express-rate-limit |
| rate limiting | keyward memory limiter (sliding, fixed) · rate-limiter-flexible memory; keyward Redis limiter · rate-limiter-flexible Redis · a bare Redis \`GET\` (the floor) |
| PostgreSQL | uncached keyward verification · a bare indexed \`SELECT\` by hash on the same pool |
| scale | verify with 1,000 vs 1,000,000 keys in the memory store; heap bytes per stored key; cold-verify p50/p99 with 100,000 keys in PostgreSQL |
| propagation | revoke on one instance → first rejection on another, Redis and PostgreSQL, p50/p99 over 100 revocations |

## Latest full run

![ratios](benchmarks.svg)

${generated}
`;
}
