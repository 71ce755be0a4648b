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
import { z } from "zod";
import { readYamlFile } from "../pipeline/readYamlFile.js";

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
  return readYamlFile(path, policySchema, "sharing policy").sharing.map((d) => {
    const start = BigInt(d.phys_start);
    return { cells: d.cells, start, end: start + BigInt(d.size), reason: d.reason };
  });
}
