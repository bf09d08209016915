import { COMMON_OPTIONS, CONNECTION_OPTIONS } from "./commands/global-options.js";
import { COMMANDS, GROUPS } from "./commands/index.js";
import type { CommandSpec, OptionSpec } from "./commands/types.js";

function optionLines(options: Record<string, OptionSpec>): string[] {
  const entries = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.value ? ` ${spec.value}` : ""}`;
    return [flag, spec.description] as const;
  });
  const width = Math.max(...entries.map(([flag]) => flag.length));
  return entries.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`);
}

function commandList(commands: readonly CommandSpec[]): string[] {
  const width = Math.max(...commands.map((command) => command.name.length));
  return commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
}

/** `keyward --help`. */
export function mainHelp(): string {
  return [
    "keyward — mint, list, rotate, revoke and import API keys",
    "",
    "Usage: keyward <command> [options]",
    "",
    "Commands:",
    ...commandList(COMMANDS),
    "",
    "Connection (every command; flags > environment > keyward.config.json > defaults):",
    ...optionLines(CONNECTION_OPTIONS),
    "",
    "Without --database-url or --redis-url, keys live in an embedded database in ./.keyward/.",
    "",
    "Other options:",
    ...optionLines({ ...COMMON_OPTIONS, version: { type: "boolean", description: "print the version" } }),
    "",
    "Run `keyward <command> --help` for a command's options. Set KEYWARD_DEBUG=1 to see stack traces.",
    "",
  ].join("\n");
}

/** `keyward keys --help`. */
export function groupHelp(group: string): string {
  const commands = COMMANDS.filter((command) => command.name.startsWith(`${group} `));
  return [
    `keyward ${group} — ${GROUPS[group]}`,
    "",
    `Usage: keyward ${group} <command> [options]`,
    "",
    "Commands:",
    ...commandList(commands),
    "",
    `Run \`keyward ${group} <command> --help\` for a command's options.`,
    "",
  ].join("\n");
}

/** `keyward keys create --help` and friends. */
export function commandHelp(command: CommandSpec): string {
  const lines = [
    `keyward ${command.name} — ${command.summary}`,
    "",
    `Usage: keyward ${command.name}${command.args ? ` ${command.args}` : ""} [options]`,
  ];
  if (command.details) lines.push("", command.details);
  if (Object.keys(command.options).length > 0) lines.push("", "Options:", ...optionLines(command.options));
  lines.push("", "Common options:", ...optionLines(COMMON_OPTIONS));
  if (command.usesStore !== false) lines.push("", "Connection options:", ...optionLines(CONNECTION_OPTIONS));
  if (command.examples?.length)
    lines.push("", "Examples:", ...command.examples.map((example) => `  ${example}`));
  lines.push("");
  return lines.join("\n");
}
