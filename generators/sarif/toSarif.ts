/**
 * Isolation results as SARIF 2.1.0: one rule per obligation, one result per witness, each with
 * the two descriptors as locations (file + byte offset for binaries, field path as a logical
 * location for YAML).
 */
export interface SarifRef {
  readonly cell: string;
  readonly what: string;
  readonly file: string;
  readonly byteOffset?: number;
  readonly field?: string;
}

export interface SarifInput {
  readonly toolVersion: string;
  readonly obligations: readonly {
    readonly id: string;
    readonly title: string;
    readonly description: string;
    readonly verdict: "proved" | "violated" | "unknown";
    readonly witnesses: readonly { readonly message: string; readonly first: SarifRef; readonly second: SarifRef }[];
  }[];
}

function location(r: SarifRef, descriptorSize: number): object {
  return {
    physicalLocation: {
      artifactLocation: { uri: r.file },
      ...(r.byteOffset !== undefined ? { region: { byteOffset: r.byteOffset, byteLength: descriptorSize } } : {}),
    },
    ...(r.field !== undefined ? { logicalLocations: [{ fullyQualifiedName: r.field, kind: "member" }] } : {}),
    message: { text: `${r.cell}: ${r.what}` },
  };
}

/** Descriptor sizes by what a reference names, for SARIF region lengths. */
const sizeOf = (what: string): number =>
  what.startsWith("memory region")
    ? 32
    : what.startsWith("PCI") || what.startsWith("ivshmem")
      ? 56
      : what.startsWith("IRQ")
        ? 32
        : what.startsWith("PIO")
          ? 4
          : 1;

export function toSarif(input: SarifInput): object {
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "warden",
            version: input.toolVersion,
            informationUri: "https://github.com/siemens/jailhouse",
            rules: input.obligations.map((o) => ({
              id: o.id,
              shortDescription: { text: o.title },
              fullDescription: { text: o.description },
              defaultConfiguration: { level: "error" },
            })),
          },
        },
        results: input.obligations.flatMap((o, ruleIndex) =>
          o.witnesses.map((w) => ({
            ruleId: o.id,
            ruleIndex,
            level: "error",
            message: { text: w.message },
            locations: [location(w.first, sizeOf(w.first.what))],
            relatedLocations: [{ id: 1, ...location(w.second, sizeOf(w.second.what)) }],
          })),
        ),
      },
    ],
  };
}
