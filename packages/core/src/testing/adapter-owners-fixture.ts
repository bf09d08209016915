/**
 * The keyward behind the owner / allowlist / onReject conformance cases: owners in a mutable
 * directory with a role each (the role ceiling), keys with address allowlists, and routes that
 * take the client address from a trusted header (the one source every adapter shares) or
 * answer rejections with the 401-missing / 403-invalid recipe of docs/owners.md.
 */
import type { OnReject } from "../http/reject.js";
import { createKeyward } from "../service/keyward.js";
import { memoryStore } from "../store/memory/index.js";
import type { ApiKey, CreateKeyInput, Keyward } from "../types.js";
import type { ConformanceRoute, ConformanceSetup } from "./adapter-routes.js";

/**
 * The recipe for apps that must answer 403 to a present-but-bad key and keep 401 for a
 * missing one (a legacy convention; RFC 6750 says 401 for both): every other 401 becomes a
 * 403 with the same problem body (its `status` member following) and no challenge.
 */
export const legacyForbiddenOnInvalid: OnReject = (rejection) => {
  if (rejection.status !== 401 || rejection.code === "missing_key") return undefined;
  const { "WWW-Authenticate": _challenge, ...headers } = rejection.response.headers;
  const body = { ...JSON.parse(rejection.response.body), status: 403 };
  return { status: 403, headers, body: JSON.stringify(body) };
};

/** The routes of the owner cases. */
export const OWNER_CONFORMANCE_ROUTES: readonly ConformanceRoute[] = Object.freeze([
  { path: "/o/read", auth: { scopes: ["task:read"] } },
  { path: "/o/write", auth: { scopes: ["task:write"] } },
  { path: "/o/ip", auth: { trustedIpHeader: "x-real-ip" } },
  { path: "/o/ip-forwarded", auth: { trustedIpHeader: "X-Forwarded-For" } },
  { path: "/o/legacy", auth: { scopes: ["task:read"], onReject: legacyForbiddenOnInvalid } },
]);

interface Org {
  id: string;
  role: "reader" | "writer";
}

const ROLES = { reader: ["task:read"], writer: ["task:read", "task:write"] } as const;
const INITIAL: Record<string, Org["role"] | null> = { org_w: "writer", org_d: "writer", org_x: null };

const KEYS = {
  writer: { ownerId: "org_w", scopes: ["task:read", "task:write"] },
  downgraded: { ownerId: "org_d", scopes: ["task:read", "task:write"] },
  inactive: { ownerId: "org_x", scopes: ["task:read"] },
  broken: { ownerId: "org_broken", scopes: ["task:read"] },
  ipv4: { scopes: ["task:read"], allowedIps: ["203.0.113.0/24"] },
  ipv6: { scopes: ["task:read"], allowedIps: ["2001:db8::/32"] },
} satisfies Record<string, CreateKeyInput>;

/** Names of the keys of {@link OwnerFixture}. */
export type OwnerKeyName = keyof typeof KEYS;

/** The keyward, its keys and its owner directory. */
export interface OwnerFixture {
  readonly setup: ConformanceSetup;
  readonly tokens: Readonly<Record<OwnerKeyName, string>>;
  readonly keys: Readonly<Record<OwnerKeyName, ApiKey>>;
  /** Changes an owner's role (or deactivates it with null) and invalidates it. */
  setRole(ownerId: string, role: Org["role"] | null): Promise<void>;
  /** Puts every owner back to its first role. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Creates the owner fixture (memory store, real clock). */
export async function createOwnerFixture(): Promise<OwnerFixture> {
  const roles = new Map(Object.entries(INITIAL));
  const keyward = createKeyward({
    store: memoryStore(),
    prefix: "sk_test",
    scopes: ROLES,
    resolveOwner: async (id: string): Promise<Org | null> => {
      if (id === "org_broken") throw new Error("conformance: directory down");
      const role = roles.get(id);
      return role === undefined || role === null ? null : { id, role };
    },
    ownerScopes: (org) => [org.role],
  });
  const tokens: Partial<Record<OwnerKeyName, string>> = {};
  const keys: Partial<Record<OwnerKeyName, ApiKey>> = {};
  for (const [name, input] of Object.entries(KEYS) as [OwnerKeyName, CreateKeyInput][]) {
    const created = await keyward.create({ name, ...input } as never);
    tokens[name] = created.token;
    keys[name] = created.key;
  }
  const setRole = async (ownerId: string, role: Org["role"] | null) => {
    roles.set(ownerId, role);
    await keyward.invalidateOwner(ownerId);
  };
  return {
    setup: { keyward: keyward as unknown as Keyward, routes: OWNER_CONFORMANCE_ROUTES, groups: [] },
    tokens: tokens as Record<OwnerKeyName, string>,
    keys: keys as Record<OwnerKeyName, ApiKey>,
    setRole,
    async reset() {
      for (const [id, role] of Object.entries(INITIAL)) await setRole(id, role);
    },
    close: () => keyward.close(),
  };
}
