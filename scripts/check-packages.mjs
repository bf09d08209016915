#!/usr/bin/env node
// Packaging checks for every publishable package: `publint --strict` on the package folder,
// then `attw` (are-the-types-wrong) on the tarball pnpm would publish. Run after `pnpm build`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const packagesDir = join(root, "packages");
const outDir = mkdtempSync(join(tmpdir(), "keyward-pack-"));
const bin = (name) => join(root, "node_modules", ".bin", name);
const failures = [];

function run(label, command, args, cwd) {
  try {
    execFileSync(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    console.log(`ok   ${label}`);
  } catch (error) {
    failures.push(label);
    console.log(`FAIL ${label}\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  }
}

try {
  for (const dir of readdirSync(packagesDir).sort()) {
    const cwd = join(packagesDir, dir);
    const manifest = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8"));
    if (manifest.private) continue;
    run(`${manifest.name}: publint --strict`, bin("publint"), ["--strict"], cwd);
    const packed = execFileSync("pnpm", ["pack", "--pack-destination", outDir], { cwd, encoding: "utf8" });
    const tarball = packed.trim().split("\n").pop();
    // node16 profile: CJS and ESM consumers under node16/nodenext and bundler resolution.
    // The node10 resolution mode cannot see subpath exports such as @keyward/core/testing.
    run(
      `${manifest.name}: attw`,
      bin("attw"),
      ["--profile", "node16", "--format", "table-flipped", tarball],
      cwd,
    );
  }
  // The edge entry runs where Node is not: nothing in its build may import a Node built-in
  // (the bundler writes them with or without the "node:" scheme).
  const specifiers = /(?:\bfrom\s*|\bimport\(\s*|\brequire\(\s*)["']([^"']+)["']/g;
  for (const file of ["edge.js", "edge.cjs"]) {
    const source = readFileSync(join(packagesDir, "core", "dist", file), "utf8");
    const builtins = [...source.matchAll(specifiers)]
      .map((match) => match[1])
      .filter((name) => name.startsWith("node:") || builtinModules.includes(name.split("/")[0]));
    if (builtins.length > 0) {
      failures.push(`@keyward/core/edge: ${file}`);
      console.log(`FAIL @keyward/core/edge: dist/${file} imports ${builtins.join(", ")}`);
    } else console.log(`ok   @keyward/core/edge: dist/${file} imports no Node built-in`);
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\n${failures.length} packaging check(s) failed: ${failures.join(", ")}`);
  process.exit(1);
}
console.log("\nall packaging checks passed");
