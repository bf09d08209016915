import { describe, expect, it } from "vitest";
import { bearerChallenge, bearerToken, findCredential, problemResponse } from "../src/subpaths/http.js";

const sources = { bearer: true, headerNames: ["x-api-key"], query: null };

describe("findCredential", () => {
  it("reads Bearer in any case with extra spaces, from Headers and from Node header objects", () => {
    for (const value of ["Bearer tok", "bearer tok", "BEARER   tok  ", "  bEaReR\ttok"]) {
      expect(findCredential({ authorization: value }, "/", sources)).toEqual({ kind: "one", token: "tok" });
      expect(findCredential(new Headers({ Authorization: value }), "/", sources)).toEqual({
        kind: "one",
        token: "tok",
      });
    }
  });

  it("ignores other schemes and empty values", () => {
    expect(bearerToken("Basic abc")).toBeNull();
    expect(bearerToken("Bearertok")).toBeNull();
    expect(findCredential({ authorization: "Basic abc" }, "/", sources)).toEqual({ kind: "none" });
    expect(findCredential({ authorization: "Bearer   " }, "/", sources)).toEqual({ kind: "none" });
    expect(findCredential({ "x-api-key": "  " }, "/", sources)).toEqual({ kind: "none" });
  });

  it("finds header names case-insensitively in plain objects and takes arrays", () => {
    expect(findCredential({ "X-API-Key": "tok" }, "/", sources)).toEqual({ kind: "one", token: "tok" });
    expect(findCredential({ "x-api-key": ["a", "b"] }, "/", sources)).toEqual({ kind: "many" });
  });

  it("reports two credentials as many, across methods", () => {
    expect(findCredential({ authorization: "Bearer a", "x-api-key": "a" }, "/", sources)).toEqual({
      kind: "many",
    });
    const withQuery = { ...sources, query: "api_key" };
    expect(findCredential({ "x-api-key": "a" }, "/x?api_key=b", withQuery)).toEqual({ kind: "many" });
    expect(findCredential({}, "/x?api_key=b#frag", withQuery)).toEqual({ kind: "one", token: "b" });
    expect(findCredential({}, "http://h/x?api_key=b&api_key=c", withQuery)).toEqual({ kind: "many" });
    expect(findCredential({}, "/x?api_key=b", sources)).toEqual({ kind: "none" });
  });
});

describe("bearerChallenge", () => {
  it("quotes the realm and strips what RFC 6750 forbids from descriptions and scopes", () => {
    expect(bearerChallenge('my "api" \\ x')).toBe('Bearer realm="my \\"api\\" \\\\ x"');
    expect(bearerChallenge("api", { error: "invalid_token", description: 'bad "key" \\ é' })).toBe(
      'Bearer realm="api", error="invalid_token", error_description="bad \'key\' / ?"',
    );
    expect(bearerChallenge("api", { error: "insufficient_scope", scope: ["a:b", 'c:"d', ""] })).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="a:b c:d"',
    );
  });
});

describe("problemResponse", () => {
  it("serializes members in a fixed order, ignores attempts to override them, and takes a type base", () => {
    const response = problemResponse(
      "not_found",
      "No key with this id.",
      { status: 200, id: "key_1", skipped: undefined },
      { "X-Extra": "1" },
      { typeBase: "https://example.com/problems/" },
    );
    expect(response.status).toBe(404);
    expect(response.headers).toEqual({
      "Content-Type": "application/problem+json",
      "Cache-Control": "no-store",
      "X-Extra": "1",
    });
    expect(response.body).toBe(
      '{"type":"https://example.com/problems/not_found","title":"Not found","status":404,"detail":"No key with this id.","code":"not_found","id":"key_1"}',
    );
  });
});
