import { children, isBinder, type Node } from "./ast.js";

/** The state variables and the bound names (quantified, parameters, LET) a node reads from outside. */
export interface FreeInputs {
  readonly vars: ReadonlySet<string>;
  readonly bound: ReadonlySet<string>;
}

const cache = new WeakMap<Node, FreeInputs>();

export function freeInputs(node: Node): FreeInputs {
  const known = cache.get(node);
  if (known) return known;
  const vars = new Set<string>();
  const bound = new Set<string>();
  const walk = (n: Node, inner: ReadonlySet<string>): void => {
    switch (n.k) {
      case "var":
        vars.add(n.name);
        return;
      case "bound":
        if (!inner.has(n.name)) bound.add(n.name);
        return;
      case "let":
        walk(n.def, inner);
        walk(n.body, new Set([...inner, n.name]));
        return;
      default:
        if (isBinder(n)) {
          walk(n.set, inner);
          walk(n.body, new Set([...inner, n.name]));
        } else for (const c of children(n)) walk(c, inner);
    }
  };
  walk(node, new Set());
  const found = { vars, bound };
  cache.set(node, found);
  return found;
}

/**
 * `[S -> T]` and `SUBSET S`: sets consumers only test membership in, never enumerate, so a
 * closed one is not folded to its (possibly enormous) value.
 */
export const isHuge = (node: Node): boolean => node.k === "fnSet" || (node.k === "op" && node.op === "subsets");

/** Whether a node reads no state variable and no name bound outside it: its value is a constant. */
export const isClosedNode = (node: Node): boolean => {
  const f = freeInputs(node);
  return f.vars.size === 0 && f.bound.size === 0;
};
