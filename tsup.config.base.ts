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
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    platform: "node",
    splitting: false,
    treeshake: true,
    ...extra,
  });
}
