import { type ConfigFacts, findModel, type Model, ModelParamError, modelRegistry } from "../../models/index.js";
import { inputError } from "../diagnostics/InputError.js";

export interface ResolvedModel {
  readonly name: string;
  readonly params: Readonly<Record<string, string>>;
  readonly model: Model;
}

/** Parses `k=v` strings; a malformed one is a usage error naming it. */
export function parseParams(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of raw) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw inputError("WRD301", `--param expects k=v, got "${item}"`, { field: "--param" });
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/**
 * The models named on the command line (all registered models when none is named), built with
 * the given parameters. Each parameter must belong to at least one of the models.
 */
export function resolveModels(
  names: readonly string[],
  params: Readonly<Record<string, string>>,
  facts?: ConfigFacts,
): ResolvedModel[] {
  const defaults = modelRegistry.filter((m) => !facts || m.fromConfig).map((m) => m.name);
  const entries = (names.length === 0 ? defaults : names).map((name) => {
    const entry = findModel(name);
    if (!entry) {
      throw inputError("WRD300", `unknown model "${name}"; known: ${modelRegistry.map((m) => m.name).join(", ")}`);
    }
    return entry;
  });
  for (const key of Object.keys(params)) {
    if (!entries.some((e) => key in e.params)) {
      throw inputError("WRD301", `no model here takes the parameter "${key}"`, { field: `--param ${key}` });
    }
  }
  return entries.map((entry) => {
    if (facts && !entry.fromConfig) {
      throw inputError("WRD301", `${entry.name} is not instantiated from a configuration; drop --config`);
    }
    const own = {
      ...(facts && entry.fromConfig ? entry.fromConfig(facts) : {}),
      ...Object.fromEntries(Object.entries(params).filter(([k]) => k in entry.params)),
    };
    try {
      return { name: entry.name, params: own, model: entry.build(own) };
    } catch (error) {
      if (error instanceof ModelParamError) throw inputError("WRD301", `${entry.name}: ${error.message}`);
      throw error;
    }
  });
}
