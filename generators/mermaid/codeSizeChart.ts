/** A code-size budget as a Mermaid xychart: code lines per target as bars, each target's limit as a line. */
export interface SizeBar {
  readonly target: string;
  readonly code: number;
  readonly limit: number;
}

export function codeSizeChart(
  bars: readonly SizeBar[],
  title = "Code lines per budget target (bars) and limits (line)",
): string {
  const top = Math.max(1, ...bars.flatMap((b) => [b.code, b.limit]));
  const name = (s: string) => `"${s.replace(/"/g, "'")}"`;
  return [
    "xychart-beta",
    `  title ${name(title)}`,
    `  x-axis [${bars.map((b) => name(b.target)).join(", ")}]`,
    `  y-axis "code lines" 0 --> ${Math.ceil((top * 1.1) / 100) * 100}`,
    `  bar [${bars.map((b) => b.code).join(", ")}]`,
    `  line [${bars.map((b) => b.limit).join(", ")}]`,
  ].join("\n");
}
