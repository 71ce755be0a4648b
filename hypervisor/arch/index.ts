/** The one place an architecture is chosen. */
import type { Arch } from "../config/types.js";
import type { ArchOps } from "../core/index.js";
import { arm64 } from "./arm64/arm64.js";
import { x86 } from "./x86/x86.js";

/** 32-bit ARM configurations run on the arm64 semantics (same GIC, PSCI and stage-2 rules here). */
const byArch: Readonly<Record<Arch, ArchOps>> = { x86, arm: arm64, arm64 };

export function archFor(arch: Arch): ArchOps {
  return byArch[arch];
}

export { arm64, x86 };
