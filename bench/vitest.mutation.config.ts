/** The tests Stryker runs against each mutant of the core: the core's own suites and the directed vote conformance, without the build or e2e runs. */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "test/hypervisor/core/cellCreate.test.ts",
      "test/hypervisor/core/management.test.ts",
      "test/hypervisor/core/pageTable.test.ts",
      "test/hypervisor/core/isolation.test.ts",
      "test/hypervisor/core/invariants.test.ts",
      // Poll-level conformance against ManagementVote: sub-second, and it sees the exchange's order of tests.
      "test/proofs/refinement/vote.test.ts",
    ],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
