/**
 * Stream IDs as each ARM IOMMU type reads them. Upstream applies every stream ID of a cell to every
 * unit of the platform's types, decoding per type:
 * - MMU-500 / SMMUv2 (arm_smmu_cell_init in hypervisor/arch/arm64/smmu.c): bits 14:0 are the id and
 *   bits 30:16 the mask (SMR_GET_ID, SMR_GET_MASK); an entry matches every stream whose bits outside
 *   the mask equal the id's.
 * - SMMUv3 (arm_smmuv3_cell_init in smmu-v3.c) and the TI PVU (pvu_iommu_cell_init in ti-pvu.c): the
 *   whole 32-bit `id` is one stream (an STE index, a virtual id), matched exactly.
 * Two entries of different non-root cells conflict when some stream matches both under a decoding
 * of a unit the platform has. Without any such unit, ids are compared exactly.
 */
import { type ConfigSet, iommuTypes } from "../../hypervisor/index.js";
import type { Ref } from "./intervals.js";

export type Decoding = "MMU-500" | "exact";

export interface StreamEntry {
  readonly id: number;
  readonly mask: number;
  readonly decoding: Decoding;
  readonly owner: string;
  readonly ref: Ref;
}

const MMU500_BITS = 0x7fff;
const ALL = 0xffffffff;

/** The decodings of the platform's stream-ID units (MMU-500 and/or exact). */
export function decodingsOf(set: ConfigSet): Decoding[] {
  const types = new Set(set.system.config.platform.iommu_units.map((u) => u.type));
  const out: Decoding[] = [];
  if (types.has(iommuTypes.ARM_MMU500)) out.push("MMU-500");
  if (types.has(iommuTypes.SMMUV3) || types.has(iommuTypes.PVU) || out.length === 0) out.push("exact");
  return out;
}

export function streamEntries(set: ConfigSet): StreamEntry[] {
  const decodings = decodingsOf(set);
  return set.cells.flatMap((cell) =>
    cell.config.stream_ids.flatMap((raw, i) =>
      decodings.map((decoding) => ({
        id: decoding === "MMU-500" ? raw & MMU500_BITS : raw >>> 0,
        mask: decoding === "MMU-500" ? (raw >>> 16) & MMU500_BITS : 0,
        decoding,
        owner: cell.config.name,
        ref: {
          cell: cell.config.name,
          what: `stream ID ${i} (${decoding === "MMU-500" ? "MMU-500 id/mask" : "exact"})`,
          file: cell.origin.file,
          ...(cell.origin.offsets?.stream_ids[i] !== undefined
            ? { byteOffset: cell.origin.offsets.stream_ids[i] }
            : {}),
          ...(cell.origin.field !== undefined ? { field: `${cell.origin.field}.stream_ids[${i}]` } : {}),
        },
      })),
    ),
  );
}

const width = (d: Decoding): number => (d === "MMU-500" ? MMU500_BITS : ALL);

/** A stream both entries match, or undefined: evaluated directly. */
export function sharedStream(a: StreamEntry, b: StreamEntry): number | undefined {
  if (a.decoding !== b.decoding) return undefined;
  const care = ~(a.mask | b.mask) & width(a.decoding);
  return ((a.id ^ b.id) & care) >>> 0 === 0 ? (a.id & care) >>> 0 : undefined;
}

/**
 * "Some stream s is matched by two entries of different cells under one decoding": each entry is
 * stated with its raw id and mask, and the solver searches for s (no pair is compared in advance).
 */
export function streamObligation(entries: readonly StreamEntry[]): string {
  const bv = (n: number) => `(_ bv${n >>> 0} 32)`;
  const owners = [...new Set(entries.map((e) => e.owner))];
  const lines = [
    "; Warden proof obligation WRD-STREAM-EXCLUSIVE: stream IDs of different non-root cells never match one stream",
    "; Expected result: unsat. sat: the model's s is a stream two cells' entries match (decoding d: 0 MMU-500, 1 exact).",
    "(set-logic QF_BV)",
    "(declare-const s (_ BitVec 32))",
    "(declare-const d (_ BitVec 1))",
  ];
  const matches = (e: StreamEntry) => {
    const care = ~e.mask & width(e.decoding);
    return `(and (= d ${e.decoding === "MMU-500" ? "#b0" : "#b1"}) (= (bvand s ${bv(care)}) ${bv(e.id & care)}))`;
  };
  for (const [k, owner] of owners.entries()) {
    const mine = entries.filter((e) => e.owner === owner);
    lines.push(`; cell ${JSON.stringify(owner)}`, `(define-fun cell${k} () Bool (or ${mine.map(matches).join(" ")}))`);
  }
  lines.push(`(assert (bvule s ${bv(ALL)}))`);
  const pairs: string[] = [];
  for (let a = 0; a < owners.length; a++)
    for (let b = a + 1; b < owners.length; b++) pairs.push(`(and cell${a} cell${b})`);
  lines.push(`(assert (or ${pairs.join(" ")}))`);
  lines.push("(check-sat)", "");
  return lines.join("\n");
}
