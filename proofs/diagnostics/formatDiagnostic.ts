import type { Diagnostic } from "../../hypervisor/index.js";
import { sourceLocationOf } from "../csource/sourceLocations.js";
import { yamlLocationOf } from "../csource/yamlLocations.js";

/**
 * Renders a diagnostic as the single line the CLI prints:
 * `error WRD104: rt.cell: byte 0x84: memory region 3 needs 32 bytes, 12 remain`. For a C
 * configuration the file is followed by the line of the initializer that produced the byte:
 * `warning WRD107: linux.c:31: byte 0x2c (config.cell.flags): …`.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where: string[] = [];
  const source =
    d.file !== undefined && d.byteOffset !== undefined ? sourceLocationOf(d.file, d.byteOffset) : undefined;
  const yaml = d.file !== undefined && d.field !== undefined ? yamlLocationOf(d.file, d.field) : undefined;
  if (d.file !== undefined)
    where.push(source ? `${d.file}:${source.line}` : yaml ? `${d.file}:${yaml.line}:${yaml.column}` : d.file);
  if (d.byteOffset !== undefined)
    where.push(
      `byte 0x${d.byteOffset.toString(16)}${source ? ` (${source.element}${source.macro ? ` from ${source.macro}` : ""})` : ""}`,
    );
  if (d.field !== undefined) where.push(d.field);
  const location = where.length > 0 ? `${where.join(": ")}: ` : "";
  return `${d.severity} ${d.code}: ${location}${d.message.replace(/\s*\n\s*/g, " ")}`;
}
