/**
 * A call graph of Warden's TypeScript core from its syntax trees alone (no type checker): a
 * function's edges are the functions it names (calls and callbacks passed as values), resolved
 * through relative imports and barrels, `this.method`, `object.method` on a module-level object,
 * and interface dispatch (`core.arch.pio`, `unit.cellInit`) to the implementations of the chosen
 * architecture. Each function also carries its code lines (cloc's rule: a line that is not blank
 * once comments are removed).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import type { ts } from "ts-morph";
import { atomicWrite } from "../../../generators/index.js";
import { packageRoot } from "../../packageRoot.js";
import { codeLineNumbers } from "../clocLines.js";
import { isFunctionLike, parseTs } from "../tsFunctions.js";
import { typescriptApi } from "../typescriptApi.js";

/** One function of the graph: `file` is relative to the graph's root. */
export interface GraphFunction {
  readonly id: number;
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly endLine: number;
  /** Code lines (1-based) inside the function, nested functions included. */
  readonly lines: readonly number[];
  /** Functions it names, by id. */
  readonly calls: readonly number[];
  /** `case A.B: return f(…)` clauses of switches in its body: the label's last name and `f`. */
  readonly cases?: readonly { readonly label: string; readonly callee: string }[];
}

export interface TsCallGraph {
  readonly functions: readonly GraphFunction[];
  /** The function `name` (as the syntax tree names it, or its last `.` part) defined in `file`. */
  find(file: string, name: string): GraphFunction | undefined;
  /** Property calls through interfaces that resolved to nothing in this architecture. */
  readonly unresolvedDispatch: number;
}

/** Interfaces whose methods are dispatched by name to object literals implementing them. */
const dispatchInterfaces = new Set(["ArchOps", "ArchUnit"]);

const cache = new Map<string, TsCallGraph>();

/** Graphs persist here between processes, keyed by source hash (the dossier's cold runs skip ts-morph). */
const diskCacheDir = () => process.env.WARDEN_CACHE_DIR ?? join(packageRoot, "node_modules", ".cache", "warden");

/** Every `.ts` file under `dir` (relative paths), tests and declarations excluded. */
export function coreFiles(dir: string, sub = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, sub), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = sub === "" ? e.name : `${sub}/${e.name}`;
    if (e.isDirectory()) out.push(...coreFiles(dir, rel));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") && !e.name.endsWith(".test.ts")) out.push(rel);
  }
  return out;
}

/**
 * The call graph of the files under `root` for architecture directory `archDir` ("x86",
 * "arm64"): files of the other architectures are left out. Cached per source hash.
 */
export function tsCallGraph(root: string, archDir: string): TsCallGraph {
  const files = coreFiles(root).filter(
    (f) => !f.startsWith("arch/") || !f.slice(5).includes("/") || f.startsWith(`arch/${archDir}/`),
  );
  const texts = new Map(files.map((f) => [f, readFileSync(join(root, f), "utf8")]));
  const hash = createHash("sha256");
  for (const [f, t] of texts) hash.update(`${f}\0${t}\0`);
  const key = `${archDir}:${hash.digest("hex")}`;
  const hit = cache.get(key) ?? fromDisk(key);
  if (hit) {
    cache.set(key, hit);
    return hit;
  }
  const graph = build(texts);
  cache.set(key, graph);
  toDisk(key, graph);
  return graph;
}

const diskFile = (key: string) => join(diskCacheDir(), `surface-graph-${key.replace(":", "-").slice(0, 40)}.json`);

function fromDisk(key: string): TsCallGraph | undefined {
  try {
    const data = JSON.parse(readFileSync(diskFile(key), "utf8")) as {
      key: string;
      functions: GraphFunction[];
      unresolvedDispatch: number;
    };
    return data.key === key ? withFind(data.functions, data.unresolvedDispatch) : undefined;
  } catch {
    return undefined;
  }
}

function toDisk(key: string, graph: TsCallGraph): void {
  try {
    atomicWrite(
      diskFile(key),
      JSON.stringify({ key, functions: graph.functions, unresolvedDispatch: graph.unresolvedDispatch }),
    );
  } catch {
    // A read-only installation just recomputes next time.
  }
}

function withFind(functions: readonly GraphFunction[], unresolvedDispatch: number): TsCallGraph {
  const byKey = new Map<string, GraphFunction>();
  for (const g of functions) {
    byKey.set(`${g.file}#${g.name}`, g);
    const last = g.name.split(".").at(-1);
    if (last !== undefined && !byKey.has(`${g.file}#${last}`)) byKey.set(`${g.file}#${last}`, g);
  }
  return { functions, find: (file, name) => byKey.get(`${file}#${name}`), unresolvedDispatch };
}

interface Mod {
  readonly file: string;
  readonly sf: ts.SourceFile;
  /** Module-level names: functions, and objects' properties that are functions. */
  readonly locals: Map<string, number>;
  readonly objects: Map<string, Map<string, number>>;
  readonly imports: Map<string, { from: string; name: string }>;
  readonly exports: Map<string, string>;
  readonly reExports: { from: string; names: Map<string, string> | "*" }[];
  readonly classes: Map<string, Map<string, number>>;
}

function build(texts: ReadonlyMap<string, string>): TsCallGraph {
  const ts = typescriptApi();
  const fns: { file: string; name: string; line: number; endLine: number; lines: number[]; node: ts.Node }[] = [];
  const idOf = new Map<ts.Node, number>();
  const mods = new Map<string, Mod>();
  const dispatch: Dispatch = { methods: new Set(), objects: [] };
  for (const [file, text] of texts) {
    const sf = parseTs(file, text);
    const code = codeLines(sf);
    const mod: Mod = {
      file,
      sf,
      locals: new Map(),
      objects: new Map(),
      imports: new Map(),
      exports: new Map(),
      reExports: [],
      classes: new Map(),
    };
    mods.set(file, mod);
    const visit = (node: ts.Node, name: string | undefined): void => {
      if (isFunctionLike(node) && node.body !== undefined) {
        const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
        const endLine = sf.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
        idOf.set(node, fns.length);
        fns.push({
          file,
          name: name ?? `<anonymous@${line}>`,
          line,
          endLine,
          lines: code.filter((l) => l >= line && l <= endLine),
          node,
        });
      }
      ts.forEachChild(node, (c) => visit(c, nameOf(c, sf)));
    };
    visit(sf, undefined);
    collectModule(mod, idOf, dispatch);
  }
  const resolver = new Resolver(mods);
  const implementations = new Map<string, number[]>([...dispatch.methods].map((m) => [m, []]));
  for (const o of dispatch.objects)
    for (const [p, id] of o) if (implementations.has(p)) implementations.get(p)?.push(id);
  const calls = fns.map(() => new Set<number>());
  let unresolvedDispatch = 0;
  for (const [i, f] of fns.entries()) {
    const mod = mods.get(f.file) as Mod;
    const add = (id: number | undefined) => {
      if (id !== undefined && id !== i) calls[i]?.add(id);
    };
    const walk = (node: ts.Node): void => {
      if (node !== f.node && idOf.has(node)) {
        add(idOf.get(node));
        return;
      }
      if (ts.isIdentifier(node) && !isPropertyName(node)) add(resolver.value(mod, node.text));
      if (ts.isPropertyAccessExpression(node)) {
        const target = resolver.property(mod, node, f.node);
        if (target !== undefined) add(target);
        else if (isCallee(node) && implementations.has(node.name.text)) {
          const impl = implementations.get(node.name.text) ?? [];
          if (impl.length === 0) unresolvedDispatch++;
          for (const id of impl) add(id);
        }
      }
      ts.forEachChild(node, walk);
    };
    if ("body" in f.node) ts.forEachChild(f.node, walk);
  }
  const functions: GraphFunction[] = fns.map((f, id) => {
    const cases = switchCases(f.node);
    return {
      id,
      file: f.file,
      name: f.name,
      line: f.line,
      endLine: f.endLine,
      lines: f.lines,
      calls: [...(calls[id] ?? [])].sort((a, b) => a - b),
      ...(cases.length > 0 ? { cases } : {}),
    };
  });
  return withFind(functions, unresolvedDispatch);
}

/** `case A.B: return f(…)` clauses directly in `fn` (not in nested functions). */
function switchCases(fn: ts.Node): { label: string; callee: string }[] {
  const ts = typescriptApi();
  const out: { label: string; callee: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (node !== fn && isFunctionLike(node)) return;
    if (ts.isCaseClause(node) && ts.isPropertyAccessExpression(node.expression)) {
      const ret = node.statements.find(ts.isReturnStatement)?.expression;
      const callee = ret && ts.isCallExpression(ret) && ts.isIdentifier(ret.expression) ? ret.expression.text : "";
      out.push({ label: node.expression.name.text, callee });
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return out;
}

/** The name a function node is known by: its own, the variable or property holding it, `Class.method`. */
function nameOf(node: ts.Node, sf: ts.SourceFile): string | undefined {
  const ts = typescriptApi();
  if (!isFunctionLike(node)) return undefined;
  const p = node.parent;
  const cls = ts.isClassDeclaration(p) && p.name ? `${p.name.text}.` : "";
  if (ts.isConstructorDeclaration(node)) return `${cls}constructor`;
  if (node.name !== undefined) return `${cls}${node.name.getText(sf)}`;
  if ((ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && p.name)
    return p.name.getText(sf);
  return undefined;
}

/** Interface method names dispatched by name, and the objects implementing them. */
interface Dispatch {
  readonly methods: Set<string>;
  readonly objects: ReadonlyMap<string, number>[];
}

/** Module-level functions, objects of functions, classes, imports and exports of `mod`. */
function collectModule(mod: Mod, idOf: ReadonlyMap<ts.Node, number>, dispatch: Dispatch): void {
  const ts = typescriptApi();
  for (const st of mod.sf.statements) {
    const exported =
      ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isFunctionDeclaration(st) && st.name) {
      const id = idOf.get(st);
      if (id !== undefined) mod.locals.set(st.name.text, id);
      if (exported) mod.exports.set(st.name.text, st.name.text);
    } else if (ts.isClassDeclaration(st) && st.name) {
      const members = new Map<string, number>();
      for (const m of st.members) {
        const id = idOf.get(m);
        if (id !== undefined)
          members.set(ts.isConstructorDeclaration(m) ? "constructor" : (m.name?.getText(mod.sf) ?? ""), id);
      }
      mod.classes.set(st.name.text, members);
      const ctor = members.get("constructor");
      if (ctor !== undefined) mod.locals.set(st.name.text, ctor);
      if (exported) mod.exports.set(st.name.text, st.name.text);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.initializer === undefined) continue;
        const name = d.name.text;
        if (exported) mod.exports.set(name, name);
        const init = unwrapExpression(d.initializer);
        const id = idOf.get(init);
        if (id !== undefined) mod.locals.set(name, id);
        else if (ts.isObjectLiteralExpression(init)) {
          const props = objectFunctions(mod, init, idOf);
          mod.objects.set(name, props);
          const typeName = d.type && ts.isTypeReferenceNode(d.type) ? d.type.typeName.getText(mod.sf) : undefined;
          if ((typeName && dispatchInterfaces.has(typeName)) || /Unit$/.test(name)) dispatch.objects.push(props);
        }
      }
    } else if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const from = st.moduleSpecifier.text;
      const named = st.importClause?.namedBindings;
      if (named && ts.isNamedImports(named))
        for (const e of named.elements) mod.imports.set(e.name.text, { from, name: (e.propertyName ?? e.name).text });
    } else if (ts.isExportDeclaration(st)) {
      const spec = st.moduleSpecifier;
      const clause = st.exportClause;
      if (spec && ts.isStringLiteral(spec)) {
        if (clause === undefined) mod.reExports.push({ from: spec.text, names: "*" });
        else if (ts.isNamedExports(clause))
          mod.reExports.push({
            from: spec.text,
            names: new Map(clause.elements.map((e) => [e.name.text, (e.propertyName ?? e.name).text])),
          });
      } else if (clause && ts.isNamedExports(clause))
        for (const e of clause.elements) mod.exports.set(e.name.text, (e.propertyName ?? e.name).text);
    } else if (ts.isInterfaceDeclaration(st) && dispatchInterfaces.has(st.name.text)) {
      for (const m of st.members) {
        const n = m.name?.getText(mod.sf);
        if (n !== undefined && ts.isMethodSignature(m)) dispatch.methods.add(n);
      }
    }
  }
}

/** `{ a() {}, b: () => …, c: namedFunction }`: property → function id (named functions resolved later). */
function objectFunctions(
  mod: Mod,
  obj: ts.ObjectLiteralExpression,
  idOf: ReadonlyMap<ts.Node, number>,
): Map<string, number> {
  const ts = typescriptApi();
  const out = new Map<string, number>();
  for (const p of obj.properties) {
    const name = p.name?.getText(mod.sf);
    if (name === undefined) continue;
    const node = ts.isPropertyAssignment(p) ? unwrapExpression(p.initializer) : p;
    const id = idOf.get(node);
    if (id !== undefined) out.set(name, id);
    else if (ts.isPropertyAssignment(p) && ts.isIdentifier(node)) {
      const local = mod.locals.get(node.text);
      if (local !== undefined) out.set(name, local);
      else pendingAliases.push({ mod, target: out, name, ident: node.text });
    }
  }
  return out;
}

/** Object properties naming an imported function, resolved once every module is read. */
const pendingAliases: { mod: Mod; target: Map<string, number>; name: string; ident: string }[] = [];

function unwrapExpression(e: ts.Expression): ts.Expression {
  const ts = typescriptApi();
  let x = e;
  while (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isSatisfiesExpression(x)) x = x.expression;
  return x;
}

function isPropertyName(node: ts.Identifier): boolean {
  const ts = typescriptApi();
  const p = node.parent;
  return (
    (ts.isPropertyAccessExpression(p) && p.name === node) ||
    (ts.isPropertyAssignment(p) && p.name === node) ||
    ((ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p)) && p.name === node) ||
    ts.isImportSpecifier(p) ||
    ts.isExportSpecifier(p)
  );
}

function isCallee(node: ts.PropertyAccessExpression): boolean {
  const ts = typescriptApi();
  const p = node.parent;
  return ts.isCallExpression(p) && p.expression === node;
}

/** Name resolution across modules: locals, imports through barrels, objects and classes. */
class Resolver {
  constructor(private readonly mods: ReadonlyMap<string, Mod>) {
    for (const a of pendingAliases.splice(0)) {
      const id = this.value(a.mod, a.ident);
      if (id !== undefined) a.target.set(a.name, id);
    }
  }

  /** The function a bare name in `mod` denotes. */
  value(mod: Mod, name: string): number | undefined {
    const local = mod.locals.get(name);
    if (local !== undefined) return local;
    const imp = mod.imports.get(name);
    if (imp === undefined) return undefined;
    const target = this.module(mod.file, imp.from);
    return target ? this.exported(target, imp.name, 0) : undefined;
  }

  /** `obj.m` on a module-level object (local or imported), `this.m` inside a class. */
  property(mod: Mod, node: ts.PropertyAccessExpression, fn: ts.Node): number | undefined {
    const ts = typescriptApi();
    const m = node.name.text;
    const recv = node.expression;
    if (recv.kind === ts.SyntaxKind.ThisKeyword) {
      for (let p: ts.Node | undefined = fn; p; p = p.parent)
        if (ts.isClassDeclaration(p) && p.name) return mod.classes.get(p.name.text)?.get(m);
      return undefined;
    }
    if (ts.isPropertyAccessExpression(recv) && recv.name.text === "prototype" && ts.isIdentifier(recv.expression)) {
      const owner = this.owner(mod, recv.expression.text);
      return owner?.classes.get(owner.name)?.get(m);
    }
    if (!ts.isIdentifier(recv)) return undefined;
    const owner = this.owner(mod, recv.text);
    return owner?.mod.objects.get(owner.name)?.get(m) ?? owner?.classes.get(owner.name)?.get(m);
  }

  private owner(mod: Mod, name: string): { mod: Mod; name: string; classes: Mod["classes"] } | undefined {
    if (mod.objects.has(name) || mod.classes.has(name)) return { mod, name, classes: mod.classes };
    const imp = mod.imports.get(name);
    if (imp === undefined) return undefined;
    const target = this.module(mod.file, imp.from);
    const found = target ? this.exportedModule(target, imp.name, 0) : undefined;
    return found ? { mod: found.mod, name: found.name, classes: found.mod.classes } : undefined;
  }

  private module(from: string, spec: string): Mod | undefined {
    if (!spec.startsWith(".")) return undefined;
    const base = posix.normalize(posix.join(dirname(from), spec)).replace(/\.js$/, "");
    return this.mods.get(`${base}.ts`) ?? this.mods.get(`${base}/index.ts`);
  }

  private exported(mod: Mod, name: string, depth: number): number | undefined {
    const found = this.exportedModule(mod, name, depth);
    return found ? this.value(found.mod, found.name) : undefined;
  }

  /** The module and local name an export of `mod` comes from, following re-exports. */
  private exportedModule(mod: Mod, name: string, depth: number): { mod: Mod; name: string } | undefined {
    if (depth > 16) return undefined;
    const local = mod.exports.get(name);
    if (local !== undefined) return mod.imports.has(local) ? this.imported(mod, local, depth) : { mod, name: local };
    for (const r of mod.reExports) {
      const target = this.module(mod.file, r.from);
      if (!target) continue;
      if (r.names === "*") {
        const found = this.exportedModule(target, name, depth + 1);
        if (found) return found;
      } else {
        const original = r.names.get(name);
        if (original !== undefined) return this.exportedModule(target, original, depth + 1);
      }
    }
    return undefined;
  }

  private imported(mod: Mod, local: string, depth: number): { mod: Mod; name: string } | undefined {
    const imp = mod.imports.get(local);
    const target = imp ? this.module(mod.file, imp.from) : undefined;
    return imp && target ? this.exportedModule(target, imp.name, depth + 1) : undefined;
  }
}

/** Lines (1-based) of `sf` that hold code once comments are blanked (cloc's rule for code lines). */
export function codeLines(sf: ts.SourceFile): number[] {
  const ts = typescriptApi();
  const text = sf.text;
  const comments: [number, number][] = [];
  const seen = new Set<number>();
  const blank = (ranges: readonly ts.CommentRange[] | undefined) => {
    for (const r of ranges ?? []) {
      if (seen.has(r.pos)) continue;
      seen.add(r.pos);
      comments.push([r.pos, r.end]);
    }
  };
  const visit = (node: ts.Node): void => {
    blank(ts.getLeadingCommentRanges(text, node.pos));
    blank(ts.getTrailingCommentRanges(text, node.end));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  blank(ts.getLeadingCommentRanges(text, sf.endOfFileToken.pos));
  return codeLineNumbers(text, comments);
}
