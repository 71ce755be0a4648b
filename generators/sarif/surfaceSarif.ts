/**
 * Surface-budget overruns as SARIF (through `toSarif`): one rule per `surface:` target, one result
 * per overrun, located at the budget file's target and, for a forbidden handler, at the handler.
 */
import { type SarifRef, toSarif } from "./toSarif.js";

/** What a surface-budget check gives (structurally `SurfaceTargetResult[]` of proofs/audit/surface). */
export interface SurfaceSarifInput {
  readonly toolVersion: string;
  readonly root?: string;
  readonly budgetFile: string;
  /** Directory the handlers' files are relative to. */
  readonly coreRoot: string;
  readonly targets: readonly {
    readonly target: string;
    readonly cell: string;
    readonly checked: boolean;
    readonly overruns: readonly {
      readonly message: string;
      readonly at?: { readonly file: string; readonly line: number; readonly name: string };
    }[];
  }[];
}

const help =
  "A cell reaches more hypervisor code than its surface budget allows, or a handler the budget forbids. Remove the device or flag that makes the entry point reachable, or raise the budget with a reason.";

export function surfaceSarif(input: SurfaceSarifInput): object {
  return toSarif({
    toolVersion: input.toolVersion,
    ...(input.root ? { root: input.root } : {}),
    obligations: input.targets
      .filter((t) => t.checked)
      .map((t) => ({
        id: `surface/${t.target}`,
        title: `surface budget ${t.target}`,
        description: `cell "${t.cell}" reaches only the hypervisor code its budget allows`,
        help,
        verdict: t.overruns.length === 0 ? ("proved" as const) : ("violated" as const),
        witnesses: t.overruns.map((o) => {
          const first: SarifRef = {
            cell: t.cell,
            what: `surface target ${t.target}`,
            file: input.budgetFile,
            field: `surface.${t.target}`,
          };
          const second: SarifRef = o.at
            ? {
                cell: t.cell,
                what: `handler ${o.at.name}`,
                file: `${input.coreRoot}/${o.at.file}`,
                source: { file: `${input.coreRoot}/${o.at.file}`, line: o.at.line, column: 1, element: o.at.name },
              }
            : first;
          return { message: `${t.cell}: ${o.message}`, first, second };
        }),
      })),
  });
}
