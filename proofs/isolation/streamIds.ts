/**
 * ARM MMU-500 stream matching: an entry (id, mask) matches every stream whose bits outside the
 * mask equal the id's (both 15 bits wide). Two entries of different non-root cells conflict when
 * some stream matches both: the SMT obligation asks for such a stream; the direct check compares
 * the ids outside the union of the masks.
 */
import type { ConfigSet } from "../../hypervisor/index.js";
import type { Ref } from "./intervals.js";

export interface StreamEntry {
  readonly id: number;
  readonly mask: number;
  readonly owner: string;
  readonly ref: Ref;
}

const BITS = 0x7fff;

export function streamEntries(set: ConfigSet): StreamEntry[] {
  return set.cells.flatMap((cell) =>
    cell.config.stream_ids.map((raw, i) => ({
      id: raw & BITS,
      mask: (raw >>> 16) & BITS,
      owner: cell.config.name,
      ref: {
        cell: cell.config.name,
        what: `stream ID ${i}`,
        file: cell.origin.file,
        ...(cell.origin.offsets?.stream_ids[i] !== undefined ? { byteOffset: cell.origin.offsets.stream_ids[i] } : {}),
        ...(cell.origin.field !== undefined ? { field: `${cell.origin.field}.stream_ids[${i}]` } : {}),
      },
    })),
  );
}

/** A stream both entries match, or undefined: evaluated directly. */
export function sharedStream(a: StreamEntry, b: StreamEntry): number | undefined {
  const care = ~(a.mask | b.mask) & BITS;
  return ((a.id ^ b.id) & care) === 0 ? a.id & care : undefined;
}

export function streamObligation(entries: readonly StreamEntry[]): string {
  const bv = (n: number) => `(_ bv${n} 16)`;
  const matches = (e: StreamEntry) => {
    const care = ~e.mask & BITS;
    return `(= (bvand s ${bv(care)}) ${bv(e.id & care)})`;
  };
  const pairs: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const a = entries[i] as StreamEntry;
      const b = entries[j] as StreamEntry;
      if (a.owner !== b.owner) pairs.push(`(and ${matches(a)} ${matches(b)})`);
    }
  }
  return [
    "; Warden proof obligation WRD-STREAM-EXCLUSIVE: MMU-500 stream IDs of different non-root cells never match one stream",
    "; Expected result: unsat. sat: the model's s is a stream both entries match.",
    "(set-logic QF_BV)",
    "(declare-const s (_ BitVec 16))",
    `(assert (bvule s ${bv(BITS)}))`,
    `(assert (or false ${pairs.join("\n  ")}))`,
    "(check-sat)",
    "(get-value (s))",
    "",
  ].join("\n");
}
