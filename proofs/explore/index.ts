export { type ExploreCell, type ExploreOptions, exploreVote, recommend, variantModel } from "./exploreVote.js";
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
