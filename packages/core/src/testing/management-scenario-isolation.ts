/**
 * Management-API scenario, part 3: tenant isolation checked property-style over random owners
 * and keys, and the once-only token (never in a get, a list or an event).
 */

import type { ApiKey } from "../types.js";
import type { Scenario, ScenarioRunner } from "./management-scenario-context.js";

/** A small seeded PRNG (mulberry32), so a failing isolation run can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The parts of a key that any write would change. */
function fingerprint(key: ApiKey | null) {
  if (key === null) return null;
  const { id, name, ownerId, start, scopes, metadata, enabled, expiresAt, revokedAt, updatedAt } = key;
  return { id, name, ownerId, start, scopes, metadata, enabled, expiresAt, revokedAt, updatedAt };
}

/** Registers these cases; `s` is filled in by the scenario's `beforeAll`. */
export function isolationCases(t: ScenarioRunner, s: Scenario): void {
  const { it, expect } = t;
  const { call, create, listAll } = s;
  it("isolates owners: random owners and keys, every cross-owner call is a 404 and changes nothing", async () => {
    const seed = Number(process.env["KEYWARD_SEED"] ?? Math.floor(Math.random() * 2 ** 31));
    const random = prng(seed);
    const owners = Array.from({ length: 5 }, (_, i) => `tenant_${seed}_${i}`);
    const keys: { id: string; owner: string; token: string }[] = [];
    for (let i = 0; i < 40; i++) {
      const owner = owners[Math.floor(random() * owners.length)]!;
      const scopes = random() < 0.5 ? ["project:read"] : ["task:read"];
      const { key, token } = await create(owner, { name: `n${i}`, scopes });
      keys.push({ id: key.id, owner, token });
    }
    const before = new Map<string, unknown>();
    for (const key of keys) before.set(key.id, fingerprint(await s.keyward.get(key.id)));
    const unknown = await call(owners[0]!, "GET", "/keys/key_00000000000000000000");

    let attempts = 0;
    for (const owner of owners) {
      for (const key of keys.filter((k) => k.owner !== owner)) {
        const replies = [
          await call(owner, "GET", `/keys/${key.id}`),
          await call(owner, "PATCH", `/keys/${key.id}`, { body: { name: "stolen", enabled: false } }),
          await call(owner, "POST", `/keys/${key.id}/rotate`, { body: { gracePeriod: "1h" } }),
          await call(owner, "POST", `/keys/${key.id}/revoke`),
          await call(owner, "DELETE", `/keys/${key.id}`),
        ];
        for (const reply of replies) {
          attempts++;
          expect(reply.status, `seed ${seed}: ${owner} on ${key.id}`).toBe(404);
          // Byte for byte the answer for an id that does not exist: nothing tells them apart.
          expect(reply.text).toBe(unknown.text);
        }
      }
      const listed = await listAll(owner, "", 6);
      const own = keys.filter((k) => k.owner === owner).map((k) => k.id);
      expect(listed.map((key) => key.id).sort(), `seed ${seed}`).toEqual(own.sort());
      expect(listed.every((key) => key.ownerId === owner)).toBe(true);
    }
    expect(attempts).toBeGreaterThan(0);
    for (const key of keys) {
      expect(fingerprint(await s.keyward.get(key.id)), `seed ${seed}: ${key.id} changed`).toEqual(
        before.get(key.id),
      );
      expect((await s.keyward.verify(key.token)).ok).toBe(true);
    }
  });

  it("shows each token only in the response that s.issued it: never in a get, a list or an event", async () => {
    await listAll("org_a");
    expect(s.issued.size).toBeGreaterThan(40);
    for (const [token, index] of s.issued) {
      const seenIn = s.transcript.flatMap((entry, i) => (entry.text.includes(token) ? [i] : []));
      expect(seenIn, `token s.issued by ${s.transcript[index]?.label}`).toEqual([index]);
    }
    const eventText = JSON.stringify(s.events);
    expect(s.events.length).toBeGreaterThan(0);
    for (const token of s.issued.keys()) expect(eventText.includes(token)).toBe(false);
  });
}
