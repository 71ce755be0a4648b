import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/fixtures/**", "node_modules/**"],
    globalSetup: ["test/globalSetup.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Both of CI's two cores: vitest's default (cores - 1) would run one test file at a time.
    maxWorkers: 2,
    reporters: ["default", "./test/summaryReporter.ts"],
    coverage: {
      provider: "v8",
      include: ["hypervisor/**/*.ts", "models/**/*.ts", "proofs/**/*.ts", "generators/**/*.ts"],
      reporter: ["text-summary", "json-summary"],
    },
  },
});
