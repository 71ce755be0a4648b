/**
 * Isolation results as SARIF 2.1.0, shaped for code scanning: one rule per obligation (with help
 * text), one result per witness. A descriptor from a C configuration is located at its
 * initializer's line (relative to the repository root through the SRCROOT base), with the byte
 * offset in the compiled binary as a related location; binaries keep their byte offset, YAML its
 * field path. Partial fingerprints hash what the finding is about, never where it sits, so they
 * survive edits elsewhere in the file and repeated runs.
 */
import { createHash } from "node:crypto";
import { isAbsolute, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Where a descriptor's initializer is in a C configuration. */
export interface SarifSource {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly element: string;
  readonly macro?: string;
  /** The compiled binary the byte offset refers to (C configurations only). */
  readonly binary?: string;
}

export interface SarifRef {
  readonly cell: string;
  readonly what: string;
  readonly file: string;
  readonly byteOffset?: number;
  readonly field?: string;
  readonly source?: SarifSource;
}

export interface SarifInput {
  readonly toolVersion: string;
  /** Repository root that result paths are made relative to (default: the working directory). */
  readonly root?: string;
  readonly obligations: readonly {
    readonly id: string;
    readonly title: string;
    readonly description: string;
    /** Help text; default: the isolation obligations' (Z3, --sharing). */
    readonly help?: string;
    readonly verdict: "proved" | "violated" | "unknown";
    readonly witnesses: readonly { readonly message: string; readonly first: SarifRef; readonly second: SarifRef }[];
  }[];
}

const BASE = "SRCROOT";

/** An artifact inside the root as a relative URI on SRCROOT, anything else as an absolute file URI. */
function artifact(file: string, root: string): object {
  const rel = relative(root, resolve(file));
  if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel))
    return { uri: rel.split("\\").join("/"), uriBaseId: BASE };
  return { uri: pathToFileURL(resolve(file)).href };
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

function location(r: SarifRef, root: string): object {
  const message = { text: `${r.cell}: ${r.what}` };
  if (r.source) {
    return {
      physicalLocation: {
        artifactLocation: artifact(r.source.file, root),
        region: { startLine: r.source.line, startColumn: r.source.column },
      },
      logicalLocations: [{ fullyQualifiedName: r.source.element, kind: "member" }],
      message: { text: `${message.text} (${r.source.element}${r.source.macro ? ` from ${r.source.macro}` : ""})` },
    };
  }
  return {
    physicalLocation: {
      artifactLocation: artifact(r.file, root),
      ...(r.byteOffset !== undefined ? { region: { byteOffset: r.byteOffset, byteLength: sizeOf(r.what) } } : {}),
    },
    ...(r.field !== undefined ? { logicalLocations: [{ fullyQualifiedName: r.field, kind: "member" }] } : {}),
    message,
  };
}

/** The compiled bytes of a C-sourced descriptor, as a location of its own. */
function binaryLocation(r: SarifRef, root: string): object[] {
  if (!r.source?.binary || r.byteOffset === undefined) return [];
  return [
    {
      physicalLocation: {
        artifactLocation: artifact(r.source.binary, root),
        region: { byteOffset: r.byteOffset, byteLength: sizeOf(r.what) },
      },
      message: { text: `${r.cell}: ${r.what}, byte 0x${r.byteOffset.toString(16)} of the compiled ${r.file}` },
    },
  ];
}

/** Identity of a finding: rule, cells, descriptors and their files (relative), not lines or offsets. */
function fingerprint(rule: string, w: { first: SarifRef; second: SarifRef }, root: string): string {
  const part = (r: SarifRef) => [r.cell, r.what, JSON.stringify(artifact(r.source?.file ?? r.file, root))];
  return createHash("sha256")
    .update(JSON.stringify([rule, ...part(w.first), ...part(w.second)]))
    .digest("hex");
}

const helpText = (o: SarifInput["obligations"][number]): string =>
  o.help ??
  `${o.description}. Warden proves this with Z3 over every descriptor of the configuration set; a result names both descriptors that share the resource. Change one of them, or, if the sharing is intended, declare it with a reason in a --sharing policy.`;

export function toSarif(input: SarifInput): object {
  const root = resolve(input.root ?? ".");
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
              help: { text: helpText(o), markdown: `**${o.title}.** ${helpText(o)}` },
              defaultConfiguration: { level: "error" },
            })),
          },
        },
        originalUriBaseIds: { [BASE]: { uri: `${pathToFileURL(root).href.replace(/\/?$/, "/")}` } },
        results: input.obligations.flatMap((o, ruleIndex) =>
          o.witnesses.map((w) => {
            // Code scanning annotates the primary location: prefer a descriptor with a source line.
            const [primary, other] = w.second.source && !w.first.source ? [w.second, w.first] : [w.first, w.second];
            const related = [location(other, root), ...binaryLocation(primary, root), ...binaryLocation(other, root)];
            return {
              ruleId: o.id,
              ruleIndex,
              level: "error",
              message: { text: w.message },
              locations: [location(primary, root)],
              relatedLocations: related.map((l, i) => ({ id: i + 1, ...l })),
              partialFingerprints: { "wardenFinding/v1": fingerprint(o.id, w, root) },
            };
          }),
        ),
      },
    ],
  };
}
