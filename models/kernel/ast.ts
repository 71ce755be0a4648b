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
    case "forall":
    case "exists":
    case "choose":
    case "setMap":
    case "setFilter":
    case "fnDef":
      return [node.set, node.body];
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
