/**
 * Hand-written SVG charts (no browser or library): horizontal stacked bars with an optional limit
 * mark per bar, and a line chart over ordered points. Text is escaped; sizes are fixed so the
 * output is deterministic.
 */

/** One bar: stacked segments and an optional limit drawn as a vertical mark. */
export interface Bar {
  readonly label: string;
  readonly segments: readonly { readonly label: string; readonly value: number }[];
  readonly limit?: number;
}

const palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"];
const labelWidth = 180;
const plotWidth = 520;
const rowHeight = 26;

/** Escapes text for SVG content and attributes. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot", "'": "apos" }[c]};`);
}

/** A stacked horizontal bar chart; a bar whose total exceeds its limit is outlined in red. */
export function barChartSvg(title: string, bars: readonly Bar[]): string {
  const total = (b: Bar) => b.segments.reduce((s, x) => s + x.value, 0);
  const scaleMax = Math.max(1, ...bars.map((b) => Math.max(total(b), b.limit ?? 0)));
  const x = (v: number) => labelWidth + (v / scaleMax) * plotWidth;
  const height = 40 + bars.length * rowHeight + 20;
  const width = labelWidth + plotWidth + 90;
  const rows = bars.map((b, i) => {
    const y = 30 + i * rowHeight;
    let at = 0;
    const rects = b.segments.map((s, k) => {
      const r = `<rect x="${x(at).toFixed(1)}" y="${y}" width="${(x(at + s.value) - x(at)).toFixed(1)}" height="18" fill="${palette[k % palette.length]}"><title>${escapeXml(`${s.label}: ${s.value}`)}</title></rect>`;
      at += s.value;
      return r;
    });
    const over = b.limit !== undefined && total(b) > b.limit;
    const limit =
      b.limit === undefined
        ? ""
        : `<line x1="${x(b.limit).toFixed(1)}" x2="${x(b.limit).toFixed(1)}" y1="${y - 3}" y2="${y + 21}" stroke="#222" stroke-width="2"/>`;
    const outline = over
      ? `<rect x="${labelWidth}" y="${y}" width="${(x(total(b)) - labelWidth).toFixed(1)}" height="18" fill="none" stroke="#d00" stroke-width="2"/>`
      : "";
    const value = `${total(b)}${b.limit === undefined ? "" : ` / ${b.limit}`}`;
    return [
      `<text x="${labelWidth - 6}" y="${y + 14}" text-anchor="end">${escapeXml(b.label)}</text>`,
      ...rects,
      outline,
      limit,
      `<text x="${(Math.max(x(total(b)), b.limit === undefined ? 0 : x(b.limit)) + 6).toFixed(1)}" y="${y + 14}">${escapeXml(value)}</text>`,
    ].join("");
  });
  return svgDocument(width, height, title, rows);
}

/** A line chart: one polyline per series over the same ordered x labels. */
export function lineChartSvg(
  title: string,
  xLabels: readonly string[],
  series: readonly { readonly label: string; readonly values: readonly number[]; readonly limit?: number }[],
): string {
  const width = 760;
  const height = 360;
  const left = 70;
  const top = 40;
  const plotW = width - left - 170;
  const plotH = height - top - 70;
  const max = Math.max(1, ...series.flatMap((s) => [...s.values, s.limit ?? 0]));
  const x = (i: number) => left + (xLabels.length <= 1 ? plotW / 2 : (i / (xLabels.length - 1)) * plotW);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const parts: string[] = [
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#444"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#444"/>`,
    `<text x="${left - 6}" y="${top + 4}" text-anchor="end">${max}</text>`,
    `<text x="${left - 6}" y="${top + plotH}" text-anchor="end">0</text>`,
  ];
  xLabels.forEach((l, i) => {
    parts.push(
      `<text x="${x(i).toFixed(1)}" y="${top + plotH + 14}" text-anchor="end" transform="rotate(-35 ${x(i).toFixed(1)} ${top + plotH + 14})">${escapeXml(l)}</text>`,
    );
  });
  series.forEach((s, k) => {
    const color = palette[k % palette.length];
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    parts.push(`<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const [i, v] of s.values.entries())
      parts.push(
        `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${color}"><title>${escapeXml(`${s.label} @ ${xLabels[i] ?? ""}: ${v}`)}</title></circle>`,
      );
    if (s.limit !== undefined)
      parts.push(
        `<line x1="${left}" x2="${left + plotW}" y1="${y(s.limit).toFixed(1)}" y2="${y(s.limit).toFixed(1)}" stroke="${color}" stroke-dasharray="4 3"/>`,
      );
    parts.push(`<rect x="${left + plotW + 16}" y="${top + k * 18}" width="10" height="10" fill="${color}"/>`);
    parts.push(`<text x="${left + plotW + 32}" y="${top + 9 + k * 18}">${escapeXml(s.label)}</text>`);
  });
  return svgDocument(width, height, title, parts);
}

function svgDocument(width: number, height: number, title: string, body: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}
