import { ModelEvalError } from "./compile.js";
import type { IdCtx, IdFn } from "./compileIds.js";
import { type ActionCode, compileExpandAll, type Offer } from "./searchCode.js";
import { expandIdClauses, type SearchModel, type Writer } from "./searchModel.js";
import { TRUE as TRUE_ID } from "./ValueTable.js";

// Module-local copies: under tsx's transform every use of an imported binding is a getter call.
const expand = expandIdClauses;
const TRUE = TRUE_ID;

/**
 * Enumerates the successors of the state in `current` under every action, writing each into
 * `next` and handing it to `offer`; stops at the first result `offer` returns. An action with
 * generated code (`searchCode.ts`) runs it; the others take the generic path here, which binds the
 * parameters one level at a time and tests each guard conjunct as soon as its parameters are
 * bound. Edge labels name the action instance: action index times 0x10000 plus the parameter
 * combination.
 */
export class Expander<R> {
  private stop: R | undefined;
  private parent = 0;
  private label = 0;
  private readonly emit = (): void => {
    this.stop ??= this.offer(this.parent, this.label);
  };

  /** Every action's generated code in one function, when every action has some. */
  private readonly all: ActionCode | undefined;

  constructor(
    private readonly cm: SearchModel,
    private readonly ctx: IdCtx,
    private readonly current: Int32Array,
    private readonly next: Int32Array,
    private readonly offer: Offer<R>,
  ) {
    const codes = cm.actions.map((a) => a.code);
    this.all = codes.every((c) => c !== undefined) ? compileExpandAll(codes as ActionCode[]) : undefined;
  }

  expand(head: number): R | undefined {
    if (this.all) return this.all(this.ctx, this.current, this.next, this.offer, head);
    this.stop = undefined;
    this.parent = head;
    const actions = this.cm.actions;
    for (let a = 0; a < actions.length && !this.stop; a++) {
      const code = (actions[a] as SearchModel["actions"][number]).code;
      if (code) {
        this.stop = code(this.ctx, this.current, this.next, this.offer, head);
        continue;
      }
      this.label = a * 0x10000;
      this.bind(a, 0);
    }
    return this.stop;
  }

  private bind(a: number, p: number): void {
    const action = this.cm.actions[a] as SearchModel["actions"][number];
    const { ctx, cm } = this;
    const conjuncts = action.guardAt[p] as readonly IdFn[];
    for (let i = 0; i < conjuncts.length; i++) {
      const r = (conjuncts[i] as IdFn)(ctx);
      if (r !== TRUE && !cm.table.truth(r)) {
        this.label += action.combosAfter[p] as number;
        return;
      }
    }
    if (p === action.paramSets.length) {
      const { next, current } = this;
      for (let i = 0; i < next.length; i++) next[i] = current[i] as number;
      const writers = action.writers;
      if (writers) {
        // Only `x' = e` clauses: one successor.
        for (let i = 0; i < writers.length; i++) (writers[i] as Writer)(ctx, next);
        this.stop ??= this.offer(this.parent, this.label);
      } else expand(action.updates, cm.table, ctx, next, this.emit);
      this.label++;
      return;
    }
    const setId = (action.paramSets[p] as IdFn)(ctx);
    const set = cm.table.values[setId];
    if (typeof set !== "object" || set.kind !== "set") {
      throw new ModelEvalError(`parameter set of ${action.name} is not a set`);
    }
    const elems = cm.table.elems(setId);
    const slot = action.paramSlots[p] as number;
    for (let i = 0; i < elems.length && !this.stop; i++) {
      ctx.b[slot] = elems[i] as number;
      this.bind(a, p + 1);
    }
  }
}
