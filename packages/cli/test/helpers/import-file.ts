import { createHash } from "node:crypto";
import { generateToken } from "@keyward/core";

/** A generated import file and what importing it must report. */
export interface GeneratedImport {
  text: string;
  lines: number;
  expected: { imported: number; skipped: number; failedLines: number[] };
  /** Tokens whose keys the file imports (as plaintext or as their SHA-256). */
  tokens: { plaintext: string[]; hashed: string[] };
}

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/**
 * Builds a JSONL import file of exactly `lines` lines: mostly fresh keys (plaintext tokens and
 * SHA-256 hashes, alternating), every 20th line a duplicate of an earlier key, every 50th a
 * malformed line of one of several kinds.
 */
export function generateJsonlImport(lines: number, prefix = "sk"): GeneratedImport {
  const out: string[] = [];
  const plaintext: string[] = [];
  const hashed: string[] = [];
  const failedLines: number[] = [];
  let imported = 0;
  let skipped = 0;
  const malformed = [
    () => "{not json",
    () => JSON.stringify({ name: "neither token nor sha256" }),
    () => JSON.stringify({ sha256: "abc123" }),
    () => JSON.stringify({ token: generateToken(prefix), scopes: ["no scope here"] }),
    () => JSON.stringify({ token: generateToken(prefix), expires_at: "next tuesday" }),
    () => JSON.stringify({ token: generateToken(prefix), sha256: sha256("x") }),
    () => "[1,2,3]",
  ];
  for (let line = 1; line <= lines; line++) {
    if (line % 50 === 0) {
      out.push(malformed[(line / 50) % malformed.length]!());
      failedLines.push(line);
    } else if (line % 20 === 0 && plaintext.length > 0) {
      const index = line % plaintext.length;
      out.push(
        line % 40 === 0
          ? JSON.stringify({ token: plaintext[index] })
          : JSON.stringify({ sha256: sha256(plaintext[index]!) }),
      );
      skipped++;
    } else {
      const token = generateToken(prefix);
      const base = {
        name: `legacy ${line}`,
        owner: `org_${line % 7}`,
        scopes: ["task:read"],
        metadata: { line },
      };
      if (line % 2 === 0) {
        hashed.push(token);
        out.push(JSON.stringify({ ...base, sha256: sha256(token) }));
      } else {
        plaintext.push(token);
        out.push(JSON.stringify({ ...base, token }));
      }
      imported++;
    }
  }
  return {
    text: `${out.join("\n")}\n`,
    lines,
    expected: { imported, skipped, failedLines },
    tokens: { plaintext, hashed },
  };
}
