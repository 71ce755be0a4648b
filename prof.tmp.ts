import { typescriptApi } from "./proofs/audit/typescriptApi.js";
import { tsCallGraph, coreFiles } from "./proofs/audit/surface/tsCallGraph.js";
import { parseTs } from "./proofs/audit/tsFunctions.js";
import { readFileSync } from "node:fs";
let t = performance.now();
typescriptApi(); console.log("ts-morph", (performance.now()-t).toFixed(0)); t = performance.now();
tsCallGraph("hypervisor", "x86"); console.log("graph x86", (performance.now()-t).toFixed(0)); t = performance.now();
tsCallGraph("hypervisor", "arm64"); console.log("graph arm64", (performance.now()-t).toFixed(0)); t = performance.now();
const files = coreFiles("hypervisor"); for (const f of files) parseTs(f, readFileSync("hypervisor/"+f,"utf8")); console.log("parse only", files.length, (performance.now()-t).toFixed(0));
