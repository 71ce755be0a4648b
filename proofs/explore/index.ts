export {
  defaultIrqShape,
  exploreIrq,
  type IrqCell,
  type IrqDesignInfo,
  type IrqExploration,
  type IrqSystemShape,
  irqDesignCatalogue,
  irqDesignModel,
  irqProperties,
} from "./exploreIrq.js";
export { type ExploreCell, type ExploreOptions, exploreVote, recommend, variantModel } from "./exploreVote.js";
export {
  type IrqRun,
  type IrqScenario,
  type IrqStep,
  type IrqSystem,
  irqScenarios,
  irqSystem,
  runIrqScenario,
} from "./irqScenarios.js";
export { type ConfiguredIrqSystem, irqSystemOf } from "./irqSystemOf.js";
export { loadVariant } from "./loadVariant.js";
export {
  builtinVariants,
  type FaultModel,
  faultModels,
  type VoteSystem,
  type VoteVariant,
  voteProperties,
  voteSystemOf,
} from "./voteCatalogue.js";
