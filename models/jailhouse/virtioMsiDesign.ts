/**
 * The design choices and must-fail twins of the VirtioMsi model, and the types its actions share.
 */
import { type Fn, type SetT, setOf } from "../kernel/index.js";

/**
 * Where the hypervisor validates a vector's destination:
 * - `trapped`: every address/data write traps and is refused when it names a CPU outside the
 *   owning cell (MSI-X emulation today);
 * - `delivery`: address/data are untrapped; the hypervisor re-reads and validates the entry at
 *   each unmask and at each delivery (an invalid entry at delivery masks the vector, the event
 *   stays pending);
 * - `unmask`: address/data are untrapped and validated only when the guest unmasks (the cheap
 *   ordering, which a guest defeats by rewriting the entry while it is unmasked).
 */
export type MsiValidation = "trapped" | "delivery" | "unmask";
export const msiValidations: readonly MsiValidation[] = ["trapped", "delivery", "unmask"];

/**
 * Must-fail twins: `pending` — unmask clears the pending bit without delivering (a lost
 * interrupt); `select` — the mask handler checks the shared vector-select register, then reads it
 * again to index the table, so another CPU of the cell slips an out-of-range index in between.
 */
export type MsiBug = "none" | "pending" | "select";
export const msiBugs: readonly MsiBug[] = ["none", "pending", "select"];

export interface MsiParams {
  /** Non-root cells, each owning one virtio-mmio device named after it. */
  readonly cells: readonly string[];
  /** CPUs of each cell (the root cell always has one more, `r0`). */
  readonly cpusPerCell: number;
  /** Vectors per device: vector 0 signals configuration changes, 1..N-1 the queues. */
  readonly vectors: number;
  readonly validation: MsiValidation;
  readonly bug?: MsiBug | undefined;
}

export type MsiVars = {
  entry: Fn<string, Fn<number, string>>;
  mask: Fn<string, Fn<number, boolean>>;
  pending: Fn<string, Fn<number, boolean>>;
  sel: Fn<string, number>;
  trap: Fn<string, string>;
  outstanding: Fn<string, Fn<number, boolean>>;
  escaped: boolean;
  spurious: boolean;
  outOfRange: boolean;
};

export type MsiConsts = {
  Devices: SetT<string>;
  Cpus: SetT<string>;
  CellCpus: Fn<string, SetT<string>>;
  Home: Fn<string, string>;
  NumVectors: number;
  Vectors: SetT<number>;
};

/** The CPU names of a system: `r0` for the root cell, then `<cell><i>` for each cell. */
export function msiCpus(cells: readonly string[], perCell: number): { root: string; of: Record<string, string[]> } {
  return {
    root: "r0",
    of: Object.fromEntries(cells.map((c) => [c, Array.from({ length: perCell }, (_, i) => `${c}${i}`)])),
  };
}

/**
 * What VirtioMsi and LegacyIrq share: the CPU names, vectors, one device per cell (sorted), a
 * per-device function value, and the constants both declare alike (Devices, Cpus, CellCpus), so
 * `warden explore irq` compares the two designs over the same system.
 */
export function msiSystem(p: Pick<MsiParams, "cells" | "cpusPerCell" | "vectors">) {
  const cpus = msiCpus(p.cells, p.cpusPerCell);
  const vectors = Array.from({ length: p.vectors }, (_, i) => i);
  const devices = [...p.cells].sort();
  const byDevice = <T>(f: (d: string) => T) => ({
    kind: "function" as const,
    domain: devices,
    values: devices.map(f) as never[],
  });
  const deviceConstants = {
    Devices: { doc: "one virtio-mmio device per non-root cell, named after it", value: setOf(devices) },
    Cpus: {
      doc: "every CPU of the system, the root cell's r0 included",
      value: setOf([cpus.root, ...Object.values(cpus.of).flat()]),
    },
    CellCpus: { doc: "the CPUs of the cell that owns each device", value: byDevice((d) => setOf(cpus.of[d] ?? [])) },
  };
  return { cpus, vectors, devices, byDevice, deviceConstants };
}

/** A property-name fragment for a cell (TLA+ identifiers take letters, digits and underscores). */
export const identOf = (name: string): string => name.replace(/[^A-Za-z0-9]/g, "_");
