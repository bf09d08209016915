/** postgresStore() and migrate() reject a misspelt option with a TypeError naming the nearest valid one. */
import { describe, expect, it } from "vitest";
import { migrate, postgresStore } from "../src/index.js";

/** Never reached: the option check throws before the store or migration touches the client. */
const client = {
  query: async () => {
    throw new Error("the client must not be used");
  },
};

describe("unknown option names", () => {
  it("postgresStore() throws (it used to warn and go on without the option)", () => {
    const make = () => postgresStore({ client, tablePrefx: "kw_" } as never);
    expect(make).toThrow(TypeError);
    expect(make).toThrow(/^postgresStore\(\): unknown option "tablePrefx" — did you mean "tablePrefix"\?/);
  });

  it("migrate() rejects", async () => {
    const error = await migrate(client, { shema: "x" } as never).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(
      /^migrate\(\): unknown option "shema" — did you mean "schema"\?/,
    );
  });
});
