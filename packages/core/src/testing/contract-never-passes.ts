/**
 * The store contract's part on calls that can never pass: a cost above a limit's size, or
 * above the quota's refill amount, is rejected without `retryAfter` (no `Retry-After`), with a
 * message that names the policy — on every algorithm, through a real `createKeyward`, so each
 * store's counters answer it. A call that a wait does help keeps its `retryAfter`.
 */

import { RATE_LIMIT_ALGORITHMS } from "../ratelimit/names.js";
import { createKeyward } from "../service/keyward.js";
import type { Keyward, VerifyFailure, VerifyResult } from "../types.js";
import { type ContractRunner, freshOwner, type MakeStore } from "./contract-helpers.js";

function failure(result: VerifyResult): VerifyFailure {
  if (result.ok) throw new Error("expected the verification to be rejected");
  return result;
}

/** Registers the never-passes tests. */
export function runNeverPassesContract(t: ContractRunner, makeStore: MakeStore): void {
  const { describe, it, expect } = t;

  async function withKeyward(run: (keyward: Keyward) => Promise<void>): Promise<void> {
    const keyward = createKeyward({
      store: await makeStore(),
      prefix: "sk_contract",
      writeBehind: { interval: 60_000 },
    });
    try {
      await run(keyward);
    } finally {
      await keyward.close();
    }
  }

  describe("a call that can never pass", () => {
    for (const algorithm of RATE_LIMIT_ALGORITHMS) {
      it(`${algorithm}: cost 6 against 5 per minute is refused without retryAfter, naming the policy`, () =>
        withKeyward(async (keyward) => {
          const { token } = await keyward.create({
            ownerId: freshOwner(),
            rateLimit: [{ name: "search", limit: 5, window: "1m", algorithm }],
          });
          const never = failure(await keyward.verify(token, { cost: 6, rateLimit: ["search"] }));
          expect(never.code).toBe("rate_limited");
          expect(never.retryAfter).toBe(undefined);
          expect(never.message).toContain('"search"');
          expect(never.message).toContain("exceeds");
          // The same fresh counter still admits what fits: nothing was consumed by the refusal.
          expect((await keyward.verify(token, { cost: 5, rateLimit: ["search"] })).ok).toBe(true);
          // …and a call a wait helps keeps its Retry-After.
          const later = failure(await keyward.verify(token, { cost: 1, rateLimit: ["search"] }));
          expect(later.code).toBe("rate_limited");
          expect(later.retryAfter ?? 0).toBeGreaterThanOrEqual(1);
        }));
    }

    it("a cost above the quota's refill amount is refused without retryAfter, once the balance is spent", () =>
      withKeyward(async (keyward) => {
        const { token } = await keyward.create({
          ownerId: freshOwner(),
          quota: { limit: 10, refill: { interval: "1h", amount: 2 } },
        });
        expect((await keyward.verify(token, { cost: 8 })).ok).toBe(true);
        const never = failure(await keyward.verify(token, { cost: 3 }));
        expect(never.code).toBe("usage_exceeded");
        expect(never.retryAfter).toBe(undefined);
        expect(never.message).toContain("refill amount (2)");
        const waitHelps = await keyward.verify(token, { cost: 2 });
        expect(waitHelps.ok).toBe(true);
        const spent = failure(await keyward.verify(token, { cost: 2 }));
        expect(spent.code).toBe("usage_exceeded");
        expect(spent.retryAfter ?? 0).toBeGreaterThanOrEqual(1);
      }));
  });
}
