/** Prints one benchmark table to stdout, columns padded, numbers right-aligned. */
export function printTable(
  title: string,
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): void {
  const cells = [header, ...rows].map((row) => row.map((c) => (typeof c === "number" ? formatNumber(c) : c)));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: readonly string[]) =>
    row.map((c, i) => (/^[\d.,×x%-]+$/.test(c) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ");
  process.stdout.write(`\n## ${title}\n\n${line(cells[0] ?? [])}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n`);
  for (const row of cells.slice(1)) process.stdout.write(`${line(row)}\n`);
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString("en-US");
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(2);
}
