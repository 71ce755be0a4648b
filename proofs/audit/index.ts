/** The code-size audit: cloc-compatible line counts, budgets, function sizes, TS depth, history. */

export { auditHistory, type HistoryPoint, historyRevisions, maxRevisions } from "./auditHistory.js";
export { auditMarkdown, mdTable } from "./auditMarkdown.js";
export { type AuditOptions, type AuditReport, auditReport, type Totals } from "./auditReport.js";
export { auditSvg } from "./auditSvg.js";
export { auditTree, countFile, type FileCount } from "./auditTree.js";
export { type Bar, barChartSvg, escapeXml, lineChartSvg } from "./barChartSvg.js";
export {
  type Budget,
  byDirectory,
  checkBudget,
  type DirectoryShare,
  loadBudget,
  type TargetResult,
  targetMembers,
} from "./checkBudget.js";
export { countLines, type Language, type LineCounts } from "./countLines.js";
export type { DeadItem } from "./deadCode.js";
export { type FunctionSpan, findCFunctions } from "./findCFunctions.js";
export { formatAuditText } from "./formatAuditText.js";
export { historyMarkdown, historySvg, historyText } from "./formatHistory.js";
export { type FunctionSize, functionsOf } from "./functionsOf.js";
export { globMatch } from "./globMatch.js";
export { isBinary } from "./isBinary.js";
export { isQtLinguist, languageOf } from "./languageOf.js";
export * from "./surface/index.js";
export { spread, type TsDepth, tsDepth } from "./tsDepth.js";
export { parseTs, type TsFunction, tsFunctions } from "./tsFunctions.js";
