import { resolve } from "node:path";
import { isKeywardError } from "@keyward/core";
import { CliError, redact, UsageError } from "../errors.js";
import { LineError, toImportInput } from "../import/normalize.js";
import { createProgress } from "../import/progress.js";
import { type ImportFormat, type ImportRecord, openImportFile } from "../import/read.js";
import { parsePositiveInt } from "../parse/values.js";
import { describeFailure } from "../report.js";
import { type CommandSpec, printJson, stringOption } from "./types.js";

/** How many failed lines the human summary lists one by one (JSON lists all). */
const SHOWN_FAILURES = 50;

interface Tally {
  imported: number;
  skipped: number;
  failures: { line: number; message: string }[];
}

/** `keyward import <file>`: brings existing keys in (plaintext tokens or their SHA-256). */
export const importCommand: CommandSpec = {
  name: "import",
  summary: "import existing keys from a CSV or JSONL file (plaintext tokens or SHA-256 hashes)",
  args: "<file|->",
  positionals: { min: 1, max: 1 },
  options: {
    format: {
      type: "string",
      value: "<csv|jsonl>",
      description: "file format (default: from the extension or content)",
    },
    concurrency: { type: "string", value: "<n>", description: "keys written in parallel (default 16)" },
  },
  details:
    "Each line holds a plaintext `token` or the `sha256` of one, and optionally name, owner, scopes,\n" +
    "expires_at (ISO 8601 or epoch ms), metadata (a JSON object) and enabled. CSV files start with a\n" +
    "header naming their columns. Keys already present are skipped; a bad line is reported by number and\n" +
    "never stops the others. Exits 1 when any line failed.",
  examples: [
    "keyward import legacy-keys.csv",
    "keyward import keys.jsonl --json",
    "gunzip -c keys.jsonl.gz | keyward import - --format jsonl",
  ],
  async run(context) {
    const { io, values } = context;
    const formatText = stringOption(values, "format");
    if (formatText !== undefined && formatText !== "csv" && formatText !== "jsonl") {
      throw new UsageError(`--format must be csv or jsonl, got ${JSON.stringify(formatText)}`);
    }
    const concurrency = parsePositiveInt(stringOption(values, "concurrency"), "--concurrency", 16, 256);
    const file = context.positionals[0]!;
    const source = await openImportFile(
      file === "-" ? file : resolve(io.cwd, file),
      file,
      formatText as ImportFormat | undefined,
      io.stdin,
    );
    // Read the header and the first record before touching the store: a file in the wrong
    // format fails at once, without waiting for a database.
    const head = await source.records.next();
    const keyward = await context.keyward();
    const presets = context.config.scopes;
    const tally: Tally = { imported: 0, skipped: 0, failures: [] };
    const progress = createProgress(io.stderr);

    const importOne = async (record: ImportRecord) => {
      if ("error" in record) {
        tally.failures.push({ line: record.line, message: record.error });
        return;
      }
      try {
        await keyward.import(toImportInput(record.fields, presets));
        tally.imported++;
      } catch (error) {
        if (isKeywardError(error, "conflict")) tally.skipped++;
        else if (
          error instanceof LineError ||
          error instanceof UsageError ||
          isKeywardError(error, "invalid_request")
        ) {
          tally.failures.push({
            line: record.line,
            message: redact((error as Error).message.replace(/^keyward:\s*/, "")),
          });
        } else if (error instanceof TypeError && error.message.startsWith("keyward:")) {
          tally.failures.push({
            line: record.line,
            message: redact(error.message.replace(/^keyward:\s*/, "")),
          });
        } else {
          throw Object.assign(error as Error, { importLine: record.line });
        }
      }
      const { read, total } = source.progress();
      progress.update(tally.imported + tally.skipped + tally.failures.length, total > 0 ? read / total : 0);
    };

    const worker = async () => {
      for (;;) {
        const next = await source.records.next();
        if (next.done) return;
        await importOne(next.value);
      }
    };
    try {
      if (!head.done) await importOne(head.value);
      await Promise.all(Array.from({ length: concurrency }, worker));
    } catch (error) {
      progress.finish();
      const line = (error as { importLine?: number }).importLine;
      if (line === undefined) throw error;
      const { message } = describeFailure(error);
      throw new CliError(`import stopped at line ${line} after ${tally.imported} imported: ${message}`);
    }
    progress.finish();
    tally.failures.sort((a, b) => a.line - b.line);

    const summary = `imported ${tally.imported}, skipped ${tally.skipped} (duplicates), failed ${tally.failures.length}`;
    if (context.json) {
      printJson(io, {
        imported: tally.imported,
        skipped: tally.skipped,
        failed: tally.failures.length,
        failures: tally.failures,
      });
    } else {
      for (const failure of tally.failures.slice(0, SHOWN_FAILURES)) {
        io.stdout.write(`line ${failure.line}: ${failure.message}\n`);
      }
      if (tally.failures.length > SHOWN_FAILURES) {
        io.stdout.write(
          `… and ${tally.failures.length - SHOWN_FAILURES} more failed lines (use --json to list all)\n`,
        );
      }
      io.stdout.write(`${summary}\n`);
      if (tally.failures.length > 0) {
        io.stdout.write(`failed lines: ${tally.failures.map((failure) => failure.line).join(", ")}\n`);
      }
    }
    if (tally.failures.length > 0) {
      throw new CliError(
        `${tally.failures.length} line${tally.failures.length === 1 ? "" : "s"} failed to import (listed on stdout)`,
      );
    }
    return 0;
  },
};
