/**
 * Runs one benchmark case in a process of its own and prints its result as JSON on stdout, so
 * that no case inherits another's heap or JIT state (`bench/run.ts` spawns one per case).
 * Usage: `tsx bench/case.ts <id> [--quick]`.
 */
import { cases } from "./cases/index.js";
import type { BenchContext } from "./lib/types.js";

const [id, ...flags] = process.argv.slice(2);
const bench = cases.find((c) => c.id === id);
if (!bench) {
  console.error(`bench: unknown case ${String(id)}; known: ${cases.map((c) => c.id).join(", ")}`);
  process.exit(2);
}
const ctx: BenchContext = {
  quick: flags.includes("--quick"),
  databaseUrl: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  log: (line) => process.stderr.write(`  ${line}\n`),
};
const result = await bench.run(ctx);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
