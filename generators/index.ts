/** The public surface of `generators/`: pure emitters from typed data to text, and the one file writer. */
export { atomicWrite, OutputError } from "./atomicWrite.js";
export { type ConfigSetKind, configSetArbitrary } from "./config/configSetArbitrary.js";
export * from "./itf/index.js";
export { type JunitCase, type JunitSuite, junitTimestamp, toJunit } from "./junit/toJunit.js";
export { codeSizeChart, type SizeBar } from "./mermaid/codeSizeChart.js";
export { type DeclaredSharing, type MemoryMapInput, memoryMap } from "./mermaid/memoryMap.js";
export { projectedStateDiagram, type Transition } from "./mermaid/projectedStateDiagram.js";
export { traceSequence } from "./mermaid/traceSequence.js";
export { isVoteTrace, voteSequence } from "./mermaid/voteSequence.js";
export { cpuRanges, formatSummary, type SummaryInput, summaryData } from "./report/configSummary.js";
export { type CheckOutcome, checkJson, formatCheckText, statsLine } from "./report/formatCheck.js";
export { type IrqMatrix, irqMatrixMarkdown, irqMatrixText } from "./report/irqMatrix.js";
export { setHeadline } from "./report/setHeadline.js";
export { traceTable } from "./report/traceTable.js";
export { type VoteMatrix, voteMatrixMarkdown, voteMatrixText } from "./report/voteMatrix.js";
export { type SarifInput, type SarifRef, type SarifSource, toSarif } from "./sarif/toSarif.js";
export { type MemoryMapSvg, memoryMapSvg, sizeText } from "./svg/memoryMapSvg.js";
export * from "./tla/index.js";
