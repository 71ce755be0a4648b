import { sourceLocationOf } from "./sourceLocations.js";

interface FileRef {
  readonly file: string;
  readonly byteOffset?: number;
}

/**
 * A reference to a descriptor with its file named `file.c:LINE` when the file is a C
 * configuration, so texts that print `file @ byte 0x…` name the source line too.
 */
export function onSourceLine<R extends FileRef>(r: R): R {
  const source = r.byteOffset !== undefined ? sourceLocationOf(r.file, r.byteOffset) : undefined;
  return source ? { ...r, file: `${r.file}:${source.line}` } : r;
}
