import { availableParallelism } from "node:os";
import { defaultExclude, defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// Unit tests resolve workspace packages to their TypeScript sources through the
// "@keyward/source" export condition, so no test ever runs against a stale dist/.
const conditions = ["@keyward/source", "module", "node", "development|production"];

/** Test files that mock a module (`vi.mock`): they get a fresh module graph of their own. */
const MOCKING = ["packages/core/test/token-sampling.test.ts"];

/**
 * Files whose run is mostly a long chain of waits — a `next build` then a browser, npm
 * installing the packed tarballs, one spawned CLI step after another on an embedded database,
 * real 1-second rate-limit windows. They start first, so that the rest runs beside them rather
 * than after them. Longest first; a file missing here only runs later, nothing else changes.
 */
const LONG_FIRST = [
  "test/packaging/packed.test.ts",
  "examples/next/test/settings.test.ts",
  "examples/next/test/next.test.ts",
  "packages/cli/test/lifecycle-pglite.test.ts",
  "packages/cli/test/lifecycle-postgres.test.ts",
  "packages/cli/test/import.test.ts",
  "packages/cli/test/hardening.test.ts",
  "packages/postgres/test/contract.test.ts",
  "packages/redis/test/contract.test.ts",
];

class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = LONG_FIRST.findIndex((path) => file.moduleId.endsWith(`/${path}`));
      return index === -1 ? LONG_FIRST.length : index;
    };
    // Array.prototype.sort is stable: the rest keeps vitest's own order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@keyward/source"] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Most files wait on PostgreSQL, Redis, child processes or real clocks rather than compute,
    // so more files run at once than there are cores (on this 2-core machine: 4 workers ran the
    // suite in about half the wall time of 1, at the same CPU).
    maxWorkers: Math.max(4, availableParallelism()),
    // A worker keeps the modules it loaded from one test file to the next instead of starting a
    // fresh process and module graph per file: that was about a third of the run's CPU time.
    // Every file uses its own random schema, prefix, port and temporary directory; a file
    // that mocks a module is listed in MOCKING and runs isolated.
    isolate: false,
    sequence: { sequencer: LongFirst },
    // Few projects on purpose: each one starts its own workers and loads its own module graph
    // (thirteen per-package projects cost ~35 s of CPU more than this). A project exists where
    // files need a setup of their own.
    projects: [
      {
        extends: true as const,
        test: {
          name: "default",
          include: [
            "packages/*/test/**/*.test.{ts,tsx}",
            "examples/*/test/**/*.test.ts",
            "test/packaging/**/*.test.ts",
          ],
          exclude: [...defaultExclude, "packages/redis/**", "packages/cli/**", ...MOCKING],
        },
      },
      // A throwaway 3-master Redis Cluster on 127.0.0.1:7101-7103 for the Cluster tests.
      {
        extends: true as const,
        test: {
          name: "redis",
          include: ["packages/redis/test/**/*.test.ts"],
          globalSetup: ["packages/redis/test/cluster-setup.ts"],
        },
      },
      // Bundles the `keyward` executable from its sources once, for the spawned-binary tests.
      {
        extends: true as const,
        test: {
          name: "cli",
          include: ["packages/cli/test/**/*.test.ts"],
          globalSetup: ["packages/cli/test/helpers/binary-setup.ts"],
        },
      },
      { extends: true as const, test: { name: "mocking", include: MOCKING, isolate: true } },
    ],
  },
});
