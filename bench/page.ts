/** The text of docs/benchmarks.md around a run's generated tables. */
export function benchmarksPage(generated: string): string {
  return `# Benchmarks

keyward is measured against the hand-written floor of the same work and against the libraries
people would otherwise pick, **in the same run on the same machine**, in alternating rounds
(every round measures every contender once, in rotated order). Shared machines are noisy, so the
results are ratios of medians, with min–max of the rounds shown beside them.

This page is written by \`pnpm bench\` (a full run); nothing below is edited by hand. The
benchmark builds the packages first and measures the built \`dist/\` that users install, not
the TypeScript sources (a source loader adds work of its own, such as naming every closure).

## Reproduce

\`\`\`sh
npm install -g pnpm@10 && pnpm install
pnpm bench           # full run, regenerates this page and docs/benchmarks.svg
pnpm bench --quick   # about a minute; writes bench/results/<stamp>.{json,md,svg} only
pnpm bench --only verify,ratelimit-memory   # some cases
\`\`\`

It needs the local PostgreSQL and Redis (\`DATABASE_URL\`, \`REDIS_URL\`, same defaults as the
tests). HTTP load comes from autocannon in a separate process, with the same connections and
duration for every server; each server runs in its own process.

## What is measured

| case | contenders |
| --- | --- |
| verify() hot path | keyward \`verify()\` on a cached key (memory store, no rate limit) · the floor: SHA-256 of the token + a \`Map\` lookup · better-auth's api-key \`verifyApiKey\` on its memory adapter |
| HTTP overhead | bare Fastify · Fastify + keyward (memory store, one rate limit) · Fastify + @fastify/bearer-auth + @fastify/rate-limit; bare Express · Express + keyward · Express + passport-headerapikey + express-rate-limit |
| rate limiting | keyward memory limiter · rate-limiter-flexible memory; keyward Redis limiter · rate-limiter-flexible Redis · a bare Redis \`GET\` (the floor) |
| PostgreSQL | uncached keyward verification · a bare indexed \`SELECT\` by hash on the same pool |
| scale | verify with 1,000 vs 1,000,000 keys in the memory store; heap bytes per stored key; cold-verify p50/p99 with 100,000 keys in PostgreSQL |
| propagation | revoke on one instance → first rejection on another, Redis and PostgreSQL, p50/p99 over 100 revocations |

## Latest full run

![ratios](benchmarks.svg)

${generated}
`;
}
