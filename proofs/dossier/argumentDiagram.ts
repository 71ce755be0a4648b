/**
 * The safety argument in GSN style as small Mermaid flowcharts that fit a page: the top goal with
 * one strategy over the requirements (drawn left to right, so the requirements stack downwards),
 * and per requirement its goal, its strategy and its evidence as solutions. A requirement that is
 * not proved or tested is an undeveloped goal; supporting evidence is drawn as context.
 */
import type { EvidenceItem } from "./evidenceItem.js";
import { strengthOf } from "./evidenceStrength.js";
import { isVerified, type Traceability, type TraceRow } from "./traceability.js";

const safe = (s: string) => s.replace(/["<>#;]/g, "'");
/** Mermaid wraps labels poorly; long statements are cut at a word near `max`. */
const short = (s: string, max = 70) => (s.length <= max ? s : `${s.slice(0, s.lastIndexOf(" ", max))} …`);
const classes = ["  classDef undeveloped stroke-dasharray: 5 5,fill:#fff3cd", "  classDef failed fill:#f8d7da"];

export function argumentDiagram(t: Traceability, subject: string): string {
  const lines = [
    "flowchart LR",
    `  G0["G0: ${safe(subject)} is acceptably free from interference"]`,
    '  S0[/"S0: argue over each isolation and management requirement"/]',
    "  G0 --> S0",
  ];
  t.rows.forEach((row, i) => {
    const g = `G${i + 1}`;
    lines.push(`  ${g}["${row.requirement.id}: ${row.status}"]`, `  S0 --> ${g}`);
    if (row.status === "failed") lines.push(`  class ${g} failed`);
    else if (!isVerified(row.status)) lines.push(`  class ${g} undeveloped`);
  });
  return [...lines, ...classes].join("\n");
}

const solution = (e: EvidenceItem) => {
  const s = strengthOf(e);
  return `"${safe(e.id)}: ${s === "failed" ? "FAILED" : s}"`;
};

/** One requirement's argument: goal, strategy (its rationale), solutions (its linked evidence). */
export function requirementArgument(row: TraceRow): string {
  const r = row.requirement;
  const lines = [
    "flowchart LR",
    `  G["${r.id}: ${safe(short(r.statement))}"]`,
    `  S[/"${safe(short(r.rationale, 60))}"/]`,
    "  G --> S",
  ];
  if (row.status === "failed") lines.push("  class G failed");
  else if (!isVerified(row.status)) lines.push("  class G undeveloped");
  row.evidence.forEach((e, i) => {
    lines.push(`  E${i}((${solution(e)}))`, `  S --> E${i}`);
    const s = strengthOf(e);
    if (s === "failed") lines.push(`  class E${i} failed`);
    else if (s !== "proved" && s !== "tested") lines.push(`  class E${i} undeveloped`);
  });
  row.supporting.forEach((e, i) => {
    lines.push(`  C${i}[("${safe(e.id)}: ${strengthOf(e)}")]`, `  G -. context .- C${i}`);
  });
  return [...lines, ...classes].join("\n");
}
