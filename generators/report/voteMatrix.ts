/**
 * The vote explorer's matrix as text and as the Markdown a safety engineer pastes into a design
 * review: one table per fault model (variants × properties), the legend, the recommendation and
 * each variant's first counterexample per property as a Mermaid sequence diagram.
 */
import type { TraceInput } from "../itf/index.js";
import { voteSequence } from "../mermaid/voteSequence.js";

export interface MatrixCell {
  readonly variant: string;
  readonly fault: string;
  readonly property: string;
  readonly verdict: "holds" | "violated" | "incomplete" | "n/a";
  readonly length?: number;
  readonly trace?: TraceInput;
}

export interface Named {
  readonly name: string;
  readonly summary?: string;
  readonly doc?: string;
}

export interface VoteMatrix {
  readonly system: string;
  readonly variants: readonly Named[];
  readonly faults: readonly Named[];
  readonly properties: readonly Named[];
  readonly cells: readonly MatrixCell[];
  readonly recommendation: string;
}

const mark = (c: MatrixCell | undefined): string =>
  !c ? "" : c.verdict === "holds" ? "holds" : c.verdict === "violated" ? `✗ ${c.length}` : c.verdict;

function table(m: VoteMatrix, fault: string): string[][] {
  return m.variants.map((v) => [
    v.name,
    ...m.properties.map((p) =>
      mark(m.cells.find((c) => c.variant === v.name && c.fault === fault && c.property === p.name)),
    ),
  ]);
}

export function voteMatrixText(m: VoteMatrix): string {
  const out = [`Vote protocols on ${m.system} ("✗ N": violated, shortest counterexample of N states)`, ""];
  for (const f of m.faults) {
    const rows = [["variant", ...m.properties.map((p) => p.name)], ...table(m, f.name)];
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
    out.push(`fault: ${f.name} (${f.summary ?? ""})`);
    for (const r of rows)
      out.push(
        r
          .map((x, i) => x.padEnd(widths[i] ?? 0))
          .join("  ")
          .trimEnd(),
      );
    out.push("");
  }
  out.push(m.recommendation, "");
  return out.join("\n");
}

export function voteMatrixMarkdown(m: VoteMatrix): string {
  const out = [
    "# Management-vote protocols compared",
    "",
    `System: ${m.system}. Each entry is one exhaustive check of one property by Warden's model checker;`,
    "**✗ N** means violated, with a shortest counterexample of N states (diagrams below).",
    "",
    `**${m.recommendation}**`,
    "",
  ];
  for (const f of m.faults) {
    out.push(`## Fault model: ${f.name}`, "", f.summary ?? "", "");
    out.push(`| variant | ${m.properties.map((p) => p.name).join(" | ")} |`);
    out.push(`| --- | ${m.properties.map(() => "---").join(" | ")} |`);
    for (const r of table(m, f.name)) out.push(`| ${r.join(" | ")} |`);
    out.push("");
  }
  out.push("## Variants", "", ...m.variants.map((v) => `- **${v.name}**: ${v.summary ?? ""}`), "");
  out.push("## Properties", "", ...m.properties.map((p) => `- **${p.name}**: ${p.doc ?? ""}`), "");
  out.push("## Counterexamples", "", "The first fault model under which each variant violates each property.", "");
  for (const v of m.variants) {
    for (const p of m.properties) {
      const c = m.cells.find((x) => x.variant === v.name && x.property === p.name && x.verdict === "violated");
      if (!c?.trace) continue;
      out.push(
        `### ${v.name}: ${p.name} (fault ${c.fault}, ${c.length} states)`,
        "",
        "```mermaid",
        voteSequence(c.trace).trimEnd(),
        "```",
        "",
      );
    }
  }
  return `${out.join("\n")}\n`;
}
