/** Per-file setup: every fast-check run in this file uses the run's seed (see globalSetup.ts). */
import fc from "fast-check";

const seed = Number(process.env.WARDEN_SEED ?? "0");
fc.configureGlobal({ seed });
// Dossiers built by tests skip conformance coverage under c8 (a minute each); its own test sets this.
process.env.WARDEN_CONFORM_COVERAGE ??= "0";
// ... and the NestedEpt induction (its own test proves it; the dossier lists it as supporting).
process.env.WARDEN_NESTED_INDUCTION ??= "0";
