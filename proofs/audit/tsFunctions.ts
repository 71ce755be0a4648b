/**
 * TypeScript functions of one file with their size and cyclomatic complexity, from the syntax tree
 * alone (ts-morph's bundled compiler, no program or type checker: parsing is all this needs).
 */
import type { ts } from "ts-morph";
import { countLines } from "./countLines.js";
import { typescriptApi } from "./typescriptApi.js";

/** One function: where it starts, its code lines (cloc's rules) and its cyclomatic complexity. */
export interface TsFunction {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly code: number;
  readonly complexity: number;
}

/** Parses `text` as TypeScript (TSX for `.tsx`). */
export function parseTs(file: string, text: string): ts.SourceFile {
  const ts = typescriptApi();
  const kind = file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
}

/** Every function-like node of `sf` (declarations, methods, accessors, arrows, expressions). */
export function tsFunctions(file: string, sf: ts.SourceFile): TsFunction[] {
  const ts = typescriptApi();
  const out: TsFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) && node.body !== undefined) {
      const text = node.getText(sf);
      out.push({
        file,
        name: functionName(node, sf),
        line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
        code: countLines(text, "TypeScript").code,
        complexity: 1 + decisions(node.body),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export type FunctionNode = ts.FunctionLikeDeclaration;

/** Declarations, methods, accessors, arrows and function expressions: the units the audits count. */
export function isFunctionLike(node: ts.Node): node is FunctionNode {
  const ts = typescriptApi();
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node)
  );
}

/** A readable name: the declared one, else the variable, property or class member holding it. */
function functionName(node: FunctionNode, sf: ts.SourceFile): string {
  const ts = typescriptApi();
  if (ts.isConstructorDeclaration(node)) return `${className(node)}constructor`;
  if (node.name !== undefined) {
    const own = node.name.getText(sf);
    return ts.isMethodDeclaration(node) || ts.isAccessor(node) ? `${className(node)}${own}` : own;
  }
  const p = node.parent;
  if ((ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && p.name)
    return p.name.getText(sf);
  const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  return `<anonymous@${line}>`;
}

function className(node: ts.Node): string {
  const ts = typescriptApi();
  const p = node.parent;
  return (ts.isClassDeclaration(p) || ts.isClassExpression(p)) && p.name ? `${p.name.text}.` : "";
}

const branchingOperators = (): ReadonlySet<ts.SyntaxKind> => {
  const k = typescriptApi().SyntaxKind;
  return new Set([
    k.AmpersandAmpersandToken,
    k.BarBarToken,
    k.QuestionQuestionToken,
    k.AmpersandAmpersandEqualsToken,
    k.BarBarEqualsToken,
    k.QuestionQuestionEqualsToken,
  ]);
};

/** Decision points in `body`, not counting nested functions (they are measured on their own). */
function decisions(body: ts.Node): number {
  const ts = typescriptApi();
  const operators = branchingOperators();
  let n = 0;
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) return;
    if (
      ts.isIfStatement(node) ||
      ts.isConditionalExpression(node) ||
      ts.isCaseClause(node) ||
      ts.isForStatement(node) ||
      ts.isForInStatement(node) ||
      ts.isForOfStatement(node) ||
      ts.isWhileStatement(node) ||
      ts.isDoStatement(node) ||
      ts.isCatchClause(node) ||
      (ts.isBinaryExpression(node) && operators.has(node.operatorToken.kind))
    )
      n++;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return n;
}
