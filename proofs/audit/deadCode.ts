/**
 * The "legacy-free" audit: production files no entry point reaches through relative imports, and
 * exports nothing imports, with the code lines removing them would save. Tests and benches are not
 * roots: code only they use counts as removable. An export that its own file still uses saves
 * nothing (only its `export` keyword could go) and is listed with 0 lines.
 */
import { posix } from "node:path";
import type { ts } from "ts-morph";
import { countLines } from "./countLines.js";
import type { ModuleFacts } from "./moduleFacts.js";

/** A production module: its path relative to the package root, text, tree and facts. */
export interface Module {
  readonly file: string;
  readonly text: string;
  readonly sf: ts.SourceFile;
  readonly facts: ModuleFacts;
  readonly code: number;
}

/** An unreachable file, or an export never imported, with the code lines its removal saves. */
export interface DeadItem {
  readonly file: string;
  readonly name?: string;
  readonly line?: number;
  readonly code: number;
}

/** Dead files and unused exports of `modules`, starting from the `entries` (paths in `modules`). */
export function deadCode(
  modules: ReadonlyMap<string, Module>,
  entries: readonly string[],
): { deadFiles: DeadItem[]; unusedExports: DeadItem[] } {
  const reached = reachable(modules, entries);
  const used = new Set<string>();
  const use = usage(modules, used);
  for (const file of reached) {
    const m = modules.get(file);
    for (const imp of m?.facts.imports ?? []) {
      const target = resolve(modules, file, imp.from);
      if (target === undefined) continue;
      if (imp.names === "*") use(target, "*");
      else for (const name of imp.names) use(target, name);
    }
  }
  for (const e of entries) use(e, "*");
  const deadFiles = [...modules.values()]
    .filter((m) => !reached.has(m.file))
    .map((m) => ({ file: m.file, code: m.code }));
  const unusedExports: DeadItem[] = [];
  for (const file of reached) {
    const m = modules.get(file);
    if (m === undefined) continue;
    for (const e of m.facts.own) {
      if (used.has(`${file}#${e.name}`)) continue;
      const local = e.name !== "default" && occurrences(m.text, e.name) > 1;
      const code = local ? 0 : countLines(e.statement.getText(m.sf), "TypeScript").code;
      unusedExports.push({ file, name: e.name, line: e.line, code });
    }
  }
  const order = (a: DeadItem, b: DeadItem) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0);
  return { deadFiles: deadFiles.sort(order), unusedExports: unusedExports.sort(order) };
}

/** Files reachable from `entries` over imports, re-exports and literal dynamic imports. */
function reachable(modules: ReadonlyMap<string, Module>, entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = entries.filter((e) => modules.has(e));
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const facts = modules.get(file)?.facts;
    for (const edge of [...(facts?.imports ?? []), ...(facts?.reExports ?? [])]) {
      const target = resolve(modules, file, edge.from);
      if (target !== undefined && !seen.has(target)) stack.push(target);
    }
  }
  return seen;
}

/** Marks `name` of `file` used, following re-exports; "*" marks every export. */
function usage(modules: ReadonlyMap<string, Module>, used: Set<string>): (file: string, name: string) => void {
  const visited = new Set<string>();
  const use = (file: string, name: string): void => {
    const key = `${file}#${name}`;
    if (visited.has(key)) return;
    visited.add(key);
    used.add(key);
    const m = modules.get(file);
    if (m === undefined) return;
    if (name === "*") for (const e of m.facts.own) used.add(`${file}#${e.name}`);
    for (const r of m.facts.reExports) {
      const target = resolve(modules, file, r.from);
      if (target === undefined) continue;
      if (r.names === "*") use(target, name);
      else if (name === "*") for (const imported of r.names.values()) use(target, imported);
      else {
        const imported = r.names.get(name);
        if (imported !== undefined) use(target, imported);
      }
    }
  };
  return use;
}

/** Resolves a relative specifier as TypeScript does for ESM sources (`./x.js` → `./x.ts`). */
export function resolve(modules: ReadonlyMap<string, unknown>, from: string, spec: string): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(from), spec));
  const stem = base.replace(/\.(m|c)?jsx?$/, "");
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}/index.ts`, `${stem}/index.tsx`];
  return candidates.find((c) => modules.has(c));
}

function occurrences(text: string, name: string): number {
  return text.match(new RegExp(`(?<![\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`, "g"))?.length ?? 0;
}
