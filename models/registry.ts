/**
 * Every model `warden check`, `tla` and `tlc` know, by name. A factory takes `--param k=v`
 * values (as strings, validated by the factory) and returns the model.
 */
import { dieHard } from "./classic/dieHard.js";
import { peterson } from "./classic/peterson.js";
import { twoPhase } from "./classic/twoPhase.js";
import type { Model } from "./kernel/index.js";

export interface ModelEntry {
  readonly name: string;
  readonly summary: string;
  /** Parameter names with their meaning and default. */
  readonly params: Readonly<Record<string, { readonly doc: string; readonly default: string }>>;
  readonly build: (params: Readonly<Record<string, string>>) => Model;
}

/** Thrown by a factory for a parameter it cannot accept. */
export class ModelParamError extends Error {}

const int = (params: Readonly<Record<string, string>>, name: string, min: number, max: number): number | undefined => {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ModelParamError(`parameter ${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
};

const bool = (params: Readonly<Record<string, string>>, name: string): boolean | undefined => {
  const raw = params[name];
  if (raw === undefined) return undefined;
  if (raw !== "true" && raw !== "false") throw new ModelParamError(`parameter ${name} must be true or false`);
  return raw === "true";
};

export const modelRegistry: readonly ModelEntry[] = [
  {
    name: "DieHard",
    summary: "water-jug puzzle (classic; its invariant fails with the solution)",
    params: {
      small: { doc: "small jug capacity", default: "3" },
      big: { doc: "big jug capacity", default: "5" },
      goal: { doc: "amount to measure", default: "4" },
    },
    build: (p) => dieHard({ small: int(p, "small", 1, 50), big: int(p, "big", 1, 50), goal: int(p, "goal", 0, 50) }),
  },
  {
    name: "TwoPhase",
    summary: "two-phase commit with N resource managers (classic)",
    params: { rms: { doc: "number of resource managers", default: "3" } },
    build: (p) => twoPhase({ rms: int(p, "rms", 1, 9) }),
  },
  {
    name: "Peterson",
    summary: "Peterson's mutual exclusion with one liveness property that holds and one that fails (classic)",
    params: { bug: { doc: "must-fail twin that ignores the other's flag", default: "false" } },
    build: (p) => peterson({ bug: bool(p, "bug") }),
  },
];

/** Finds a model by name, case-insensitively. */
export function findModel(name: string): ModelEntry | undefined {
  return modelRegistry.find((m) => m.name.toLowerCase() === name.toLowerCase());
}
