// Pins the shared-watchdog deadline: every call that outlives its timeout is rejected as
// unavailable, every call that settles in time keeps its own answer, whatever the mix and order.
import { describe, expect, it } from "vitest";
import { isKeywardError } from "../src/errors/index.js";
import { storeCall } from "../src/service/deadline.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const never = () => new Promise<never>(() => {});

describe("storeCall deadline", () => {
  it("expires hanging calls and leaves the others alone, in any interleaving", async () => {
    const timeout = 60;
    const calls: Promise<string>[] = [];
    const expected: string[] = [];
    // Settle each call into its outcome at once, so a rejection is never unhandled meanwhile.
    const outcome = (call: Promise<string>) =>
      call.then(
        (value) => value,
        (error: unknown) =>
          isKeywardError(error, "unavailable") ? "unavailable" : `other: ${String(error)}`,
      );
    for (let i = 0; i < 300; i++) {
      const kind = i % 4;
      if (kind === 0) {
        calls.push(outcome(storeCall("test", "op", timeout, never)));
        expected.push("unavailable");
      } else if (kind === 1) {
        calls.push(outcome(storeCall("test", "op", timeout, async () => `fast ${i}`)));
        expected.push(`fast ${i}`);
      } else if (kind === 2) {
        calls.push(
          outcome(storeCall("test", "op", timeout, () => sleep(timeout / 3).then(() => `slow ${i}`))),
        );
        expected.push(`slow ${i}`);
      } else {
        calls.push(outcome(storeCall("test", "op", timeout, () => Promise.reject(new Error("boom")))));
        expected.push("unavailable");
      }
      if (i % 50 === 0) await sleep(5);
    }
    expect(await Promise.all(calls)).toEqual(expected);
  });

  it("does not reject a call before its own deadline", async () => {
    const started = Date.now();
    const late = storeCall("test", "op", 200, never).catch(() => Date.now() - started);
    // A call with the same timeout that starts later must not move the first one's deadline.
    await sleep(50);
    const second = storeCall("test", "op", 200, never).catch(() => Date.now() - started);
    const [first, next] = await Promise.all([late, second]);
    expect(first).toBeGreaterThanOrEqual(195);
    expect(next).toBeGreaterThanOrEqual(245);
  });

  it("names the store and the operation, and keeps the cause of a failure", async () => {
    const error = await storeCall("postgres", "findByHash", 1000, () =>
      Promise.reject(new Error("ECONNRESET")),
    ).catch((e: unknown) => e);
    expect(isKeywardError(error, "unavailable")).toBe(true);
    expect((error as Error).message).toBe("keyward: the postgres store failed in findByHash");
    expect(((error as Error).cause as Error).message).toBe("ECONNRESET");
  });
});
