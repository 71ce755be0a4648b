/**
 * The interrupt-design comparison as text and as Markdown for a design review: the property
 * matrix (designs × properties, each an exhaustive model check), the cost table (the core's trap
 * and access counters per delivered interrupt over the same event sequences) and each violated
 * property's counterexample as the sequence of actions.
 */
import type { TraceInput } from "../itf/index.js";

export interface IrqMatrixCell {
  readonly design: string;
  readonly property: string;
  readonly verdict: "holds" | "violated" | "incomplete";
  readonly length?: number;
  readonly trace?: TraceInput;
}

export interface IrqCostRow {
  readonly scenario: string;
  readonly design: string;
  readonly events: number;
  readonly deliveries: number;
  readonly traps: number;
  readonly guestAccesses: number;
  readonly escaped: number;
  readonly refused: number;
  readonly lost: number;
}

interface Named {
  readonly name: string;
  readonly summary?: string;
  readonly doc?: string;
}

export interface IrqMatrix {
  readonly system: string;
  readonly designs: readonly Named[];
  readonly properties: readonly Named[];
  readonly scenarios: readonly Named[];
  readonly cells: readonly IrqMatrixCell[];
  readonly runs: readonly IrqCostRow[];
}

const mark = (c: IrqMatrixCell | undefined): string =>
  !c ? "" : c.verdict === "holds" ? "holds" : c.verdict === "violated" ? `✗ ${c.length}` : c.verdict;

const ratio = (n: number, d: number): string => (d === 0 ? "-" : (n / d).toFixed(2));

function propertyRows(m: IrqMatrix): string[][] {
  return [
    ["design", ...m.properties.map((p) => p.name)],
    ...m.designs.map((d) => [
      d.name,
      ...m.properties.map((p) => mark(m.cells.find((c) => c.design === d.name && c.property === p.name))),
    ]),
  ];
}

function costRows(m: IrqMatrix): string[][] {
  return [
    [
      "scenario",
      "design",
      "events",
      "delivered",
      "traps",
      "accesses",
      "traps/irq",
      "accesses/irq",
      "escaped",
      "refused",
      "lost",
    ],
    ...m.runs.map((r) => [
      r.scenario,
      r.design,
      String(r.events),
      String(r.deliveries),
      String(r.traps),
      String(r.guestAccesses),
      ratio(r.traps, r.deliveries),
      ratio(r.guestAccesses, r.deliveries),
      String(r.escaped),
      String(r.refused),
      String(r.lost),
    ]),
  ];
}

function aligned(rows: readonly string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) =>
    r
      .map((x, i) => x.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}

const markdownTable = (rows: readonly string[][]): string[] => {
  const [head, ...body] = rows;
  if (!head) return [];
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...body.map((r) => `| ${r.join(" | ")} |`),
  ];
};

export function irqMatrixText(m: IrqMatrix): string {
  return [
    `Interrupt designs on ${m.system} ("✗ N": violated, shortest counterexample of N states)`,
    "",
    ...aligned(propertyRows(m)),
    "",
    "Cost on the core's virtio unit (x86 formats), per scenario:",
    ...aligned(costRows(m)),
    "",
  ].join("\n");
}

export function irqMatrixMarkdown(m: IrqMatrix): string {
  const out = [
    "# Interrupt designs for virtio-mmio devices compared",
    "",
    `System: ${m.system}. Each verdict is one exhaustive check of one property by Warden's model checker`,
    "(LegacyIrq for the legacy line, VirtioMsi for the MSI designs); **✗ N** means violated, with a",
    "shortest counterexample of N states. The MSI register layout is Warden's own proposal, not a ratified",
    "virtio specification.",
    "",
    "## Properties",
    "",
    ...markdownTable(propertyRows(m)),
    "",
    ...m.properties.map((p) => `- **${p.name}**: ${p.doc ?? ""}`),
    "",
    "## Cost per delivered interrupt",
    "",
    "Measured by the core's counters (hypervisor traps, guest register accesses) over the same event",
    "sequences; setup (programming the vectors) is included.",
    "",
    ...markdownTable(costRows(m)),
    "",
    ...m.scenarios.map((s) => `- **${s.name}**: ${s.summary ?? ""}`),
    "",
    "## Designs",
    "",
    ...m.designs.map((d) => `- **${d.name}**: ${d.summary ?? ""}`),
    "",
    "## Counterexamples",
    "",
  ];
  for (const c of m.cells) {
    if (!c.trace) continue;
    out.push(`### ${c.design}: ${c.property} (${c.length} states)`, "");
    c.trace.steps.forEach((s, i) => {
      out.push(`${i}. ${s.action}${c.trace?.loop === i ? " (the loop starts here)" : ""}`);
    });
    out.push("");
  }
  return `${out.join("\n")}\n`;
}
