/**
 * `warden audit`'s counter against cloc on the same tree in the same run (default /usr/include,
 * or WARDEN_AUDIT_TREE). Both count C, headers, assembly, Makefiles and TypeScript; totals per
 * language are compared, and the ratio is wall time of cloc over Warden's in-process count.
 */
import { spawnSync } from "node:child_process";
import { auditTree } from "../proofs/index.js";
import { printTable } from "./table.js";

export default async function bench(): Promise<void> {
  const tree = process.env.WARDEN_AUDIT_TREE ?? "/usr/include";
  let t0 = performance.now();
  const files = auditTree(tree);
  const warden = performance.now() - t0;
  t0 = performance.now();
  const r = spawnSync(
    "cloc",
    ["--json", "--quiet", "--skip-uniqueness", "--include-lang=C,C/C++ Header,Assembly,make,TypeScript", tree],
    {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    },
  );
  const cloc = performance.now() - t0;
  if (r.status !== 0) {
    process.stderr.write("cloc is not installed: nothing to compare against\n");
    return;
  }
  const theirs = JSON.parse(r.stdout) as Record<string, { code: number; comment: number; blank: number }>;
  const sum = (k: "code" | "comment" | "blank") => files.reduce((s, f) => s + f[k], 0);
  const sumC = theirs.SUM ?? { code: 0, comment: 0, blank: 0 };
  printTable(
    `audit of ${tree}`,
    ["tool", "files", "code", "comment", "blank", "ms", "ratio"],
    [
      ["warden", files.length, sum("code"), sum("comment"), sum("blank"), warden, "1.00"],
      [
        "cloc",
        (sumC as { nFiles?: number }).nFiles ?? 0,
        sumC.code,
        sumC.comment,
        sumC.blank,
        cloc,
        (cloc / warden).toFixed(2),
      ],
    ],
  );
}
