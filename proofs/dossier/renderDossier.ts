/** The dossier as JSON, Markdown and one self-contained HTML page (Mermaid inlined, works offline). */
import type { EvidenceItem } from "./evidence.js";
import type { Traceability } from "./traceability.js";

export interface Dossier {
  readonly title: string;
  readonly generated: string;
  readonly warden: string;
  readonly config: { readonly files: readonly string[]; readonly hash: string };
  readonly verdict: "verified" | "not verified";
  readonly evidence: readonly EvidenceItem[];
  readonly traceability: Traceability;
  readonly diagrams: Readonly<Record<string, string>>;
  readonly residualRisk: readonly string[];
}

const mdCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function dossierMarkdown(d: Dossier): string {
  const out = [
    `# ${d.title}`,
    "",
    `Verdict: **${d.verdict}**. Generated ${d.generated} by Warden ${d.warden} from ${d.config.files.join(", ")} (configuration hash ${d.config.hash}).`,
    "",
    "## Traceability matrix",
    "",
    "| requirement | statement | coverage | evidence |",
    "| --- | --- | --- | --- |",
    ...d.traceability.rows.map(
      (r) =>
        `| ${r.requirement.id} | ${mdCell(r.requirement.statement)} | ${r.coverage} | ${r.evidence.map((e) => `${e.id} (${e.result})`).join("<br>")} |`,
    ),
    "",
    "## Evidence",
    "",
    "| id | result | detail | tool | params | ms | inputs | serves |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...d.evidence.map(
      (e) =>
        `| ${e.id} | ${e.result} | ${mdCell(e.detail)} | ${e.tool} | ${mdCell(JSON.stringify(e.params))} | ${e.ms.toFixed(0)} | ${Object.entries(
          e.inputs,
        )
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")} | ${(d.traceability.backward[e.id] ?? []).join(", ") || "orphan"} |`,
    ),
    "",
    ...Object.entries(d.diagrams).flatMap(([name, text]) => [`## ${name}`, "", "```mermaid", text, "```", ""]),
    "## Assumptions and residual risk",
    "",
    ...d.residualRisk.map((r) => `- ${r}`),
    "",
  ];
  return out.join("\n");
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function dossierHtml(d: Dossier, mermaidScript: string | undefined): string {
  const rows = d.traceability.rows
    .map(
      (r) =>
        `<tr class="${r.coverage}"><td>${r.requirement.id}</td><td>${esc(r.requirement.statement)}</td><td>${r.coverage}</td><td>${r.evidence
          .map((e) => `${esc(e.id)} (${e.result})`)
          .join("<br>")}</td></tr>`,
    )
    .join("\n");
  const evidence = d.evidence
    .map(
      (e) =>
        `<tr class="${e.result}"><td>${esc(e.id)}</td><td>${e.result}</td><td>${esc(e.detail)}</td><td>${esc(e.tool)}</td><td>${e.ms.toFixed(0)}</td><td>${esc(
          Object.entries(e.inputs)
            .map(([k, v]) => `${k} ${v}`)
            .join(", "),
        )}</td></tr>`,
    )
    .join("\n");
  const diagrams = Object.entries(d.diagrams)
    .map(([name, text]) => `<h2>${esc(name)}</h2>\n<pre class="mermaid">\n${esc(text)}\n</pre>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(d.title)}</title>
<style>
body{font-family:sans-serif;margin:2em;max-width:80em} table{border-collapse:collapse;margin:1em 0} td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;font-size:90%}
tr.fail,tr.failing{background:#f8d7da} tr.inconclusive,tr.incomplete{background:#fff3cd} .verdict{font-size:130%;font-weight:bold}
</style></head><body>
<h1>${esc(d.title)}</h1>
<p class="verdict" id="verdict">Verdict: ${d.verdict}</p>
<p>Generated ${esc(d.generated)} by Warden ${esc(d.warden)} from ${esc(d.config.files.join(", "))} (configuration hash ${d.config.hash}).</p>
<h2>Traceability matrix</h2>
<table id="matrix"><thead><tr><th>requirement</th><th>statement</th><th>coverage</th><th>evidence</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Evidence</h2>
<table id="evidence"><thead><tr><th>id</th><th>result</th><th>detail</th><th>tool</th><th>ms</th><th>inputs</th></tr></thead><tbody>
${evidence}
</tbody></table>
${diagrams}
<h2>Assumptions and residual risk</h2>
<ul>${d.residualRisk.map((r) => `<li>${esc(r)}</li>`).join("")}</ul>
${mermaidScript ? `<script>${mermaidScript.replace(/<\/script/gi, "<\\/script")}</script>\n<script>mermaid.initialize({startOnLoad:true,securityLevel:"strict"});</script>` : "<p>(Mermaid was not available: diagrams are shown as source.)</p>"}
</body></html>
`;
}
