/**
 * What one TypeScript module imports and exports, read from its syntax tree: enough to follow
 * relative imports through barrels without a type checker.
 */
import type { ts } from "ts-morph";
import { typescriptApi } from "./typescriptApi.js";

/** One exported name declared in this module, with the statement that declares it. */
export interface OwnExport {
  readonly name: string;
  readonly line: number;
  readonly statement: ts.Node;
}

/** A module's relative imports and its exports. `names` "*" means every export (namespace, dynamic). */
export interface ModuleFacts {
  readonly imports: readonly { readonly from: string; readonly names: readonly string[] | "*" }[];
  /** `export { a as b } from`: exported name → imported name; `export * from` has `star`. */
  readonly reExports: readonly { readonly from: string; readonly names: ReadonlyMap<string, string> | "*" }[];
  readonly own: readonly OwnExport[];
}

/** Reads the import and export facts of `sf`; only relative specifiers (`./`, `../`) are kept. */
export function moduleFacts(sf: ts.SourceFile): ModuleFacts {
  const ts = typescriptApi();
  const imports: { from: string; names: string[] | "*" }[] = [];
  const reExports: { from: string; names: Map<string, string> | "*" }[] = [];
  const own: OwnExport[] = [];
  const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      if (isRelative(st.moduleSpecifier.text))
        imports.push({ from: st.moduleSpecifier.text, names: importedNames(st) });
    } else if (ts.isExportDeclaration(st)) {
      const spec = st.moduleSpecifier;
      if (spec !== undefined && ts.isStringLiteral(spec)) {
        if (isRelative(spec.text)) reExports.push({ from: spec.text, names: reExportedNames(st) });
      } else if (st.exportClause && ts.isNamedExports(st.exportClause))
        for (const e of st.exportClause.elements) own.push({ name: e.name.text, line: line(e), statement: e });
    } else if (ts.isExportAssignment(st)) own.push({ name: "default", line: line(st), statement: st });
    else if (hasExportModifier(st))
      for (const name of declaredNames(st)) own.push({ name, line: line(st), statement: st });
  }
  collectDynamicImports(sf, imports);
  return { imports, reExports, own };
}

function isRelative(spec: string): boolean {
  return spec.startsWith("./") || spec.startsWith("../");
}

function importedNames(st: ts.ImportDeclaration): string[] | "*" {
  const ts = typescriptApi();
  const clause = st.importClause;
  if (clause === undefined) return [];
  const names: string[] = clause.name ? ["default"] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) return "*";
  if (bindings) for (const e of bindings.elements) names.push((e.propertyName ?? e.name).text);
  return names;
}

function reExportedNames(st: ts.ExportDeclaration): Map<string, string> | "*" {
  const ts = typescriptApi();
  if (st.exportClause === undefined || ts.isNamespaceExport(st.exportClause)) return "*";
  return new Map(st.exportClause.elements.map((e) => [e.name.text, (e.propertyName ?? e.name).text]));
}

function hasExportModifier(st: ts.Statement): boolean {
  const ts = typescriptApi();
  return ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function declaredNames(st: ts.Statement): string[] {
  const ts = typescriptApi();
  const isDefault = (ts.getModifiers(st as ts.HasModifiers) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  if (isDefault) return ["default"];
  if (ts.isVariableStatement(st))
    return st.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  const named = st as ts.Statement & { name?: ts.Node };
  return named.name && ts.isIdentifier(named.name) ? [named.name.text] : [];
}

/** `import("./x.js")` with a literal path keeps the whole module alive. */
function collectDynamicImports(sf: ts.SourceFile, imports: { from: string; names: string[] | "*" }[]): void {
  const ts = typescriptApi();
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0]) &&
      isRelative(node.arguments[0].text)
    )
      imports.push({ from: node.arguments[0].text, names: "*" });
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
