/**
 * Scalar fields of the human configuration form: integers written as numbers, decimal strings
 * or `0x` hex strings, flag lists of names (or hex for bits without a name), PCI addresses as
 * `bb:dd.f`. Each parser checks the field's width, so an error names the field.
 */
import { z } from "zod";

const MAX_U64 = (1n << 64n) - 1n;

function toBigInt(v: number | string): bigint | undefined {
  if (typeof v === "number") return Number.isSafeInteger(v) ? BigInt(v) : undefined;
  const s = v.trim().replace(/_/g, "");
  if (/^0x[0-9a-f]+$/i.test(s) || /^\d+$/.test(s)) return BigInt(s);
  return undefined;
}

/** An unsigned integer of `bits` bits, as a bigint. */
export const u64 = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = toBigInt(v);
  if (n === undefined || n < 0n || n > MAX_U64) {
    ctx.addIssue({
      code: "custom",
      message: `expected an unsigned 64-bit integer (number or "0x…"), got ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  }
  return n;
});

/** An unsigned integer of at most 32 bits, as a number. */
export const uint = (bits: 8 | 16 | 32) =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const n = toBigInt(v);
    if (n === undefined || n < 0n || n >= 1n << BigInt(bits)) {
      ctx.addIssue({ code: "custom", message: `expected an unsigned ${bits}-bit integer, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return Number(n);
  });

/** A flag set written as a list of names (or hex strings for unnamed bits). */
export function flagList<T extends number | bigint>(names: Readonly<Record<string, T>>, zero: T) {
  return z.array(z.union([z.string(), z.number()])).transform((items, ctx) => {
    let acc = typeof zero === "bigint" ? 0n : 0;
    for (const item of items) {
      const named = typeof item === "string" ? names[item] : undefined;
      const raw = named === undefined ? toBigInt(item) : undefined;
      if (named === undefined && raw === undefined) {
        ctx.addIssue({
          code: "custom",
          message: `unknown flag ${JSON.stringify(item)}; known: ${Object.keys(names).join(", ")}`,
        });
        return z.NEVER;
      }
      const bit = named ?? raw ?? 0n;
      acc = typeof acc === "bigint" ? acc | BigInt(bit) : (acc | Number(bit)) >>> 0;
    }
    return acc as T;
  });
}

/** Names the set bits of `value`; bits without a name are written as one hex string. */
export function flagNames<T extends number | bigint>(names: Readonly<Record<string, T>>, value: T): string[] {
  const v = BigInt(value);
  const out: string[] = [];
  let rest = v;
  for (const [name, bit] of Object.entries(names)) {
    const b = BigInt(bit);
    if (b !== 0n && (v & b) === b) {
      out.push(name);
      rest &= ~b;
    }
  }
  if (rest !== 0n) out.push(`0x${rest.toString(16)}`);
  return out;
}

/** A PCI address `bb:dd.f` (or a raw 16-bit number) as bus << 8 | dev << 3 | fn. */
export const bdf = z.union([z.number(), z.string()]).transform((v, ctx) => {
  if (typeof v === "string") {
    const m = /^([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i.exec(v.trim());
    if (m) {
      const dev = Number.parseInt(m[2] ?? "0", 16);
      if (dev < 32) return (Number.parseInt(m[1] ?? "0", 16) << 8) | (dev << 3) | Number(m[3]);
    }
  }
  const n = typeof v === "number" ? v : Number.NaN;
  if (Number.isInteger(n) && n >= 0 && n <= 0xffff) return n;
  ctx.addIssue({
    code: "custom",
    message: `expected a PCI address "bus:dev.fn" (e.g. "00:0e.0"), got ${JSON.stringify(v)}`,
  });
  return z.NEVER;
});

export const showBdf = (bdf: number): string =>
  `${(bdf >> 8).toString(16).padStart(2, "0")}:${((bdf >> 3) & 0x1f).toString(16).padStart(2, "0")}.${bdf & 7}`;

/** Hex text for a 64-bit value. */
export const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

/** An enumeration written by name or number. */
export function enumOf(names: Readonly<Record<string, number>>, bits: 8 | 16 | 32) {
  const num = uint(bits);
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    if (typeof v === "string" && v in names) return names[v] as number;
    const parsed = num.safeParse(v);
    if (parsed.success) return parsed.data;
    ctx.addIssue({
      code: "custom",
      message: `expected one of ${Object.keys(names).join(", ")} or a number, got ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  });
}

/** The name of an enumeration value, or the number when it has none. */
export function enumName(names: Readonly<Record<string, number>>, v: number): string | number {
  return Object.entries(names).find(([, n]) => n === v)?.[0] ?? v;
}
