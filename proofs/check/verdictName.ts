import type { Verdict } from "../explicit/index.js";

/** Manifest and TLC vocabulary for a verdict: success / safety / liveness / deadlock failure. */
export function verdictName(
  v: Verdict,
): "success" | "safety failure" | "liveness failure" | "deadlock failure" | "error" | "incomplete" {
  if (v.kind === "holds") return "success";
  if (v.kind === "incomplete") return "incomplete";
  switch (v.propertyKind) {
    case "invariant":
      return "safety failure";
    case "temporal":
      return "liveness failure";
    case "deadlock":
      return "deadlock failure";
    case "evaluation":
      return "error";
  }
}
