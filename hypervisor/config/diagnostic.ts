/**
 * A finding about user input: a coded record naming the file and the byte offset or field path.
 * The code catalogue lives in `proofs/diagnostics/codes.ts`; a test keeps the two in step.
 */
export interface Diagnostic {
  /** `WRD1xx` format/input, `WRD2xx` configuration semantics. */
  readonly code: string;
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly file?: string;
  /** Dotted field path in the YAML/typed form, e.g. `cells[1].memory_regions[3].size`. */
  readonly field?: string;
  /** Byte offset into a binary configuration. */
  readonly byteOffset?: number;
}

/** Either the decoded value (with warnings) or the first error. */
export type Decoded<T> =
  | { readonly ok: true; readonly value: T; readonly warnings: readonly Diagnostic[] }
  | { readonly ok: false; readonly error: Diagnostic; readonly warnings: readonly Diagnostic[] };
