import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { inputError } from "../diagnostics/InputError.js";
import type { VoteVariant } from "./voteCatalogue.js";

/**
 * Loads a user's variant (`--variant FILE`): a module whose default export is a
 * {@link VoteVariant}. JavaScript loads directly; TypeScript through tsx, when it is installed.
 */
export async function loadVariant(file: string): Promise<VoteVariant> {
  const path = resolve(file);
  if (!existsSync(path)) throw inputError("WRD100", "no such file", { file });
  // Importing a device or FIFO (`/dev/zero`) would read forever.
  if (!statSync(path).isFile()) throw inputError("WRD100", "not a regular file", { file });
  if (!/\.[cm]?[jt]s$/.test(path)) throw inputError("WRD303", "a variant is a .js or .ts module", { file });
  let module: { default?: unknown };
  try {
    if (/\.[cm]?ts$/.test(path)) {
      const tsx = (await import("tsx/esm/api").catch(() => undefined)) as
        | { tsImport: (url: string, parent: string) => Promise<{ default?: unknown }> }
        | undefined;
      if (!tsx) throw new Error("TypeScript variants need tsx (npm install tsx), or compile the file to .js");
      module = await tsx.tsImport(pathToFileURL(path).href, import.meta.url);
    } else {
      module = (await import(pathToFileURL(path).href)) as { default?: unknown };
    }
  } catch (error) {
    throw inputError(
      "WRD303",
      `cannot load: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`,
      { file },
    );
  }
  const v = module.default as Partial<VoteVariant> | undefined;
  if (!v || typeof v.name !== "string" || !/^[\w-]+$/.test(v.name))
    throw inputError("WRD303", "the default export needs a name (letters, digits, - or _)", { file });
  if (typeof v.summary !== "string")
    throw inputError("WRD303", `variant ${v.name}: summary must be a string`, { file });
  if (v.build !== undefined && typeof v.build !== "function")
    throw inputError("WRD303", `variant ${v.name}: build must be a function returning a Model`, { file });
  if (v.protocol !== undefined && (typeof v.protocol !== "object" || v.protocol === null))
    throw inputError("WRD303", `variant ${v.name}: protocol must be an object (see VoteProtocol)`, { file });
  return v as VoteVariant;
}
