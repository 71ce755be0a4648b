import { describe, expect, it } from "vitest";
import { barChartSvg, escapeXml, lineChartSvg } from "../../../proofs/index.js";

const count = (s: string, re: RegExp) => s.match(re)?.length ?? 0;

describe("barChartSvg", () => {
  it("draws one rectangle per segment, a limit mark, and a red outline only for an overrun", () => {
    const svg = barChartSvg("t", [
      {
        label: "ok",
        segments: [
          { label: "a", value: 5 },
          { label: "b", value: 3 },
        ],
        limit: 10,
      },
      { label: "over", segments: [{ label: "a", value: 12 }], limit: 10 },
    ]);
    expect(count(svg, /<rect [^>]*fill="#[0-9a-f]{6}"/g)).toBe(3);
    expect(count(svg, /stroke="#d00"/g)).toBe(1);
    expect(count(svg, /<line /g)).toBe(2);
    expect(svg.startsWith("<svg xmlns")).toBe(true);
  });
  it("escapes labels so any directory name yields well-formed XML", () => {
    const svg = barChartSvg('a<b>&"c', [{ label: "x&y", segments: [{ label: "<d>", value: 1 }] }]);
    expect(svg).not.toMatch(/<b>|x&y|<d>/);
    expect(escapeXml(`<>&"'`)).toBe("&lt;&gt;&amp;&quot;&apos;");
  });
});

describe("lineChartSvg", () => {
  it("draws one polyline per series with a point per revision and a dashed limit", () => {
    const svg = lineChartSvg(
      "h",
      ["v1", "v2", "v3"],
      [
        { label: "x86", values: [1, 2, 3], limit: 5 },
        { label: "arm64", values: [2, 2, 2] },
      ],
    );
    expect(count(svg, /<polyline /g)).toBe(2);
    expect(count(svg, /<circle /g)).toBe(6);
    expect(count(svg, /stroke-dasharray/g)).toBe(1);
  });
});
