import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { parseC } from "../../../proofs/csource/cParser.js";
import { cSourceMap } from "../../../proofs/csource/cSourceMap.js";
import { macroElementCounts } from "../../../proofs/csource/macroElementCounts.js";
import { initCParser } from "../../../proofs/index.js";

/** How one array element is written: positionally, designated, at an explicit index, or as half of a two-element macro. */
type Form = "positional" | "designated" | "indexed" | "indexed-after-gap" | "macro" | "comment-then-positional";

interface Rendered {
  readonly source: string;
  readonly bytes: Uint8Array;
  /** Expected 1-based line of each memory region, and the macro it came from. */
  readonly expected: { line: number; macro?: string }[];
}

/** A cell configuration in C with the regions written in the given forms, and its descriptor bytes. */
function render(forms: readonly Form[]): Rendered {
  const lines = [
    "#define TWO_REGIONS(s) { .phys_start = (s) }, \\",
    "\t{ .phys_start = (s) + 0x1000 }",
    "struct { struct jailhouse_cell_desc cell; __u64 cpus[1]; struct jailhouse_memory regions[64]; } config = {",
    "\t.cell = {",
    '\t\t.name = "prop",',
    "\t\t.cpu_set_size = sizeof(config.cpus),",
    "\t\t.num_memory_regions = ARRAY_SIZE(config.regions),",
    "\t},",
    "\t.cpus = { 0x1 },",
    "\t.regions = {",
  ];
  const expected: { line: number; macro?: string }[] = [];
  for (const form of forms) {
    const at = lines.length + 1;
    const index = expected.length;
    if (form === "positional") lines.push(`\t\t{ 0x${(index * 0x1000).toString(16)}, 0, 0x1000, 1 },`);
    if (form === "comment-then-positional") lines.push("\t\t/* note */", `\t\t{ 0x${index.toString(16)}000 },`);
    if (form === "designated") lines.push("\t\t{", `\t\t\t.phys_start = 0x${index.toString(16)}000,`, "\t\t},");
    if (form === "indexed") lines.push(`\t\t[${index}] = { .size = 0x1000 },`);
    if (form === "macro") lines.push(`\t\tTWO_REGIONS(0x${index.toString(16)}000),`);
    // A skipped index is zero-filled: nothing initializes it, so it maps to the array's initializer.
    if (form === "indexed-after-gap") {
      lines.push(`\t\t[${index + 1}] = { .size = 0x1000 },`);
      expected.push({ line: 10 });
    }
    const line = form === "comment-then-positional" ? at + 1 : at;
    expected.push(form === "macro" ? { line, macro: "TWO_REGIONS" } : { line });
    if (form === "macro") expected.push({ line, macro: "TWO_REGIONS" });
  }
  lines.push("\t},", "};");
  const count = expected.length;
  const bytes = new Uint8Array(132 + 8 + count * 32);
  bytes.set(new TextEncoder().encode("JHCLL"));
  const view = new DataView(bytes.buffer);
  view.setUint32(48, 8, true);
  view.setUint32(52, count, true);
  return { source: lines.join("\n"), bytes, expected };
}

const form = fc.constantFrom<Form>(
  "positional",
  "designated",
  "indexed",
  "indexed-after-gap",
  "macro",
  "comment-then-positional",
);

describe("cSourceMap", () => {
  beforeAll(initCParser);

  it("maps every memory region's bytes to the line of its initializer, whatever form it is written in", () => {
    fc.assert(
      fc.property(fc.array(form, { minLength: 1, maxLength: 12 }), (forms) => {
        const r = render(forms);
        const root = parseC(r.source);
        if (!root) throw new Error("parser not initialised");
        const ranges = cSourceMap(root, r.bytes, macroElementCounts(root));
        r.expected.forEach((want, i) => {
          const offset = 140 + i * 32 + (i % 32);
          const hit = ranges.find((x) => x.start <= offset && offset < x.end);
          expect({
            i,
            line: hit ? hit.node.startPosition.row + 1 : undefined,
            element: hit?.element,
            macro: hit?.macro,
          }).toEqual({ i, line: want.line, element: `config.regions[${i}]`, macro: want.macro });
        });
      }),
    );
  });

  it("maps descriptor fields to their own initializers and the CPU set to .cpus", () => {
    const r = render(["positional"]);
    const root = parseC(r.source);
    if (!root) throw new Error("parser not initialised");
    const ranges = cSourceMap(root, r.bytes, macroElementCounts(root));
    const at = (offset: number) => ranges.find((x) => x.start <= offset && offset < x.end);
    expect([at(8)?.element, (at(8)?.node.startPosition.row ?? 0) + 1]).toEqual(["config.cell.name", 5]);
    expect([at(53)?.element, (at(53)?.node.startPosition.row ?? 0) + 1]).toEqual(["config.cell.num_memory_regions", 7]);
    expect([at(44)?.element, (at(44)?.node.startPosition.row ?? 0) + 1]).toEqual(["config.cell.flags", 4]);
    expect([at(133)?.element, (at(133)?.node.startPosition.row ?? 0) + 1]).toEqual(["config.cpus[0]", 9]);
  });
});
