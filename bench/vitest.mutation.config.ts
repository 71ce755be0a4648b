/** The tests Stryker runs against each mutant of the core: the core's own suites, without the build or e2e runs. */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "test/hypervisor/core/cellCreate.test.ts",
      "test/hypervisor/core/management.test.ts",
      "test/hypervisor/core/pageTable.test.ts",
      "test/hypervisor/core/isolation.test.ts",
      "test/hypervisor/core/invariants.test.ts",
    ],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
