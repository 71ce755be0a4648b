/**
 * Names the sub-expressions an action repeats, as a person writing TLA+ would with LET: the
 * model states each variable's update separately, so a condition that decides several updates
 * is printed once per update, and TLC (which has no common-subexpression elimination) evaluates
 * it once per copy. A LET definition is evaluated at most once per action instance.
 */
import { children, type Node } from "../../models/index.js";
import { freeBound } from "./freeBound.js";
import { tlaExpr } from "./tlaExpr.js";

export interface SharedDefinitions {
  /** `name == expression` in dependency order (a definition only uses earlier ones). */
  readonly defs: readonly (readonly [string, string])[];
  /** Prints a node of the action, using the names. */
  readonly print: (node: Node) => string;
}

/** Shorter repeated expressions (`state[c] = "RUN"`) are cheaper to repeat than to name. */
const minLength = 24;

/**
 * `roots` are the action's guard and updates; only expressions whose bound names are all in
 * `scope` (the action's parameters) can be named outside every quantifier.
 */
export function sharedSubexpressions(
  roots: readonly Node[],
  scope: ReadonlySet<string>,
  prefix: string,
): SharedDefinitions {
  const rawMemo = new Map<Node, string>();
  const raw = (node: Node): string => {
    let text = rawMemo.get(node);
    if (text === undefined) {
      text = tlaExpr(node, raw);
      rawMemo.set(node, text);
    }
    return text;
  };
  const eligible = (node: Node, text: string): boolean =>
    node.k !== "lit" &&
    node.k !== "var" &&
    node.k !== "const" &&
    node.k !== "bound" &&
    text.length >= minLength &&
    [...freeBound(node)].every((n) => scope.has(n));
  const chosen = new Map<string, Node>();
  for (;;) {
    const counts = new Map<string, { n: number; node: Node }>();
    const visit = (node: Node, isDefinition: boolean): void => {
      const text = raw(node);
      if (!isDefinition && chosen.has(text)) return;
      if (!isDefinition && eligible(node, text)) {
        const c = counts.get(text);
        if (c) c.n++;
        else counts.set(text, { n: 1, node });
      }
      for (const child of children(node)) visit(child, false);
    };
    for (const root of roots) visit(root, false);
    for (const node of chosen.values()) visit(node, true);
    // The longest first: naming it removes the copies of everything inside it.
    let best: [string, Node] | undefined;
    for (const [text, { n, node }] of counts)
      if (n >= 2 && (!best || text.length > best[0].length)) best = [text, node];
    if (!best) break;
    chosen.set(best[0], best[1]);
  }
  // A definition contains only shorter ones, so shortest first is a dependency order.
  const ordered = [...chosen].sort(([a], [b]) => a.length - b.length);
  const names = new Map(ordered.map(([text], i) => [text, `${prefix}${i + 1}`]));
  const named = (node: Node): string | undefined => (names.size === 0 ? undefined : names.get(raw(node)));
  const print = (node: Node): string => named(node) ?? tlaExpr(node, named);
  const defs = ordered.map(([text, node]) => [names.get(text) as string, tlaExpr(node, named)] as const);
  return { defs, print };
}
