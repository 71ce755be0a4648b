/**
 * A model compiled for the search, over value ids: Init, each action's parameter sets, guard and
 * updates, the constraint, TypeOK and the invariants. Invariants and TypeOK's conjuncts are
 * memoised on the few variables they read, so most new states cost a lookup per invariant.
 */
import {
  type Action,
  freeInputs,
  type InitClause,
  isClosedNode,
  type Model,
  type Node,
  type Value,
} from "../../models/index.js";
import { compile, ModelEvalError, slotOf } from "./compile.js";
import { compileIds, type IdCtx, type IdFn, type IdScope, memoOnInputs } from "./compileIds.js";
import { flatDomain, Layout } from "./Layout.js";
import { type ActionCode, compileActionCode, compileStateCheck } from "./searchCode.js";
import { TRUE, ValueTable } from "./ValueTable.js";

export interface IdClause {
  readonly index: number;
  /** `x' = e`: evaluates e and stores it (for a flat x, EXCEPT writes one slot). */
  readonly write: ((ctx: IdCtx, target: Int32Array) => void) | undefined;
  /** `x' \in S`: the set, and how to store one of its elements. */
  readonly in: IdFn | undefined;
  readonly put: (target: Int32Array, id: number) => void;
}

export interface IdAction {
  readonly name: string;
  readonly paramSlots: readonly number[];
  readonly paramSets: readonly IdFn[];
  readonly guard: IdFn;
  /**
   * The guard's conjuncts by the number of parameters bound when they are evaluated: a conjunct
   * is tested as soon as the parameters it and the conjuncts before it read are bound, so a false
   * `~hung` skips every parameter combination at once. Only with constant parameter sets (whose
   * sizes are in `paramSizes`); otherwise the whole guard sits at the last level.
   */
  readonly guardAt: readonly (readonly IdFn[])[];
  /** How many parameter combinations follow each level (for edge labels of skipped ones). */
  readonly combosAfter: readonly number[];
  readonly updates: readonly IdClause[];
  /** The updates' writers when there is no `x' \in S` clause (one successor per binding). */
  readonly writers: readonly Writer[] | undefined;
  /** The action's generated expansion, when it has one (see `searchCode.ts`). */
  readonly code: ActionCode | undefined;
}

export interface SearchModel {
  readonly model: Model;
  readonly table: ValueTable;
  readonly layout: Layout;
  readonly varNames: readonly string[];
  readonly init: readonly IdClause[];
  readonly actions: readonly IdAction[];
  readonly constraint?: IdFn;
  readonly invariants: readonly Invariant[];
  /** Tests TypeOK and the invariants on `ctx.s`: the index of the first violated one, or -1. */
  readonly check: (ctx: IdCtx) => number;
  /** The compiled state predicate (temporal properties are compiled up front). */
  predicate(node: Node): IdFn;
  newCtx(): IdCtx;
  /** Bytes held by the operation memos. */
  memoBytes(): number;
}

/**
 * Compiles `model` with its constants bound (overridden by `constants` where given); `flatten`
 * gives function-valued variables over a constant domain one slot per argument.
 */
export function compileSearchModel(
  model: Model,
  constants: ReadonlyMap<string, Value> = new Map(),
  flatten = true,
): SearchModel {
  const table = new ValueTable();
  const vars = new Map(model.variables.map((v, i) => [v.name, i]));
  const consts = new Map(model.constants.map((c) => [c.name, constants.get(c.name) ?? c.value]));
  const closedValue = (node: Node): Value | undefined =>
    isClosedNode(node) ? compile(node, { vars, consts, slots: new Map() })({ s: [], b: [] }) : undefined;
  const layout = new Layout(
    table,
    model.variables.map((v) => (flatten ? flatDomain(v.type, closedValue) : undefined)),
  );
  const scope: IdScope = { vars, consts, slots: new Map(), table, memos: [], layout };
  const clause = (c: InitClause, update: boolean): IdClause => {
    const index = scope.vars.get(c.var);
    if (index === undefined) throw new Error(`model ${model.name}: assignment to unknown variable ${c.var}`);
    const put = (target: Int32Array, id: number) => layout.write(target, index, id);
    // One object shape for every clause keeps the expansion loop's property loads monomorphic.
    if ("in" in c) return { index, write: undefined, in: compileIds(c.in, scope), put };
    return { index, write: update ? writer(c.eq, index, scope) : general(c.eq, index, scope), in: undefined, put };
  };
  const init = model.init.map((c) => clause(c, false));
  const missing = model.variables.filter((_, i) => !init.some((c) => c.index === i));
  if (missing.length > 0) throw new Error(`model ${model.name}: Init leaves ${missing.map((v) => v.name)} undefined`);
  const actions = model.actions.map((a, index): IdAction => {
    const paramSets = a.params.map((p) => compileIds(p.set, scope));
    const guard = compileIds(a.guard, scope);
    const staged = stageGuard(a, scope);
    const updates = a.updates.map((c) => clause(c, true));
    const writers = updates.every((c) => c.write) ? updates.map((c) => c.write as Writer) : undefined;
    const sizes = staged?.elems.map((e) => e.length);
    return {
      writers,
      name: a.name,
      paramSlots: a.params.map((p) => slotOf(scope, p.name)),
      paramSets,
      guard,
      guardAt: staged?.conjunctsAt.map((cs) => cs.map((c) => compileIds(c, scope))) ?? [
        ...a.params.map(() => []),
        [guard],
      ],
      combosAfter: sizes?.map((_, level) => sizes.slice(level).reduce((x, y) => x * y, 1)).concat(1) ?? [
        ...a.params.map(() => 0),
        1,
      ],
      updates,
      code: staged ? compileActionCode(a, index, scope, staged.conjunctsAt, staged.elems) : undefined,
    };
  });
  const width = model.variables.length;
  // A predicate reading every variable gains nothing from a memo keyed by the whole state.
  const memoLimit = Math.min(3, width - 1);
  const compiled = new Map<Node, IdFn>();
  const predicate = (node: Node): IdFn => {
    let fn = compiled.get(node);
    if (!fn) {
      fn = memoOnInputs(node, compileIds(node, scope), scope, memoLimit);
      compiled.set(node, fn);
    }
    return fn;
  };
  // Temporal properties' state predicates now, so every context has a slot for each bound name.
  for (const p of model.properties) {
    predicate(p.p);
    if (p.kind === "leadsTo") predicate(p.q);
  }
  const typings = model.variables.map((v): Node => ({ k: "op", op: "in", args: [{ k: "var", name: v.name }, v.type] }));
  const typeOK = typings.map(predicate);
  const invariants = [
    {
      name: "TypeOK",
      test: (ctx: IdCtx) => {
        for (const t of typeOK) if (!table.truth(t(ctx))) return 0;
        return TRUE;
      },
    },
    ...model.invariants.map((inv) => ({ name: inv.name, test: predicate(inv.p) })),
  ];
  const check = compileStateCheck(scope, [
    ...typings.map((node, i) => ({ node, closure: typeOK[i] as IdFn, report: 0 })),
    ...model.invariants.map((inv, i) => ({
      node: inv.p,
      closure: (invariants[i + 1] as Invariant).test,
      report: i + 1,
    })),
  ]);
  return {
    model,
    table,
    layout,
    varNames: model.variables.map((v) => v.name),
    init,
    actions,
    ...(model.constraint ? { constraint: predicate(model.constraint) } : {}),
    invariants,
    check,
    predicate,
    newCtx: (): IdCtx => ({
      s: new Int32Array(layout.length).fill(-1, layout.width),
      b: new Int32Array(scope.slots.size + 1),
    }),
    memoBytes: () => scope.memos.reduce((sum, m) => sum + m.bytes, 0),
  };
}

export interface Invariant {
  readonly name: string;
  readonly test: IdFn;
}

export type Writer = (ctx: IdCtx, target: Int32Array) => void;

/** Evaluates `node` and stores the value as variable `index`. */
function general(node: Node, index: number, scope: IdScope): Writer {
  const e = compileIds(node, scope);
  const layout = scope.layout as Layout;
  return (ctx, target) => layout.write(target, index, e(ctx));
}

/**
 * The update `x' = node` on a successor that starts as a copy of the current state: for a flat x,
 * `x` itself writes nothing, `[x EXCEPT ![a] = v]` one slot, and CASE/IF choose among such arms.
 */
function writer(node: Node, index: number, scope: IdScope): Writer {
  const layout = scope.layout as Layout;
  const flat = layout.flat[index];
  const name = [...scope.vars].find(([, i]) => i === index)?.[0];
  if (!flat) return general(node, index, scope);
  if (node.k === "var" && node.name === name) return () => {};
  if (node.k === "except" && node.fn.k === "var" && node.fn.name === name) {
    const arg = compileIds(node.arg, scope);
    const value = compileIds(node.value, scope);
    const otherwise = general(node, index, scope);
    const { positions, base, cache } = flat;
    return (ctx, target) => {
      const x = arg(ctx);
      const at = x < positions.length ? (positions[x] as number) : 0;
      if (at === 0) return otherwise(ctx, target);
      target[base + at - 1] = value(ctx);
      target[cache] = -1;
    };
  }
  if (node.k === "if") {
    const c = compileIds(node.cond, scope);
    const [t, e] = [writer(node.ifTrue, index, scope), writer(node.ifFalse, index, scope)];
    return (ctx, target) => (scope.table.truth(c(ctx)) ? t(ctx, target) : e(ctx, target));
  }
  if (node.k === "case") {
    const conds = node.arms.map(([c]) => compileIds(c, scope));
    const arms = node.arms.map(([, v]) => writer(v, index, scope));
    const other = node.other ? writer(node.other, index, scope) : undefined;
    return (ctx, target) => {
      for (let i = 0; i < conds.length; i++) {
        if (scope.table.truth((conds[i] as IdFn)(ctx))) return (arms[i] as Writer)(ctx, target);
      }
      if (!other) throw new ModelEvalError("no CASE arm applies");
      other(ctx, target);
    };
  }
  return general(node, index, scope);
}

/**
 * The guard's conjuncts by level and the element ids of each parameter set, when every parameter
 * set is a constant non-empty set.
 */
function stageGuard(a: Action, scope: IdScope) {
  const elems: Int32Array[] = [];
  for (const p of a.params) {
    if (!isClosedNode(p.set)) return undefined;
    const id = compileIds(p.set, scope)({ s: new Int32Array(0), b: new Int32Array(0) });
    const set = scope.table.values[id];
    if (typeof set !== "object" || set.kind !== "set" || set.elems.length === 0) return undefined;
    elems.push(scope.table.elems(id));
  }
  const conjuncts: Node[] = [];
  const flatten = (n: Node): void => {
    if (n.k === "op" && n.op === "and") n.args.forEach(flatten);
    else conjuncts.push(n);
  };
  flatten(a.guard);
  const conjunctsAt: Node[][] = [...a.params.map(() => []), []];
  let level = 0;
  for (const c of conjuncts) {
    const reads = freeInputs(c).bound;
    a.params.forEach((p, i) => {
      if (reads.has(p.name)) level = Math.max(level, i + 1);
    });
    (conjunctsAt[level] as Node[]).push(c);
  }
  return { conjunctsAt, elems };
}

/**
 * Calls `emit` for every assignment of the clauses' values in `ctx`: `x = e` gives one value,
 * `x \in S` one branch per element of S.
 */
export function expandIdClauses(
  clauses: readonly IdClause[],
  table: ValueTable,
  ctx: IdCtx,
  target: Int32Array,
  emit: () => void,
  from = 0,
): void {
  for (let i = from; i < clauses.length; i++) {
    const c = clauses[i] as IdClause;
    if (c.write) {
      c.write(ctx, target);
      continue;
    }
    const elems = table.elems((c.in as IdFn)(ctx));
    for (let e = 0; e < elems.length; e++) {
      c.put(target, elems[e] as number);
      expandIdClauses(clauses, table, ctx, target, emit, i + 1);
    }
    return;
  }
  emit();
}
