import type { Summary } from "./stats.js";

export interface BenchContext {
  /** One-minute run: fewer rounds, shorter measurements, smaller data sets. */
  quick: boolean;
  databaseUrl: string;
  redisUrl: string;
  log(line: string): void;
}

export interface VariantResult extends Summary {
  label: string;
}

/** A ratio of two measured medians, with the target it is held to. */
export interface Ratio {
  label: string;
  value: number;
  /** Minimum (or, with `atMost`, maximum) acceptable value. */
  target: number | null;
  atMost?: boolean;
  pass: boolean | null;
}

export interface CaseResult {
  id: string;
  title: string;
  unit: string;
  higherIsBetter: boolean;
  variants: VariantResult[];
  ratios: Ratio[];
  notes: string[];
}

export interface BenchCase {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<CaseResult>;
}
