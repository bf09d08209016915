import { describe, expect, it } from "vitest";
import {
  consumeInPlace,
  evaluateLimit,
  fixedWindow,
  LIMIT_ALGORITHMS,
  type LimitAlgorithm,
  type LimitParams,
  slidingWindow,
  tokenBucket,
} from "../src/ratelimit/algorithms.js";

/** A small deterministic PRNG, so a failure names a reproducible case. */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

/** Brute force: the first t > 0 at which a call of p.cost passes, given no other traffic. */
function firstPass<S>(
  algorithm: LimitAlgorithm<S>,
  state: S,
  p: LimitParams,
  now: number,
  horizon: number,
): number {
  for (let t = 1; t <= horizon; t++) {
    if (evaluateLimit(algorithm, state, p, now + t).admits) return t;
  }
  return -1;
}

describe("retryAfterMs is the first millisecond a retry passes", () => {
  for (const [name, algorithm] of [
    ["fixed-window", fixedWindow],
    ["sliding-window", slidingWindow],
    ["token-bucket", tokenBucket],
  ] as const) {
    it(`${name}: matches a brute-force search over random states`, () => {
      const next = rng(42);
      let checked = 0;
      for (let round = 0; round < 3_000; round++) {
        const p: LimitParams = { limit: 1 + next(12), window: 1 + next(40), cost: 1 + next(6) };
        const a = algorithm as LimitAlgorithm<unknown>;
        // Build a state by replaying random traffic.
        let state: unknown;
        let now = 1_000 + next(3 * p.window);
        for (let call = 0; call < 1 + next(30); call++) {
          now += next(Math.ceil(p.window / 3) + 1);
          const e = evaluateLimit(a, state, { ...p, cost: 1 }, now);
          state = e.admits ? a.consume(e.rolled, { ...p, cost: 1 }) : e.rolled;
        }
        const e = evaluateLimit(a, state, p, now);
        if (e.admits) continue;
        const announced = a.retryAfterMs(e.rolled, p, e.t);
        const actual = firstPass(a, state, p, e.t, 4 * p.window + 10);
        if (p.cost > p.limit) {
          expect(actual).toBe(-1);
          expect(announced).toBeGreaterThan(0);
        } else {
          expect({ p, announced }).toEqual({ p, announced: actual });
        }
        checked++;
      }
      expect(checked).toBeGreaterThan(500);
    });
  }
});

describe("guarantees under random traffic", () => {
  it("fixed-window admits at most limit per aligned window", () => {
    const next = rng(7);
    const p = { limit: 5, window: 100, cost: 1 };
    let state: ReturnType<typeof fixedWindow.fresh> | undefined;
    const perWindow = new Map<number, number>();
    for (let now = 0; now < 20_000; now += next(7)) {
      const e = evaluateLimit(fixedWindow, state, p, now);
      if (!e.admits) continue;
      state = fixedWindow.consume(e.rolled, p);
      const w = Math.floor(now / 100);
      perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
    }
    expect(Math.max(...perWindow.values())).toBe(5);
  });

  it("sliding-window: the weighted count never exceeds limit, any span of window ms sees < 2 × limit", () => {
    const next = rng(11);
    const p = { limit: 8, window: 100, cost: 1 };
    let state: ReturnType<typeof slidingWindow.fresh> | undefined;
    const admitted: number[] = [];
    for (let now = 0; now < 50_000; now += next(40) === 0 ? 150 : next(4)) {
      const e = evaluateLimit(slidingWindow, state, p, now);
      if (!e.admits) continue;
      state = slidingWindow.consume(e.rolled, p);
      const { prev, curr, start } = state;
      expect(prev * (p.window - (now - start)) + curr * p.window).toBeLessThanOrEqual(p.limit * p.window);
      admitted.push(now);
    }
    let worst = 0;
    for (let i = 0, j = 0; i < admitted.length; i++) {
      while (admitted[i]! - admitted[j]! >= p.window) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeGreaterThan(p.limit);
    expect(worst).toBeLessThan(2 * p.limit);
  });

  it("token-bucket admits at most limit + limit × d / window in any span of d ms", () => {
    const next = rng(3);
    const p = { limit: 10, window: 1_000, cost: 1 };
    let state: ReturnType<typeof tokenBucket.fresh> | undefined;
    const admitted: number[] = [];
    for (let now = 0; now < 30_000; now += next(60)) {
      const e = evaluateLimit(tokenBucket, state, p, now);
      state = e.admits ? tokenBucket.consume(e.rolled, p) : e.rolled;
      if (e.admits) admitted.push(now);
    }
    for (const d of [0, 50, 100, 999, 5_000]) {
      let worst = 0;
      for (let i = 0, j = 0; i < admitted.length; i++) {
        while (admitted[i]! - admitted[j]! > d) j++;
        worst = Math.max(worst, i - j + 1);
      }
      expect(worst).toBeLessThanOrEqual(p.limit + Math.floor((p.limit * d) / p.window));
    }
  });
});

describe("idleAt", () => {
  it("from idleAt on, every algorithm's state rolls to a fresh one", () => {
    const p = { limit: 4, window: 100, cost: 3 };
    for (const algorithm of [fixedWindow, slidingWindow, tokenBucket] as LimitAlgorithm<unknown>[]) {
      const e = evaluateLimit(algorithm, undefined, p, 1_234);
      const state = algorithm.consume(e.rolled, p);
      const idle = algorithm.idleAt(state, p);
      expect(idle).toBeGreaterThan(1_234);
      for (const t of [idle, idle + 1, idle + 257]) {
        expect(algorithm.roll(state, p, t)).toEqual(algorithm.fresh(p, t));
      }
      expect(algorithm.roll(state, p, idle - 1)).not.toEqual(algorithm.fresh(p, idle - 1));
    }
  });
});

describe("consumeInPlace", () => {
  it("is each algorithm's consume, applied to the state itself", () => {
    const next = rng(7);
    for (const name of ["fixed-window", "sliding-window", "token-bucket"] as const) {
      const algorithm = LIMIT_ALGORITHMS[name];
      for (let round = 0; round < 500; round++) {
        const p: LimitParams = { limit: 1 + next(50), window: 1 + next(1_000), cost: 1 + next(5) };
        let state = evaluateLimit(algorithm, undefined, p, 10_000 + next(5_000)).rolled;
        for (let calls = next(4); calls > 0; calls--) state = algorithm.consume(state, p);
        const expected = algorithm.consume(state, p);
        const mutable = { ...state };
        consumeInPlace(name, mutable, p);
        expect(mutable).toEqual(expected);
      }
    }
  });
});
