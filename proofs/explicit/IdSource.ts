/**
 * JavaScript source for expressions over value ids, for the search's generated code. The closures
 * of `compileIds` share their code across every node of a kind, so their inner calls are
 * megamorphic and V8 inlines none of them; generated source gives each comparison, connective
 * and slot read its own code. Slot reads, `=` and `#`, the connectives, IF, `f[x]` on a flat
 * variable, membership in a constant set and quantifiers over one (a copy of the body per
 * element) are written out while their estimated cost stays small; every other node calls its
 * `compileIds` closure, which stays the one place its meaning (and memoisation) is defined. */
import { children, type Node, type SetValue, substitute, type Value } from "../../models/index.js";
import { ModelEvalError, slotOf } from "./compile.js";
import { compileIds, constantId, type IdFn, type IdScope } from "./compileIds.js";
import { generatedFunction } from "./generatedFunction.js";
import type { FlatVar, Layout } from "./Layout.js";
import { FALSE, TRUE } from "./ValueTable.js";

export class IdSource {
  /** Values the source refers to as `k0`, `k1`, …: closures, position tables, element lists. */
  private readonly captured: unknown[] = [];
  private temps = 0;
  /** The captured membership bitmap of each constant set, by set id. */
  private readonly bitmaps = new Map<number, string>();
  /** `constant` and `cost` by node: both are asked again for every enclosing node. */
  private readonly constants = new WeakMap<Node, number | undefined>();
  private readonly costs = new WeakMap<Node, number>();
  private readonly layout: Layout;
  private readonly truth: string;

  constructor(private readonly scope: IdScope) {
    if (!scope.layout) throw new Error("generated search code needs a state layout");
    this.layout = scope.layout;
    const table = scope.table;
    this.truth = this.capture((id: number) => table.truth(id));
  }

  /** A name for `value` in the generated source. */
  capture(value: unknown): string {
    this.captured.push(value);
    return `k${this.captured.length - 1}`;
  }

  /** A fresh local variable. */
  temp(): string {
    return `t${this.temps++}`;
  }

  /** Source evaluating to the id of `node`'s value. */
  id(node: Node): string {
    const c = this.constant(node);
    if (c !== undefined) return `${c}`;
    if (!this.inline(node)) return this.call(node);
    switch (node.k) {
      case "bound":
        return `b[${slotOf(this.scope, node.name)}]`;
      case "var":
        return `s[${this.layout.base[this.scope.vars.get(node.name) as number]}]`;
      case "if":
        return `(${this.cond(node.cond)} ? ${this.id(node.ifTrue)} : ${this.id(node.ifFalse)})`;
      case "apply": {
        const flat = this.flatVar(node.fn) as FlatVar;
        // The image sits in the state vector; an argument outside the domain takes the general path.
        const slot = this.flatSlot(flat, node.arg);
        if (slot !== undefined) return slot < 0 ? this.call(node) : `s[${slot}]`;
        const [x, at] = [this.temp(), this.temp()];
        const positions = this.capture(flat.positions);
        return `((${x} = ${this.id(node.arg)}) < ${positions}.length && (${at} = ${positions}[${x}]) > 0 ? s[${flat.base - 1} + ${at}] : ${this.call(node)})`;
      }
      default:
        return `(${this.cond(node)} ? ${TRUE} : ${FALSE})`;
    }
  }

  /** Source evaluating to `node`'s truth; a value that is not a Boolean raises the table's error. */
  cond(node: Node): string {
    const c = this.constant(node);
    if (c === TRUE) return "true";
    if (c === FALSE) return "false";
    if (c === undefined && this.inline(node) && (node.k === "op" || node.k === "forall" || node.k === "exists")) {
      return this.inlineCond(node);
    }
    return this.truthOf(this.id(node));
  }

  /** `node`'s truth inline when it has an inline form, else through `closure`. */
  condOr(node: Node, closure: IdFn): string {
    return this.inline(node) ? this.cond(node) : this.truthOf(`${this.capture(closure)}(ctx)`);
  }

  /** The truth of the id `source` evaluates to. */
  private truthOf(source: string): string {
    const t = this.temp();
    return `((${t} = ${source}) === ${TRUE} || (${t} !== ${FALSE} && ${this.truth}(${t})))`;
  }

  private inlineCond(node: Extract<Node, { k: "op" | "forall" | "exists" }>): string {
    if (node.k !== "op") {
      // A quantifier over a small constant set: one copy of the body per element, in the set's order.
      const elems = (this.constantValue(node.set) as SetValue).elems;
      const copies = elems.map((e) => this.cond(substitute(node.body, new Map([[node.name, e]]))));
      if (copies.length === 0) return node.k === "forall" ? "true" : "false";
      return `(${copies.join(node.k === "forall" ? " && " : " || ")})`;
    }
    const args = node.args;
    const [a, b] = args as [Node, Node];
    switch (node.op) {
      case "eq":
        return `(${this.id(a)} === ${this.id(b)})`;
      case "neq":
        return `(${this.id(a)} !== ${this.id(b)})`;
      case "not":
        return `!${this.cond(a)}`;
      case "implies":
        return `(!${this.cond(a)} || ${this.cond(b)})`;
      case "and":
      case "or":
        return `(${args.map((x) => this.cond(x)).join(node.op === "and" ? " && " : " || ")})`;
      case "in":
      case "notin":
        return `${node.op === "notin" ? "!" : ""}${this.member(a, b)}`;
      default:
        throw new Error(`no inline form for ${node.op}`);
    }
  }

  /**
   * `x \in S` for a constant S: a lookup in a bitmap of S's element ids (every element was interned
   * when S was folded, so an id past the bitmap is no element). `f \in [D -> R]` for a flat f over
   * D: every image is in R.
   */
  private member(x: Node, set: Node): string {
    const flat = this.flatVar(x);
    if (flat && set.k === "fnSet") {
      const images = Array.from({ length: flat.size }, (_, p) => this.bitmapTest(`s[${flat.base + p}]`, set.range));
      return `(${images.join(" && ")})`;
    }
    return this.bitmapTest(this.id(x), set);
  }

  private bitmapTest(x: string, set: Node): string {
    const setId = this.constant(set) as number;
    let map = this.bitmaps.get(setId);
    if (!map) {
      const ids = this.scope.table.elems(setId);
      const bitmap = new Uint8Array(Math.max(-1, ...ids) + 1);
      for (const id of ids) bitmap[id] = 1;
      map = this.capture(bitmap);
      this.bitmaps.set(setId, map);
    }
    const t = this.temp();
    return `((${t} = ${x}) < ${map}.length && ${map}[${t}] === 1)`;
  }

  /** Whether `node` is emitted as JavaScript rather than a closure call. */
  inline(node: Node): boolean {
    return this.hasInlineForm(node) && this.cost(node) <= INLINE_BUDGET;
  }

  /** Whether `node`'s own operation can be written out (its operands may still be closure calls). */
  private hasInlineForm(node: Node): boolean {
    switch (node.k) {
      case "bound":
      case "if":
        return true;
      case "var": {
        const i = this.scope.vars.get(node.name);
        return i !== undefined && !this.layout.flat[i];
      }
      case "apply":
        return this.flatVar(node.fn) !== undefined;
      case "forall":
      case "exists":
        return this.isConstantSet(node.set);
      case "op": {
        if (CONNECTIVES.has(node.op)) return true;
        if (node.op !== "in" && node.op !== "notin") return false;
        const [x, set] = node.args as [Node, Node];
        const flat = this.flatVar(x);
        if (flat && set.k === "fnSet") return this.isFlatDomain(flat, set.domain) && this.isConstantSet(set.range);
        return this.isConstantSet(set);
      }
      default:
        return false;
    }
  }

  /** Roughly the work of evaluating `node` written out: one per operation, a closure call as a memo probe. */
  private cost(node: Node): number {
    let c = this.costs.get(node);
    if (c === undefined) {
      c = this.costOf(node);
      this.costs.set(node, c);
    }
    return c;
  }

  private costOf(node: Node): number {
    if (this.constant(node) !== undefined || node.k === "bound") return 0;
    if (!this.hasInlineForm(node)) return CALL_COST;
    switch (node.k) {
      case "forall":
      case "exists":
        // The body is copied once per element.
        return (this.constantValue(node.set) as SetValue).elems.length * (1 + this.cost(node.body));
      case "apply":
        return 1 + this.cost(node.arg);
      case "op": {
        const [x, set] = node.args as [Node, Node];
        const flat = this.flatVar(x);
        if (flat && set.k === "fnSet" && !CONNECTIVES.has(node.op)) return flat.size;
        return node.args.reduce((sum, a) => sum + this.cost(a), 1);
      }
      default:
        return children(node).reduce((sum, a) => sum + this.cost(a), 1);
    }
  }

  private constantValue(node: Node): Value | undefined {
    const id = this.constant(node);
    return id === undefined ? undefined : this.scope.table.values[id];
  }

  /** Whether `node` folds to a set value (huge sets are never folded). */
  private isConstantSet(node: Node): boolean {
    const v = this.constantValue(node);
    return typeof v === "object" && v.kind === "set";
  }

  private isFlatDomain(flat: FlatVar, node: Node): boolean {
    const v = this.constantValue(node);
    return (
      typeof v === "object" &&
      v.kind === "set" &&
      v.elems.length === flat.size &&
      v.elems.every((e, p) => {
        const id = this.scope.table.intern(e);
        return id < flat.positions.length && flat.positions[id] === p + 1;
      })
    );
  }

  /** The flat variable `node` names, if it is one. */
  flatVar(node: Node) {
    if (node.k !== "var") return undefined;
    const i = this.scope.vars.get(node.name);
    return i === undefined ? undefined : this.layout.flat[i];
  }

  /**
   * The slot of `flat`'s image at `arg` when `arg` is a constant: -1 when it is outside the
   * domain; undefined when `arg` varies.
   */
  flatSlot(flat: FlatVar, arg: Node): number | undefined {
    const x = this.constant(arg);
    if (x === undefined) return undefined;
    const at = x < flat.positions.length ? (flat.positions[x] as number) : 0;
    return at === 0 ? -1 : flat.base + at - 1;
  }

  /**
   * Source calling `node`'s closure. Substituted parameters make sub-expressions closed, and
   * folding one may fail (`1 \div 0` in an arm never taken): such a closure fails when called,
   * not now, as it would have unsubstituted.
   */
  call(node: Node): string {
    let fn: IdFn;
    try {
      fn = compileIds(node, this.scope);
    } catch (error) {
      if (!(error instanceof ModelEvalError)) throw error;
      fn = () => {
        throw error;
      };
    }
    return `${this.capture(fn)}(ctx)`;
  }

  /** The id of `node` when it folds to a constant; undefined when it varies or its folding fails. */
  private constant(node: Node): number | undefined {
    if (this.constants.has(node)) return this.constants.get(node);
    let id: number | undefined;
    try {
      id = constantId(node, this.scope);
    } catch (error) {
      if (!(error instanceof ModelEvalError)) throw error;
    }
    this.constants.set(node, id);
    return id;
  }

  /**
   * Builds a function from `body`, which sees the captured values, its temporaries and the
   * parameters `params`.
   */
  build<F>(name: string, params: readonly string[], body: string): F {
    const temps = Array.from({ length: this.temps }, (_, i) => `t${i} = 0`);
    const source = [
      `return function ${name}(${params.join(", ")}) {`,
      temps.length > 0 ? `  let ${temps.join(", ")};` : "",
      body,
      "};",
    ].join("\n");
    return generatedFunction<F>(source, this.captured);
  }
}

const CONNECTIVES = new Set(["eq", "neq", "and", "or", "not", "implies"]);

/** The cost up to which an expression is written out rather than called (and memoised). */
const INLINE_BUDGET = 512;
/** A closure call: about what a memo probe costs in inline operations. */
const CALL_COST = 8;
