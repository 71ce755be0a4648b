/**
 * Compiles an expression tree once into a JavaScript closure over a context (current state as
 * values, bound names as slots). The conformance replay uses it directly; the checker's id-level
 * closures (`compileIds.ts`) call it for an operation's result on the first sight of its operands.
 */
import {
  type Binder,
  compareValues,
  type FunctionValue,
  indexInSorted,
  isBinder,
  isClosedNode,
  isHuge,
  type Node,
  type OpName,
  type RecordValue,
  type SetValue,
  setOf,
  showValue,
  type TupleValue,
  type Value,
  valuesEqual,
} from "../../models/index.js";

export interface Ctx {
  /** Values of the state variables, indexed like the model's variable list. */
  s: readonly Value[];
  /** Bound names by slot. */
  readonly b: Value[];
}

export type Compiled = (ctx: Ctx) => Value;

/** An expression that cannot be evaluated (a TLC "evaluation error"). */
export class ModelEvalError extends Error {}

export interface Scope {
  readonly vars: ReadonlyMap<string, number>;
  readonly consts: ReadonlyMap<string, Value>;
  /** Slot of each bound name; shared by every closure compiled for one model. */
  readonly slots: Map<string, number>;
}

/** The slot of a bound name in the closures' bound-value vector, allocated on first use. */
export function slotOf(scope: { readonly slots: Map<string, number> }, name: string): number {
  let slot = scope.slots.get(name);
  if (slot === undefined) {
    slot = scope.slots.size;
    scope.slots.set(name, slot);
  }
  return slot;
}

/**
 * Compiles `node`; a sub-expression that mentions no variable and no bound name is evaluated
 * once here (constant folding), e.g. the message set in a TypeOK.
 */
export function compile(node: Node, scope: Scope): Compiled {
  if (node.k !== "lit" && !isHuge(node) && isClosedNode(node)) {
    const v = compileNode(node, scope)({ s: [], b: [] });
    return () => v;
  }
  return compileNode(node, scope);
}

function compileNode(node: Node, scope: Scope): Compiled {
  if (isBinder(node)) return compileBinder(node, scope);
  switch (node.k) {
    case "lit": {
      const v = node.value;
      return () => v;
    }
    case "var": {
      const i = scope.vars.get(node.name);
      if (i === undefined) throw new ModelEvalError(`unknown variable ${node.name}`);
      return (ctx) => ctx.s[i] as Value;
    }
    case "const": {
      const v = scope.consts.get(node.name);
      if (v === undefined) throw new ModelEvalError(`unbound constant ${node.name}`);
      return () => v;
    }
    case "bound": {
      const slot = slotOf(scope, node.name);
      return (ctx) => ctx.b[slot] as Value;
    }
    case "op":
      return compileOp(node.op, node.args, scope);
    case "if": {
      const [c, t, e] = [compile(node.cond, scope), compile(node.ifTrue, scope), compile(node.ifFalse, scope)];
      return (ctx) => (bool(c(ctx)) ? t(ctx) : e(ctx));
    }
    case "case": {
      const arms = node.arms.map(([c, v]) => [compile(c, scope), compile(v, scope)] as const);
      const other = node.other ? compile(node.other, scope) : undefined;
      return (ctx) => {
        for (const [c, v] of arms) if (bool(c(ctx))) return v(ctx);
        if (other) return other(ctx);
        throw new ModelEvalError("no CASE arm applies");
      };
    }
    case "let": {
      const slot = slotOf(scope, node.name);
      const [def, body] = [compile(node.def, scope), compile(node.body, scope)];
      return (ctx) => withSlot(ctx, slot, def(ctx), () => body(ctx));
    }
    case "fnSet": {
      const [d, r] = [compile(node.domain, scope), compile(node.range, scope)];
      return (ctx) => allFunctions(asSet(d(ctx)).elems, asSet(r(ctx)).elems);
    }
    case "record": {
      const sorted = [...node.fields].sort((a, b) => (a[0] < b[0] ? -1 : 1));
      const names = sorted.map((f) => f[0]);
      const parts = sorted.map((f) => compile(f[1], scope));
      return (ctx): RecordValue => ({ kind: "record", names, values: parts.map((p) => p(ctx)) });
    }
    case "tuple": {
      const parts = node.elems.map((e) => compile(e, scope));
      return (ctx): TupleValue => ({ kind: "tuple", elems: parts.map((p) => p(ctx)) });
    }
    case "apply": {
      const [f, x] = [compile(node.fn, scope), compile(node.arg, scope)];
      return (ctx) => applyValue(f(ctx), x(ctx));
    }
    case "field": {
      const r = compile(node.record, scope);
      const name = node.name;
      return (ctx) => applyValue(r(ctx), name);
    }
    case "except": {
      const [f, x, v] = [compile(node.fn, scope), compile(node.arg, scope), compile(node.value, scope)];
      return (ctx) => exceptValue(f(ctx), x(ctx), v(ctx));
    }
  }
}

function withSlot<T>(ctx: Ctx, slot: number, value: Value, body: () => T): T {
  const saved = ctx.b[slot] as Value;
  ctx.b[slot] = value;
  try {
    return body();
  } finally {
    ctx.b[slot] = saved;
  }
}

function compileBinder(node: Binder, scope: Scope): Compiled {
  const slot = slotOf(scope, node.name);
  const set = compile(node.set, scope);
  const body = compile(node.body, scope);
  const each = (ctx: Ctx, visit: (x: Value, r: Value) => boolean): void => {
    const elems = asSet(set(ctx)).elems;
    const saved = ctx.b[slot] as Value;
    try {
      for (const x of elems) {
        ctx.b[slot] = x;
        if (!visit(x, body(ctx))) return;
      }
    } finally {
      ctx.b[slot] = saved;
    }
  };
  switch (node.k) {
    case "forall":
      return (ctx) => {
        let all = true;
        each(ctx, (_, r) => {
          all = bool(r);
          return all;
        });
        return all;
      };
    case "exists":
      return (ctx) => {
        let some = false;
        each(ctx, (_, r) => {
          some = bool(r);
          return !some;
        });
        return some;
      };
    case "choose":
      return (ctx) => {
        let found: Value | undefined;
        each(ctx, (x, r) => {
          if (bool(r)) found = x;
          return found === undefined;
        });
        if (found === undefined) throw new ModelEvalError("CHOOSE found no element satisfying its predicate");
        return found;
      };
    case "setMap":
      return (ctx) => {
        const out: Value[] = [];
        each(ctx, (_, r) => out.push(r) > 0);
        return setOf(out);
      };
    case "setFilter":
      return (ctx) => {
        const out: Value[] = [];
        each(ctx, (x, r) => (bool(r) ? out.push(x) : 0) >= 0);
        return { kind: "set", elems: out } satisfies SetValue;
      };
    default:
      return (ctx) => {
        const domain = asSet(set(ctx)).elems;
        const values: Value[] = [];
        each(ctx, (_, r) => values.push(r) > 0);
        return { kind: "function", domain, values } satisfies FunctionValue;
      };
  }
}

export function bool(v: Value): boolean {
  if (typeof v !== "boolean") throw new ModelEvalError(`expected a Boolean, got ${showValue(v)}`);
  return v;
}
function int(v: Value): number {
  if (typeof v !== "number") throw new ModelEvalError(`expected an integer, got ${showValue(v)}`);
  return v;
}
export function asSet(v: Value): SetValue {
  if (typeof v !== "object" || v.kind !== "set") throw new ModelEvalError(`expected a set, got ${showValue(v)}`);
  return v;
}
function asTuple(v: Value): TupleValue {
  if (typeof v !== "object" || v.kind !== "tuple") throw new ModelEvalError(`expected a sequence, got ${showValue(v)}`);
  return v;
}

export function applyValue(f: Value, x: Value): Value {
  if (typeof f === "object") {
    if (f.kind === "function") {
      const i = indexInSorted(f.domain, x);
      if (i >= 0) return f.values[i] as Value;
    } else if (f.kind === "tuple" && typeof x === "number" && x >= 1 && x <= f.elems.length) {
      return f.elems[x - 1] as Value;
    } else if (f.kind === "record" && typeof x === "string") {
      const i = f.names.indexOf(x);
      if (i >= 0) return f.values[i] as Value;
    }
  }
  throw new ModelEvalError(`cannot apply ${showValue(f)} to ${showValue(x)}`);
}

function exceptValue(f: Value, x: Value, v: Value): Value {
  if (typeof f === "object") {
    if (f.kind === "function") {
      const i = indexInSorted(f.domain, x);
      if (i >= 0) return { kind: "function", domain: f.domain, values: f.values.with(i, v) };
    } else if (f.kind === "tuple" && typeof x === "number" && x >= 1 && x <= f.elems.length) {
      return { kind: "tuple", elems: f.elems.with(x - 1, v) };
    } else if (f.kind === "record" && typeof x === "string") {
      const i = f.names.indexOf(x);
      if (i >= 0) return { kind: "record", names: f.names, values: f.values.with(i, v) };
    }
  }
  throw new ModelEvalError(`EXCEPT: ${showValue(x)} is not in the domain of ${showValue(f)}`);
}

function allFunctions(domain: readonly Value[], range: readonly Value[]): SetValue {
  let partial: Value[][] = [[]];
  for (let i = 0; i < domain.length; i++) partial = partial.flatMap((vs) => range.map((r) => [...vs, r]));
  return { kind: "set", elems: partial.map((values) => ({ kind: "function", domain, values }) as FunctionValue) };
}

function compileOp(op: OpName, args: readonly Node[], scope: Scope): Compiled {
  // Membership compiles its set operand itself, so that `x \in [S -> T]` never builds [S -> T].
  const fs = (op === "in" || op === "notin" ? args.slice(0, 1) : args).map((a) => compile(a, scope));
  const [a = () => false, b = () => false] = fs;
  switch (op) {
    case "and":
      return (ctx) => fs.every((f) => bool(f(ctx)));
    case "or":
      return (ctx) => fs.some((f) => bool(f(ctx)));
    case "not":
      return (ctx) => !bool(a(ctx));
    case "implies":
      return (ctx) => !bool(a(ctx)) || bool(b(ctx));
    case "eq":
      return (ctx) => valuesEqual(a(ctx), b(ctx));
    case "neq":
      return (ctx) => !valuesEqual(a(ctx), b(ctx));
    case "lt":
      return (ctx) => int(a(ctx)) < int(b(ctx));
    case "le":
      return (ctx) => int(a(ctx)) <= int(b(ctx));
    case "gt":
      return (ctx) => int(a(ctx)) > int(b(ctx));
    case "ge":
      return (ctx) => int(a(ctx)) >= int(b(ctx));
    case "plus":
      return (ctx) => int(a(ctx)) + int(b(ctx));
    case "minus":
      return (ctx) => int(a(ctx)) - int(b(ctx));
    case "times":
      return (ctx) => int(a(ctx)) * int(b(ctx));
    case "div":
      return (ctx) => Math.floor(int(a(ctx)) / nonZero(int(b(ctx))));
    case "mod":
      return (ctx) => {
        const m = nonZero(int(b(ctx)));
        return ((int(a(ctx)) % m) + m) % m;
      };
    case "neg":
      return (ctx) => -int(a(ctx));
    case "range":
      return (ctx) => {
        const [lo, hi] = [int(a(ctx)), int(b(ctx))];
        const elems: number[] = [];
        for (let i = lo; i <= hi; i++) elems.push(i);
        return { kind: "set", elems };
      };
    case "in":
      return membership(args[1] as Node, a, scope);
    case "notin": {
      const m = membership(args[1] as Node, a, scope);
      return (ctx) => !m(ctx);
    }
    case "union":
      return (ctx) => setOf([...asSet(a(ctx)).elems, ...asSet(b(ctx)).elems]);
    case "intersect":
      return (ctx) => {
        const y = asSet(b(ctx)).elems;
        return { kind: "set", elems: asSet(a(ctx)).elems.filter((x) => indexInSorted(y, x) >= 0) };
      };
    case "setminus":
      return (ctx) => {
        const y = asSet(b(ctx)).elems;
        return { kind: "set", elems: asSet(a(ctx)).elems.filter((x) => indexInSorted(y, x) < 0) };
      };
    case "subseteq":
      return (ctx) => {
        const y = asSet(b(ctx)).elems;
        return asSet(a(ctx)).elems.every((x) => indexInSorted(y, x) >= 0);
      };
    case "cardinality":
      return (ctx) => asSet(a(ctx)).elems.length;
    case "setEnum":
      return (ctx) => setOf(fs.map((f) => f(ctx)));
    case "subsets":
      return (ctx) => {
        let subs: Value[][] = [[]];
        for (const x of asSet(a(ctx)).elems) subs = subs.flatMap((s) => [s, [...s, x]]);
        return setOf(subs.map((elems) => ({ kind: "set", elems }) as SetValue));
      };
    case "bigUnion":
      return (ctx) => setOf(asSet(a(ctx)).elems.flatMap((s) => asSet(s).elems));
    case "domain":
      return (ctx) => {
        const f = a(ctx);
        if (typeof f === "object" && f.kind === "function") return { kind: "set", elems: f.domain };
        if (typeof f === "object" && f.kind === "record") return { kind: "set", elems: f.names };
        return { kind: "set", elems: asTuple(f).elems.map((_, i) => i + 1) };
      };
    case "len":
      return (ctx) => asTuple(a(ctx)).elems.length;
    case "append":
      return (ctx) => ({ kind: "tuple", elems: [...asTuple(a(ctx)).elems, b(ctx)] });
    case "head":
      return (ctx) => {
        const s = asTuple(a(ctx)).elems;
        if (s.length === 0) throw new ModelEvalError("Head of the empty sequence");
        return s[0] as Value;
      };
    case "tail":
      return (ctx) => {
        const s = asTuple(a(ctx)).elems;
        if (s.length === 0) throw new ModelEvalError("Tail of the empty sequence");
        return { kind: "tuple", elems: s.slice(1) };
      };
    case "concat":
      return (ctx) => ({ kind: "tuple", elems: [...asTuple(a(ctx)).elems, ...asTuple(b(ctx)).elems] });
    default:
      throw new ModelEvalError(`unknown operator ${op}`);
  }
}

function nonZero(n: number): number {
  if (n === 0) throw new ModelEvalError("division by zero");
  return n;
}

/**
 * `x \in S` without building S when S is `[D -> R]`, `a..b` or `SUBSET T` (TypeOK's usual shapes).
 * The operands are evaluated first, whatever x is, so that their errors are raised as by the id
 * evaluator (and TLC); a huge R is left unbuilt.
 */
function membership(setNode: Node, x: Compiled, scope: Scope): (ctx: Ctx) => boolean {
  if (setNode.k === "fnSet") {
    const d = compile(setNode.domain, scope);
    const range = isHuge(setNode.range) ? undefined : compile(setNode.range, scope);
    const probe = slotOf(scope, `\u0000probe${scope.slots.size}`);
    const r = membership(setNode.range, (ctx) => ctx.b[probe] as Value, scope);
    return (ctx) => {
      const f = x(ctx);
      const domain = d(ctx);
      range?.(ctx);
      if (typeof f !== "object" || f.kind !== "function") return false;
      if (compareValues({ kind: "set", elems: f.domain }, asSet(domain)) !== 0) return false;
      return f.values.every((v) => withSlot(ctx, probe, v, () => r(ctx)));
    };
  }
  if (setNode.k === "op" && setNode.op === "range") {
    const [lo, hi] = setNode.args.map((n) => compile(n, scope)) as [Compiled, Compiled];
    return (ctx) => {
      const v = x(ctx);
      const [a, b] = [int(lo(ctx)), int(hi(ctx))];
      return typeof v === "number" && v >= a && v <= b;
    };
  }
  if (setNode.k === "op" && setNode.op === "subsets") {
    const t = compile(setNode.args[0] as Node, scope);
    return (ctx) => {
      const v = x(ctx);
      const elems = asSet(t(ctx)).elems;
      if (typeof v !== "object" || v.kind !== "set") return false;
      return v.elems.every((e) => indexInSorted(elems, e) >= 0);
    };
  }
  const s = compile(setNode, scope);
  return (ctx) => indexInSorted(asSet(s(ctx)).elems, x(ctx)) >= 0;
}
