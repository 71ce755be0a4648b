import type { Diagnostic } from "../../hypervisor/index.js";

/**
 * Renders a diagnostic as the single line the CLI prints:
 * `error WRD104: rt.cell: byte 0x84: memory region 3 needs 32 bytes, 12 remain`.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where: string[] = [];
  if (d.file !== undefined) where.push(d.file);
  if (d.byteOffset !== undefined) where.push(`byte 0x${d.byteOffset.toString(16)}`);
  if (d.field !== undefined) where.push(d.field);
  const location = where.length > 0 ? `${where.join(": ")}: ` : "";
  return `${d.severity} ${d.code}: ${location}${d.message.replace(/\s*\n\s*/g, " ")}`;
}
