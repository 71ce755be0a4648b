/**
 * A call graph of upstream Jailhouse's C hypervisor from tree-sitter's C grammar: direct calls by
 * name (a static function of the same file first), and the function-pointer dispatch Jailhouse
 * uses resolved through its tables — `unit->cell_init(…)` and the other unit hooks to every
 * `DEFINE_UNIT` of the build, MMIO handlers from their `mmio_region_register` registrations
 * (kept as entry points, not edges: registering is not calling). Every other call through a
 * pointer is counted as unresolved.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Node } from "web-tree-sitter";
import { parseC } from "../../csource/cParser.js";
import { codeLineNumbers } from "../clocLines.js";
import type { SurfaceGraph } from "./cellSurface.js";

export interface CFunction {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly lines: readonly number[];
  readonly calls: number[];
}

/** A handler registered with `mmio_region_register`, and the function that registers it. */
export interface MmioRegistration {
  readonly handler: string;
  readonly registrar: string;
  readonly file: string;
  readonly line: number;
}

export interface CCallGraph extends SurfaceGraph {
  readonly functions: readonly CFunction[];
  find(name: string): CFunction | undefined;
  readonly idOf: (f: CFunction) => number;
  readonly units: readonly string[];
  readonly mmio: readonly MmioRegistration[];
  /** `case JAILHOUSE_HC_X: return handler(…)` in `hypercall()`. */
  readonly hypercalls: readonly { readonly code: string; readonly handler: string }[];
  readonly indirect: { readonly total: number; readonly resolved: number; readonly unresolved: readonly string[] };
}

const unitHooks = ["init", "shutdown", "mmio_count_regions", "cell_init", "cell_exit"];

/** The C files of an Intel (VMX, VT-d) x86 build of `tree`, as arch/x86/Kbuild lists them. */
export function x86IntelFiles(): string[] {
  const core = ["control", "ivshmem", "lib", "mmio", "paging", "pci", "printk", "setup", "uart", "uart-8250"];
  const arch = [
    "apic",
    "dbg-write",
    "setup",
    "control",
    "mmio",
    "iommu",
    "paging",
    "pci",
    "i8042",
    "vcpu",
    "efifb",
    "ivshmem",
    "ioapic",
    "vmx",
    "vtd",
    "cat",
  ];
  return [...core.map((f) => `hypervisor/${f}.c`), ...arch.map((f) => `hypervisor/arch/x86/${f}.c`)];
}

const cache = new Map<string, CCallGraph>();

/** Builds the graph (cached per source hash); the C parser must be initialised (`initCParser`). */
export function cCallGraph(tree: string, files: readonly string[]): CCallGraph {
  const texts = files.map((f) => readFileSync(join(tree, f), "utf8"));
  const hash = createHash("sha256");
  for (const [i, f] of files.entries()) hash.update(`${f}\0${texts[i]}\0`);
  const key = hash.digest("hex");
  const hit = cache.get(key);
  if (hit) return hit;
  const graph = buildGraph(files, texts);
  cache.set(key, graph);
  return graph;
}

function buildGraph(files: readonly string[], texts: readonly string[]): CCallGraph {
  const fns: (CFunction & { body: Node })[] = [];
  const units: string[] = [];
  const mmio: MmioRegistration[] = [];
  const fieldTargets = new Map<string, Set<string>>();
  for (const [k, file] of files.entries()) {
    const text = texts[k] ?? "";
    const root = parseC(text);
    if (!root) throw new Error("the C parser is not initialised");
    const code = codeLinesC(root, text);
    for (const def of root.descendantsOfType("function_definition")) {
      if (!def) continue;
      const name = declaredName(def.childForFieldName("declarator"));
      const body = def.childForFieldName("body");
      if (!name || !body) continue;
      const line = def.startPosition.row + 1;
      const end = def.endPosition.row + 1;
      fns.push({ file, name, line, lines: code.filter((l) => l >= line && l <= end), calls: [], body });
    }
    for (const m of text.matchAll(/^DEFINE_UNIT\((\w+),/gm)) if (m[1]) units.push(m[1]);
    collectFieldTargets(root, fieldTargets);
    // Tables built inside macros (x86's paging structures) are not in the syntax tree: their text is.
    for (const m of text.matchAll(/^\s*\.(\w+)\s*=\s*&?(\w+)\s*,?\s*\\?$/gm))
      if (m[1] && m[2]) fieldTargets.set(m[1], (fieldTargets.get(m[1]) ?? new Set()).add(m[2]));
  }
  const byName = new Map<string, number[]>();
  for (const [i, f] of fns.entries()) byName.set(f.name, [...(byName.get(f.name) ?? []), i]);
  const resolve = (name: string, file: string) => {
    const ids = byName.get(name) ?? [];
    return ids.find((i) => fns[i]?.file === file) ?? ids[0];
  };
  let total = 0;
  let resolved = 0;
  const unresolved: string[] = [];
  const hypercalls: { code: string; handler: string }[] = [];
  for (const f of fns) {
    for (const call of f.body.descendantsOfType("call_expression")) {
      const callee = call?.childForFieldName("function");
      if (!call || !callee) continue;
      if (callee.type === "identifier") {
        const target = resolve(callee.text, f.file);
        if (target !== undefined) f.calls.push(target);
        else if (isLocalPointer(f.body, callee.text)) {
          total++;
          unresolved.push(`${f.file}:${call.startPosition.row + 1} ${f.name}: ${callee.text}(…)`);
        }
        if (callee.text === "mmio_region_register") {
          const handler = call.childForFieldName("arguments")?.namedChildren[3];
          if (handler?.type === "identifier")
            mmio.push({ handler: handler.text, registrar: f.name, file: f.file, line: call.startPosition.row + 1 });
        }
        continue;
      }
      if (!isIndirect(callee)) continue;
      total++;
      const target = callee.type === "parenthesized_expression" ? callee.namedChildren[0] : callee;
      const hook = target?.type === "field_expression" ? target.childForFieldName("field")?.text : undefined;
      const receiver = target?.type === "field_expression" ? target.childForFieldName("argument")?.text : undefined;
      const table = hook ? [...(fieldTargets.get(hook) ?? [])].flatMap((n) => resolve(n, f.file) ?? []) : [];
      // `for_each_unit(unit) unit->hook(…)` may parse with the loop macro as the receiver.
      if (hook && receiver && /\bunit\s*->\s*\w+$/.test(target?.text ?? "") && unitHooks.includes(hook)) {
        resolved++;
        for (const u of units) {
          const t = resolve(`${u}_${hook}`, f.file);
          if (t !== undefined) f.calls.push(t);
        }
      } else if (hook === "function" && f.name === "mmio_handle_access") {
        // The MMIO dispatch: its targets are the registered handlers, entry points of their own.
        resolved++;
      } else if (table.length > 0) {
        resolved++;
        f.calls.push(...table);
      } else unresolved.push(`${f.file}:${call.startPosition.row + 1} ${f.name}: ${callee.text}(…)`);
    }
    if (f.name === "hypercall" && f.file === "hypervisor/control.c") hypercalls.push(...hypercallCases(f.body));
  }
  const functions: CFunction[] = fns.map(({ body: _, ...f }) => ({ ...f, calls: [...new Set(f.calls)] }));
  const index = new Map(functions.map((f, i) => [f, i]));
  return {
    functions,
    find: (name) => {
      const ids = byName.get(name);
      return ids?.[0] === undefined ? undefined : functions[ids[0]];
    },
    idOf: (f) => index.get(f) ?? -1,
    units,
    mmio,
    hypercalls,
    indirect: { total, resolved, unresolved },
  };
}

/** A call through a pointer: `x->f(…)`, `x.f(…)`, `(*f)(…)` — not a cast such as `(u32)(…)`. */
function isIndirect(callee: Node): boolean {
  if (callee.type === "field_expression") return true;
  if (callee.type !== "parenthesized_expression") return false;
  const inner = callee.namedChildren[0];
  return inner?.type === "pointer_expression" || inner?.type === "field_expression";
}

/**
 * Functions stored in struct fields: `.field = fn` in initializers and `x.field = fn` /
 * `x->field = fn` assignments — the tables calls through `x->field(…)` dispatch to.
 */
function collectFieldTargets(root: Node, out: Map<string, Set<string>>): void {
  const add = (field: string | undefined, value: Node | null | undefined) => {
    const v = value?.type === "pointer_expression" ? value.namedChildren[0] : value;
    if (!field || v?.type !== "identifier") return;
    out.set(field, (out.get(field) ?? new Set()).add(v.text));
  };
  for (const p of root.descendantsOfType("initializer_pair")) {
    const designator = p?.childForFieldName("designator")?.descendantsOfType("field_identifier")[0];
    add(designator?.text, p?.childForFieldName("value"));
  }
  for (const a of root.descendantsOfType("assignment_expression")) {
    const left = a?.childForFieldName("left");
    if (left?.type === "field_expression") add(left.childForFieldName("field")?.text, a?.childForFieldName("right"));
  }
}

/** The identifier a (possibly pointer-returning) function declarator declares. */
function declaredName(d: Node | null): string | undefined {
  let n: Node | null = d;
  while (n && n.type !== "identifier") n = n.childForFieldName("declarator") ?? n.namedChildren[0] ?? null;
  return n?.text;
}

/** A call through a parameter or local of the function declared as a pointer, `(*name)(…)`; not a macro or extern. */
function isLocalPointer(body: Node, name: string): boolean {
  const fn = body.parent;
  const params = fn?.childForFieldName("declarator")?.descendantsOfType("parameter_declaration") ?? [];
  const decls = body.descendantsOfType("declaration");
  return [...params, ...decls].some((p) =>
    p?.descendantsOfType("function_declarator").some((d) => {
      const inner = d?.childForFieldName("declarator");
      return inner?.type === "parenthesized_declarator" && declaredName(inner) === name;
    }),
  );
}

function hypercallCases(body: Node): { code: string; handler: string }[] {
  const out: { code: string; handler: string }[] = [];
  for (const c of body.descendantsOfType("case_statement")) {
    const label = c?.childForFieldName("value")?.text ?? "";
    if (!c || !label.startsWith("JAILHOUSE_HC_")) continue;
    const call = c.descendantsOfType("call_expression")[0];
    const handler = call?.childForFieldName("function")?.text ?? "";
    out.push({ code: label.slice("JAILHOUSE_HC_".length), handler });
  }
  return out;
}

/** Code lines of a C file: non-blank once comments are blanked (cloc's rule). */
function codeLinesC(root: Node, text: string): number[] {
  const comments = root.descendantsOfType("comment").flatMap((c) => (c ? [[c.startIndex, c.endIndex] as const] : []));
  return codeLineNumbers(text, comments);
}
