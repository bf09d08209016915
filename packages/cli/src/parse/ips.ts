/**
 * `--allow-ip` values: addresses or CIDR ranges, repeatable or comma-separated; `any` alone
 * lifts the allowlist. Each entry is checked by keyward itself (`net.BlockList`), which names
 * the bad one.
 */
import { UsageError } from "../errors.js";

/** The allowlist to store: a list of entries, or null for `any`. */
export function parseAllowedIps(values: readonly string[]): string[] | null {
  const entries = values.flatMap((value) => value.split(",")).map((entry) => entry.trim());
  const given = entries.filter((entry) => entry !== "");
  if (given.includes("any")) {
    if (given.length > 1) throw new UsageError("--allow-ip any lifts the allowlist; give it alone");
    return null;
  }
  if (given.length === 0) throw new UsageError("--allow-ip needs an address, a CIDR range or any");
  return given;
}
