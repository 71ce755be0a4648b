/**
 * The surface of each cell on Warden's TypeScript core: entry points from the core's registry
 * (`hypervisor/core/entryPoints.ts`, `hypervisor/arch/entryPoints.ts`) and the hypercall
 * handlers read from `Hypervisor.dispatch`'s switch, walked over the core's call graph.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  type CellConfig,
  type ConfigSet,
  cellFlags,
  entryPointsFor,
  hypercallAccess,
  rootOnlyRefusal,
} from "../../../hypervisor/index.js";
import { inputError } from "../../diagnostics/InputError.js";
import { packageRoot } from "../../packageRoot.js";
import { type CellSurface, cellSurface, type ResolvedEntry } from "./cellSurface.js";
import { type TsCallGraph, tsCallGraph } from "./tsCallGraph.js";

/** Every cell's surface on one implementation. */
export interface SurfaceReport {
  readonly source: "typescript" | "c";
  readonly arch: string;
  readonly cells: readonly CellSurface[];
  /** Indirect calls the graph could not resolve, and their share of all indirect calls (C only). */
  readonly unresolved?: { readonly count: number; readonly total: number; readonly share: number };
}

const DISPATCH_FILE = "core/hypervisor.ts";

/** The surface of every cell of `set` (root first) on the TypeScript core under `coreRoot`. */
export function tsSurface(set: ConfigSet, coreRoot = join(packageRoot, "hypervisor")): SurfaceReport {
  if (!existsSync(join(coreRoot, DISPATCH_FILE)))
    throw inputError("WRD900", "the TypeScript core's sources are not here (run from a Warden checkout)", {
      file: coreRoot,
    });
  const arch = set.system.config.arch;
  const graph = tsCallGraph(coreRoot, arch === "x86" ? "x86" : "arm64");
  const hypercalls = hypercallHandlers(graph);
  const registry = entryPointsFor(arch);
  const resolve = (file: string, name: string): number => {
    const f = graph.find(file, name);
    if (f === undefined) throw new Error(`entry-point handler ${file}#${name} is not in the call graph`);
    return f.id;
  };
  const refusal = resolve(rootOnlyRefusal.file, rootOnlyRefusal.handler.name);
  const system = set.system.config;
  const all: ResolvedEntry[] = [
    ...registry.map((e) => ({ kind: e.kind, name: e.name, handler: resolve(e.file, e.handler.name), refused: false })),
    ...hypercalls.map((h) => ({ kind: "hypercall", name: h.code, handler: h.handler, refused: false })),
  ];
  const cells = [system.root_cell, ...set.cells.map((c) => c.config)].map((cell, i) => {
    const root = i === 0;
    const ctx = { system, cell, root };
    const reached: ResolvedEntry[] = [
      ...registry
        .filter((e) => e.reaches(ctx))
        .map((e) => ({ kind: e.kind, name: e.name, handler: resolve(e.file, e.handler.name), refused: false })),
      ...hypercalls.map((h) => hypercallEntry(h, cell, root, refusal)),
    ];
    return cellSurface(graph, cell.name, root, reached, all);
  });
  return { source: "typescript", arch, cells };
}

function hypercallEntry(
  h: { code: keyof typeof hypercallAccess; handler: number },
  cell: CellConfig,
  root: boolean,
  refusal: number,
): ResolvedEntry {
  const access = hypercallAccess[h.code];
  const allowed = access === "any" || root || (access !== "root" && (cell.flags & cellFlags[access]) !== 0);
  if (access === "root" && !root) return { kind: "hypercall", name: h.code, handler: refusal, refused: true };
  return { kind: "hypercall", name: h.code, handler: h.handler, refused: !allowed };
}

/** `case hypercallCodes.NAME: return handler(…)` in `Hypervisor.dispatch`, resolved among its callees. */
export function hypercallHandlers(graph: TsCallGraph): { code: keyof typeof hypercallAccess; handler: number }[] {
  const dispatch = graph.find(DISPATCH_FILE, "dispatch");
  if (!dispatch) throw new Error(`no dispatch method in ${DISPATCH_FILE}`);
  return (dispatch.cases ?? []).map(({ label, callee }) => {
    const handler = dispatch.calls.find((id) => graph.functions[id]?.name === callee);
    if (!(label in hypercallAccess)) throw new Error(`hypercall ${label} has no entry in hypercallAccess`);
    if (handler === undefined) throw new Error(`hypercall ${label}'s handler ${callee} is not in the call graph`);
    return { code: label as keyof typeof hypercallAccess, handler };
  });
}
