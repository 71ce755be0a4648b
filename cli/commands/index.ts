/**
 * Every `warden` subcommand, one registrar per file. Adding a command is one import and one
 * array entry here.
 */
import type { Command } from "commander";
import { registerAudit } from "./audit.js";
import { registerCheck } from "./check.js";
import { registerConfig } from "./config.js";
import { registerConform } from "./conform.js";
import { registerDiffCore } from "./diffCore.js";
import { registerDossier } from "./dossier.js";
import { registerExplore } from "./explore.js";
import { registerProve } from "./prove.js";
import { registerSim } from "./sim.js";
import { registerTla } from "./tla.js";
import { registerTlc } from "./tlc.js";
import { registerVerify } from "./verify.js";

export type Register = (program: Command) => void;

export const commands: readonly Register[] = [
  registerVerify,
  registerConfig,
  registerProve,
  registerCheck,
  registerTla,
  registerTlc,
  registerAudit,
  registerSim,
  registerConform,
  registerDiffCore,
  registerExplore,
  registerDossier,
];
