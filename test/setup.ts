/** Per-file setup: every fast-check run in this file uses the run's seed (see globalSetup.ts). */
import fc from "fast-check";

const seed = Number(process.env.WARDEN_SEED ?? "0");
fc.configureGlobal({ seed });
