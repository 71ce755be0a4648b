/** Bound names a TLA+ expression uses without binding them itself (quantifier, set-former or LET names). */
import { children, isBinder, type Node } from "../../models/index.js";

const memo = new WeakMap<Node, ReadonlySet<string>>();

export function freeBound(node: Node): ReadonlySet<string> {
  const known = memo.get(node);
  if (known) return known;
  const free = new Set<string>();
  if (node.k === "bound") free.add(node.name);
  else if (isBinder(node) || node.k === "let") {
    // The binder's own name is bound in its body only, not in its set (or LET definition).
    const [outer, body] = isBinder(node) ? [node.set, node.body] : [node.def, node.body];
    for (const n of freeBound(outer)) free.add(n);
    for (const n of freeBound(body)) if (n !== node.name) free.add(n);
  } else for (const c of children(node)) for (const n of freeBound(c)) free.add(n);
  memo.set(node, free);
  return free;
}
