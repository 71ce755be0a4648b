/**
 * The safety argument as a GSN-style Mermaid flowchart: the top goal, one strategy over the
 * requirements, a goal per requirement, and its evidence as solutions. A requirement without
 * fresh, passing evidence is drawn as an undeveloped goal; supporting evidence is not drawn.
 */
import type { Traceability } from "./traceability.js";

const safe = (s: string) => s.replace(/["<>]/g, "'");

export function argumentDiagram(t: Traceability, subject: string): string {
  const lines = [
    "flowchart TD",
    `  G0["G0: ${safe(subject)} is acceptably free from interference"]`,
    '  S0[/"S0: argue over each isolation and management requirement"/]',
    "  G0 --> S0",
  ];
  const evidenceNodes = new Map<string, string>();
  t.rows.forEach((row, i) => {
    const g = `G${i + 1}`;
    const undeveloped = row.coverage !== "verified";
    lines.push(
      `  ${g}["${row.requirement.id}: ${safe(row.requirement.statement)}${undeveloped ? " (undeveloped)" : ""}"]`,
    );
    lines.push(`  S0 --> ${g}`);
    if (undeveloped) lines.push(`  class ${g} undeveloped`);
    for (const e of row.evidence) {
      let node = evidenceNodes.get(e.id);
      if (!node) {
        node = `E${evidenceNodes.size + 1}`;
        evidenceNodes.set(e.id, node);
        const stale = e.freshness === "stale";
        lines.push(`  ${node}(("${safe(e.id)}: ${e.result}${stale ? ", stale" : ""}"))`);
        if (e.result === "fail" && !stale) lines.push(`  class ${node} failed`);
        else if (e.result !== "pass" || stale) lines.push(`  class ${node} undeveloped`);
      }
      lines.push(`  ${g} --> ${node}`);
    }
  });
  lines.push("  classDef undeveloped stroke-dasharray: 5 5,fill:#fff3cd", "  classDef failed fill:#f8d7da");
  return lines.join("\n");
}
