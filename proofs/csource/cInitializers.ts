import type { Node } from "web-tree-sitter";
import { elementsOf } from "./macroElementCounts.js";

/** Where an initializer element is written: the node to name, and the macro it came from if any. */
export interface Site {
  readonly node: Node;
  readonly macro?: string;
}

const designatorName = (d: Node): string | undefined =>
  d.type === "field_designator" ? d.text.replace(/^\./, "").trim() : undefined;

/** `.a.b = { … }` pairs of a struct initializer, by their first designator. */
export function fieldPairs(list: Node): Map<string, { pair: Node; value: Node; rest: string[] }> {
  const out = new Map<string, { pair: Node; value: Node; rest: string[] }>();
  for (const child of elementsOf(list)) {
    if (child.type !== "initializer_pair") continue;
    const names = child.childrenForFieldName("designator").flatMap((d) => (d ? [designatorName(d) ?? ""] : []));
    const value = child.childForFieldName("value");
    const [first, ...rest] = names;
    if (first && value && !out.has(first)) out.set(first, { pair: child, value, rest });
  }
  return out;
}

const literal = (n: Node | null | undefined): number | undefined => {
  const text = n?.text.trim().replace(/[uUlL]+$/, "");
  if (!text || !/^(0x[0-9a-f]+|0b[01]+|0[0-7]*|[1-9][0-9]*)$/i.test(text)) return undefined;
  return text.startsWith("0b") || text.startsWith("0B") ? Number.parseInt(text.slice(2), 2) : Number(text);
};

/**
 * The array elements an initializer list produces, in index order: positional elements, `[i] =`
 * and `[i ... j] =` designators, and macros standing for several elements (each of their elements
 * is sited at the macro).
 */
export function arraySites(list: Node, macroCounts: ReadonlyMap<string, number>): Site[] {
  const sites: Site[] = [];
  let index = 0;
  for (const child of elementsOf(list)) {
    let value = child;
    let span = 1;
    if (child.type === "initializer_pair") {
      const d = child.childrenForFieldName("designator")[0];
      const inner = d?.namedChildren.filter((c): c is Node => c !== null) ?? [];
      const from = literal(inner[0]);
      if (from !== undefined) index = from;
      const to = d?.type === "subscript_range_designator" ? literal(inner[1]) : undefined;
      if (to !== undefined && from !== undefined) span = to - from + 1;
      value = child.childForFieldName("value") ?? child;
    }
    const callee =
      value.type === "call_expression"
        ? value.childForFieldName("function")?.text
        : value.type === "identifier"
          ? value.text
          : undefined;
    const count = callee !== undefined ? (macroCounts.get(callee) ?? 1) : 1;
    const macro = count > 1 ? callee : undefined;
    for (let k = 0; k < span * count; k++) sites[index++] = { node: child, ...(macro ? { macro } : {}) };
  }
  return sites;
}
