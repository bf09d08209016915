import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const here = dirname(fileURLToPath(import.meta.url));

// Inside this repository the keyward packages are read from their TypeScript sources, so the
// app never runs against a stale or missing dist/ and needs no `pnpm build` first. An app that
// installs @keyward/* from npm needs none of this: delete `resolveAlias` and `webpack`.
const sources: Record<string, string> = {
  "@keyward/core": "../../packages/core/src/index.ts",
  // Every subpath too: a subpath read from dist/ would be a second copy of core's modules.
  "@keyward/core/http": "../../packages/core/src/subpaths/http.ts",
  "@keyward/core/edge": "../../packages/core/src/edge/index.ts",
  "@keyward/next": "../../packages/next/src/index.ts",
  "@keyward/react": "../../packages/react/src/index.ts",
};

const nextConfig: NextConfig = {
  turbopack: {
    // The monorepo root: the aliased sources live outside this app's directory.
    root: join(here, "../.."),
    // Relative to this app's directory. The sources' own `./x.js` imports of `./x.ts` resolve
    // because tsconfig.json says "moduleResolution": "nodenext".
    resolveAlias: sources,
  },
  // The same for `next build --webpack`, which needs extensionAlias for those `.js` imports.
  webpack(config) {
    for (const [name, file] of Object.entries(sources)) config.resolve.alias[`${name}$`] = join(here, file);
    config.resolve.extensionAlias = { ...config.resolve.extensionAlias, ".js": [".ts", ".tsx", ".js"] };
    return config;
  },
};

export default nextConfig;
