/**
 * The per-entry check of nested-EPT validation (KVM in a cell, seed "Static System Partitioning
 * and KVM"): one 64-bit Intel EPT entry at one level of a 4-level EPT, accepted only when what
 * it maps lies inside the cell's memory with at most the cell's rights. This is Warden's design,
 * not upstream Jailhouse (which has no nested VMX); `proofs/eptEntry/` proves it bit-precisely.
 *
 * Stricter than the hardware where that keeps the proof simple: execute-only and write-without-
 * read entries, mode-based execute (bit 10) and address bits at or above {@link EPT_PHYS_BITS}
 * are refused; a leaf must fit inside one region of the cell (not span two adjacent ones).
 */

/** Physical-address width the validator allows (MAXPHYADDR); bits 51..46 must be clear. */
export const EPT_PHYS_BITS = 46;

/** EPT levels: 4 (PML4) down to 1 (page table). */
export type EptLevel = 1 | 2 | 3 | 4;

/** A region of the cell's guest-physical memory (identity-mapped in the root cell) with its rights. */
export interface EptRegion {
  readonly start: bigint;
  readonly size: bigint;
  readonly read: boolean;
  readonly write: boolean;
  readonly execute: boolean;
}

export type EptEntryVerdict =
  | { readonly kind: "none" }
  | { readonly kind: "table"; readonly address: bigint }
  | {
      readonly kind: "leaf";
      readonly address: bigint;
      readonly size: bigint;
      readonly read: boolean;
      readonly write: boolean;
      readonly execute: boolean;
    }
  | { readonly kind: "refused"; readonly reason: EptRefusal };

export type EptRefusal =
  | "reserved address bits"
  | "not readable"
  | "mode-based execute"
  | "reserved table bits"
  | "memory type"
  | "misaligned large page"
  | "outside the cell's memory"
  | "more rights than the cell";

const bit = (e: bigint, n: number): boolean => ((e >> BigInt(n)) & 1n) === 1n;
const bits = (e: bigint, hi: number, lo: number): bigint => (e >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);

/** Bits 45..12: the address field the validator accepts. */
export const EPT_ADDRESS_MASK = ((1n << BigInt(EPT_PHYS_BITS)) - 1n) & ~0xfffn;
/** Bytes a leaf maps at each level; 0 where the level has no leaves. */
export const eptLeafSize: Readonly<Record<EptLevel, bigint>> = { 1: 1n << 12n, 2: 1n << 21n, 3: 1n << 30n, 4: 0n };
/** Memory types an EPT leaf may carry: UC, WC, WT, WP, WB (2, 3 and 7 are reserved). */
export const EPT_MEMORY_TYPES: readonly bigint[] = [0n, 1n, 4n, 5n, 6n];

/** Whether the hardware reads this present entry as a leaf: always at level 1, with bit 7 at 2 and 3. */
export const eptIsLeaf = (entry: bigint, level: EptLevel): boolean =>
  level === 1 || ((level === 2 || level === 3) && bit(entry, 7));

/** The region that holds all of [address, address + size), if any. */
const holder = (regions: readonly EptRegion[], address: bigint, size: bigint): EptRegion | undefined =>
  regions.find((r) => address >= r.start && address + size <= r.start + r.size);

/**
 * Checks one EPT entry at `level` against the cell's memory `regions`: not present (bits 2..0
 * clear) maps nothing; a table pointer must point at a page inside a readable region; a leaf must
 * have a valid memory type, an aligned large-page address, and lie inside one region that grants
 * every right it gives.
 */
export function checkEptEntry(entry: bigint, level: EptLevel, regions: readonly EptRegion[]): EptEntryVerdict {
  if (bits(entry, 2, 0) === 0n) return { kind: "none" };
  if (bits(entry, 51, EPT_PHYS_BITS) !== 0n) return { kind: "refused", reason: "reserved address bits" };
  if (!bit(entry, 0)) return { kind: "refused", reason: "not readable" };
  if (bit(entry, 10)) return { kind: "refused", reason: "mode-based execute" };
  const address = entry & EPT_ADDRESS_MASK;
  if (!eptIsLeaf(entry, level)) {
    if (bits(entry, 7, 3) !== 0n) return { kind: "refused", reason: "reserved table bits" };
    const r = holder(regions, address, 1n << 12n);
    return r?.read ? { kind: "table", address } : { kind: "refused", reason: "outside the cell's memory" };
  }
  if (!EPT_MEMORY_TYPES.includes(bits(entry, 5, 3))) return { kind: "refused", reason: "memory type" };
  const size = eptLeafSize[level];
  if ((address & (size - 1n)) !== 0n) return { kind: "refused", reason: "misaligned large page" };
  const r = holder(regions, address, size);
  if (!r) return { kind: "refused", reason: "outside the cell's memory" };
  const write = bit(entry, 1);
  const execute = bit(entry, 2);
  if (!r.read || (write && !r.write) || (execute && !r.execute))
    return { kind: "refused", reason: "more rights than the cell" };
  return { kind: "leaf", address, size, read: true, write, execute };
}
