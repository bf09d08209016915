import { describe, expect, it } from "vitest";
import packageJson from "../package.json" with { type: "json" };
import { COMMANDS } from "../src/commands/index.js";
import { runCaptured } from "./helpers/cli.js";

const capture = (argv: string[]) => runCaptured(argv, "/nonexistent-keyward-cwd");

describe("--help and --version (programmatic run())", () => {
  it("prints the version from package.json", async () => {
    expect(await capture(["--version"])).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: "" });
  });

  it("lists every command in the main help", async () => {
    for (const argv of [[], ["--help"], ["-h"], ["help"]]) {
      const { code, stdout, stderr } = await capture(argv);
      expect(code).toBe(0);
      expect(stderr).toBe("");
      for (const command of COMMANDS) expect(stdout).toContain(`  ${command.name} `);
    }
  });

  it("lists the keys subcommands for `keyward keys`", async () => {
    const { code, stdout } = await capture(["keys", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: keyward keys <command>");
    expect(stdout).toContain("  keys rotate ");
  });

  it.each(COMMANDS.map((command) => [command.name]))(
    "has help for `%s` naming each of its options",
    async (name) => {
      const command = COMMANDS.find((candidate) => candidate.name === name)!;
      for (const argv of [
        [...name.split(" "), "--help"],
        ["help", ...name.split(" ")],
      ]) {
        const { code, stdout, stderr } = await capture(argv);
        expect(code).toBe(0);
        expect(stderr).toBe("");
        expect(stdout).toContain(`Usage: keyward ${name}`);
        for (const option of Object.keys(command.options)) expect(stdout).toContain(`--${option}`);
        if (command.usesStore !== false) expect(stdout).toContain("--database-url");
      }
    },
  );

  it("answers --help even next to options it would otherwise reject", async () => {
    const { code, stdout } = await capture(["keys", "create", "--bogus", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: keyward keys create");
  });
});
