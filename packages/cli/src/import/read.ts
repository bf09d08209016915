import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import { CliError, UsageError } from "../errors.js";
import { parseCsvRecord } from "./csv.js";

/** The formats `keyward import` reads. */
export type ImportFormat = "csv" | "jsonl";

/** One record of an import file: its fields, or why the line could not be read. */
export type ImportRecord =
  | { line: number; fields: Record<string, unknown> }
  | { line: number; error: string };

/** An open import file: its records (read lazily, safe to pull from several workers) and progress. */
interface ImportSource {
  records: AsyncGenerator<ImportRecord>;
  /** Bytes read so far and the file size (0 for stdin), for the progress bar. */
  progress(): { read: number; total: number };
}

/**
 * Opens an import file (`-` for stdin); `shownAs` is its name as the user typed it, for errors. The format comes from `format`, else the extension
 * (`.csv`; `.jsonl`, `.ndjson`, `.json`), else the first non-blank line (`{` means JSONL).
 * Blank lines are skipped; line numbers are 1-based and count every physical line.
 *
 * @throws CliError when the file cannot be opened
 */
export async function openImportFile(
  path: string,
  shownAs: string,
  format: ImportFormat | undefined,
  stdin: NodeJS.ReadableStream,
): Promise<ImportSource> {
  let input: NodeJS.ReadableStream = stdin;
  let total = 0;
  if (path !== "-") {
    try {
      const handle = await open(path, "r");
      total = (await handle.stat()).size;
      input = handle.createReadStream({ encoding: "utf8" });
    } catch (error) {
      const code = (error as { code?: string }).code ?? "error";
      throw new CliError(`cannot read ${shownAs} (${code})`);
    }
  }
  const byExtension = /\.csv$/i.test(path)
    ? "csv"
    : /\.(jsonl|ndjson|json)$/i.test(path)
      ? "jsonl"
      : undefined;
  const state = { read: 0 };
  return {
    records: readRecords(input, format ?? byExtension, state),
    progress: () => ({ read: state.read, total }),
  };
}

async function* readRecords(
  input: NodeJS.ReadableStream,
  format: ImportFormat | undefined,
  state: { read: number },
): AsyncGenerator<ImportRecord> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let chosen = format;
  let header: string[] | null = null;
  let pending: { start: number; text: string } | null = null;
  try {
    for await (const raw of lines) {
      lineNumber++;
      state.read += Buffer.byteLength(raw) + 1;
      const line = lineNumber === 1 ? raw.replace(/^\uFEFF/, "") : raw;
      if (pending === null && line.trim() === "") continue;
      chosen ??= line.trimStart().startsWith("{") ? "jsonl" : "csv";
      if (chosen === "jsonl") {
        yield parseJsonLine(line, lineNumber);
        continue;
      }
      const start: number = pending?.start ?? lineNumber;
      const text: string = pending ? `${pending.text}\n${line}` : line;
      const parsed = parseCsvRecord(text);
      if ("incomplete" in parsed) {
        pending = { start, text };
        continue;
      }
      pending = null;
      if ("error" in parsed) {
        if (header === null) throw new UsageError(`import file header (line ${start}): ${parsed.error}`);
        yield { line: start, error: parsed.error };
        continue;
      }
      if (header === null) {
        header = checkHeader(parsed.fields, start);
        continue;
      }
      yield csvRecord(header, parsed.fields, start);
    }
    if (pending) yield { line: pending.start, error: "a quoted field is never closed" };
  } finally {
    lines.close();
  }
}

function parseJsonLine(line: string, lineNumber: number): ImportRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // JSON.parse messages quote the input, which may be a token: never pass them on.
    return { line: lineNumber, error: "not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { line: lineNumber, error: "must be a JSON object" };
  }
  return { line: lineNumber, fields: value as Record<string, unknown> };
}

/** Column names accepted in a CSV header (case-insensitive), mapped to the JSONL field names. */
const COLUMNS: Record<string, string> = {
  token: "token",
  sha256: "sha256",
  name: "name",
  owner: "owner",
  owner_id: "owner",
  ownerid: "owner",
  scopes: "scopes",
  expires_at: "expires_at",
  expiresat: "expires_at",
  metadata: "metadata",
  enabled: "enabled",
};

function checkHeader(fields: string[], line: number): string[] {
  const names = fields.map((field) => {
    const name = COLUMNS[field.trim().toLowerCase()];
    if (!name) {
      throw new UsageError(
        `import file header (line ${line}): unknown column ${JSON.stringify(field)}; expected token or sha256, ` +
          "and optionally name, owner, scopes, expires_at, metadata, enabled",
      );
    }
    return name;
  });
  if (!names.includes("token") && !names.includes("sha256")) {
    throw new UsageError(`import file header (line ${line}): needs a token or a sha256 column`);
  }
  return names;
}

function csvRecord(header: readonly string[], values: readonly string[], line: number): ImportRecord {
  if (values.length !== header.length) {
    return { line, error: `has ${values.length} fields, the header has ${header.length}` };
  }
  const fields: Record<string, unknown> = {};
  header.forEach((name, index) => {
    const value = values[index]!;
    if (value !== "") fields[name] = value;
  });
  return { line, fields };
}
