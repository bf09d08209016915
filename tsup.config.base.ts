import { defineConfig, type Options } from "tsup";

/**
 * The one build configuration every package shares: ESM + CJS + declarations for each
 * entry point. A package's own `tsup.config.ts` only names its entries, so moving to
 * another bundler later is a change to this file alone.
 */
export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}) {
  return defineConfig({
    entry,
    format: ["esm", "cjs"],
    // Declarations see the other workspace packages as a user does, through their built
    // dist/*.d.ts (pnpm builds dependencies first), not through the "@keyward/source"
    // condition: otherwise every package's declaration build type-checks all of core's
    // sources again. The emitted declarations are the same (they import those packages by name).
    dts: { compilerOptions: { customConditions: [] } },
    sourcemap: true,
    clean: true,
    target: "node20",
    platform: "node",
    splitting: false,
    treeshake: true,
    ...extra,
  });
}
