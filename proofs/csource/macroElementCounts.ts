import type { Node } from "web-tree-sitter";
import { parseC } from "./cParser.js";

/** Named children of an initializer list that are elements (comments are not). */
export const elementsOf = (list: Node): Node[] =>
  list.namedChildren.filter((c): c is Node => c !== null && c.type !== "comment");

/**
 * How many array elements each macro of `root` expands to, e.g. upstream's
 * JAILHOUSE_SHMEM_NET_REGIONS(start, id) gives four memory regions. Counted by parsing the
 * macro's body as the inside of an initializer list.
 */
export function macroElementCounts(root: Node): Map<string, number> {
  const counts = new Map<string, number>();
  for (const def of [...root.descendantsOfType("preproc_function_def"), ...root.descendantsOfType("preproc_def")]) {
    if (!def) continue;
    const name = def.childForFieldName("name")?.text;
    const body = def.childForFieldName("value")?.text.replace(/\\\r?\n/g, "\n");
    if (!name || !body) continue;
    const list = parseC(`int warden_x[] = { ${body} };`)?.descendantsOfType("initializer_list")[0];
    if (list) counts.set(name, Math.max(1, elementsOf(list).length));
  }
  return counts;
}
