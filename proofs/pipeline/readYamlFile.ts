import { parse } from "yaml";
import type { z } from "zod";
import { fieldPath } from "../../hypervisor/index.js";
import { inputError } from "../diagnostics/InputError.js";
import { readRegularFile } from "./readRegularFile.js";

/**
 * Reads a YAML file the user wrote (a budget, a sharing policy) and validates it: a missing file
 * is WRD100, a syntax error WRD110, a schema error WRD111 naming the field path.
 */
export function readYamlFile<S extends z.ZodType>(path: string, schema: S, what: string): z.output<S> {
  let text: string;
  try {
    text = readRegularFile(path).toString("utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw inputError("WRD100", `cannot read the ${what} (${code ?? "error"})`, { file: path });
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw inputError("WRD110", `${what}: ${(error as Error).message.split("\n")[0]}`, { file: path });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw inputError("WRD111", issue?.message ?? `invalid ${what}`, {
      file: path,
      field: fieldPath(issue?.path ?? []),
    });
  }
  return parsed.data;
}
