/**
 * YAML/JSON configuration documents: a system (`system:`), a cell (`cell:`), or a configuration
 * set (`system:` plus `cells:`). Reading never throws: errors are diagnostics naming the field
 * path (`cells[1].memory_regions[3].size`).
 */
import { parseDocument } from "yaml";
import { z } from "zod";
import type { Decoded } from "../diagnostic.js";
import type { CellConfig, SystemConfig } from "../types.js";
import { archSchema, type CellFormOutput, cellFields, cellFromForm, cellToForm } from "./cellForm.js";
import { systemForm, systemFromForm, systemToForm } from "./systemForm.js";

export type ConfigDocument =
  | { readonly kind: "system"; readonly system: SystemConfig }
  | { readonly kind: "cell"; readonly cell: CellConfig }
  | { readonly kind: "set"; readonly system: SystemConfig; readonly cells: readonly CellConfig[] };

const cellDoc = z.strictObject({ arch: archSchema.optional(), ...cellFields });

const documentForm = z
  .strictObject({
    system: systemForm.optional(),
    cell: cellDoc.optional(),
    cells: z.array(cellDoc).optional(),
  })
  .transform((d, ctx): ConfigDocument => {
    if (d.cell && (d.system || d.cells)) {
      ctx.addIssue({
        code: "custom",
        path: ["cell"],
        message: "a document holds either `cell:` or `system:` (with `cells:`)",
      });
      return z.NEVER;
    }
    if (d.cell) {
      const cell = cellFromForm(d.cell as CellFormOutput, d.cell.arch ?? "x86", ctx, ["cell"]);
      return cell ? { kind: "cell", cell } : z.NEVER;
    }
    if (!d.system) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: "expected a `system:`, `cell:` or `system:` + `cells:` document",
      });
      return z.NEVER;
    }
    const system = systemFromForm(d.system, ctx, ["system"]);
    if (!system) return z.NEVER;
    if (!d.cells) return { kind: "system", system };
    const cells: CellConfig[] = [];
    for (const [i, c] of d.cells.entries()) {
      if (c.arch && c.arch !== system.arch) {
        ctx.addIssue({
          code: "custom",
          path: ["cells", i, "arch"],
          message: `cell architecture ${c.arch} differs from the system's ${system.arch}`,
        });
        return z.NEVER;
      }
      const cell = cellFromForm(c as CellFormOutput, system.arch, ctx, ["cells", i]);
      if (!cell) return z.NEVER;
      cells.push(cell);
    }
    const names = [system.root_cell.name, ...cells.map((c) => c.name)];
    const dup = names.findIndex((n, i) => names.indexOf(n) !== i);
    if (dup >= 0) {
      ctx.addIssue({
        code: "custom",
        path: ["cells", dup - 1, "name"],
        message: `cell name "${names[dup]}" is used twice`,
      });
      return z.NEVER;
    }
    return { kind: "set", system, cells };
  });

/** `a.b[2].c` from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
    "",
  );
}

export function parseConfigText(text: string, file: string, format: "yaml" | "json"): Decoded<ConfigDocument> {
  let raw: unknown;
  if (format === "json") {
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return fail("WRD110", file, undefined, `JSON syntax error: ${(error as Error).message}`);
    }
  } else {
    const doc = parseDocument(text, { prettyErrors: false });
    const first = doc.errors[0];
    if (first) {
      const line = first.linePos?.[0];
      return fail(
        "WRD110",
        file,
        undefined,
        `YAML syntax error${line ? ` at line ${line.line}, column ${line.col}` : ""}: ${first.message.split("\n")[0]}`,
      );
    }
    try {
      // Aliases are expanded here: a "billion laughs" document stops at yaml's alias budget.
      raw = doc.toJS();
    } catch (error) {
      return fail("WRD110", file, undefined, `YAML cannot be expanded: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  const parsed = documentForm.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = fieldPath(issue?.path ?? []);
    return fail("WRD111", file, field || undefined, issue?.message ?? "invalid configuration");
  }
  return { ok: true, value: parsed.data, warnings: [] };
}

function fail(code: string, file: string, field: string | undefined, message: string): Decoded<ConfigDocument> {
  return { ok: false, error: { code, severity: "error", file, ...(field ? { field } : {}), message }, warnings: [] };
}

/** The human form of a document, as plain data for YAML or JSON. */
export function documentToForm(doc: ConfigDocument): Record<string, unknown> {
  switch (doc.kind) {
    case "cell":
      return { cell: cellToForm(doc.cell, true) };
    case "system":
      return { system: systemToForm(doc.system) };
    case "set":
      return { system: systemToForm(doc.system), cells: doc.cells.map((c) => cellToForm(c, false)) };
  }
}

export const configToJson = (doc: ConfigDocument): string => `${JSON.stringify(documentToForm(doc), null, 2)}\n`;
