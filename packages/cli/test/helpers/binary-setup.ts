/**
 * Vitest globalSetup of the cli project: bundles the `keyward` executable from its sources once
 * per run (esbuild, a fraction of a second), so that every spawned-binary test starts plain
 * `node` on a bundle instead of node + tsx compiling and resolving some 200 modules through
 * loader hooks (~1 s of CPU per spawn, ~0.4 s this way).
 *
 * Like the published binary (tsup's dist/cli.js) it is ESM. The workspace packages are
 * bundled from their sources (the "@keyward/source" condition), so it is never stale and needs no
 * `pnpm build`; third-party packages stay outside it, imported from the very files Node would
 * pick for them (resolved here, from the package that imports them, and written as absolute paths).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The bundled `keyward` executable of this run: `node <it> <args>`. */
    keywardBinary: string;
  }
}

const ENTRY = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));

/** Leaves every non-workspace package to Node, at the path Node's own resolution gives. */
const thirdPartyExternal: Plugin = {
  name: "third-party-external",
  setup(bundler) {
    const again = Symbol("resolved by esbuild");
    bundler.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === again || args.path.startsWith("@keyward/") || args.path.startsWith("node:"))
        return undefined;
      const resolved = await bundler.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: again,
      });
      return resolved.errors.length > 0
        ? { errors: resolved.errors }
        : { path: resolved.path, external: true };
    });
  },
};

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), "keyward-cli-binary-"));
  await build({
    entryPoints: { keyward: ENTRY },
    outdir: dir,
    // .mjs: the folder has no package.json that says "module".
    outExtension: { ".js": ".mjs" },
    bundle: true,
    // What the CLI imports on demand (a store driver, an adapter for `routes`) stays in chunks
    // loaded on demand, as the published binary leaves those packages to be imported when needed.
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@keyward/source"],
    // Node reads "main" (and "exports"), never "module": pick what it would.
    mainFields: ["main"],
    logLevel: "warning",
    plugins: [thirdPartyExternal],
  });
  project.provide("keywardBinary", join(dir, "keyward.mjs"));
  return () => rmSync(dir, { recursive: true, force: true });
}
