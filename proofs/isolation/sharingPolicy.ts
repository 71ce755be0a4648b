/**
 * The user's declaration of intended memory sharing between non-root cells (e.g. a debug UART
 * page), each with a reason:
 *
 *   sharing:
 *     - cells: [rt, linux]
 *       phys_start: "0x3f8000"
 *       size: "0x1000"
 *       reason: "both cells print to the board's debug UART"
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { fieldPath } from "../../hypervisor/index.js";
import { inputError } from "../diagnostics/InputError.js";

export interface SharingDeclaration {
  readonly cells: readonly string[];
  readonly start: bigint;
  readonly end: bigint;
  readonly reason: string;
}

const address = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^(0x[0-9a-fA-F]+|\d+)$/, "expected a number or 0x… string"),
]);

const policySchema = z.strictObject({
  sharing: z.array(
    z.strictObject({
      cells: z.array(z.string()).min(2, "name at least two cells"),
      phys_start: address,
      size: address,
      reason: z.string().min(1, "say why the sharing is intended"),
    }),
  ),
});

export function readSharingPolicy(path: string): SharingDeclaration[] {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw inputError("WRD110", `cannot read the sharing policy: ${(error as Error).message.split("\n")[0]}`, {
      file: path,
    });
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw inputError("WRD111", issue?.message ?? "invalid sharing policy", {
      file: path,
      field: fieldPath(issue?.path ?? []),
    });
  }
  return parsed.data.sharing.map((d) => {
    const start = BigInt(d.phys_start);
    return { cells: d.cells, start, end: start + BigInt(d.size), reason: d.reason };
  });
}
