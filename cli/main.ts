#!/usr/bin/env node
/**
 * The `warden` command table. This file, `runCli.ts` and `commands/` only wire options to pipeline
 * stages in `proofs/` and `generators/`; no verification logic lives here.
 */
import { runCli } from "./runCli.js";

process.exitCode = await runCli(process.argv.slice(2));
