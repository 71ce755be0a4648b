/**
 * A model: TLA+'s spec structure as data. `defineModel` builds one from typed callbacks, so a
 * model file reads like the TLA+ module it is emitted as.
 */
import type { Node } from "./ast.js";
import { Ex, resetBinderNames, type SetT } from "./expr.js";
import type { Value } from "./values.js";

export interface Documented {
  readonly name: string;
  /** What it means, in the domain's words; emitted as a comment in TLA+. */
  readonly doc: string;
}

export interface ConstantDecl extends Documented {
  /** The value bound for this run (a number, a set of model values, ...). */
  readonly value: Value;
}

export interface VariableDecl extends Documented {
  /** The variable's type as a set expression; `TypeOK` is the conjunction of `v \in type`. */
  readonly type: Node;
}

/** Init gives each variable one value, or a set to range over (`x \in S`). */
export type InitClause = { readonly var: string; readonly eq: Node } | { readonly var: string; readonly in: Node };

export interface ActionParam {
  readonly name: string;
  readonly set: Node;
}

/** One disjunct of Next: `\E params : guard /\ updates /\ UNCHANGED others`. */
export interface Action extends Documented {
  readonly params: readonly ActionParam[];
  readonly guard: Node;
  /** Primed assignments; `in` is a nondeterministic `x' \in S`. */
  readonly updates: readonly InitClause[];
}

export type TemporalProperty =
  | (Documented & { readonly kind: "always"; readonly p: Node })
  | (Documented & { readonly kind: "eventuallyAlways"; readonly p: Node })
  | (Documented & { readonly kind: "alwaysEventually"; readonly p: Node })
  | (Documented & { readonly kind: "leadsTo"; readonly p: Node; readonly q: Node });

export interface Fairness {
  readonly kind: "weak" | "strong";
  readonly action: string;
}

export interface Model extends Documented {
  /** Prose for the TLA+ header: what is modelled and what is left out. */
  readonly header: string;
  readonly constants: readonly ConstantDecl[];
  readonly variables: readonly VariableDecl[];
  readonly init: readonly InitClause[];
  readonly actions: readonly Action[];
  readonly invariants: readonly (Documented & { readonly p: Node })[];
  readonly properties: readonly TemporalProperty[];
  readonly fairness: readonly Fairness[];
  /** Only states satisfying it are explored (TLA+ CONSTRAINT). */
  readonly constraint?: Node;
  /** Name of a constant whose model values are interchangeable (TLA+ SYMMETRY); off for liveness. */
  readonly symmetry?: string;
  /** Whether a state without successors is an error (TLC's deadlock check). */
  readonly checkDeadlock: boolean;
}

/** Handles passed to a model's definition callbacks. */
export interface Scope<V, C> {
  readonly v: { readonly [K in keyof V]: Ex<V[K]> };
  readonly c: { readonly [K in keyof C]: Ex<C[K]> };
}

type Updates<V> = { readonly [K in keyof V]?: Ex<V[K]> | { readonly in: Ex<SetT<V[K]>> } };

export interface ActionSpec<V> {
  readonly doc: string;
  readonly guard: Ex<boolean>;
  readonly update: Updates<V>;
}

export interface ModelSpec<V, C> {
  readonly name: string;
  readonly doc: string;
  readonly header: string;
  readonly constants: { readonly [K in keyof C]: { readonly doc: string; readonly value: Value } };
  readonly variables: (s: Scope<V, C>) => {
    readonly [K in keyof V]: { readonly doc: string; readonly type: Ex<SetT<V[K]>> };
  };
  readonly init: (s: Scope<V, C>) => Updates<V>;
  /** Actions by name. An action with parameters is a function of bound expressions, with their sets. */
  readonly actions: (s: Scope<V, C>) => Readonly<Record<string, ActionSpec<V> | ParamAction<V>>>;
  readonly invariants?: (s: Scope<V, C>) => Readonly<Record<string, { readonly doc: string; readonly p: Ex<boolean> }>>;
  readonly properties?: (s: Scope<V, C>) => Readonly<Record<string, PropertySpec>>;
  readonly fairness?: readonly Fairness[];
  readonly constraint?: (s: Scope<V, C>) => Ex<boolean>;
  readonly symmetry?: keyof C & string;
  readonly checkDeadlock?: boolean;
}

export type PropertySpec =
  | { readonly doc: string; readonly always: Ex<boolean> }
  | { readonly doc: string; readonly eventuallyAlways: Ex<boolean> }
  | { readonly doc: string; readonly alwaysEventually: Ex<boolean> }
  | { readonly doc: string; readonly leadsTo: readonly [Ex<boolean>, Ex<boolean>] };

/** An action with parameters `\E p1 \in S1, ... : body(p1, ...)`. */
export interface ParamAction<V> {
  readonly params: readonly (readonly [string, Ex<SetT<unknown>>])[];
  readonly body: (...xs: Ex<never>[]) => ActionSpec<V>;
}

/** Declares an action parameterised over one or more sets. */
export function withParams<V>(
  params: readonly (readonly [string, Ex<SetT<unknown>>])[],
  body: (...xs: Ex<never>[]) => ActionSpec<V>,
): ParamAction<V> {
  return { params, body };
}

/** Builds a model from its typed specification. */
export function defineModel<V, C>(spec: ModelSpec<V, C>): Model {
  resetBinderNames();
  const c = Object.fromEntries(Object.keys(spec.constants).map((n) => [n, new Ex({ k: "const", name: n })]));
  const varDecls0 = spec.variables({ v: {} as Scope<V, C>["v"], c: c as Scope<V, C>["c"] });
  const v = Object.fromEntries(Object.keys(varDecls0).map((n) => [n, new Ex({ k: "var", name: n })]));
  const scope = { v, c } as unknown as Scope<V, C>;
  const vars = spec.variables(scope);
  const actions = Object.entries(spec.actions(scope)).map(([name, a]) => toAction(name, a));
  return {
    name: spec.name,
    doc: spec.doc,
    header: spec.header,
    constants: Object.entries(spec.constants).map(([name, d]) => {
      const decl = d as { doc: string; value: Value };
      return { name, doc: decl.doc, value: decl.value };
    }),
    variables: Object.entries(vars).map(([name, d]) => {
      const decl = d as { doc: string; type: Ex<unknown> };
      return { name, doc: decl.doc, type: decl.type.node };
    }),
    init: toClauses(spec.init(scope)),
    actions,
    invariants: Object.entries(spec.invariants?.(scope) ?? {}).map(([name, i]) => ({ name, doc: i.doc, p: i.p.node })),
    properties: Object.entries(spec.properties?.(scope) ?? {}).map(([name, p]) => toProperty(name, p)),
    fairness: spec.fairness ?? [],
    ...(spec.constraint ? { constraint: spec.constraint(scope).node } : {}),
    ...(spec.symmetry ? { symmetry: spec.symmetry } : {}),
    checkDeadlock: spec.checkDeadlock ?? true,
  };
}

function toClauses<V>(updates: Updates<V>): InitClause[] {
  return Object.entries(updates).map(([name, u]) =>
    u instanceof Ex ? { var: name, eq: u.node } : { var: name, in: (u as { in: Ex<unknown> }).in.node },
  );
}

function toAction<V>(name: string, a: ActionSpec<V> | ParamAction<V>): Action {
  if ("params" in a) {
    const bound = a.params.map(([p]) => new Ex<never>({ k: "bound", name: p }));
    const spec = a.body(...bound);
    return {
      name,
      doc: spec.doc,
      params: a.params.map(([p, set]) => ({ name: p, set: set.node })),
      guard: spec.guard.node,
      updates: toClauses(spec.update),
    };
  }
  return { name, doc: a.doc, params: [], guard: a.guard.node, updates: toClauses(a.update) };
}

function toProperty(name: string, p: PropertySpec): TemporalProperty {
  if ("always" in p) return { name, doc: p.doc, kind: "always", p: p.always.node };
  if ("eventuallyAlways" in p) return { name, doc: p.doc, kind: "eventuallyAlways", p: p.eventuallyAlways.node };
  if ("alwaysEventually" in p) return { name, doc: p.doc, kind: "alwaysEventually", p: p.alwaysEventually.node };
  return { name, doc: p.doc, kind: "leadsTo", p: p.leadsTo[0].node, q: p.leadsTo[1].node };
}
