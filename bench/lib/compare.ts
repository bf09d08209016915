import { summarize } from "./stats.js";
import type { Ratio, VariantResult } from "./types.js";

/** One contender: `setup` once, then `op` as many times as fits in each round. */
export interface Variant {
  label: string;
  /** One operation. May be sync or async. */
  op: () => unknown;
  /** Operations in flight at once for async ops. @defaultValue 1 */
  concurrency?: number;
}

export interface CompareOptions {
  rounds: number;
  /** Length of one measurement, ms. */
  roundMs: number;
  /** Warm-up per variant before the first round, ms. */
  warmupMs?: number;
  /**
   * What an operation's time is: `"wall"` (elapsed time) or `"cpu"` (this process's CPU time,
   * user + system, all threads). CPU time is the right measure for in-process work on a shared
   * machine: a round that lost the CPU to another process is not counted slower. Only for
   * contenders that do all their work in this process (no server, no database).
   * @defaultValue "wall"
   */
  time?: "wall" | "cpu";
}

/** Microseconds of this process's CPU time (user + system) so far. */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function measureOnce(variant: Variant, ms: number, time: "wall" | "cpu" = "wall"): Promise<number> {
  const concurrency = variant.concurrency ?? 1;
  const deadline = performance.now() + ms;
  let ops = 0;
  const start = performance.now();
  const cpuStart = time === "cpu" ? cpuNow() : 0;
  if (concurrency === 1) {
    // Batches of 64 keep the clock reads out of the measured cost.
    while (performance.now() < deadline) {
      for (let i = 0; i < 64; i++) {
        const value = variant.op();
        if (value instanceof Promise) await value;
      }
      ops += 64;
    }
  } else {
    const worker = async () => {
      while (performance.now() < deadline) {
        await variant.op();
        ops++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
  if (time === "cpu") return (ops * 1e6) / Math.max(1, cpuNow() - cpuStart);
  return (ops * 1000) / (performance.now() - start);
}

/**
 * Alternating A/B rounds: every round measures every variant once, in an order rotated from
 * round to round, so drift on a shared machine falls on all of them alike.
 * Returns operations per second (median, min, max) per variant.
 */
export async function compareThroughput(
  variants: readonly Variant[],
  options: CompareOptions,
): Promise<VariantResult[]> {
  const samples = variants.map(() => [] as number[]);
  for (const variant of variants) await measureOnce(variant, options.warmupMs ?? options.roundMs);
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const index = (i + round) % variants.length;
      samples[index]!.push(await measureOnce(variants[index]!, options.roundMs, options.time));
    }
  }
  return variants.map((variant, i) => ({ label: variant.label, ...summarize(samples[i]!) }));
}

/** `numerator.median / denominator.median`, checked against a target. */
export function ratio(
  label: string,
  results: readonly VariantResult[],
  numerator: string,
  denominator: string,
  target: number | null,
  atMost = false,
): Ratio {
  const top = results.find((r) => r.label === numerator);
  const bottom = results.find((r) => r.label === denominator);
  if (!top || !bottom) throw new Error(`ratio ${label}: unknown variant ${numerator} or ${denominator}`);
  const value = top.median / bottom.median;
  const pass = target === null ? null : atMost ? value <= target : value >= target;
  return { label, value, target, atMost, pass };
}
