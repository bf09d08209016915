import type { Keyward } from "@keyward/core";
import type { CliConfig } from "../config.js";
import type { CliIo } from "../io.js";
import type { OpenedStore } from "../store/open.js";

/** One command-line option: what `node:util` parseArgs needs, plus what `--help` shows. */
export interface OptionSpec {
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
  /** Placeholder shown in help, e.g. "<duration>". */
  value?: string;
  description: string;
}

/** The values parseArgs produced for a command line. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** What a command's `run` receives. */
export interface CommandContext {
  io: CliIo;
  values: OptionValues;
  positionals: string[];
  /** `--json`: print one JSON document on stdout. */
  json: boolean;
  config: CliConfig;
  /** Opens the store (running migrations first unless disabled); opened once per run. */
  openStore(options?: { migrate?: boolean }): Promise<OpenedStore>;
  /** A keyward instance over the store, configured like the application (prefix, pepper, presets). */
  keyward(): Promise<Keyward>;
  now(): number;
}

/** A leaf command such as `keys create` or `migrate`. */
export interface CommandSpec {
  /** Full name as typed: "keys create". */
  name: string;
  summary: string;
  /** Positional arguments as shown in the usage line, e.g. "<id>". */
  args?: string;
  positionals: { min: number; max: number };
  options: Record<string, OptionSpec>;
  /** Longer explanation for `--help`. */
  details?: string;
  examples?: string[];
  /** Whether the command reads the configuration and may open a store. @defaultValue true */
  usesStore?: boolean;
  /** Resolves to the exit code (0 when omitted). */
  run(context: CommandContext): Promise<number | undefined>;
}

/** Reads a string option. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/** Reads a repeatable string option (empty when not given). */
export function listOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  if (Array.isArray(value)) return value;
  return typeof value === "string" ? [value] : [];
}

/** Writes one JSON document on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
