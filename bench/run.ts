/**
 * `pnpm bench [--quick] [--only <id,id>]`: runs every case, prints the tables, and writes
 * bench/results/<stamp>.{json,md,svg}. A full run (no --quick) also regenerates
 * docs/benchmarks.md and docs/benchmarks.svg — nothing in them is edited by hand.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { cases } from "./cases/index.js";
import { markdownReport, ratioChart } from "./lib/report.js";
import type { BenchContext, CaseResult } from "./lib/types.js";
import { benchmarksPage } from "./page.js";

const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, only: { type: "string" } },
  allowPositionals: false,
});
const only = values.only ? new Set(values.only.split(",")) : null;
const root = resolve(import.meta.dirname, "..");

const ctx: BenchContext = {
  quick: values.quick ?? false,
  databaseUrl: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  log: (line) => process.stderr.write(`  ${line}\n`),
};

const meta = {
  date: new Date().toISOString().slice(0, 16).replace("T", " "),
  mode: ctx.quick ? "quick" : "full",
  node: process.version,
  cpu: `${cpus().length}× ${cpus()[0]?.model.trim() ?? "?"}`,
  memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
};

const results: CaseResult[] = [];
const failed: string[] = [];
for (const bench of cases) {
  if (only && !only.has(bench.id)) continue;
  process.stderr.write(`▶ ${bench.title}\n`);
  const started = performance.now();
  // Each case in a fresh process: no case inherits another's heap or JIT state.
  const child = spawnSync(
    process.execPath,
    ["--import", "tsx", join(root, "bench", "case.ts"), bench.id, ...(ctx.quick ? ["--quick"] : [])],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", maxBuffer: 64 * 2 ** 20 },
  );
  process.stderr.write(`  ${bench.id}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  const line = child.stdout?.trim().split("\n").pop() ?? "";
  if (child.status === 0 && line.startsWith("{")) {
    results.push(JSON.parse(line) as CaseResult);
  } else {
    failed.push(bench.id);
    process.stderr.write(`  ✗ ${bench.id} failed (exit ${String(child.status)})\n`);
  }
}

const markdown = markdownReport(results, meta);
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const outDir = join(root, "bench", "results");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, `${stamp}.json`), `${JSON.stringify({ meta, results }, null, 2)}\n`);
writeFileSync(join(outDir, `${stamp}.md`), `${markdown}\n`);
writeFileSync(join(outDir, `${stamp}.svg`), ratioChart(results));
if (!ctx.quick && !only) {
  writeFileSync(join(root, "docs", "benchmarks.md"), benchmarksPage(markdown));
  writeFileSync(join(root, "docs", "benchmarks.svg"), ratioChart(results));
}
console.log(markdown);
console.log(
  `\nwritten: bench/results/${stamp}.{json,md,svg}${!ctx.quick && !only ? ", docs/benchmarks.md, docs/benchmarks.svg" : ""}`,
);
if (failed.length > 0) {
  console.error(`cases that failed to run: ${failed.join(", ")}`);
  process.exitCode = 1;
}
