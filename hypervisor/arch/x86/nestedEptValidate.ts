/**
 * The full validation walk of a KVM-built EPT (nested EPT, a Warden design): the EPT pointer,
 * then every entry of every table reachable from it, read from the cell's memory and checked
 * with {@link checkEptEntry}. The result lists the table pages the hypervisor must write-protect
 * and track; the NestedEpt model's `HvValidate` is this walk, abstracted.
 */
import { checkEptEntry, EPT_ADDRESS_MASK, type EptLevel, type EptRegion } from "./nestedEptEntry.js";

export type EptValidation =
  | {
      readonly ok: true;
      readonly tables: readonly bigint[];
      /** Each table page with the level the walk used it at (4: the root). */
      readonly levels: readonly (readonly [bigint, EptLevel])[];
      readonly leaves: number;
    }
  | {
      readonly ok: false;
      readonly reason: string;
      /** Where the walk stopped: the table page and entry index (absent for the EPT pointer itself). */
      readonly table?: bigint;
      readonly index?: number;
      readonly level?: EptLevel;
    };

/** The EPT pointer the hypervisor's own re-walks use for a known root: write-back, 4 levels. */
export const eptPointerOf = (root: bigint): bigint => root | 6n | (3n << 3n);

/** Memory types an EPT pointer may name for the paging structures: UC (0) and WB (6). */
const EPTP_MEMORY_TYPES = [0n, 6n];

/**
 * Validates the EPT that `eptp` names: memory type UC or WB, a 4-level walk (bits 5..3 = 3),
 * bits 11..7 and 51..46 clear, the PML4 page readable by the cell; then every entry of every
 * reachable table. `read64` reads the cell's memory at a guest-physical address (8-byte aligned).
 */
export function validateEpt(
  eptp: bigint,
  regions: readonly EptRegion[],
  read64: (address: bigint) => bigint,
): EptValidation {
  if (!EPTP_MEMORY_TYPES.includes(eptp & 7n)) return { ok: false, reason: "EPT pointer memory type" };
  if (((eptp >> 3n) & 7n) !== 3n) return { ok: false, reason: "EPT pointer walk length is not 4 levels" };
  if ((eptp & 0xf80n) !== 0n || (eptp & ~EPT_ADDRESS_MASK & ~0xfffn) !== 0n)
    return { ok: false, reason: "EPT pointer reserved bits" };
  const root = eptp & EPT_ADDRESS_MASK;
  if (!regions.some((r) => r.read && root >= r.start && root + 0x1000n <= r.start + r.size))
    return { ok: false, reason: "EPT root outside the cell's memory" };
  const seen = new Map<bigint, EptLevel>();
  let leaves = 0;
  // Depth-first with an explicit stack; a table reached twice is walked once per level it is used at.
  const stack: [bigint, EptLevel][] = [[root, 4]];
  while (stack.length > 0) {
    const [table, level] = stack.pop() as [bigint, EptLevel];
    if (seen.get(table) === level) continue;
    if (seen.has(table)) return { ok: false, reason: "table page used at two levels", table, level };
    seen.set(table, level);
    for (let index = 0; index < 512; index++) {
      const v = checkEptEntry(read64(table + BigInt(index * 8)), level, regions);
      if (v.kind === "refused") return { ok: false, reason: v.reason, table, index, level };
      if (v.kind === "table") stack.push([v.address, (level - 1) as EptLevel]);
      if (v.kind === "leaf") leaves++;
    }
  }
  const tables = [...seen.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { ok: true, tables, levels: tables.map((t) => [t, seen.get(t) as EptLevel] as const), leaves };
}
