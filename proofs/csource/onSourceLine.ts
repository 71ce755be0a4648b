import { sourceLocationOf } from "./sourceLocations.js";
import { yamlLocationOf } from "./yamlLocations.js";

interface FileRef {
  readonly file: string;
  readonly byteOffset?: number;
  readonly field?: string;
}

/**
 * A reference to a descriptor with its file named `file.c:LINE` when the file is a C
 * configuration (or `file.yaml:LINE:COL` for a YAML field), so texts that print
 * `file @ byte 0x…` name the source line too.
 */
export function onSourceLine<R extends FileRef>(r: R): R {
  const source = r.byteOffset !== undefined ? sourceLocationOf(r.file, r.byteOffset) : undefined;
  if (source) return { ...r, file: `${r.file}:${source.line}` };
  const yaml = r.field !== undefined ? yamlLocationOf(r.file, r.field) : undefined;
  return yaml ? { ...r, file: `${r.file}:${yaml.line}:${yaml.column}` } : r;
}
