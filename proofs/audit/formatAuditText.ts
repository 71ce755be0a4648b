/** The audit's plain-text summary for stdout. */
import type { AuditReport } from "./auditReport.js";

/** Lines of text summarising `report`: totals, each target with its top directories, overruns, TS depth. */
export function formatAuditText(report: AuditReport): string {
  const t = report.totals;
  const out = [`${t.files} files: ${t.code} code, ${t.comment} comment, ${t.blank} blank`];
  for (const l of report.byLanguage) out.push(`  ${l.language}: ${l.files} files, ${l.code} code`);
  for (const target of report.targets) {
    out.push(`${target.target}: ${target.code} / ${target.limit} code lines in ${target.files} files`);
    for (const d of target.byDirectory.slice(0, 5)) out.push(`  ${d.dir}: ${d.code} (${(d.share * 100).toFixed(1)}%)`);
    for (const f of target.largestFunctions.slice(0, 3))
      out.push(`  function ${f.name} (${f.file}:${f.line}): ${f.code}`);
  }
  const d = report.typescript;
  if (d !== undefined) {
    out.push(
      `TypeScript: ${d.files} files, function code median ${d.functionCode.median} / p90 ${d.functionCode.p90} / max ${d.functionCode.max}`,
    );
    const worst = [...d.functions].sort((a, b) => b.complexity - a.complexity)[0];
    if (worst !== undefined)
      out.push(`  most complex: ${worst.name} (${worst.file}:${worst.line}): ${worst.complexity}`);
    out.push(
      `  dead code: ${d.deadFiles.length} unreachable files, ${d.unusedExports.length} unused exports, ${d.removable} code lines removable`,
    );
  }
  for (const target of report.targets) for (const o of target.overruns) out.push(`[overrun] ${o}`);
  return `${out.join("\n")}\n`;
}
