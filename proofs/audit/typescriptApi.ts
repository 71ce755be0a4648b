/**
 * ts-morph's bundled TypeScript compiler API, loaded on first use: it takes about half a second to
 * load, and every `warden` command imports proofs/, so only the audit's TypeScript parts pay it.
 */
import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";

let api: typeof TsMorph.ts | undefined;

/** The `ts` namespace of ts-morph (TypeScript 7 ships no JS API; ts-morph bundles its own). */
export function typescriptApi(): typeof TsMorph.ts {
  api ??= (createRequire(import.meta.url)("ts-morph") as typeof TsMorph).ts;
  return api;
}
