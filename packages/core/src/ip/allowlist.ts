/**
 * Per-key IP allowlists: entries are IPv4 or IPv6 addresses or CIDR ranges
 * (`"203.0.113.0/24"`, `"2001:db8::/32"`), matched with Node's `net.BlockList`, which parses
 * every address itself and treats IPv4-mapped IPv6 (`::ffff:203.0.113.7`) as the IPv4 address
 * it carries, in both directions.
 */
import { BlockList, isIP } from "node:net";

/** Most entries one key may list. */
export const MAX_ALLOWED_IPS = 100;

/** Tests a client address against one key's allowlist. */
export type AllowlistCheck = (ip: string | undefined) => boolean;

type Family = "ipv4" | "ipv6";

const familyOf = (address: string): Family | null => {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : null;
};

/** Adds one entry to `list`; returns an error message, or null when it was added. */
function add(list: BlockList, entry: string): string | null {
  const slash = entry.indexOf("/");
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const family = familyOf(address);
  if (family === null || address.includes("%")) return "is not an IPv4 or IPv6 address or CIDR range";
  if (slash < 0) {
    list.addAddress(address, family);
    return null;
  }
  const bits = entry.slice(slash + 1);
  const max = family === "ipv4" ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `has a prefix length that is not 0 to ${max}`;
  list.addSubnet(address, Number(bits), family);
  return null;
}

/**
 * Checks an allowlist as given to `create` / `update`: a list of at most
 * {@link MAX_ALLOWED_IPS} addresses or CIDR ranges, or null. An empty list means "any
 * address", like null. Entries are trimmed and deduplicated, otherwise kept as written.
 *
 * @throws TypeError naming `field[index]` for an entry that is not an address or range
 */
export function resolveAllowedIps(value: unknown, field = "allowedIps"): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value))
    throw new TypeError(`keyward: "${field}" must be a list of IP addresses or CIDR ranges, or null`);
  if (value.length > MAX_ALLOWED_IPS)
    throw new TypeError(`keyward: "${field}" may list at most ${MAX_ALLOWED_IPS} entries`);
  const entries: string[] = [];
  const probe = new BlockList();
  value.forEach((raw: unknown, index) => {
    const entry = typeof raw === "string" ? raw.trim() : "";
    const problem = typeof raw !== "string" || entry === "" ? "must be a string" : add(probe, entry);
    if (problem !== null) throw new TypeError(`keyward: "${field}[${index}]" ${problem}`);
    if (!entries.includes(entry)) entries.push(entry);
  });
  return entries.length === 0 ? null : entries;
}

/**
 * Compiles a stored allowlist once (when its key is cached). The check answers false for a
 * missing or malformed address: a key with an allowlist never passes from an unknown place.
 */
export function compileAllowlist(entries: readonly string[]): AllowlistCheck {
  const list = new BlockList();
  for (const entry of entries) add(list, entry);
  return (ip) => {
    if (typeof ip !== "string") return false;
    const family = familyOf(ip);
    if (family === null) return false;
    try {
      return list.check(ip, family);
    } catch {
      return false;
    }
  };
}
