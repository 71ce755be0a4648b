/**
 * `warden audit` against cloc on the same tree in the same run (default /usr/include, or
 * WARDEN_AUDIT_TREE). Both count the same languages with the same file selection (cloc with
 * `--skip-uniqueness`, node_modules excluded, Warden's linker-script definition); totals must be
 * identical. Each side runs twice and keeps its faster run, so both see a warm file cache. The
 * ratio is cloc's wall time (a process) over Warden's in-process count; the full report (function
 * ranking) and the built CLI's wall time, process start included, are shown too.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { auditReport, auditTree } from "../proofs/index.js";
import { printTable } from "./table.js";

type Sum = { nFiles?: number; code: number; comment: number; blank: number };

function best<T>(run: () => T): { ms: number; value: T } {
  let out: { ms: number; value: T } | undefined;
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    const value = run();
    const ms = performance.now() - t0;
    if (out === undefined || ms < out.ms) out = { ms, value };
  }
  return out as { ms: number; value: T };
}

export default async function bench(): Promise<void> {
  const tree = process.env.WARDEN_AUDIT_TREE ?? "/usr/include";
  const def = join(mkdtempSync(join(tmpdir(), "audit-bench-")), "ld.def");
  writeFileSync(
    def,
    "Linker Script\n    filter call_regexp_common C\n    extension ld\n    extension lds\n    3rd_gen_scale 1.00\n",
  );
  const langs = "C,C/C++ Header,Assembly,make,TypeScript,Linker Script";
  const clocArgs = ["--json", "--quiet", "--skip-uniqueness", "--exclude-dir=node_modules", `--read-lang-def=${def}`];
  const cloc = best(() =>
    spawnSync("cloc", [...clocArgs, `--include-lang=${langs}`, tree], { encoding: "utf8", maxBuffer: 1 << 28 }),
  );
  if (cloc.value.status !== 0) {
    process.stderr.write("cloc is not installed: nothing to compare against (apt-get install cloc)\n");
    return;
  }
  const counted = best(() => auditTree(tree));
  const report = best(() => auditReport(tree, { functions: true }));
  const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
  const process_ = best(() => spawnSync(process.execPath, [cli, "audit", tree, "--json"], { maxBuffer: 1 << 30 }));
  const sum = (k: "code" | "comment" | "blank") => counted.value.reduce((s, f) => s + f[k], 0);
  const theirs = (JSON.parse(cloc.value.stdout) as { SUM?: Sum }).SUM ?? { nFiles: 0, code: 0, comment: 0, blank: 0 };
  const same =
    theirs.nFiles === counted.value.length &&
    theirs.code === sum("code") &&
    theirs.comment === sum("comment") &&
    theirs.blank === sum("blank");
  const ratio = (ms: number) => `${(cloc.ms / ms).toFixed(1)}×`;
  printTable(
    `audit of ${tree}: totals ${same ? "identical" : "DIFFER"}`,
    ["tool", "files", "code", "comment", "blank", "ms", "cloc / this"],
    [
      ["cloc 1.96", theirs.nFiles ?? 0, theirs.code, theirs.comment, theirs.blank, cloc.ms, "1.0×"],
      [
        "warden count (in process)",
        counted.value.length,
        sum("code"),
        sum("comment"),
        sum("blank"),
        counted.ms,
        ratio(counted.ms),
      ],
      [
        "warden report + functions",
        report.value.totals.files,
        report.value.totals.code,
        "",
        "",
        report.ms,
        ratio(report.ms),
      ],
      ["warden audit --json (CLI)", "", "", "", "", process_.ms, ratio(process_.ms)],
    ],
  );
  selfAudit();
}

/** Warden's own TypeScript depth (style guide point 1: the audit applied to Warden itself). */
function selfAudit(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const run = best(() => auditReport(root, { ts: true }));
  const d = run.value.typescript;
  if (d === undefined) return;
  printTable(
    "Warden's own TypeScript (warden audit --ts .)",
    ["files", "functions", "fn code median", "p90", "max", "dead files", "unused exports", "removable", "ms"],
    [
      [
        d.files,
        d.functions.length,
        d.functionCode.median,
        d.functionCode.p90,
        d.functionCode.max,
        d.deadFiles.length,
        d.unusedExports.length,
        d.removable,
        run.ms,
      ],
    ],
  );
}
