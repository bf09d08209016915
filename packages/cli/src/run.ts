import { parseArgs } from "node:util";
import { createKeyward, type Keyward } from "@keyward/core";
import packageJson from "../package.json" with { type: "json" };
import { COMMON_OPTIONS, CONNECTION_OPTIONS } from "./commands/global-options.js";
import { COMMANDS, GROUPS } from "./commands/index.js";
import type { CommandContext, CommandSpec, OptionSpec, OptionValues } from "./commands/types.js";
import { type CliConfig, type ConfigFlags, loadConfig } from "./config.js";
import { redact, UsageError } from "./errors.js";
import { commandHelp, groupHelp, mainHelp } from "./help.js";
import { type CliIo, processIo } from "./io.js";
import { describeFailure } from "./report.js";
import { type OpenedStore, openStore } from "./store/open.js";

/** Options that take a value, across every command: needed to find the command words. */
const VALUE_OPTIONS = new Set(
  [CONNECTION_OPTIONS, ...COMMANDS.map((command) => command.options)].flatMap((options) =>
    Object.entries(options)
      .filter(([, spec]) => spec.type === "string")
      .map(([name]) => `--${name}`),
  ),
);

/**
 * Runs the `keyward` command line and resolves to its exit code: 0 on success, 2 for a usage
 * mistake, 1 for an operational failure. Failures are reported as one line on stderr
 * (`keyward: <message>`), never a stack trace unless `KEYWARD_DEBUG=1`. While it runs,
 * `console.warn` is captured: library warnings are printed (as `keyward: warning: …`) after a
 * successful command and dropped after a failed one, so that an error stays one line.
 *
 * @param argv - the arguments after the program name
 * @param io - streams, environment and working directory; the process's by default
 *
 * @example
 * const code = await run(["keys", "list", "--json"], { ...processIo(), cwd: "/srv/app" });
 */
export async function run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const cli: CliIo = { ...processIo(), ...io };
  const resources: { opened?: OpenedStore; keyward?: Keyward } = {};
  const debug = Boolean(cli.env.KEYWARD_DEBUG);
  // Library warnings (a failed invalidation publish, say) are held back: shown after a
  // successful command, dropped after a failed one so that the error stays a single line.
  const warnings: string[] = [];
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(" "));
  };
  let exitCode: number;
  try {
    exitCode = await dispatch(argv, cli, resources);
  } catch (error) {
    const failure = describeFailure(error);
    if (debug && error instanceof Error && error.stack) cli.stderr.write(`${redact(error.stack)}\n`);
    cli.stderr.write(`keyward: ${failure.message}\n`);
    exitCode = failure.exitCode;
  } finally {
    await closeQuietly(resources);
    console.warn = originalWarn;
  }
  if (exitCode === 0 || debug) {
    for (const warning of warnings)
      cli.stderr.write(`keyward: warning: ${redact(warning.replace(/^keyward:\s*/, ""))}\n`);
  }
  return exitCode;
}

async function dispatch(
  argv: readonly string[],
  io: CliIo,
  resources: { opened?: OpenedStore; keyward?: Keyward },
): Promise<number> {
  const words = commandWords(argv);
  const rest = argv.filter((_, index) => !words.some((word) => word.index === index));
  const wantsHelp = helpRequested(rest);
  let names = words.map((word) => word.value);
  if (names[0] === "help") names = names.slice(1);

  if (names.length === 0) {
    if (rest.includes("--version") || rest.includes("-v")) {
      io.stdout.write(`${packageJson.version}\n`);
      return 0;
    }
    if (rest.length > 0 && !wantsHelp) throw new UsageError(`missing command (see keyward --help)`);
    io.stdout.write(mainHelp());
    return 0;
  }
  const [first, second] = names as [string, string | undefined];
  if (GROUPS[first] !== undefined && second === undefined) {
    if (rest.length > 0 && !wantsHelp)
      throw new UsageError(`missing command after "${first}" (see keyward ${first} --help)`);
    io.stdout.write(groupHelp(first));
    return 0;
  }
  const name = GROUPS[first] !== undefined ? `${first} ${second}` : first;
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    const hint = GROUPS[first] !== undefined ? `keyward ${first} --help` : "keyward --help";
    throw new UsageError(`unknown command "${name}" (see ${hint})`);
  }
  if (wantsHelp || words[0]?.value === "help") {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  // Words beyond the command name are its positionals (e.g. the id of `keys get <id>`).
  const nameWords = words.slice(0, GROUPS[first] !== undefined ? 2 : 1);
  const args = argv.filter((_, index) => !nameWords.some((word) => word.index === index));
  const { values, positionals } = parseCommandLine(command, args);

  if (positionals.length < command.positionals.min) {
    throw new UsageError(
      `keyward ${command.name} needs ${command.args ?? "an argument"} (see keyward ${command.name} --help)`,
    );
  }
  if (positionals.length > command.positionals.max) {
    throw new UsageError(
      `too many arguments for keyward ${command.name} (see keyward ${command.name} --help)`,
    );
  }

  const config = await loadConfig(values as ConfigFlags, io.env, io.cwd);
  const context = createContext(io, values, positionals, config, resources);
  return (await command.run(context)) ?? 0;
}

function createContext(
  io: CliIo,
  values: OptionValues,
  positionals: string[],
  config: CliConfig,
  resources: { opened?: OpenedStore; keyward?: Keyward },
): CommandContext {
  let opening: Promise<OpenedStore> | undefined;
  const open = (migrate: boolean) => {
    opening ??= (async () => {
      const opened = await openStore(config.connection);
      resources.opened = opened;
      if (migrate && config.autoMigrate) await opened.migrate();
      return opened;
    })();
    return opening;
  };
  return {
    io,
    values,
    positionals,
    json: values.json === true,
    config,
    now: () => Date.now(),
    openStore: (options) => open(options?.migrate ?? true),
    async keyward() {
      if (resources.keyward) return resources.keyward;
      const { store } = await open(true);
      resources.keyward = createKeyward({
        store,
        cache: false,
        // An operator waits for a slow database rather than getting "unavailable" after 2 s.
        timeout: "30s",
        legacyTokens: config.legacyTokens,
        ...(config.prefix !== undefined && { prefix: config.prefix }),
        ...(config.pepper !== undefined && { pepper: config.pepper }),
        ...(config.scopes !== undefined && { scopes: config.scopes }),
      });
      return resources.keyward;
    },
  };
}

/** The command words (non-option arguments before any `--`), skipping option values. */
function commandWords(argv: readonly string[]): { index: number; value: string }[] {
  const words: { index: number; value: string }[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === "--") break;
    if (arg.startsWith("-") && arg !== "-") {
      if (VALUE_OPTIONS.has(arg)) index++;
      continue;
    }
    words.push({ index, value: arg });
  }
  return words;
}

function helpRequested(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

function parseCommandLine(
  command: CommandSpec,
  args: string[],
): { values: OptionValues; positionals: string[] } {
  const specs: Record<string, OptionSpec> = { ...CONNECTION_OPTIONS, ...COMMON_OPTIONS, ...command.options };
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      { type: spec.type, ...(spec.multiple && { multiple: true }), ...(spec.short && { short: spec.short }) },
    ]),
  );
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    for (const [name, spec] of Object.entries(specs)) {
      if (!spec.multiple && Array.isArray(parsed.values[name])) throw new UsageError(`--${name} given twice`);
    }
    return { values: parsed.values as OptionValues, positionals: parsed.positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(parseArgsMessage(error, command), { cause: error });
  }
}

function parseArgsMessage(error: unknown, command: CommandSpec): string {
  const code = (error as { code?: string }).code;
  const text = error instanceof Error ? error.message : String(error);
  const see = `(see keyward ${command.name} --help)`;
  const option = /'(-[^' ]+)/.exec(text)?.[1];
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${option ?? ""} for keyward ${command.name} ${see}`.replace(/\s+/g, " ");
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (text.includes("ambiguous")) {
        // `--expires -1d`: a value that starts with "-" reads as another option.
        const name = option ?? "the option";
        return `${name} needs a value; one that starts with "-" must be written ${name}=<value> ${see}`;
      }
      return text.includes("argument missing")
        ? `${option ?? "an option"} needs a value ${see}`
        : `${option ?? "an option"} does not take a value ${see}`;
    default:
      return `${text.split(". ")[0]} ${see}`;
  }
}

async function closeQuietly(resources: { opened?: OpenedStore; keyward?: Keyward }): Promise<void> {
  try {
    await resources.keyward?.close();
  } catch {
    // The command's outcome is already decided; a failing close must not change it.
  }
  try {
    await resources.opened?.close();
  } catch {
    // Same as above.
  }
}
