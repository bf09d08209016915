import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");

// The workspace packages are read from their TypeScript sources, so this app never runs
// against a stale (or missing) dist/: no `pnpm build` is needed first. A published app would
// simply install @keyward/* from npm and drop both aliases.
const sources = {
  "@keyward/core": "./packages/core/src/index.ts",
  "@keyward/next": "./packages/next/src/index.ts",
};

const nextConfig: NextConfig = {
  // No telemetry or font downloads: the build works offline.
  turbopack: {
    root,
    // Paths relative to this app's directory.
    resolveAlias: Object.fromEntries(Object.entries(sources).map(([name, file]) => [name, `../.${file}`])),
  },
  webpack(config) {
    config.resolve.alias = {
      ...config.resolve.alias,
      ...Object.fromEntries(Object.entries(sources).map(([name, file]) => [`${name}$`, join(root, file)])),
    };
    config.resolve.extensionAlias = { ".js": [".ts", ".js"] };
    return config;
  },
};

export default nextConfig;
