/**
 * The dossier as JSON, Markdown and one self-contained HTML page (Mermaid and the memory map
 * inlined, works offline, no network requests). The page reads top-down as an assessor works: a
 * summary with the verdict per requirement and what is short, then one section per requirement
 * (statement, argument, evidence, what is short), the memory map, the evidence register,
 * counterexamples, diagrams, residual risk and document control; a sidebar lists the sections.
 */
import type { MemoryMapSvg } from "../../generators/index.js";
import type { DocumentControl } from "./documentControl.js";
import type { EvidenceItem } from "./evidenceItem.js";
import { budgetText, strengthOf } from "./evidenceStrength.js";
import type { ResidualRisk } from "./residualRisk.js";
import type { Shortfall } from "./shortfalls.js";
import { type DossierSurface, surfaceSectionHtml, surfaceSectionMarkdown } from "./surfaceSection.js";
import type { Status, Traceability, TraceRow } from "./traceability.js";

export interface Dossier {
  readonly title: string;
  readonly generated: string;
  readonly warden: string;
  /** Configuration files (relative paths) and the hash of what they decode to. */
  readonly config: { readonly files: readonly string[]; readonly hash: string };
  readonly system: {
    readonly arch: string;
    readonly cells: readonly {
      readonly name: string;
      readonly role: string;
      readonly file: string;
      readonly cpus: string;
      readonly vote: string;
    }[];
  };
  /** "verified" only when every requirement is proved or tested at the budget it demands. */
  readonly verdict: "verified" | "not verified";
  readonly shortfalls: readonly Shortfall[];
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
  /** The top of the GSN argument (goal, strategy, one goal per requirement) as a Mermaid flowchart. */
  readonly argument: string;
  /** Per requirement id, its GSN argument as a Mermaid flowchart. */
  readonly arguments: Readonly<Record<string, string>>;
  readonly memoryMap: MemoryMapSvg;
  /** Each cell's reachable surface (table and chart), when the surface evidence ran. */
  readonly surface?: DossierSurface;
  /** Further Mermaid diagrams by heading. */
  readonly diagrams: Readonly<Record<string, string>>;
  readonly residualRisk: ResidualRisk;
  readonly control: DocumentControl;
}

/** Where a counterexample's ITF trace is written, relative to the dossier. */
export const itfPath = (id: string) => `counterexamples/${id.replace(/[^A-Za-z0-9.+-]/g, "_")}.itf.json`;
/** The memory map, also written as its own file next to the dossier (Markdown links it). */
export const memoryMapFile = "memory-map.svg";

/** "new", "reused, fresh (date)" or "STALE: inputs changed (date)". */
export function freshnessLabel(e: EvidenceItem): string {
  if (e.freshness === "stale") return `STALE: ${(e.changedInputs ?? []).join(", ")} changed (produced ${e.producedAt})`;
  if (e.freshness === "reused") return `reused, fresh (produced ${e.producedAt})`;
  return e.result === "not run" ? "not run" : `new (${e.producedAt})`;
}

const statusWords: Readonly<Record<Status, string>> = {
  proved: "proved",
  tested: "tested",
  weak: "weaker than required",
  missing: "evidence missing",
  stale: "evidence stale",
  failed: "FAILED",
};

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
const count = (d: Dossier, s: Status) => d.traceability.rows.filter((r) => r.status === s).length;

export function summaryLine(d: Dossier): string {
  const rows = d.traceability.rows;
  const f = d.freshness;
  const statuses = (Object.keys(statusWords) as Status[])
    .filter((s) => count(d, s))
    .map((s) => `${count(d, s)} ${statusWords[s]}`)
    .join(", ");
  return `${rows.length} requirements: ${statuses}; ${d.evidence.length} evidence items: ${f.new} new, ${f.reused} reused (fresh), ${f.stale} stale, ${f.notRun} not run.`;
}

const evidenceStrength = (e: EvidenceItem) => {
  const budget = strengthOf(e) === "tested" ? budgetText(e) : undefined;
  return `${strengthOf(e)}${budget ? ` (${budget})` : ""}`;
};

export function dossierMarkdown(d: Dossier): string {
  const c = d.control;
  const out = [
    `# ${d.title}`,
    "",
    `Verdict: **${d.verdict}**. ${summaryLine(d)}`,
    "",
    "## Summary",
    "",
    `System (${d.system.arch}) from ${d.config.files.join(", ")}, configuration hash ${d.config.hash}.`,
    "",
    "| cell | role | CPUs | vote | file |",
    "| --- | --- | --- | --- | --- |",
    ...d.system.cells.map(
      (x) => `| ${mdCell(x.name)} | ${x.role} | ${x.cpus} | ${mdCell(x.vote)} | ${mdCell(x.file)} |`,
    ),
    "",
    "| requirement | status | statement |",
    "| --- | --- | --- |",
    ...d.traceability.rows.map(
      (r) =>
        `| [${r.requirement.id}](#${r.requirement.id.toLowerCase()}) | ${statusWords[r.status]} | ${mdCell(r.requirement.statement)} |`,
    ),
    "",
    ...(d.shortfalls.length
      ? [
          "What is short, and how to supply it:",
          "",
          ...d.shortfalls.map(
            (s) => `- ${s.blocking ? "" : "(cross-check) "}${s.what} (${s.requirements.join(", ")}): ${s.supply}.`,
          ),
          "",
        ]
      : ["Nothing is short: every requirement is proved or tested at its budget.", ""]),
    "## Safety argument",
    "",
    "```mermaid",
    d.argument,
    "```",
    "",
    "## Requirements",
    "",
    ...d.traceability.rows.flatMap((r) => [
      `### ${r.requirement.id}`,
      "",
      `${r.requirement.statement} **${statusWords[r.status]}**.`,
      "",
      `Argument: ${r.requirement.rationale}`,
      "",
      "| evidence | result | strength | detail |",
      "| --- | --- | --- | --- |",
      ...[...r.evidence, ...r.supporting].map(
        (e) =>
          `| ${e.id}${r.supporting.includes(e) ? " (supporting)" : ""} | ${e.result} | ${mdCell(evidenceStrength(e))} | ${mdCell(e.detail)} |`,
      ),
      "",
      ...(r.shortBecause.length ? [`Short: ${r.shortBecause.join("; ")}.`, ""] : []),
      "```mermaid",
      d.arguments[r.requirement.id] ?? "",
      "```",
      "",
    ]),
    "## Physical memory map",
    "",
    `![memory map](${memoryMapFile})`,
    "",
    ...(d.surface ? surfaceSectionMarkdown(d.surface) : []),
    "## Evidence",
    "",
    "| id | result | detail | freshness | tool | params | ms | inputs | serves |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...d.evidence.map(
      (e) =>
        `| ${e.id} | ${e.result} | ${mdCell(e.detail)} | ${mdCell(freshnessLabel(e))} | ${mdCell(e.tool)} | ${mdCell(paramsText(e))} | ${e.ms.toFixed(0)} | ${inputsText(e)} | ${(d.traceability.backward[e.id] ?? []).join(", ") || "orphan"} |`,
    ),
    "",
    `Orphan evidence (serves no requirement): ${d.traceability.orphans.join(", ") || "none"}.`,
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
    ...d.residualRisk.shortfalls.map((r) => `- ${r}`),
    "",
    "Findings about upstream Jailhouse:",
    "",
    ...d.residualRisk.upstream.map((r) => `- ${r}`),
    "",
    "Bounds of the argument:",
    "",
    ...d.residualRisk.bounds.map((r) => `- ${r}`),
    "",
    "## Document control",
    "",
    ...controlRows(c).map(([k, v]) => `- ${k}: ${v}`),
    "",
  ];
  return out.join("\n");
}

function controlRows(c: DocumentControl): [string, string][] {
  return [
    ["revision", `${c.revision}`],
    ["generated", c.generated],
    ["Warden", `${c.warden}${c.wardenCommit ? ` (commit ${c.wardenCommit})` : ""}`],
    ["configuration", `${c.configFiles.join(", ")}${c.configCommit ? ` (commit ${c.configCommit})` : ""}`],
    [
      "tools",
      Object.entries(c.tools)
        .map(([k, v]) => `${k} ${v}`)
        .join(", "),
    ],
    ["environment", c.environment],
  ];
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const mermaid = (text: string) => `<div class="diagram"><pre class="mermaid">\n${esc(text)}\n</pre></div>`;
const anchor = (id: string) => `req-${id}`;
const badge = (s: Status) => `<span class="badge ${s}">${statusWords[s]}</span>`;
const evidenceRef = (e: EvidenceItem) => `<a href="#ev-${esc(e.id)}">${esc(e.id)}</a>`;

function requirementSection(d: Dossier, r: TraceRow): string {
  const rows = [...r.evidence, ...r.supporting]
    .map(
      (e) =>
        `<tr class="${strengthOf(e)}"><td>${evidenceRef(e)}${r.supporting.includes(e) ? " <i>(supporting)</i>" : ""}</td><td>${e.result}</td><td>${esc(evidenceStrength(e))}</td><td>${esc(e.detail)}</td></tr>`,
    )
    .join("\n");
  return `<section class="requirement" id="${anchor(r.requirement.id)}">
<h3>${esc(r.requirement.id)} ${badge(r.status)}</h3>
<p class="statement">${esc(r.requirement.statement)}</p>
<p><b>Argument.</b> ${esc(r.requirement.rationale)}${r.requirement.budget ? ` Sampled evidence must run at least ${r.requirement.budget.runs} runs of ${r.requirement.budget.steps} steps.` : ""}</p>
<table class="wrap"><colgroup><col style="width:28%"><col style="width:9%"><col style="width:20%"><col></colgroup>
<thead><tr><th>evidence</th><th>result</th><th>strength</th><th>detail</th></tr></thead><tbody>
${rows}
</tbody></table>
${r.shortBecause.length ? `<p class="short"><b>Short:</b> ${esc(r.shortBecause.join("; "))}.</p>` : ""}
${mermaid(d.arguments[r.requirement.id] ?? "flowchart LR\n  G[no argument]")}
</section>`;
}

const css = `
*{box-sizing:border-box} body{font-family:system-ui,sans-serif;margin:0;color:#222;line-height:1.4}
nav#toc{position:fixed;top:0;left:0;bottom:0;width:230px;overflow-y:auto;background:#f4f5f7;border-right:1px solid #ddd;padding:1em;font-size:85%}
nav#toc a{color:#234;text-decoration:none} nav#toc ul{padding-left:1em;margin:.3em 0} nav#toc li{margin:.15em 0}
main{margin-left:230px;padding:1.5em 2em;max-width:1100px;min-width:0}
h1{font-size:150%;margin-top:0} h2{border-bottom:2px solid #ccd;padding-bottom:.2em;margin-top:2em} h3{margin-bottom:.3em}
table{border-collapse:collapse;margin:.8em 0;width:100%;table-layout:fixed} td,th{border:1px solid #ccc;padding:.3em .45em;vertical-align:top;font-size:88%;overflow-wrap:anywhere;word-break:break-word;text-align:left}
th{background:#eef0f4} .scroll{overflow-x:auto;max-width:100%;border:1px solid #e2e2e2;background:#fff}
.diagram{overflow-x:auto;max-width:100%;min-width:0;border:1px solid #eee;margin:.6em 0;padding:.3em}
.badge{display:inline-block;padding:.05em .55em;border-radius:.8em;font-size:80%;font-weight:600;vertical-align:middle;white-space:nowrap}
.badge.proved{background:#c9ecd0;color:#145a24} .badge.tested{background:#d4e6fb;color:#174a80} .badge.weak,.badge.missing,.badge.stale{background:#fff0c2;color:#6b5000} .badge.failed{background:#f8cdd0;color:#7d1a20}
tr.failed,tr.fail{background:#fbe3e5} tr.missing,tr.notrun,tr.inconclusive{background:#fff8e1} tr.stale{background:#efe8f8}
.verdict{font-size:125%;font-weight:bold;padding:.4em .7em;border-radius:.3em;display:inline-block} .verdict.verified{background:#c9ecd0} .verdict.not-verified{background:#fff0c2}
td.hash{font-family:monospace;font-size:72%} pre.cex{background:#f6f6f6;padding:.5em;overflow-x:auto;font-size:85%}
section.requirement{border-left:4px solid #ccd;padding-left:1em;margin:1.5em 0}
@media print{nav#toc{display:none} main{margin:0;max-width:none;padding:0} .diagram,.scroll{overflow:visible;border:none}
 .scroll svg{width:100%;height:auto} section.requirement{break-inside:avoid} h2{break-before:page} h2.first{break-before:auto} a{color:inherit;text-decoration:none}}
@page{size:A4;margin:16mm 12mm 18mm 12mm}
`;

export function dossierHtml(d: Dossier, mermaidScript: string | undefined): string {
  const rows = d.traceability.rows;
  const matrix = rows
    .map(
      (r) =>
        `<tr class="${r.status}"><td><a href="#${anchor(r.requirement.id)}">${r.requirement.id}</a></td><td>${badge(r.status)}</td><td>${esc(r.requirement.statement)}</td><td>${r.evidence.length} linked${r.supporting.length ? `, ${r.supporting.length} supporting` : ""}</td></tr>`,
    )
    .join("\n");
  const cells = d.system.cells
    .map(
      (c) =>
        `<tr><td>${esc(c.name)}</td><td>${c.role}</td><td>${esc(c.cpus)}</td><td>${esc(c.vote)}</td><td>${esc(c.file)}</td></tr>`,
    )
    .join("\n");
  const evidence = d.evidence
    .map(
      (e) =>
        `<tr id="ev-${esc(e.id)}" class="${e.result === "not run" ? "notrun" : e.result}${e.freshness === "stale" ? " stale" : ""}"><td>${esc(e.id)}</td><td>${e.result}</td><td>${esc(evidenceStrength(e))}</td><td>${esc(e.detail)}</td><td class="freshness">${esc(freshnessLabel(e))}</td><td>${esc(e.tool)}; ${esc(paramsText(e))}; ${e.ms.toFixed(0)} ms</td><td class="hash">${esc(inputsText(e))}</td><td>${esc((d.traceability.backward[e.id] ?? []).join(", ") || "orphan")}</td></tr>`,
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
    .map(([name, text], i) => `<h3 id="diagram-${i}">${esc(name)}</h3>\n${mermaid(text)}`)
    .join("\n");
  const list = (items: readonly string[]) => `<ul>${items.map((r) => `<li>${esc(r)}</li>`).join("")}</ul>`;
  const shortList = (blocking: boolean) =>
    d.shortfalls
      .filter((s) => s.blocking === blocking)
      .map((s) => `<li>${esc(s.what)} <i>(${esc(s.requirements.join(", "))})</i>: ${esc(s.supply)}.</li>`)
      .join("");
  const short = `<div id="shortfalls">${
    shortList(true)
      ? `<p><b>Not verified: what is short, and how to supply it.</b></p><ul>${shortList(true)}</ul>`
      : "<p>Every requirement is proved or tested at the budget it demands.</p>"
  }${shortList(false) ? `<p><b>Cross-checks that did not run</b> (the requirements stand without them):</p><ul>${shortList(false)}</ul>` : ""}</div>`;
  const toc = rows
    .map((r) => `<li><a href="#${anchor(r.requirement.id)}">${r.requirement.id}</a> ${badge(r.status)}</li>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(d.title)}</title>
<style>${css}</style></head><body>
<nav id="toc"><b>Contents</b><ul>
<li><a href="#summary">Summary</a></li><li><a href="#argument">Safety argument</a></li>
<li><a href="#requirements">Requirements</a><ul>${toc}</ul></li>
<li><a href="#memory-map">Physical memory map</a></li>${d.surface ? '<li><a href="#surface">Reachable surface</a></li>' : ""}<li><a href="#evidence-register">Evidence</a></li>
${cex ? '<li><a href="#counterexamples">Counterexamples</a></li>' : ""}<li><a href="#diagrams">Diagrams</a></li>
<li><a href="#risk">Residual risk</a></li><li><a href="#control">Document control</a></li></ul></nav>
<main>
<h1>${esc(d.title)}</h1>
<p class="verdict ${d.verdict.replace(" ", "-")}" id="verdict">Verdict: ${d.verdict}</p>
<p id="summary-line">${esc(summaryLine(d))}</p>
<h2 id="summary" class="first">Summary</h2>
<p>System (${esc(d.system.arch)}) from ${esc(d.config.files.join(", "))}; configuration hash <code>${d.config.hash}</code>; document revision ${d.control.revision}, Warden ${esc(d.warden)}.</p>
<table class="wrap"><colgroup><col style="width:18%"><col style="width:10%"><col style="width:12%"><col style="width:32%"><col></colgroup>
<thead><tr><th>cell</th><th>role</th><th>CPUs</th><th>vote</th><th>file</th></tr></thead><tbody>
${cells}
</tbody></table>
${short}
<table id="matrix"><colgroup><col style="width:17%"><col style="width:15%"><col><col style="width:15%"></colgroup>
<thead><tr><th>requirement</th><th>status</th><th>statement</th><th>evidence</th></tr></thead><tbody>
${matrix}
</tbody></table>
<h2 id="argument">Safety argument</h2>
<p>Top-level goal and strategy; each requirement's own argument (goal, strategy, solutions) is in its section.</p>
${mermaid(d.argument)}
<h2 id="requirements">Requirements</h2>
${rows.map((r) => requirementSection(d, r)).join("\n")}
<h2 id="memory-map">Physical memory map</h2>
<p>One lane per cell on the physical address axis (piecewise: spans grow with the logarithm of their size; unmapped ranges are elided as ⋯). Hatched parts of the root's lane were carved out for the cell named; amber is declared sharing, red an undeclared overlap${d.memoryMap.violations ? ` — <b>${d.memoryMap.violations} undeclared overlap${d.memoryMap.violations > 1 ? "s" : ""}</b>` : ""}. Hover a region for its descriptor and file location.</p>
<div class="scroll" id="memory-map-svg">${d.memoryMap.svg}</div>
${d.surface ? surfaceSectionHtml(d.surface, esc) : ""}
<h2 id="evidence-register">Evidence</h2>
<table id="evidence"><colgroup><col style="width:15%"><col style="width:6%"><col style="width:10%"><col style="width:19%"><col style="width:11%"><col style="width:14%"><col style="width:14%"><col></colgroup>
<thead><tr><th>id</th><th>result</th><th>strength</th><th>detail</th><th>freshness</th><th>tool, params, time</th><th>inputs</th><th>serves</th></tr></thead><tbody>
${evidence}
</tbody></table>
<p>Orphan evidence (serves no requirement): ${esc(d.traceability.orphans.join(", ") || "none")}.</p>
${cex ? `<h2 id="counterexamples">Counterexamples</h2>\n${cex}` : ""}
<h2 id="diagrams">Diagrams</h2>
${diagrams}
<h2 id="risk">Assumptions and residual risk</h2>
${d.residualRisk.shortfalls.length ? list(d.residualRisk.shortfalls) : "<p>No shortfall in this dossier's evidence.</p>"}
<h3>Findings about upstream Jailhouse</h3>
${list(d.residualRisk.upstream)}
<h3>Bounds of the argument</h3>
${list(d.residualRisk.bounds)}
<h2 id="control">Document control</h2>
<table class="wrap"><colgroup><col style="width:20%"><col></colgroup><tbody>
${controlRows(d.control)
  .map(([k, v]) => `<tr><th>${k}</th><td>${esc(v)}</td></tr>`)
  .join("\n")}
</tbody></table>
</main>
${mermaidScript ? `<script>${mermaidScript.replace(/<\/script/gi, "<\\/script")}</script>\n<script>mermaid.initialize({startOnLoad:true,securityLevel:"strict",flowchart:{useMaxWidth:false},sequence:{useMaxWidth:false}});</script>` : "<p>(Mermaid was not available: diagrams are shown as source.)</p>"}
</body></html>
`;
}
