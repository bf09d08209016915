import { defineConfig } from "vitest/config";

// Unit tests resolve workspace packages to their TypeScript sources through the
// "@keyward/source" export condition, so no test ever runs against a stale dist/.
const conditions = ["@keyward/source", "module", "node", "development|production"];

const project = (name: string, extra: Record<string, unknown> = {}) => ({
  extends: true as const,
  test: { name, include: [`packages/${name}/test/**/*.test.ts`], ...extra },
});

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@keyward/source"] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      project("core"),
      project("express"),
      project("fastify"),
      project("next"),
      project("hono"),
      project("postgres"),
      // A throwaway 3-master Redis Cluster on 127.0.0.1:7101-7103 for the Cluster tests.
      project("redis", { globalSetup: ["packages/redis/test/cluster-setup.ts"] }),
      // Bundles the `keyward` executable from its sources once, for the spawned-binary tests.
      project("cli", { globalSetup: ["packages/cli/test/helpers/binary-setup.ts"] }),
      project("openapi"),
      {
        extends: true as const,
        // Each test file names its DOM (`// @vitest-environment happy-dom`).
        test: { name: "react", include: ["packages/react/test/**/*.test.{ts,tsx}"] },
      },
      { extends: true as const, test: { name: "examples", include: ["examples/*/test/**/*.test.ts"] } },
      { extends: true as const, test: { name: "packaging", include: ["test/packaging/**/*.test.ts"] } },
    ],
  },
});
