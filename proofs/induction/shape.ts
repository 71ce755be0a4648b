/**
 * The shape of a state variable for fixed parameters, read off its type (the `TypeOK` conjunct):
 * which SMT constants stand for it, and how a solver model maps back to a kernel value.
 */
import { type Node, setOf, type Value, valuesEqual } from "../../models/index.js";
import { type Env, encode } from "./encodeExpr.js";
import { concreteElems, EncodingError, mkFn, mkRec, mkSet, mkTup, type StringCodes, type Sym } from "./sym.js";

export type Shape =
  | { readonly k: "bool" }
  | { readonly k: "atom"; readonly dom: readonly Value[] }
  | { readonly k: "set"; readonly universe: readonly Value[] }
  | { readonly k: "fn"; readonly dom: readonly Value[]; readonly range: Shape }
  | { readonly k: "rec"; readonly names: readonly string[]; readonly fields: readonly Shape[] }
  | { readonly k: "tup"; readonly elems: readonly Shape[] };

/** The shape of the values of a type expression: `[D -> R]`, `SUBSET S`, or a set it can enumerate. */
export function shapeOfType(type: Node, env: Env): Shape {
  if (type.k === "fnSet") {
    return {
      k: "fn",
      dom: concreteElems(encode(type.domain, env), "a variable type's domain"),
      range: shapeOfType(type.range, env),
    };
  }
  if (type.k === "op" && type.op === "subsets") {
    return { k: "set", universe: concreteElems(encode(type.args[0] as Node, env), "a SUBSET type") };
  }
  return shapeOfValues(concreteElems(encode(type, env), "a variable's type"));
}

function shapeOfValues(values: readonly Value[]): Shape {
  if (values.length === 0) throw new EncodingError("a variable's type is empty");
  if (values.every((v) => typeof v === "boolean")) return { k: "bool" };
  if (values.every((v) => typeof v === "number" || typeof v === "string")) return { k: "atom", dom: values };
  const objects = values.filter((v) => typeof v === "object");
  if (objects.length === values.length) {
    const first = objects[0];
    if (objects.every((v) => v.kind === "set")) {
      return { k: "set", universe: setOf(objects.flatMap((v) => (v.kind === "set" ? v.elems : []))).elems };
    }
    if (first?.kind === "function" && objects.every((v) => v.kind === "function" && sameList(v.domain, first.domain))) {
      return {
        k: "fn",
        dom: first.domain,
        range: shapeOfValues(setOf(objects.flatMap((v) => (v.kind === "function" ? v.values : []))).elems),
      };
    }
    if (first?.kind === "record" && objects.every((v) => v.kind === "record" && sameList(v.names, first.names))) {
      return {
        k: "rec",
        names: first.names,
        fields: first.names.map((_, i) =>
          shapeOfValues(setOf(objects.map((v) => (v.kind === "record" ? v.values[i] : false) as Value)).elems),
        ),
      };
    }
    if (first?.kind === "tuple" && objects.every((v) => v.kind === "tuple" && v.elems.length === first.elems.length)) {
      return {
        k: "tup",
        elems: first.elems.map((_, i) =>
          shapeOfValues(setOf(objects.map((v) => (v.kind === "tuple" ? v.elems[i] : false) as Value)).elems),
        ),
      };
    }
  }
  throw new EncodingError("a variable's type mixes kinds of values (or sequences of several lengths)");
}

const sameList = (a: readonly Value[], b: readonly Value[]): boolean =>
  a.length === b.length && a.every((x, i) => valuesEqual(x, b[i] as Value));

/** An SMT constant: its name and sort. */
export interface Decl {
  readonly name: string;
  readonly sort: "Bool" | "Int";
}

/** A symbolic value made of fresh constants named after `prefix`; declarations are appended to `decls`. */
export function freshOf(shape: Shape, prefix: string, decls: Decl[]): Sym {
  switch (shape.k) {
    case "bool":
      decls.push({ name: prefix, sort: "Bool" });
      return { t: "bool", e: prefix };
    case "atom":
      decls.push({ name: prefix, sort: "Int" });
      return { t: "atom", e: prefix, dom: shape.dom };
    case "set":
      return mkSet(
        shape.universe.map((u, i) => {
          decls.push({ name: `${prefix}_${i}`, sort: "Bool" });
          return [u, `${prefix}_${i}`] as const;
        }),
      );
    case "fn":
      return mkFn(
        shape.dom,
        shape.dom.map((_, i) => freshOf(shape.range, `${prefix}_${i}`, decls)),
      );
    case "rec":
      return mkRec(shape.names.map((n, i) => [n, freshOf(shape.fields[i] as Shape, `${prefix}_${i}`, decls)] as const));
    case "tup":
      return mkTup(shape.elems.map((s, i) => freshOf(s, `${prefix}_${i}`, decls)));
  }
}

/** Reads the value of fresh constants (named as {@link freshOf} names them) from a solver model. */
export function decodeShape(
  shape: Shape,
  prefix: string,
  model: ReadonlyMap<string, boolean | number>,
  codes: StringCodes,
): Value {
  const get = (name: string): boolean | number => {
    const v = model.get(name);
    if (v === undefined) throw new Error(`solver model lacks ${name}`);
    return v;
  };
  switch (shape.k) {
    case "bool":
      return get(prefix) as boolean;
    case "atom":
      return codes.decode(get(prefix) as number);
    case "set":
      return setOf(shape.universe.filter((_, i) => get(`${prefix}_${i}`) === true));
    case "fn":
      return {
        kind: "function",
        domain: shape.dom,
        values: shape.dom.map((_, i) => decodeShape(shape.range, `${prefix}_${i}`, model, codes)),
      };
    case "rec":
      return {
        kind: "record",
        names: shape.names,
        values: shape.names.map((_, i) => decodeShape(shape.fields[i] as Shape, `${prefix}_${i}`, model, codes)),
      };
    case "tup":
      return { kind: "tuple", elems: shape.elems.map((s, i) => decodeShape(s, `${prefix}_${i}`, model, codes)) };
  }
}
