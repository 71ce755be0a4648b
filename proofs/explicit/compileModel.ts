/**
 * A model compiled for the search: closures for Init, each action's parameter sets, guard and
 * updates, the constraint, invariants and state predicates of temporal properties.
 */
import type { InitClause, Model, Node, Value } from "../../models/index.js";
import { asSet, bool, type Compiled, type Ctx, compile, type Scope } from "./compile.js";

export interface CompiledClause {
  readonly index: number;
  readonly eq?: Compiled;
  readonly in?: Compiled;
}

export interface CompiledAction {
  readonly name: string;
  readonly paramSlots: readonly number[];
  readonly paramSets: readonly Compiled[];
  readonly guard: Compiled;
  readonly updates: readonly CompiledClause[];
}

export interface CompiledModel {
  readonly model: Model;
  readonly varNames: readonly string[];
  readonly init: readonly CompiledClause[];
  readonly actions: readonly CompiledAction[];
  readonly constraint?: Compiled;
  readonly invariants: readonly { readonly name: string; readonly test: Compiled }[];
  readonly predicate: (node: Node) => Compiled;
  readonly slots: number;
  newCtx(): Ctx;
}

/** Compiles `model` with its constants bound (overridden by `constants` where given). */
export function compileModel(model: Model, constants: ReadonlyMap<string, Value> = new Map()): CompiledModel {
  const scope: Scope = {
    vars: new Map(model.variables.map((v, i) => [v.name, i])),
    consts: new Map(model.constants.map((c) => [c.name, constants.get(c.name) ?? c.value])),
    slots: new Map(),
  };
  const clause = (c: InitClause): CompiledClause => {
    const index = scope.vars.get(c.var);
    if (index === undefined) throw new Error(`model ${model.name}: assignment to unknown variable ${c.var}`);
    return "eq" in c ? { index, eq: compile(c.eq, scope) } : { index, in: compile(c.in, scope) };
  };
  const init = model.init.map(clause);
  const missing = model.variables.filter((_, i) => !init.some((c) => c.index === i));
  if (missing.length > 0) throw new Error(`model ${model.name}: Init leaves ${missing.map((v) => v.name)} undefined`);
  const actions = model.actions.map((a) => ({
    name: a.name,
    paramSlots: a.params.map((p) => slot(scope, p.name)),
    paramSets: a.params.map((p) => compile(p.set, scope)),
    guard: compile(a.guard, scope),
    updates: a.updates.map(clause),
  }));
  const typeOK = model.variables.map((v) =>
    compile({ k: "op", op: "in", args: [{ k: "var", name: v.name }, v.type] }, scope),
  );
  const compiled = {
    model,
    varNames: model.variables.map((v) => v.name),
    init,
    actions,
    ...(model.constraint ? { constraint: compile(model.constraint, scope) } : {}),
    invariants: [
      { name: "TypeOK", test: (ctx: Ctx) => typeOK.every((t) => bool(t(ctx))) },
      ...model.invariants.map((inv) => ({ name: inv.name, test: compile(inv.p, scope) })),
    ],
    predicate: (node: Node) => compile(node, scope),
    get slots() {
      return scope.slots.size;
    },
    newCtx: (): Ctx => ({ s: [], b: new Array(scope.slots.size + 8).fill(false) }),
  };
  return compiled;
}

function slot(scope: Scope, name: string): number {
  let s = scope.slots.get(name);
  if (s === undefined) {
    s = scope.slots.size;
    scope.slots.set(name, s);
  }
  return s;
}

/**
 * Calls `emit` for every assignment of the clauses' values in `ctx`: `x = e` gives one value,
 * `x \in S` one branch per element of S.
 */
export function expandClauses(
  clauses: readonly CompiledClause[],
  ctx: Ctx,
  target: Value[],
  emit: () => void,
  from = 0,
): void {
  if (from === clauses.length) {
    emit();
    return;
  }
  const c = clauses[from] as CompiledClause;
  if (c.eq) {
    target[c.index] = c.eq(ctx);
    expandClauses(clauses, ctx, target, emit, from + 1);
    return;
  }
  for (const v of asSet((c.in as Compiled)(ctx)).elems) {
    target[c.index] = v;
    expandClauses(clauses, ctx, target, emit, from + 1);
  }
}
