/**
 * Compiles an expression tree into a closure over interned value ids: the state is a vector of
 * ids, bound names are slots of ids, and the result is an id. Equality is id equality (values are
 * canonical and hash-consed) and the connectives, comparisons, IF/CASE/LET and quantifiers run on
 * ids directly. Every other operation is memoised on the ids of its varying operands and computed
 * from the values only on a miss, by the value-level closure of `compile.ts` (one semantics for
 * both). A quantifier or set former is also memoised on the state variables and bound names it
 * reads, so `\E d \in Cells : state[d] = "LCK"` costs one array lookup per distinct `state`.
 */
import {
  type Binder,
  children,
  type FunctionValue,
  freeInputs,
  isBinder,
  isClosedNode,
  isHuge,
  type Node,
  type SetValue,
  setOf,
  type Value,
  withChildren,
} from "../../models/index.js";
import { type Ctx, compile, ModelEvalError, type Scope, slotOf } from "./compile.js";
import { Memo1, Memo2, Memo3, MemoN, MISS as MISS_ID } from "./IdMemo.js";
import type { Layout } from "./Layout.js";
import { FALSE as FALSE_ID, TRUE as TRUE_ID, type ValueTable } from "./ValueTable.js";

// Module-local copies: under tsx's transform every use of an imported binding is a getter call.
const MISS = MISS_ID;
const TRUE = TRUE_ID;
const FALSE = FALSE_ID;

export interface IdCtx {
  /** Value ids of the state variables. */
  s: Int32Array;
  /** Value ids of the bound names, by slot. */
  readonly b: Int32Array;
}

export type IdFn = (ctx: IdCtx) => number;

export interface IdScope {
  readonly vars: ReadonlyMap<string, number>;
  readonly consts: ReadonlyMap<string, Value>;
  /** Slot of each bound name; shared by every closure compiled for one model. */
  readonly slots: Map<string, number>;
  readonly table: ValueTable;
  /** Every memo created, so the memory bound can count them. */
  readonly memos: { readonly bytes: number }[];
  /** Where variables live in `ctx.s`; without it, variable i is `ctx.s[i]`. */
  readonly layout?: Layout;
}

/** Quantifiers and invariants reading at most this many inputs are memoised on them. */
const MAX_MEMO_INPUTS = 3;

interface Part {
  readonly fn: IdFn;
  /** The id when the expression is a constant. */
  readonly constant?: number;
}

export function compileIds(node: Node, scope: IdScope): IdFn {
  return part(node, scope).fn;
}

/** The id of `node` when it is a constant (folded at compile time), else undefined. */
export function constantId(node: Node, scope: IdScope): number | undefined {
  if (node.k === "lit") return scope.table.intern(node.value);
  if (isHuge(node) || !isClosedNode(node)) return undefined;
  return part(node, scope).constant;
}

/** Whether `compileIds` memoises `node` as a whole on what it reads. */
export const isMemoised = (node: Node): boolean => isBinder(node) || isCompound(node);

const constant = (id: number): Part => ({ fn: () => id, constant: id });

const valueScope = (scope: IdScope): Scope => ({ vars: scope.vars, consts: scope.consts, slots: new Map() });

function part(node: Node, scope: IdScope): Part {
  // Constant folding, as in `compile`: a closed sub-expression is evaluated once, here.
  if (node.k !== "lit" && !isHuge(node) && isClosedNode(node)) {
    return constant(scope.table.intern(compile(node, valueScope(scope))({ s: [], b: [] })));
  }
  const compiled = compileNode(node, scope);
  // A quantifier, a set former or a compound expression (a CASE over the state, an update) is
  // memoised on what it reads.
  return isMemoised(node) ? { fn: memoOnInputs(node, compiled.fn, scope) } : compiled;
}

/** Whether `node` has enough operations in it that one memo lookup is cheaper than evaluating it. */
function isCompound(node: Node): boolean {
  if (node.k === "lit" || node.k === "var" || node.k === "const" || node.k === "bound") return false;
  let ops = 0;
  const count = (n: Node): void => {
    if (n.k === "lit" || n.k === "var" || n.k === "const" || n.k === "bound" || ops >= COMPOUND) return;
    ops++;
    for (const c of children(n)) count(c);
  };
  count(node);
  return ops >= COMPOUND;
}

/** Operations in an expression from which it is memoised as a whole. */
const COMPOUND = 4;

function compileNode(node: Node, scope: IdScope): Part {
  const { table } = scope;
  if (isBinder(node)) return { fn: compileBinder(node, scope) };
  switch (node.k) {
    case "lit":
      return constant(table.intern(node.value));
    case "const": {
      const v = scope.consts.get(node.name);
      if (v === undefined) throw new ModelEvalError(`unbound constant ${node.name}`);
      return constant(table.intern(v));
    }
    case "var":
      return { fn: varReader(node.name, scope) };
    case "bound": {
      const slot = slotOf(scope, node.name);
      return { fn: (ctx) => ctx.b[slot] as number };
    }
    case "op":
      return { fn: compileOp(node, scope) };
    case "if": {
      const [c, t, e] = [node.cond, node.ifTrue, node.ifFalse].map((n) => part(n, scope).fn) as [IdFn, IdFn, IdFn];
      return { fn: (ctx) => (truth(table, c(ctx)) ? t(ctx) : e(ctx)) };
    }
    case "case": {
      const conds = node.arms.map(([c]) => part(c, scope).fn);
      const arms = node.arms.map(([, v]) => part(v, scope).fn);
      const other = node.other ? part(node.other, scope).fn : undefined;
      return {
        fn: (ctx) => {
          for (let i = 0; i < conds.length; i++)
            if (truth(table, (conds[i] as IdFn)(ctx))) return (arms[i] as IdFn)(ctx);
          if (other) return other(ctx);
          throw new ModelEvalError("no CASE arm applies");
        },
      };
    }
    case "let": {
      const slot = slotOf(scope, node.name);
      const def = part(node.def, scope).fn;
      const body = part(node.body, scope).fn;
      return {
        fn: (ctx) => {
          const saved = ctx.b[slot] as number;
          ctx.b[slot] = def(ctx);
          const r = body(ctx);
          ctx.b[slot] = saved;
          return r;
        },
      };
    }
    case "apply":
      return { fn: compileApply(node, scope) };
    default:
      return { fn: viaValues(children(node), (args) => withChildren(node, args), scope) };
  }
}

/** Reads a variable's value id: its slot, or the cached (else composed) id of a flat variable. */
function varReader(name: string, scope: IdScope): IdFn {
  const i = scope.vars.get(name);
  if (i === undefined) throw new ModelEvalError(`unknown variable ${name}`);
  const layout = scope.layout;
  if (!layout) return (ctx) => ctx.s[i] as number;
  const flat = layout.flat[i];
  if (!flat) {
    const at = layout.base[i] as number;
    return (ctx) => ctx.s[at] as number;
  }
  const cache = flat.cache;
  return (ctx) => {
    const id = ctx.s[cache] as number;
    return id !== MISS ? id : layout.whole(ctx.s, i);
  };
}

/** `f[x]` for a function reads its image directly; tuples, records and errors take the general path. */
function compileApply(node: Extract<Node, { k: "apply" }>, scope: IdScope): IdFn {
  const { table } = scope;
  const fn = part(node.fn, scope).fn;
  const arg = part(node.arg, scope).fn;
  const general = viaValues([node.fn, node.arg], (args) => withChildren(node, args), scope);
  const i = node.fn.k === "var" ? scope.vars.get(node.fn.name) : undefined;
  const flat = i === undefined ? undefined : scope.layout?.flat[i];
  if (flat) {
    // A flat variable: the image is in the state vector.
    const { positions, base } = flat;
    return (ctx) => {
      const x = arg(ctx);
      const at = x < positions.length ? (positions[x] as number) : 0;
      return at > 0 ? (ctx.s[base + at - 1] as number) : general(ctx);
    };
  }
  return (ctx) => {
    const f = fn(ctx);
    const view = table.view(f);
    if (view !== null) {
      const x = arg(ctx);
      const at = x < view.positions.length ? (view.positions[x] as number) : 0;
      if (at > 0) return view.images[at - 1] as number;
    }
    return general(ctx);
  };
}

/** `id` as a Boolean; inlined on the fast path, the table raises the evaluation error. */
const truth = (table: ValueTable, id: number): boolean => id === TRUE || (id !== FALSE && table.truth(id));

function compileOp(node: Extract<Node, { k: "op" }>, scope: IdScope): IdFn {
  const { table } = scope;
  if (node.op === "in" || node.op === "notin") return membership(node, scope);
  const fs = node.args.map((a) => part(a, scope).fn);
  const [a = () => FALSE, b = () => FALSE] = fs;
  switch (node.op) {
    case "and":
      if (fs.length === 2) return (ctx) => (truth(table, a(ctx)) && truth(table, b(ctx)) ? TRUE : FALSE);
      return (ctx) => {
        for (let i = 0; i < fs.length; i++) if (!truth(table, (fs[i] as IdFn)(ctx))) return FALSE;
        return TRUE;
      };
    case "or":
      if (fs.length === 2) return (ctx) => (truth(table, a(ctx)) || truth(table, b(ctx)) ? TRUE : FALSE);
      return (ctx) => {
        for (let i = 0; i < fs.length; i++) if (truth(table, (fs[i] as IdFn)(ctx))) return TRUE;
        return FALSE;
      };
    case "not":
      return (ctx) => (truth(table, a(ctx)) ? FALSE : TRUE);
    case "implies":
      return (ctx) => (!truth(table, a(ctx)) || truth(table, b(ctx)) ? TRUE : FALSE);
    case "eq":
      return (ctx) => (a(ctx) === b(ctx) ? TRUE : FALSE);
    case "neq":
      return (ctx) => (a(ctx) === b(ctx) ? FALSE : TRUE);
    case "lt":
      return (ctx) => (table.int(a(ctx)) < table.int(b(ctx)) ? TRUE : FALSE);
    case "le":
      return (ctx) => (table.int(a(ctx)) <= table.int(b(ctx)) ? TRUE : FALSE);
    case "gt":
      return (ctx) => (table.int(a(ctx)) > table.int(b(ctx)) ? TRUE : FALSE);
    case "ge":
      return (ctx) => (table.int(a(ctx)) >= table.int(b(ctx)) ? TRUE : FALSE);
    default:
      return viaValues(node.args, (args) => ({ k: "op", op: node.op, args }), scope);
  }
}

/**
 * `x \in S`: with S constant, memoised on x alone (TypeOK); with S a function set, an interval or
 * a power set, S's operands are the memo key so that S is never built.
 */
function membership(node: Extract<Node, { k: "op" }>, scope: IdScope): IdFn {
  const [x, set] = node.args as [Node, Node];
  const op = node.op;
  if (isClosedNode(set)) return viaValues([x], ([y]) => ({ k: "op", op, args: [y as Node, set] }), scope);
  if (set.k === "fnSet") {
    return viaValues(
      [x, set.domain, set.range],
      ([y, domain, range]) => ({
        k: "op",
        op,
        args: [y as Node, { k: "fnSet", domain: domain as Node, range: range as Node }],
      }),
      scope,
    );
  }
  if (set.k === "op" && (set.op === "range" || set.op === "subsets")) {
    return viaValues(
      [x, ...set.args],
      ([y, ...rest]) => ({ k: "op", op, args: [y as Node, { k: "op", op: set.op, args: rest }] }),
      scope,
    );
  }
  return viaValues([x, set], (args) => ({ k: "op", op, args }), scope);
}

/**
 * An operation on the ids of `operands`: memoised on the ids of the operands that vary; a miss
 * evaluates the value-level closure of the operation with the operands bound to their values.
 */
function viaValues(operands: readonly Node[], make: (args: readonly Node[]) => Node, scope: IdScope): IdFn {
  const { table } = scope;
  const values = table.values;
  const parts = operands.map((o) => part(o, scope));
  const args = parts.map(
    (p, i): Node =>
      p.constant === undefined
        ? { k: "bound", name: `\u0000arg${i}` }
        : { k: "lit", value: values[p.constant] as Value },
  );
  const vscope = valueScope(scope);
  const evaluate = compile(make(args), vscope);
  const varying = parts.flatMap((p, i) => (p.constant === undefined ? [i] : []));
  const slots = varying.map((i) => vscope.slots.get(`\u0000arg${i}`) as number);
  const fns = varying.map((i) => (parts[i] as Part).fn);
  const vctx: Ctx = { s: [], b: new Array(vscope.slots.size).fill(false) };
  const compute = (ids: ArrayLike<number>): number => {
    for (let i = 0; i < slots.length; i++) vctx.b[slots[i] as number] = values[ids[i] as number] as Value;
    return table.intern(evaluate(vctx));
  };
  switch (fns.length) {
    case 0: {
      let id = MISS;
      return () => {
        if (id === MISS) id = compute([]);
        return id;
      };
    }
    case 1: {
      const [f] = fns as [IdFn];
      const memo = register(scope, new Memo1());
      const key = [0];
      return (ctx) => {
        const x = f(ctx);
        const known = memo.get(x);
        if (known !== MISS) return known;
        key[0] = x;
        const id = compute(key);
        memo.set(x, id);
        return id;
      };
    }
    case 2: {
      const [f, g] = fns as [IdFn, IdFn];
      const memo = register(scope, new Memo2());
      return (ctx) => {
        const x = f(ctx);
        const y = g(ctx);
        const known = memo.get(x, y);
        if (known !== MISS) return known;
        const id = compute([x, y]);
        memo.set(x, y, id);
        return id;
      };
    }
    case 3: {
      const [f, g, h] = fns as [IdFn, IdFn, IdFn];
      const memo = register(scope, new Memo3());
      return (ctx) => {
        const x = f(ctx);
        const y = g(ctx);
        const z = h(ctx);
        const known = memo.get(x, y, z);
        if (known !== MISS) return known;
        const id = compute([x, y, z]);
        memo.set(x, y, z, id);
        return id;
      };
    }
    default: {
      const memo = register(scope, new MemoN(fns.length));
      const key = new Int32Array(fns.length);
      return (ctx) => {
        for (let i = 0; i < fns.length; i++) key[i] = (fns[i] as IdFn)(ctx);
        const known = memo.get(key);
        if (known !== MISS) return known;
        const id = compute(key);
        memo.set(key, id);
        return id;
      };
    }
  }
}

function register<T extends { readonly bytes: number }>(scope: IdScope, memo: T): T {
  scope.memos.push(memo);
  return memo;
}

/**
 * `fn` memoised on the state variables and bound names `node` reads, when there are few: its
 * result is a function of them alone.
 */
export function memoOnInputs(node: Node, fn: IdFn, scope: IdScope, limit = MAX_MEMO_INPUTS): IdFn {
  const inputs = freeInputs(node);
  const readers: IdFn[] = [
    ...[...inputs.vars].map((name) => varReader(name, scope)),
    ...[...inputs.bound].map((name): IdFn => {
      const slot = slotOf(scope, name);
      return (ctx) => ctx.b[slot] as number;
    }),
  ];
  const at = readers;
  if (at.length === 0 || at.length > limit) return fn;
  const [r0, r1, r2] = readers as [IdFn, IdFn, IdFn];
  switch (at.length) {
    case 1: {
      const memo = register(scope, new Memo1());
      return (ctx) => {
        const x = r0(ctx);
        const known = memo.get(x);
        if (known !== MISS) return known;
        const id = fn(ctx);
        memo.set(x, id);
        return id;
      };
    }
    case 2: {
      const memo = register(scope, new Memo2());
      return (ctx) => {
        const x = r0(ctx);
        const y = r1(ctx);
        const known = memo.get(x, y);
        if (known !== MISS) return known;
        const id = fn(ctx);
        memo.set(x, y, id);
        return id;
      };
    }
    case 3: {
      const memo = register(scope, new Memo3());
      return (ctx) => {
        const x = r0(ctx);
        const y = r1(ctx);
        const z = r2(ctx);
        const known = memo.get(x, y, z);
        if (known !== MISS) return known;
        const id = fn(ctx);
        memo.set(x, y, z, id);
        return id;
      };
    }
    default: {
      const memo = register(scope, new MemoN(at.length));
      const key = new Int32Array(at.length);
      return (ctx) => {
        for (let i = 0; i < at.length; i++) key[i] = (at[i] as IdFn)(ctx);
        const known = memo.get(key);
        if (known !== MISS) return known;
        const id = fn(ctx);
        memo.set(key, id);
        return id;
      };
    }
  }
}

function compileBinder(node: Binder, scope: IdScope): IdFn {
  const { table } = scope;
  const values = table.values;
  const slot = slotOf(scope, node.name);
  const set = part(node.set, scope).fn;
  const body = part(node.body, scope).fn;
  switch (node.k) {
    case "forall":
    case "exists": {
      // \A stops at the first FALSE, \E at the first TRUE.
      const stopAt = node.k === "exists";
      return (ctx) => {
        const elems = table.elems(set(ctx));
        const saved = ctx.b[slot] as number;
        let found = false;
        for (let i = 0; i < elems.length; i++) {
          ctx.b[slot] = elems[i] as number;
          if (truth(table, body(ctx)) === stopAt) {
            found = true;
            break;
          }
        }
        ctx.b[slot] = saved;
        return found === stopAt ? TRUE : FALSE;
      };
    }
    case "choose":
      return (ctx) => {
        const elems = table.elems(set(ctx));
        const saved = ctx.b[slot] as number;
        let found = MISS;
        for (let i = 0; i < elems.length && found === MISS; i++) {
          ctx.b[slot] = elems[i] as number;
          if (truth(table, body(ctx))) found = elems[i] as number;
        }
        ctx.b[slot] = saved;
        if (found === MISS) throw new ModelEvalError("CHOOSE found no element satisfying its predicate");
        return found;
      };
    default: {
      const kind = node.k;
      return (ctx) => {
        const setId = set(ctx);
        const elems = table.elems(setId);
        const saved = ctx.b[slot] as number;
        const out: Value[] = [];
        for (let i = 0; i < elems.length; i++) {
          ctx.b[slot] = elems[i] as number;
          const r = body(ctx);
          if (kind !== "setFilter") out.push(values[r] as Value);
          else if (truth(table, r)) out.push(values[elems[i] as number] as Value);
        }
        ctx.b[slot] = saved;
        if (kind === "setMap") return table.intern(setOf(out));
        if (kind === "setFilter") return table.intern({ kind: "set", elems: out } satisfies SetValue);
        const domain = (values[setId] as SetValue).elems;
        return table.intern({ kind: "function", domain, values: out } satisfies FunctionValue);
      };
    }
  }
}
