/** The audit as a Markdown report: totals, budgets with directory shares, largest files and functions, TS depth. */
import type { AuditReport } from "./auditReport.js";
import type { FunctionSize } from "./functionsOf.js";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const cell = (s: string | number) => String(s).replace(/\|/g, "\\|");

/** A Markdown table. */
export function mdTable(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ].join("\n");
}

const functionRows = (fns: readonly FunctionSize[]) =>
  fns.map((f) => [`\`${f.file}:${f.line}\``, `\`${f.name}\``, f.code]);

/** Renders `report` as Markdown. */
export function auditMarkdown(report: AuditReport): string {
  const t = report.totals;
  const out: string[] = [
    `# Code-size audit of \`${report.root}\``,
    "",
    `${t.files} files: ${t.code} code, ${t.comment} comment, ${t.blank} blank lines (counted by cloc 1.96's rules).`,
    "",
    mdTable(
      ["language", "files", "code", "comment", "blank"],
      report.byLanguage.map((l) => [l.language, l.files, l.code, l.comment, l.blank]),
    ),
  ];
  for (const target of report.targets) {
    const verdict = target.overruns.length === 0 ? "within budget" : `**${target.overruns.length} overrun(s)**`;
    out.push("", `## Target \`${target.target}\`: ${target.code} / ${target.limit} code lines, ${verdict}`, "");
    out.push(
      mdTable(
        ["directory", "code", "share"],
        target.byDirectory.map((d) => [`\`${d.dir}\``, d.code, pct(d.share)]),
      ),
    );
    out.push(
      "",
      mdTable(
        ["largest file", "code"],
        target.largestFiles.map((f) => [`\`${f.file}\``, f.code]),
      ),
    );
    if (target.largestFunctions.length > 0)
      out.push("", mdTable(["largest function at", "name", "code"], functionRows(target.largestFunctions)));
    if (target.overruns.length > 0) out.push("", ...target.overruns.map((o) => `- overrun: ${o}`));
  }
  out.push(
    "",
    "## Largest files",
    "",
    mdTable(
      ["file", "language", "code"],
      report.largestFiles.map((f) => [`\`${f.file}\``, f.language, f.code]),
    ),
  );
  if (report.largestFunctions.length > 0)
    out.push("", "## Largest functions", "", mdTable(["at", "name", "code"], functionRows(report.largestFunctions)));
  if (report.typescript !== undefined) out.push("", ...tsSection(report));
  return `${out.join("\n")}\n`;
}

function tsSection(report: AuditReport): string[] {
  const d = report.typescript;
  if (d === undefined) return [];
  const out = [
    "## TypeScript depth",
    "",
    `${d.files} files; functions per file median ${d.functionsPerFile.median}, p90 ${d.functionsPerFile.p90}, max ${d.functionsPerFile.max}; function code lines median ${d.functionCode.median}, p90 ${d.functionCode.p90}, max ${d.functionCode.max}.`,
    "",
    mdTable(
      ["longest function at", "name", "code", "complexity"],
      d.functions.slice(0, 10).map((f) => [`\`${f.file}:${f.line}\``, `\`${f.name}\``, f.code, f.complexity]),
    ),
    "",
    mdTable(
      ["most complex function at", "name", "complexity", "code"],
      [...d.functions]
        .sort((a, b) => b.complexity - a.complexity)
        .slice(0, 10)
        .map((f) => [`\`${f.file}:${f.line}\``, `\`${f.name}\``, f.complexity, f.code]),
    ),
    "",
    `### Dead code: ${d.removable} code lines could go`,
    "",
    d.entries.length === 0
      ? "No entry points found (package.json `bin`/`main`/`exports`): dead code not analysed."
      : `Entry points: ${d.entries.map((e) => `\`${e}\``).join(", ")}. Tests and benches do not keep code alive.`,
  ];
  if (d.deadFiles.length > 0)
    out.push(
      "",
      mdTable(
        ["unreachable file", "code"],
        d.deadFiles.map((f) => [`\`${f.file}\``, f.code]),
      ),
    );
  if (d.unusedExports.length > 0)
    out.push(
      "",
      mdTable(
        ["export never imported", "at", "code saved"],
        d.unusedExports.map((e) => [`\`${e.name ?? ""}\``, `\`${e.file}:${e.line ?? 0}\``, e.code]),
      ),
    );
  return out;
}
