/** The code-size audit: cloc-compatible line counts and budgets. */
export { auditTree, type FileCount } from "./auditTree.js";
export { type Budget, checkBudget, loadBudget, type TargetResult } from "./checkBudget.js";
export { countLines, type Language, type LineCounts } from "./countLines.js";
export { languageOf } from "./languageOf.js";
