import { createHash } from "node:crypto";
import type { Model } from "../../models/index.js";

/** A short content hash of a built model (its whole expression tree and constants). */
export function inputHash(model: Model): string {
  return createHash("sha256").update(JSON.stringify(model)).digest("hex").slice(0, 16);
}
