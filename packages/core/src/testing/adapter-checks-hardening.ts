/**
 * The conformance checks on repeated header lines. Frameworks fold them before keyward sees
 * the request (Node keeps only the first `Authorization` line and joins repeated custom
 * headers with ", "; Web `Headers` joins everything), so these requests are sent over a raw
 * `http.request`, which — unlike fetch — can send the same header twice.
 */
import { request as httpRequest } from "node:http";
import { assertions, type ConformanceRunner } from "./adapter-checks.js";
import type { ConformanceContext } from "./adapter-conformance.js";
import type { ConformanceApp } from "./adapter-routes.js";

/** Header values; an array is sent as that many separate header lines. */
type RawHeaders = Record<string, string | string[]>;

/** GET `path` with `headers` exactly as given (repeated lines included), read completely. */
function rawGet(app: ConformanceApp, path: string, headers: RawHeaders) {
  return new Promise<{ status: number; headers: Headers; text: string; json: unknown }>((resolve, reject) => {
    const req = httpRequest(`${app.url}${path}`, { method: "GET", headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (typeof value === "string") out.set(name, value);
        }
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode ?? 0, headers: out, text, json });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

/** Registers the repeated-header checks. */
export function runHardeningChecks(t: ConformanceRunner, start: () => Promise<ConformanceContext>): void {
  const { describe, it, expect } = t;
  const a = assertions(t);

  describe("repeated header lines", () => {
    it("two Authorization: Bearer lines (keys A and B) answer 400 invalid_request, not 200 as A", async () => {
      const { main, fixture } = await start();
      const answer = await rawGet(main, "/tasks", {
        authorization: [`Bearer ${fixture.tokens.reader}`, `Bearer ${fixture.tokens.admin}`],
      });
      a.problem(answer, "invalid_request", 400);
      expect(answer.headers.get("www-authenticate")).toContain('error="invalid_request"');
    });

    it("two X-API-Key lines answer 400 invalid_request, not 401 invalid_key", async () => {
      const { main, fixture } = await start();
      const answer = await rawGet(main, "/tasks", {
        "x-api-key": [fixture.tokens.reader, fixture.tokens.admin],
      });
      a.problem(answer, "invalid_request", 400);
      // The same key twice is still two credentials.
      const same = await rawGet(main, "/tasks", {
        "x-api-key": [fixture.tokens.reader, fixture.tokens.reader],
      });
      a.problem(same, "invalid_request", 400);
    });

    it("optional route: Basic then Bearer <revoked> is never waved through as anonymous", async () => {
      const { main, fixture } = await start();
      const answer = await rawGet(main, "/optional", {
        authorization: ["Basic dXNlcjpwYXNz", `Bearer ${fixture.tokens.revoked}`],
      });
      a.problem(answer, "invalid_request", 400);
      const reversed = await rawGet(main, "/optional", {
        authorization: [`Bearer ${fixture.tokens.revoked}`, "Basic dXNlcjpwYXNz"],
      });
      a.problem(reversed, "invalid_request", 400);
    });

    it("lines already folded with a comma count as several credentials", async () => {
      const { main, fixture } = await start();
      const bearer = await rawGet(main, "/tasks", {
        authorization: `Bearer ${fixture.tokens.reader}, Bearer ${fixture.tokens.admin}`,
      });
      a.problem(bearer, "invalid_request", 400);
      const key = await rawGet(main, "/tasks", {
        "x-api-key": `${fixture.tokens.reader}, ${fixture.tokens.admin}`,
      });
      a.problem(key, "invalid_request", 400);
      const custom = await rawGet(main, "/custom-header", {
        "x-custom-key": [fixture.tokens.reader, fixture.tokens.admin],
      });
      a.problem(custom, "invalid_request", 400);
    });

    it("one credential among other schemes and headers still passes", async () => {
      const { main, fixture } = await start();
      // A single Basic line is not an API key: the X-API-Key is the one credential.
      a.ok(
        await rawGet(main, "/tasks", {
          authorization: "Basic dXNlcjpwYXNz",
          "x-api-key": fixture.tokens.reader,
        }),
        fixture.keys.reader,
      );
      // An empty repeated key line adds nothing.
      a.ok(await rawGet(main, "/tasks", { "x-api-key": ["", fixture.tokens.reader] }), fixture.keys.reader);
    });
  });
}
