/**
 * SMT-LIB (QF_BV) for the per-entry check of nested-EPT validation: `accept_L` mirrors
 * `checkEptEntry` (hypervisor/arch/x86/nestedEptEntry.ts) bit for bit against one symbolic
 * region, and each obligation asserts an accepted entry whose hardware meaning escapes the
 * region or its rights. `unsat` proves the check for every 64-bit entry value and every region.
 */
import { EPT_MEMORY_TYPES, EPT_PHYS_BITS, type EptLevel, eptLeafSize } from "../../hypervisor/index.js";

const hex = (n: bigint): string => `#x${n.toString(16).padStart(16, "0")}`;
const bitSet = (e: string, n: number): string => `(= ((_ extract ${n} ${n}) ${e}) #b1)`;
const field0 = (e: string, hi: number, lo: number): string =>
  `(= ((_ extract ${hi} ${lo}) ${e}) (_ bv0 ${hi - lo + 1}))`;

/** A planted mistake, to show the proof can fail (must-fail twins of the obligations). */
export type EptSmtMutant = "small-span" | "no-write-right" | "no-address-bits" | "region-end-inclusive";

/** Every planted mistake; each must make some obligation satisfiable. */
export const eptSmtMutants: readonly EptSmtMutant[] = [
  "small-span",
  "no-write-right",
  "no-address-bits",
  "region-end-inclusive",
];

/** The hardware's leaf test at `level` (a level-4 entry is never a leaf). */
const leafHw = (level: EptLevel): string => (level === 1 ? "true" : level === 4 ? "false" : bitSet("e", 7));

/** `inside a n`: [a, a + n) lies in [s, s + z) (regions are bounded below 2^46, so nothing wraps). */
const insideFun = (mutant?: EptSmtMutant): string =>
  `(define-fun inside ((a (_ BitVec 64)) (n (_ BitVec 64)) (s (_ BitVec 64)) (z (_ BitVec 64))) Bool
  (and (bvuge a s) (${mutant === "region-end-inclusive" ? "bvule (bvadd a n) (bvadd (bvadd s z) #x0000000000001000)" : "bvule (bvadd a n) (bvadd s z)"})))`;

/** `accept_L`: the validator at one level, against the region (s, z) with rights fr, fw, fx. */
export function acceptFun(level: EptLevel, mutant?: EptSmtMutant): string {
  const size = eptLeafSize[level];
  const addrMask = ((1n << BigInt(EPT_PHYS_BITS)) - 1n) & ~0xfffn;
  const addr = `(bvand e ${hex(addrMask)})`;
  const memType = `(let ((mt ((_ extract 5 3) e))) (or ${EPT_MEMORY_TYPES.map((t) => `(= mt (_ bv${t} 3))`).join(" ")}))`;
  // Alignment is the hardware's requirement (a misaligned large page is an EPT misconfiguration);
  // containment below does not rely on it.
  const aligned = level === 1 ? "true" : `(= (bvand ${addr} ${hex(size - 1n)}) #x0000000000000000)`;
  const span = mutant === "small-span" ? 0x1000n : size;
  const writeOk = mutant === "no-write-right" ? "true" : `(=> ${bitSet("e", 1)} fw)`;
  const leaf =
    level === 4
      ? "false"
      : `(and ${memType} ${aligned} (inside ${addr} ${hex(span)} s z) fr ${writeOk} (=> ${bitSet("e", 2)} fx))`;
  const table = level === 1 ? "false" : `(and ${field0("e", 7, 3)} (inside ${addr} #x0000000000001000 s z) fr)`;
  const high = mutant === "no-address-bits" ? "true" : field0("e", 51, EPT_PHYS_BITS);
  return `(define-fun accept_${level} ((e (_ BitVec 64)) (s (_ BitVec 64)) (z (_ BitVec 64)) (fr Bool) (fw Bool) (fx Bool)) Bool
  (or ${field0("e", 2, 0)}
      (and ${high} ${bitSet("e", 0)} (not ${bitSet("e", 10)})
           (ite ${leafHw(level)} ${leaf} ${table}))))`;
}

/** The shared prelude: `inside` and the four `accept_L`. */
export function eptEntryPrelude(mutant?: EptSmtMutant): string {
  return [insideFun(mutant), ...([1, 2, 3, 4] as const).map((l) => acceptFun(l, mutant))].join("\n");
}

export interface EptObligation {
  readonly name: string;
  readonly smt2: string;
}

/**
 * One obligation per level and entry role: an accepted present leaf (or table pointer) whose
 * hardware translation — the full address field, bits 51..12, plus any offset below the page
 * size — leaves the region, or whose R/W/X (X also from bit 10) exceeds the region's rights.
 */
export function eptEntryObligations(mutant?: EptSmtMutant): EptObligation[] {
  const out: EptObligation[] = [];
  for (const level of [1, 2, 3, 4] as const) {
    for (const role of ["leaf", "table"] as const) {
      if ((role === "leaf" && level === 4) || (role === "table" && level === 1)) continue;
      const span = role === "leaf" ? eptLeafSize[level] : 1n << 12n;
      const escapes =
        role === "leaf"
          ? `(or (not inRegion) (and ${bitSet("e", 0)} (not fr)) (and ${bitSet("e", 1)} (not fw)) (and (or ${bitSet("e", 2)} ${bitSet("e", 10)}) (not fx)))`
          : "(not inRegion)";
      const smt2 = [
        `; Warden: nested-EPT entry check, level ${level}, ${role}: an accepted entry maps only inside the region with at most its rights.`,
        "(set-logic QF_BV)",
        eptEntryPrelude(mutant),
        "(declare-const e (_ BitVec 64))",
        "(declare-const s (_ BitVec 64))",
        "(declare-const z (_ BitVec 64))",
        "(declare-const o (_ BitVec 64))",
        "(declare-const fr Bool)",
        "(declare-const fw Bool)",
        "(declare-const fx Bool)",
        "; a region: page-aligned, non-empty, below 2^46",
        "(assert (= (bvand s #x0000000000000fff) #x0000000000000000))",
        "(assert (= (bvand z #x0000000000000fff) #x0000000000000000))",
        "(assert (not (= z #x0000000000000000)))",
        `(assert (bvule (bvadd s z) ${hex(1n << BigInt(EPT_PHYS_BITS))}))`,
        `(assert (bvule z ${hex(1n << BigInt(EPT_PHYS_BITS))}))`,
        `(assert (bvult o ${hex(span)}))`,
        `(assert (accept_${level} e s z fr fw fx))`,
        `(assert (not ${field0("e", 2, 0)}))`,
        `(assert ${role === "leaf" ? leafHw(level) : `(not ${leafHw(level)})`})`,
        `(define-fun pa () (_ BitVec 64) (bvadd (bvand e #x000ffffffffff000) o))`,
        "(define-fun inRegion () Bool (and (bvuge pa s) (bvult pa (bvadd s z))))",
        `(assert ${escapes})`,
        "(check-sat)",
        "",
      ].join("\n");
      out.push({ name: `level ${level} ${role}`, smt2 });
    }
  }
  return out;
}
