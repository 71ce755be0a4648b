/**
 * Translates a kernel expression into a symbolic value for fixed constants: quantifiers, set
 * comprehensions and function definitions are unrolled over their (known) sets, so the result
 * is quantifier-free SMT-LIB over Bool and Int.
 */
import { isClosedNode, isHuge, type Node, setOf, type Value } from "../../models/index.js";
import {
  applySym,
  atomOf,
  type B,
  bAnd,
  bImpliesOf,
  bNot,
  bOr,
  concreteElems,
  EncodingError,
  eqSym,
  exceptSym,
  fnView,
  fromB,
  inSym,
  intLit,
  isSym,
  iteSym,
  kindOf,
  mkFn,
  mkRec,
  mkSet,
  mkTup,
  type StringCodes,
  type Sym,
  setView,
  toB,
} from "./sym.js";

export interface Env {
  readonly consts: ReadonlyMap<string, Value>;
  readonly state: ReadonlyMap<string, Sym>;
  readonly bound: ReadonlyMap<string, Sym>;
  readonly codes: StringCodes;
}

export const withBound = (env: Env, name: string, value: Sym): Env => ({
  ...env,
  bound: new Map([...env.bound, [name, value]]),
});

/** Closed sub-expressions (no variable, no free bound name) are folded once per node. */
const closedCache = new WeakMap<Node, Map<ReadonlyMap<string, Value>, Sym>>();

export function encode(node: Node, env: Env): Sym {
  if (node.k === "lit") return node.value;
  if (isClosedNode(node) && !isHuge(node)) {
    let perConsts = closedCache.get(node);
    if (!perConsts) {
      perConsts = new Map();
      closedCache.set(node, perConsts);
    }
    const hit = perConsts.get(env.consts);
    if (hit !== undefined) return hit;
    const value = encodeNode(node, env);
    perConsts.set(env.consts, value);
    return value;
  }
  return encodeNode(node, env);
}

const boolOf = (node: Node, env: Env): B => toB(encode(node, env));

function encodeNode(node: Node, env: Env): Sym {
  const { codes } = env;
  switch (node.k) {
    case "lit":
      return node.value;
    case "var": {
      const v = env.state.get(node.name);
      if (v === undefined) throw new EncodingError(`variable ${node.name} has no value here`);
      return v;
    }
    case "const": {
      const v = env.consts.get(node.name);
      if (v === undefined) throw new EncodingError(`constant ${node.name} is not bound`);
      return v;
    }
    case "bound": {
      const v = env.bound.get(node.name);
      if (v === undefined) throw new EncodingError(`name ${node.name} is not bound`);
      return v;
    }
    case "op":
      return encodeOp(node.op, node.args, env);
    case "if": {
      const c = boolOf(node.cond, env);
      if (c === true) return encode(node.ifTrue, env);
      if (c === false) return encode(node.ifFalse, env);
      return iteSym(c, encode(node.ifTrue, env), encode(node.ifFalse, env), codes);
    }
    case "case": {
      const arms: [B, Node][] = [];
      let decided: Node | undefined;
      for (const [cond, value] of node.arms) {
        const c = boolOf(cond, env);
        if (c === false) continue;
        if (c === true) {
          decided = value;
          break;
        }
        arms.push([c, value]);
      }
      // With no arm true and no OTHER, TLA+ CASE is an error the checker reports; the last arm
      // stands in, the same one in every state, so symbolic and concrete evaluation agree.
      const fallback = decided ?? node.other ?? node.arms[node.arms.length - 1]?.[1];
      if (!fallback) throw new EncodingError("CASE without arms");
      let acc = encode(fallback, env);
      for (let i = arms.length - 1; i >= 0; i--) {
        const [c, v] = arms[i] as [B, Node];
        acc = iteSym(c, encode(v, env), acc, codes);
      }
      return acc;
    }
    case "let":
      return encode(node.body, withBound(env, node.name, encode(node.def, env)));
    case "forall":
    case "exists": {
      const parts: B[] = [];
      for (const [v, m] of setView(encode(node.set, env))) {
        const body = boolOf(node.body, withBound(env, node.name, v));
        parts.push(node.k === "forall" ? bImpliesOf(m, body) : bAnd([m, body]));
        if (node.k === "forall" ? parts[parts.length - 1] === false : parts[parts.length - 1] === true) break;
      }
      return fromB(node.k === "forall" ? bAnd(parts) : bOr(parts));
    }
    case "choose": {
      const candidates: [B, Value][] = [];
      for (const [v, m] of setView(encode(node.set, env))) {
        const c = bAnd([m, boolOf(node.body, withBound(env, node.name, v))]);
        if (c === false) continue;
        candidates.push([c, v]);
        if (c === true) break;
      }
      const lastChoice = candidates.pop();
      if (!lastChoice) throw new EncodingError("CHOOSE from a set with no element satisfying the predicate");
      let acc: Sym = lastChoice[1];
      for (let i = candidates.length - 1; i >= 0; i--) {
        const [c, v] = candidates[i] as [B, Value];
        acc = iteSym(c, v, acc, codes);
      }
      return acc;
    }
    case "setMap": {
      const out: [Value, B][] = [];
      for (const [v, m] of setView(encode(node.set, env))) {
        if (m === false) continue;
        const image = encode(node.body, withBound(env, node.name, v));
        if (!isSym(image)) out.push([image, m]);
        else if (image.t === "atom" && image.dom) {
          for (const d of image.dom) out.push([d, bAnd([m, eqSym(image, d, codes)])]);
        } else throw new EncodingError("set map whose images depend on the state beyond a known range");
      }
      return mkSet(out);
    }
    case "setFilter":
      return mkSet(
        setView(encode(node.set, env)).map(
          ([v, m]) => [v, m === false ? false : bAnd([m, boolOf(node.body, withBound(env, node.name, v))])] as const,
        ),
      );
    case "fnDef": {
      const dom = concreteElems(encode(node.set, env), "a function's domain");
      return mkFn(
        dom,
        dom.map((d) => encode(node.body, withBound(env, node.name, d))),
      );
    }
    case "fnSet":
      throw new EncodingError("a function set [S -> T] is only translated as a type (x \\in [S -> T])");
    case "record":
      return mkRec(node.fields.map(([n, v]) => [n, encode(v, env)] as const));
    case "tuple":
      return mkTup(node.elems.map((e) => encode(e, env)));
    case "apply":
      return applySym(encode(node.fn, env), encode(node.arg, env), codes);
    case "field":
      return applySym(encode(node.record, env), node.name, codes);
    case "except":
      return exceptSym(encode(node.fn, env), encode(node.arg, env), encode(node.value, env), codes);
  }
}

/** `x \in S`, with the type-only sets `[D -> R]` and `SUBSET T` translated structurally. */
export function encodeIn(x: Sym, set: Node, env: Env): B {
  if (set.k === "fnSet") {
    const k = kindOf(x);
    if (k !== "fn" && k !== "tup" && k !== "rec") return false;
    const dom = concreteElems(encode(set.domain, env), "a function set's domain");
    const f = fnView(x);
    if (k === "rec" || f.dom.length !== dom.length) return false;
    if (f.dom.some((d, i) => eqSym(d, dom[i] as Value, env.codes) !== true)) return false;
    return bAnd(f.vals.map((v) => encodeIn(v, set.range, env)));
  }
  if (set.k === "op" && set.op === "subsets") {
    if (kindOf(x) !== "set") return false;
    const universe = encode(set.args[0] as Node, env);
    return bAnd(setView(x).map(([v, m]) => bImpliesOf(m, inSym(v, universe, env.codes))));
  }
  return inSym(x, encode(set, env), env.codes);
}

const arg = (args: readonly Node[], i: number): Node => {
  const a = args[i];
  if (!a) throw new EncodingError("operator with too few arguments");
  return a;
};

const intTerm = (x: Sym, codes: StringCodes): string => atomOf(x, codes).e;

function arith(op: string, args: readonly Node[], env: Env, fold: (a: number, b: number) => number): Sym {
  const a = encode(arg(args, 0), env);
  const b = encode(arg(args, 1), env);
  if (typeof a === "number" && typeof b === "number") return fold(a, b);
  return { t: "atom", e: `(${op} ${intTerm(a, env.codes)} ${intTerm(b, env.codes)})` };
}

function compare(op: string, args: readonly Node[], env: Env, fold: (a: number, b: number) => boolean): Sym {
  const a = encode(arg(args, 0), env);
  const b = encode(arg(args, 1), env);
  if (typeof a === "number" && typeof b === "number") return fold(a, b);
  return { t: "bool", e: `(${op} ${intTerm(a, env.codes)} ${intTerm(b, env.codes)})` };
}

const floorMod = (a: number, b: number): number => ((a % b) + b) % b;

function encodeOp(op: string, args: readonly Node[], env: Env): Sym {
  const { codes } = env;
  const sets = (): [readonly (readonly [Value, B])[], Map<string, B>] => {
    const b = setView(encode(arg(args, 1), env));
    return [setView(encode(arg(args, 0), env)), new Map(b.map(([v, m]) => [JSON.stringify(v), m]))];
  };
  switch (op) {
    case "and": {
      const parts: B[] = [];
      for (const a of args) {
        const x = boolOf(a, env);
        if (x === false) return false;
        parts.push(x);
      }
      return fromB(bAnd(parts));
    }
    case "or": {
      const parts: B[] = [];
      for (const a of args) {
        const x = boolOf(a, env);
        if (x === true) return true;
        parts.push(x);
      }
      return fromB(bOr(parts));
    }
    case "not":
      return fromB(bNot(boolOf(arg(args, 0), env)));
    case "implies": {
      const a = boolOf(arg(args, 0), env);
      return a === false ? true : fromB(bImpliesOf(a, boolOf(arg(args, 1), env)));
    }
    case "eq":
      return fromB(eqSym(encode(arg(args, 0), env), encode(arg(args, 1), env), codes));
    case "neq":
      return fromB(bNot(eqSym(encode(arg(args, 0), env), encode(arg(args, 1), env), codes)));
    case "lt":
      return compare("<", args, env, (a, b) => a < b);
    case "le":
      return compare("<=", args, env, (a, b) => a <= b);
    case "gt":
      return compare(">", args, env, (a, b) => a > b);
    case "ge":
      return compare(">=", args, env, (a, b) => a >= b);
    case "plus":
      return arith("+", args, env, (a, b) => a + b);
    case "minus":
      return arith("-", args, env, (a, b) => a - b);
    case "times":
      return arith("*", args, env, (a, b) => a * b);
    // SMT-LIB div/mod agree with TLA+'s \div and % for the positive divisors TLA+ allows.
    case "div":
      return arith("div", args, env, (a, b) => Math.floor(a / b));
    case "mod":
      return arith("mod", args, env, floorMod);
    case "neg": {
      const a = encode(arg(args, 0), env);
      return typeof a === "number" ? -a : { t: "atom", e: `(- ${intTerm(a, codes)})` };
    }
    case "range": {
      const lo = encode(arg(args, 0), env);
      const hi = encode(arg(args, 1), env);
      if (typeof lo !== "number" || typeof hi !== "number")
        throw new EncodingError("a..b with a state-dependent bound");
      return setOf(Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i));
    }
    case "in":
      return fromB(encodeIn(encode(arg(args, 0), env), arg(args, 1), env));
    case "notin":
      return fromB(bNot(encodeIn(encode(arg(args, 0), env), arg(args, 1), env)));
    case "union":
      return mkSet([...setView(encode(arg(args, 0), env)), ...setView(encode(arg(args, 1), env))]);
    case "intersect": {
      const [a, b] = sets();
      return mkSet(a.map(([v, m]) => [v, bAnd([m, b.get(JSON.stringify(v)) ?? false])] as const));
    }
    case "setminus": {
      const [a, b] = sets();
      return mkSet(a.map(([v, m]) => [v, bAnd([m, bNot(b.get(JSON.stringify(v)) ?? false)])] as const));
    }
    case "subseteq": {
      const [a, b] = sets();
      return fromB(bAnd(a.map(([v, m]) => bImpliesOf(m, b.get(JSON.stringify(v)) ?? false))));
    }
    case "cardinality": {
      const view = setView(encode(arg(args, 0), env));
      const known = view.filter(([, m]) => m === true).length;
      const open = view.filter(([, m]) => typeof m === "string").map(([, m]) => `(ite ${m} 1 0)`);
      return open.length === 0 ? known : { t: "atom", e: `(+ ${intLit(known)} ${open.join(" ")})` };
    }
    case "setEnum": {
      const out: [Value, B][] = [];
      for (const a of args) {
        const x = encode(a, env);
        if (!isSym(x)) out.push([x, true]);
        else if (x.t === "bool") out.push([true, x.e], [false, bNot(x.e)]);
        else if (x.t === "atom" && x.dom) for (const d of x.dom) out.push([d, eqSym(x, d, codes)]);
        else throw new EncodingError("a set enumeration with a state-dependent element of unknown range");
      }
      return mkSet(out);
    }
    case "subsets": {
      const elems = concreteElems(encode(arg(args, 0), env), "SUBSET's argument");
      if (elems.length > 12) throw new EncodingError("SUBSET of more than 12 elements outside a type");
      const all: Value[] = [];
      for (let mask = 0; mask < 1 << elems.length; mask++) all.push(setOf(elems.filter((_, i) => mask & (1 << i))));
      return setOf(all);
    }
    case "bigUnion": {
      const out: [Value, B][] = [];
      for (const [inner, m] of setView(encode(arg(args, 0), env))) {
        for (const [v, mi] of setView(inner)) out.push([v, bAnd([m, mi])]);
      }
      return mkSet(out);
    }
    case "domain":
      return setOf(fnView(encode(arg(args, 0), env)).dom);
    case "len":
      return fnView(encode(arg(args, 0), env)).dom.length;
    case "append":
      return mkTup([...fnView(encode(arg(args, 0), env)).vals, encode(arg(args, 1), env)]);
    case "head": {
      const v = fnView(encode(arg(args, 0), env)).vals[0];
      if (v === undefined) throw new EncodingError("Head of an empty sequence");
      return v;
    }
    case "tail":
      return mkTup(fnView(encode(arg(args, 0), env)).vals.slice(1));
    case "concat":
      return mkTup([...fnView(encode(arg(args, 0), env)).vals, ...fnView(encode(arg(args, 1), env)).vals]);
    default:
      throw new EncodingError(`operator ${op} is not translated`);
  }
}
