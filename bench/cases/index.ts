import type { BenchCase } from "../lib/types.js";

/** Every case, in the order they run. */
export const cases: BenchCase[] = [];
