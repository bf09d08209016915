/**
 * Repeated header lines, however the framework hands them over (Node `headersDistinct`
 * arrays, Web `Headers` joined with ", ", Node `headers` joined with ", "): more than one
 * credential is `many`, never the first one or none.
 */

import { findCredential } from "@keyward/core/http";
import { describe, expect, it } from "vitest";

const sources = { bearer: true, headerNames: ["x-api-key"], query: null };
const MANY = { kind: "many" };

function folded(name: string, ...values: string[]): Headers {
  const headers = new Headers();
  for (const value of values) headers.append(name, value);
  return headers;
}

describe("findCredential with repeated header lines", () => {
  it("two Authorization lines are many, as arrays and as Web Headers", () => {
    expect(findCredential({ authorization: ["Bearer a", "Bearer b"] }, "/", sources)).toEqual(MANY);
    expect(findCredential(folded("authorization", "Bearer a", "Bearer b"), "/", sources)).toEqual(MANY);
  });

  it("Basic then Bearer (either order) is many, not none and not the Bearer alone", () => {
    for (const lines of [
      ["Basic dXNlcjpwYXNz", "Bearer b"],
      ["Bearer b", "Basic dXNlcjpwYXNz=="],
    ]) {
      expect(findCredential({ authorization: lines }, "/", sources)).toEqual(MANY);
      expect(findCredential(folded("authorization", ...lines), "/", sources)).toEqual(MANY);
    }
  });

  it("two key header lines are many, as arrays, as Headers and as Node's comma-joined value", () => {
    expect(findCredential({ "x-api-key": ["a", "b"] }, "/", sources)).toEqual(MANY);
    expect(findCredential(folded("x-api-key", "a", "b"), "/", sources)).toEqual(MANY);
    expect(findCredential({ "x-api-key": "a, b" }, "/", sources)).toEqual(MANY);
  });

  it("one credential with auth-params or quoted commas stays one (and is not Bearer)", () => {
    const digest = 'Digest username="a, b", realm="api", nonce="x"';
    expect(findCredential({ authorization: digest }, "/", sources)).toEqual({ kind: "none" });
    expect(findCredential(new Headers({ authorization: digest, "x-api-key": "k" }), "/", sources)).toEqual({
      kind: "one",
      token: "k",
    });
  });

  it("empty list elements and empty lines add nothing", () => {
    expect(findCredential({ "x-api-key": ["", "k"] }, "/", sources)).toEqual({ kind: "one", token: "k" });
    expect(findCredential({ "x-api-key": " , k ," }, "/", sources)).toEqual({ kind: "one", token: "k" });
    expect(findCredential(folded("authorization", "Bearer k"), "/", sources)).toEqual({
      kind: "one",
      token: "k",
    });
  });

  it("with bearer off, Authorization lines are not counted at all", () => {
    const off = { ...sources, bearer: false };
    expect(findCredential({ authorization: ["Bearer a", "Bearer b"], "x-api-key": "k" }, "/", off)).toEqual({
      kind: "one",
      token: "k",
    });
  });
});
