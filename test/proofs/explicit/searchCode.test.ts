/**
 * The generated action code against the generic expansion it replaces: on the first states of
 * every manifest model, both must offer the same successors, with the same edge labels, in the
 * same order (the search's counts, traces and state graph depend on all three), and the change
 * the generated code reports for each (whether it changed a slot, the hash's delta, and the
 * slots it may have written) must be the real one.
 */
import { describe, expect, it } from "vitest";
import { ModelEvalError } from "../../../proofs/explicit/compile.js";
import { Expander } from "../../../proofs/explicit/Expander.js";
import { compileSearchModel, expandIdClauses, type SearchModel } from "../../../proofs/explicit/searchModel.js";
import { slotSum } from "../../../proofs/explicit/slotHash.js";
import { readManifest, resolveModels } from "../../../proofs/index.js";

/** States explored per model (breadth-first, from the initial ones). */
const STATES = 1500;

/** Every successor of `state` offered by `cm`'s expansion, as `label:slots`, or the evaluation error. */
function successors(cm: SearchModel, state: Int32Array): string[] {
  const ctx = cm.newCtx();
  const current = new Int32Array(cm.layout.length);
  current.set(state);
  cm.layout.reset(current);
  ctx.s = current;
  const next = new Int32Array(cm.layout.length);
  const out: string[] = [];
  const width = cm.layout.width;
  const sum = (v: Int32Array): number => slotSum(v, width);
  const expander = new Expander(cm, ctx, current, next, (_parent, label, changed, delta, written) => {
    out.push(`${label}:${next.subarray(0, width).join(",")}`);
    // Generated code reports the change it made, from the slots it may write: it must be exact,
    // and every slot that changed must be among those it names.
    if (changed !== undefined) {
      const differs = next.subarray(0, width).some((x, i) => x !== current[i]);
      if ((changed === 1) !== differs || delta !== ((sum(next) - sum(current)) | 0)) {
        out.push(`${label}: reported changed=${changed} delta=${delta}, but the successor differs: ${differs}`);
      }
      const named = new Set(written ?? []);
      const missed = [...next.subarray(0, width).keys()].filter((i) => next[i] !== current[i] && !named.has(i));
      if (missed.length > 0) out.push(`${label}: slots ${missed.join(",")} changed but are not named as written`);
    }
    return undefined;
  });
  try {
    expander.expand(0);
  } catch (error) {
    if (!(error instanceof ModelEvalError)) throw error;
    out.push(`error: ${error.message}`);
  }
  return out;
}

describe("generated action code", () => {
  const entries = readManifest().filter((e) => e.runtime !== "large");

  for (const entry of entries) {
    it(`offers what the generic expansion offers on ${entry.model} ${JSON.stringify(entry.params)}`, () => {
      const [resolved] = resolveModels([entry.model], entry.params);
      const cm = compileSearchModel(resolved?.model ?? expect.unreachable());
      const generic: SearchModel = { ...cm, actions: cm.actions.map((a) => ({ ...a, code: undefined })) };
      expect(cm.actions.some((a) => a.code)).toBe(true);
      // Breadth-first over the generic expansion's successors, keyed by their slots.
      const seen = new Set<string>();
      const queue: Int32Array[] = [];
      const visit = (slots: Int32Array): void => {
        const key = slots.join(",");
        if (seen.has(key) || seen.size >= STATES) return;
        seen.add(key);
        queue.push(Int32Array.from(slots));
      };
      const ctx = cm.newCtx();
      const target = new Int32Array(cm.layout.length);
      cm.layout.reset(target);
      expandIdClauses(cm.init, cm.table, ctx, target, () => visit(target.subarray(0, cm.layout.width)));
      let compared = 0;
      for (let head = 0; head < queue.length; head++) {
        const state = queue[head] as Int32Array;
        const expected = successors(generic, state);
        expect(successors(cm, state)).toEqual(expected);
        compared += expected.length;
        for (const s of expected) {
          if (!s.startsWith("error")) visit(Int32Array.from((s.split(":")[1] ?? "").split(","), Number));
        }
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});
