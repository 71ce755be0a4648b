/**
 * Every diagnostic code Warden emits, with a one-line meaning. Codes are grouped by hundreds:
 * 1xx input and format, 2xx configuration semantics, 3xx model and parameter errors,
 * 4xx proof and check failures, 5xx environment (missing tools), 9xx usage.
 * `test/proofs/diagnostics/codes.test.ts` fails when the source uses a code missing here.
 */
export const diagnosticCodes = {
  WRD100: "a file cannot be read (missing, a directory, or not permitted)",
  WRD101: "binary configuration: wrong signature",
  WRD102: "binary configuration: unsupported revision",
  WRD103: "binary configuration: unknown architecture",
  WRD104: "binary configuration: truncated, or counts imply more bytes than the file holds",
  WRD105: "binary configuration: a range's end wraps past 2^64",
  WRD106: "binary configuration: trailing bytes past the header-derived size (warning)",
  WRD107: "binary configuration: unknown flag bits (warning)",
  WRD108: "binary configuration: a field value outside its encoding",
  WRD110: "YAML/JSON configuration: syntax error",
  WRD111: "YAML/JSON configuration: schema violation at a field path",
  WRD112: "YAML/JSON configuration: a reference to an unknown cell or region",
  WRD120: "unknown file extension for a configuration or output",
  WRD121: "an output path names an input file; inputs are never overwritten",
  WRD122: "an output cannot be written (a directory or file in the way, not permitted, disk full)",
  WRD140: "C configuration: the compiler rejects it (the first error line is quoted)",
  WRD141: "C configuration: its architecture cannot be told (not in configs/<arch>/, no .architecture)",
  WRD130: "git history: not a git work tree, or an unknown revision or range",
  WRD200: "configuration set: the first file is not a system configuration",
  WRD201: "configuration set: a cell's architecture differs from the system's",
  WRD202: "configuration set: two cells share a name",
  WRD203:
    "configuration set: no usable warden_virtio device for `explore irq` (none, too many cells, a cell without CPUs)",
  WRD300: "unknown model name",
  WRD301: "bad model parameter",
  WRD302: "state-space bound reached (--max-states or memory)",
  WRD303: "a vote-protocol variant file cannot be loaded or does not export a variant",
  WRD400: "a property or proof obligation is violated",
  WRD500: "TLC is not configured (WARDEN_TLA2TOOLS unset or not a file)",
  WRD501: "an external tool failed to run",
  WRD502: "no Jailhouse source tree, or no C compiler/objcopy (C configurations, the upstream harness)",
  WRD503: "the C harness does not build against the upstream tree (missing symbol or header)",
  WRD504: "no Chromium found to print the dossier as PDF",
  WRD900: "command-line usage error",
  WRD910: "simulation script: unknown command, bad argument, or an action the simulated machine cannot perform",
} as const;

export type DiagnosticCode = keyof typeof diagnosticCodes;
