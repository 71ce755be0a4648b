/**
 * Generated JavaScript for the search's two hot paths, written per model so that V8 compiles each
 * call site for the one closure it calls.
 * - One function per action: the loops over its parameters, the guard's conjuncts at the level
 *   where their parameters are bound, the successor's updates and the call that hands it to the
 *   search. It enumerates exactly what the generic expansion (`Expander.ts`) does, in the same
 *   order and with the same edge labels; actions it does not cover (an `x' \in S` update, a
 *   parameter set that is not a constant) keep the generic path.
 * - One function testing TypeOK and the invariants of a new state, in order. */
import { type Action, type Node, substitute, type Value } from "../../models/index.js";
import { ModelEvalError, slotOf } from "./compile.js";
import type { IdCtx, IdFn, IdScope } from "./compileIds.js";
import { generatedFunction } from "./generatedFunction.js";
import { IdSource } from "./IdSource.js";
import { slotHash } from "./slotHash.js";

/**
 * Hands the successor in `next` to the search; a result other than undefined stops the expansion.
 * Generated code also says whether the step changed a stored slot (`changed`, 0 or 1), by how
 * much the state's hash (the sum in `slotHash.ts`) moved (`delta`), and which stored slots its
 * updates may write (`written`, ascending; no other slot can differ from the parent's); the
 * generic path leaves all three out.
 */
export type Offer<R> = (
  parent: number,
  label: number,
  changed?: number,
  delta?: number,
  written?: Int32Array,
) => R | undefined;

/** Writes every successor of `current` under the action into `next` and offers it. */
export type ActionCode = <R>(
  ctx: IdCtx,
  current: Int32Array,
  next: Int32Array,
  offer: Offer<R>,
  parent: number,
) => R | undefined;

/** Parameter combinations up to which an action's loops are unrolled, one block per binding. */
const UNROLL = 64;

/**
 * The action's code, given its guard conjuncts by level (as staged for the generic path) and the
 * elements of its constant parameter sets; undefined when the action needs the generic path.
 * With few combinations every binding gets its own block with the parameters substituted, so
 * `rmState[r]` is a fixed slot and `msgs \cup {[type |-> "Prepared", rm |-> r]}` a memo on `msgs`.
 */
export function compileActionCode(
  action: Action,
  index: number,
  scope: IdScope,
  guardAt: readonly (readonly Node[])[],
  paramElems: readonly Int32Array[],
): ActionCode | undefined {
  const layout = scope.layout;
  if (!layout || action.updates.some((u) => !("eq" in u))) return undefined;
  const src = new IdSource(scope);
  const sizes = paramElems.map((e) => e.length);
  const strides = sizes.map((_, k) => sizes.slice(k + 1).reduce((x, y) => x * y, 1));
  const unrolled = sizes.reduce((x, y) => x * y, 1) <= UNROLL;
  const copy = Array.from({ length: layout.length }, (_, i) => `next[${i}] = s[${i}];`).join(" ");
  const updates = action.updates.map((u) => {
    const i = scope.vars.get(u.var);
    if (i === undefined || !("eq" in u)) throw new Error(`action ${action.name}: update of unknown variable ${u.var}`);
    return { node: u.eq, index: i };
  });
  const hash = src.capture(slotHash);
  const leaf = (bound: ReadonlyMap<string, Value>, label: string): string => {
    const slots = new Set<number>();
    const writes = updates.map((u) => write(src, scope, substitute(u.node, bound), u.index, slots));
    // Only the slots the updates may write can differ from the parent's.
    const stored = [...slots].filter((k) => k < layout.width).sort((x, y) => x - y);
    const written = src.capture(Int32Array.from(stored));
    const diff = stored.map(
      (k) =>
        `if (next[${k}] !== s[${k}]) { ch = 1; d = (d + ${hash}(${k}, next[${k}]) - ${hash}(${k}, s[${k}])) | 0; }`,
    );
    return [
      copy,
      ...writes,
      "ch = 0; d = 0;",
      ...diff,
      `v = offer(parent, ${label}, ch, d, ${written});`,
      "if (v !== undefined) return v;",
    ].join("\n");
  };
  const test = (k: number, bound: ReadonlyMap<string, Value>): string =>
    (guardAt[k] ?? []).map((c) => src.cond(substitute(c, bound))).join(" && ");
  /** Level k with the first k parameters bound to `bound` (their combination number so far in `at`). */
  const level = (k: number, bound: ReadonlyMap<string, Value>, at: number): string => {
    const guard = test(k, bound);
    let inner: string;
    if (k === sizes.length) inner = leaf(bound, `${index * 0x10000 + at}`);
    else {
      const param = action.params[k]?.name ?? "";
      const elems = paramElems[k] as Int32Array;
      inner = Array.from(elems, (id, j) =>
        level(k + 1, new Map([...bound, [param, scope.table.values[id] as Value]]), at + j * (strides[k] as number)),
      ).join("\n");
    }
    return guard === "" ? inner : `if (${guard}) {\n${inner}\n}`;
  };
  let body: string;
  if (unrolled) body = level(0, new Map(), 0);
  else {
    const label = [`${index * 0x10000}`, ...strides.map((m, k) => `i${k} * ${m}`)].join(" + ");
    body = leaf(new Map(), label);
    for (let k = paramElems.length; k >= 0; k--) {
      const guard = test(k, new Map());
      if (guard !== "") body = `if (${guard}) {\n${body}\n}`;
      if (k === 0) break;
      const elems = src.capture(paramElems[k - 1]);
      const slot = slotOf(scope, action.params[k - 1]?.name ?? "");
      const i = `i${k - 1}`;
      body = `for (let ${i} = 0; ${i} < ${sizes[k - 1]}; ${i}++) {\nb[${slot}] = ${elems}[${i}];\n${body}\n}`;
    }
  }
  const name = `expand_${action.name.replace(/\W/g, "_")}`;
  return src.build<ActionCode>(
    name,
    ["ctx", "s", "next", "offer", "parent"],
    `const b = ctx.b;\nlet v, ch = 0, d = 0;\n${body}\nreturn undefined;`,
  );
}

/**
 * One function calling every action's code in turn, when every action has code: each call site
 * then has one target, which V8 can inline, where a loop over the actions calls through one site
 * that sees them all.
 */
export function compileExpandAll(codes: readonly ActionCode[]): ActionCode {
  const calls = codes.map((_, i) => `v = k${i}(ctx, s, next, offer, parent);\nif (v !== undefined) return v;`);
  const source = `return function expand_all(ctx, s, next, offer, parent) {\nlet v;\n${calls.join("\n")}\nreturn undefined;\n};`;
  return generatedFunction<ActionCode>(source, codes);
}

/**
 * Statements storing the value of `x' = node` into `next`, which starts as a copy of the current
 * state: for a flat x, `x` writes nothing, `[x EXCEPT ![a] = v]` one slot and IF/CASE choose among
 * such arms; anything else is stored whole through the layout. Every slot the statements may
 * write is added to `slots`.
 */
function write(src: IdSource, scope: IdScope, node: Node, index: number, slots: Set<number>): string {
  const layout = scope.layout;
  if (!layout) throw new Error("generated search code needs a state layout");
  const flat = layout.flat[index];
  if (!flat) {
    slots.add(layout.base[index] as number);
    return `next[${layout.base[index]}] = ${src.id(node)};`;
  }
  if (src.flatVar(node) === flat) return "";
  if (node.k === "except" && src.flatVar(node.fn) === flat) {
    const slot = src.flatSlot(flat, node.arg);
    if (slot !== undefined && slot >= 0) {
      slots.add(slot);
      return `next[${slot}] = ${src.id(node.value)}; next[${flat.cache}] = -1;`;
    }
    const [x, at] = [src.temp(), src.temp()];
    const positions = src.capture(flat.positions);
    const whole = writeWhole(src, scope, node, index, slots);
    return [
      `${x} = ${src.id(node.arg)};`,
      `${at} = ${x} < ${positions}.length ? ${positions}[${x}] : 0;`,
      `if (${at} === 0) ${whole}`,
      `else { next[${flat.base - 1} + ${at}] = ${src.id(node.value)}; next[${flat.cache}] = -1; }`,
    ].join("\n");
  }
  if (node.k === "if") {
    return `if (${src.cond(node.cond)}) {\n${write(src, scope, node.ifTrue, index, slots)}\n} else {\n${write(src, scope, node.ifFalse, index, slots)}\n}`;
  }
  if (node.k === "case") {
    const arms = node.arms.map(([c, v]) => `if (${src.cond(c)}) {\n${write(src, scope, v, index, slots)}\n}`);
    const noArm = src.capture(() => {
      throw new ModelEvalError("no CASE arm applies");
    });
    const other = node.other ? write(src, scope, node.other, index, slots) : `${noArm}();`;
    return [...arms, `{\n${other}\n}`].join(" else ");
  }
  return writeWhole(src, scope, node, index, slots);
}

/** Stores `node`'s whole value as flat variable `index` (the layout splits it into slots). */
function writeWhole(src: IdSource, scope: IdScope, node: Node, index: number, slots: Set<number>): string {
  const layout = scope.layout as NonNullable<IdScope["layout"]>;
  const flat = layout.flat[index];
  if (!flat) slots.add(layout.base[index] as number);
  else for (let k = flat.base; k < flat.base + flat.size; k++) slots.add(k);
  return `${src.capture(layout)}.write(next, ${index}, ${src.call(node)});`;
}

/**
 * Tests `predicates` in order on the state in `ctx.s`; returns the `report` of the first that is
 * FALSE, or -1. A predicate without an inline form is tested by its (memoised) closure.
 */
export function compileStateCheck(
  scope: IdScope,
  predicates: readonly { readonly node: Node; readonly closure: IdFn; readonly report: number }[],
): (ctx: IdCtx) => number {
  const src = new IdSource(scope);
  const tests = predicates.map((p) => `if (!${src.condOr(p.node, p.closure)}) return ${p.report};`);
  return src.build("checkState", ["ctx"], `const s = ctx.s, b = ctx.b;\n${tests.join("\n")}\nreturn -1;`);
}
