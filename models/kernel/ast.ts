/**
 * The expression tree every consumer reads: the explicit-state checker compiles it to closures,
 * the TLA+ generator prints it, and an SMT encoder can translate it for fixed parameters. Nodes
 * are plain data (no closures), so a model is inspectable and serialisable.
 */
import type { Value } from "./values.js";

/** Built-in operators, named after their TLA+ meaning. */
export type OpName =
  | "and" // /\ (n-ary)
  | "or" // \/ (n-ary)
  | "not"
  | "implies"
  | "eq"
  | "neq"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  | "plus"
  | "minus"
  | "times"
  | "div" // \div
  | "mod" // %
  | "neg"
  | "range" // a..b
  | "in" // \in
  | "notin"
  | "union" // \cup
  | "intersect" // \cap
  | "setminus" // \
  | "subseteq"
  | "cardinality"
  | "setEnum" // {a, b, c}
  | "subsets" // SUBSET S
  | "bigUnion" // UNION S
  | "domain" // DOMAIN f
  | "len" // Len(s)
  | "append" // Append(s, e)
  | "head"
  | "tail"
  | "concat"; // \o

export type Node =
  | { readonly k: "lit"; readonly value: Value }
  /** A state variable of the current state. */
  | { readonly k: "var"; readonly name: string }
  /** A constant bound per run. */
  | { readonly k: "const"; readonly name: string }
  /** A bound name: quantifier or action parameter, LET definition. */
  | { readonly k: "bound"; readonly name: string }
  | { readonly k: "op"; readonly op: OpName; readonly args: readonly Node[] }
  | { readonly k: "if"; readonly cond: Node; readonly ifTrue: Node; readonly ifFalse: Node }
  | { readonly k: "case"; readonly arms: readonly (readonly [Node, Node])[]; readonly other?: Node }
  | { readonly k: "let"; readonly name: string; readonly def: Node; readonly body: Node }
  | { readonly k: "forall" | "exists"; readonly name: string; readonly set: Node; readonly body: Node }
  | { readonly k: "choose"; readonly name: string; readonly set: Node; readonly body: Node }
  /** `{body : name \in set}` */
  | { readonly k: "setMap"; readonly name: string; readonly set: Node; readonly body: Node }
  /** `{name \in set : body}` */
  | { readonly k: "setFilter"; readonly name: string; readonly set: Node; readonly body: Node }
  /** `[name \in set |-> body]` */
  | { readonly k: "fnDef"; readonly name: string; readonly set: Node; readonly body: Node }
  /** `[S -> T]` */
  | { readonly k: "fnSet"; readonly domain: Node; readonly range: Node }
  | { readonly k: "record"; readonly fields: readonly (readonly [string, Node])[] }
  | { readonly k: "tuple"; readonly elems: readonly Node[] }
  | { readonly k: "apply"; readonly fn: Node; readonly arg: Node }
  | { readonly k: "field"; readonly record: Node; readonly name: string }
  /** `[fn EXCEPT ![arg] = value]`, also for records (`![name]`) and tuples. */
  | { readonly k: "except"; readonly fn: Node; readonly arg: Node; readonly value: Node };

/** A node that binds `name` to each element of `set` in `body`: quantifiers, CHOOSE and the set and function formers. */
export type Binder = Extract<Node, { readonly set: Node; readonly body: Node }>;

export const isBinder = (node: Node): node is Binder => "set" in node && "body" in node;

/** Names a node refers to that are not bound inside it: variables and constants. */
export function referencedNames(node: Node, into: { vars: Set<string>; consts: Set<string> }): void {
  switch (node.k) {
    case "var":
      into.vars.add(node.name);
      return;
    case "const":
      into.consts.add(node.name);
      return;
    case "lit":
    case "bound":
      return;
    default:
      for (const child of children(node)) referencedNames(child, into);
  }
}

/** The direct sub-expressions of a node. */
export function children(node: Node): readonly Node[] {
  if (isBinder(node)) return [node.set, node.body];
  switch (node.k) {
    case "lit":
    case "var":
    case "const":
    case "bound":
      return [];
    case "op":
      return node.args;
    case "if":
      return [node.cond, node.ifTrue, node.ifFalse];
    case "case":
      return [...node.arms.flat(), ...(node.other ? [node.other] : [])];
    case "let":
      return [node.def, node.body];
    case "fnSet":
      return [node.domain, node.range];
    case "record":
      return node.fields.map((f) => f[1]);
    case "tuple":
      return node.elems;
    case "apply":
      return [node.fn, node.arg];
    case "field":
      return [node.record];
    case "except":
      return [node.fn, node.arg, node.value];
  }
}

/** `node` with its direct sub-expressions (in the order of {@link children}) replaced by `kids`. */
export function withChildren(node: Node, kids: readonly Node[]): Node {
  const at = (i: number) => kids[i] as Node;
  if (isBinder(node)) return { k: node.k, name: node.name, set: at(0), body: at(1) } as Binder;
  switch (node.k) {
    case "lit":
    case "var":
    case "const":
    case "bound":
      return node;
    case "op":
      return { k: "op", op: node.op, args: kids };
    case "if":
      return { k: "if", cond: at(0), ifTrue: at(1), ifFalse: at(2) };
    case "case": {
      const arms = node.arms.map((_, i) => [at(2 * i), at(2 * i + 1)] as const);
      return node.other ? { k: "case", arms, other: at(2 * arms.length) } : { k: "case", arms };
    }
    case "let":
      return { k: "let", name: node.name, def: at(0), body: at(1) };
    case "fnSet":
      return { k: "fnSet", domain: at(0), range: at(1) };
    case "record":
      return { k: "record", fields: node.fields.map(([name], i) => [name, at(i)] as const) };
    case "tuple":
      return { k: "tuple", elems: kids };
    case "apply":
      return { k: "apply", fn: at(0), arg: at(1) };
    case "field":
      return { k: "field", record: at(0), name: node.name };
    case "except":
      return { k: "except", fn: at(0), arg: at(1), value: at(2) };
  }
}

/** `node` with every free occurrence of the bound names in `values` replaced by their value. */
export function substitute(node: Node, values: ReadonlyMap<string, Value>): Node {
  if (node.k === "bound") {
    const v = values.get(node.name);
    return v === undefined ? node : { k: "lit", value: v };
  }
  const kids = children(node);
  if (kids.length === 0) return node;
  // A binder's own name shadows the substitution in its body (a LET's in its body only).
  const shadowed = (isBinder(node) || node.k === "let") && values.has(node.name);
  const inner = shadowed ? new Map([...values].filter(([name]) => name !== node.name)) : values;
  const body = kids.length - 1;
  const replaced = kids.map((c, i) => substitute(c, shadowed && i === body ? inner : values));
  return replaced.every((c, i) => c === kids[i]) ? node : withChildren(node, replaced);
}
