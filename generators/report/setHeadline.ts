/** A configuration set in a few lines for one-screen summaries: the system, then each cell with its CPUs and vote settings. */
import { type SummaryInput, summaryData } from "./configSummary.js";

export function setHeadline(input: SummaryInput): string {
  const d = summaryData(input);
  const head = d.system ? [`System (${d.system.arch}) from ${d.system.file}`] : [];
  const width = Math.max(...d.cells.map((c) => c.name.length));
  return `${[...head, ...d.cells.map((c) => `  ${c.name.padEnd(width)}  ${c.role.padEnd(8)}  CPUs ${c.cpus}; ${c.vote}`)].join("\n")}\n`;
}
