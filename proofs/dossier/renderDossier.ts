/** The dossier as JSON, Markdown and one self-contained HTML page (Mermaid inlined, works offline). */
import type { EvidenceItem } from "./evidenceItem.js";
import type { Traceability } from "./traceability.js";

export interface Dossier {
  readonly title: string;
  readonly generated: string;
  readonly warden: string;
  readonly config: { readonly files: readonly string[]; readonly hash: string };
  readonly verdict: "verified" | "not verified";
  /** How many items this run produced, reused from the cache, found stale, or could not run. */
  readonly freshness: {
    readonly new: number;
    readonly reused: number;
    readonly stale: number;
    readonly notRun: number;
  };
  readonly evidenceCache: string;
  readonly evidence: readonly EvidenceItem[];
  readonly traceability: Traceability;
  readonly diagrams: Readonly<Record<string, string>>;
  readonly residualRisk: readonly string[];
}

/** Where a counterexample's ITF trace is written, relative to the dossier. */
export const itfPath = (id: string) => `counterexamples/${id.replace(/[^A-Za-z0-9.+-]/g, "_")}.itf.json`;

/** "new", "reused, fresh (date)" or "STALE: inputs changed (date)". */
export function freshnessLabel(e: EvidenceItem): string {
  if (e.freshness === "stale") return `STALE: ${(e.changedInputs ?? []).join(", ")} changed (produced ${e.producedAt})`;
  if (e.freshness === "reused") return `reused, fresh (produced ${e.producedAt})`;
  return e.result === "not run" ? "not run" : `new (${e.producedAt})`;
}

const state = (e: EvidenceItem) => `${e.result}${e.freshness === "stale" ? ", stale" : ""}`;
const mdCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const inputsText = (e: EvidenceItem) =>
  Object.entries(e.inputs)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
const paramsText = (e: EvidenceItem) =>
  Object.entries(e.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
const counterexamples = (d: Dossier) => d.evidence.filter((e) => e.counterexample);
const summary = (d: Dossier) => {
  const rows = d.traceability.rows;
  const f = d.freshness;
  return `${rows.filter((r) => r.coverage === "verified").length} of ${rows.length} requirements verified; ${d.evidence.length} evidence items: ${f.new} new, ${f.reused} reused (fresh), ${f.stale} stale, ${f.notRun} not run.`;
};

export function dossierMarkdown(d: Dossier): string {
  const out = [
    `# ${d.title}`,
    "",
    `Verdict: **${d.verdict}**. ${summary(d)}`,
    "",
    `Generated ${d.generated} by Warden ${d.warden} from ${d.config.files.join(", ")} (configuration hash ${d.config.hash}); evidence cache ${d.evidenceCache}.`,
    "",
    "## Traceability matrix",
    "",
    "| requirement | statement | coverage | evidence | supporting |",
    "| --- | --- | --- | --- | --- |",
    ...d.traceability.rows.map(
      (r) =>
        `| ${r.requirement.id} | ${mdCell(r.requirement.statement)} | ${r.coverage} | ${r.evidence.map((e) => `${e.id} (${state(e)})`).join("<br>")} | ${r.supporting.map((e) => `${e.id} (${state(e)})`).join("<br>")} |`,
    ),
    "",
    `Uncovered requirements: ${d.traceability.uncovered.join(", ") || "none"}. Orphan evidence: ${d.traceability.orphans.join(", ") || "none"}.`,
    "",
    "## Evidence",
    "",
    "| id | result | detail | freshness | tool | params | ms | inputs | serves |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...d.evidence.map(
      (e) =>
        `| ${e.id} | ${e.result} | ${mdCell(e.detail)} | ${mdCell(freshnessLabel(e))} | ${mdCell(e.tool)} | ${mdCell(paramsText(e))} | ${e.ms.toFixed(0)} | ${inputsText(e)} | ${(d.traceability.backward[e.id] ?? []).join(", ") || "orphan"} |`,
    ),
    "",
    ...(counterexamples(d).length
      ? [
          "## Counterexamples",
          "",
          ...counterexamples(d).flatMap((e) => [
            `### ${e.id}: ${e.title}`,
            "",
            "```",
            (e.counterexample?.text ?? "").trimEnd(),
            "```",
            "",
            ...(e.counterexample?.itf ? [`ITF trace: [${itfPath(e.id)}](${itfPath(e.id)})`, ""] : []),
            ...(e.counterexample?.sequence ? ["```mermaid", e.counterexample.sequence, "```", ""] : []),
          ]),
        ]
      : []),
    ...Object.entries(d.diagrams).flatMap(([name, text]) => [`## ${name}`, "", "```mermaid", text, "```", ""]),
    "## Assumptions and residual risk",
    "",
    ...d.residualRisk.map((r) => `- ${r}`),
    "",
  ];
  return out.join("\n");
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const mermaid = (text: string) => `<pre class="mermaid">\n${esc(text)}\n</pre>`;

export function dossierHtml(d: Dossier, mermaidScript: string | undefined): string {
  const item = (e: EvidenceItem) => `<a href="#ev-${esc(e.id)}">${esc(e.id)}</a> (${state(e)})`;
  const rows = d.traceability.rows
    .map(
      (r) =>
        `<tr class="${r.coverage}"><td>${r.requirement.id}</td><td>${esc(r.requirement.statement)}</td><td>${r.coverage}</td><td>${r.evidence
          .map(item)
          .join("<br>")}</td><td>${r.supporting.map(item).join("<br>")}</td></tr>`,
    )
    .join("\n");
  const evidence = d.evidence
    .map(
      (e) =>
        `<tr id="ev-${esc(e.id)}" class="${e.result === "not run" ? "notrun" : e.result}${e.freshness === "stale" ? " stale" : ""}"><td>${esc(e.id)}</td><td>${e.result}</td><td>${esc(e.detail)}</td><td class="freshness">${esc(freshnessLabel(e))}</td><td>${esc(e.tool)}</td><td>${esc(paramsText(e))}</td><td>${e.ms.toFixed(0)}</td><td class="hash">${esc(inputsText(e))}</td><td>${esc((d.traceability.backward[e.id] ?? []).join(", ") || "orphan")}</td></tr>`,
    )
    .join("\n");
  const cex = counterexamples(d)
    .map(
      (e) =>
        `<h3 id="cex-${esc(e.id)}">${esc(e.id)}: ${esc(e.title)}</h3>\n<pre class="cex">${esc(e.counterexample?.text ?? "")}</pre>${
          e.counterexample?.itf ? `\n<p>ITF trace: <a href="${esc(itfPath(e.id))}">${esc(itfPath(e.id))}</a></p>` : ""
        }${e.counterexample?.sequence ? `\n${mermaid(e.counterexample.sequence)}` : ""}`,
    )
    .join("\n");
  const diagrams = Object.entries(d.diagrams)
    .map(([name, text]) => `<h2>${esc(name)}</h2>\n${mermaid(text)}`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(d.title)}</title>
<style>
body{font-family:sans-serif;margin:2em;max-width:90em} table{border-collapse:collapse;margin:1em 0} td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;font-size:90%}
tr.fail,tr.failing{background:#f8d7da} tr.inconclusive,tr.incomplete,tr.notrun{background:#fff3cd} tr.stale{background:#e2d9f3} .verdict{font-size:130%;font-weight:bold}
td.hash{font-family:monospace;font-size:75%} pre.cex{background:#f6f6f6;padding:.5em;overflow-x:auto}
</style></head><body>
<h1>${esc(d.title)}</h1>
<p class="verdict" id="verdict">Verdict: ${d.verdict}</p>
<p id="summary">${esc(summary(d))}</p>
<p>Generated ${esc(d.generated)} by Warden ${esc(d.warden)} from ${esc(d.config.files.join(", "))} (configuration hash ${d.config.hash}); evidence cache ${esc(d.evidenceCache)}.</p>
<h2>Traceability matrix</h2>
<table id="matrix"><thead><tr><th>requirement</th><th>statement</th><th>coverage</th><th>evidence</th><th>supporting</th></tr></thead><tbody>
${rows}
</tbody></table>
<p>Uncovered requirements: ${esc(d.traceability.uncovered.join(", ") || "none")}. Orphan evidence: ${esc(d.traceability.orphans.join(", ") || "none")}.</p>
<h2>Evidence</h2>
<table id="evidence"><thead><tr><th>id</th><th>result</th><th>detail</th><th>freshness</th><th>tool</th><th>params</th><th>ms</th><th>inputs</th><th>serves</th></tr></thead><tbody>
${evidence}
</tbody></table>
${cex ? `<h2 id="counterexamples">Counterexamples</h2>\n${cex}` : ""}
${diagrams}
<h2>Assumptions and residual risk</h2>
<ul id="risk">${d.residualRisk.map((r) => `<li>${esc(r)}</li>`).join("")}</ul>
${mermaidScript ? `<script>${mermaidScript.replace(/<\/script/gi, "<\\/script")}</script>\n<script>mermaid.initialize({startOnLoad:true,securityLevel:"strict"});</script>` : "<p>(Mermaid was not available: diagrams are shown as source.)</p>"}
</body></html>
`;
}
