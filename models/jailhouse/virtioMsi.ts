import {
  and,
  apply,
  BOOLEAN,
  constFn,
  defineModel,
  type Ex,
  fnDef,
  fnSet,
  forall,
  implies,
  isIn,
  lit,
  litSet,
  type Model,
  not,
  or,
  type PropertySpec,
  range,
  setOf,
} from "../kernel/index.js";
import { msiActions } from "./virtioMsiActions.js";
import { identOf, type MsiConsts, type MsiParams, type MsiVars, msiSystem } from "./virtioMsiDesign.js";

/**
 * VirtioMsi: per-device MSI vectors for the virtio-mmio devices of cells (the seed "A Lightweight
 * Virtual Interrupt Controller", KVM Forum 2019) under a partitioning hypervisor. Each device
 * belongs to one cell and has N vectors with a destination CPU (address/data), a mask and a
 * pending bit; the device raises vectors, the cell's CPUs write the vector-select, entry and mask
 * registers, and the hypervisor delivers pending, unmasked vectors. The design parameter is
 * where the hypervisor validates destinations against the owning cell's CPUs.
 */
export function virtioMsi(p: MsiParams): Model {
  const bug = p.bug ?? "none";
  const { cpus, vectors, devices, byDevice, deviceConstants } = msiSystem(p);
  const twin = { none: "", pending: "LostPending", select: "SelectRace" }[bug];
  return defineModel<MsiVars, MsiConsts>({
    name: `VirtioMsi${twin ? `Bug${twin}` : ""}`,
    doc: "MSI vectors of virtio-mmio devices owned by cells: events, guest register writes, validation, delivery.",
    header: [
      `Validation: ${p.validation} (trapped: every address/data write is validated; delivery: untrapped`,
      "entries re-read and validated at each unmask and delivery; unmask: untrapped entries validated",
      "only at unmask). The register layout is Warden's own proposal (VECTOR_SEL, ADDR/DATA, MASK,",
      "PENDING per device), not a ratified virtio specification. A destination is a CPU; the x86 and",
      "arm64 address/data encodings of it are the core's business. Trapped handlers hold the device's",
      "lock and read VECTOR_SEL once, so they are one step. Ghosts: outstanding (an event not yet",
      "delivered), escaped, spurious and outOfRange (sticky flags the safety properties read).",
      "Left out: queue processing, the backend cell, interrupt priorities, CPU hot-plug.",
      bug === "pending" ? "MUST-FAIL TWIN: unmask clears the pending bit without delivering." : "",
      bug === "select"
        ? "MUST-FAIL TWIN: the mask handler checks VECTOR_SEL, then reads it again to index the table."
        : "",
    ].join("\n"),
    constants: {
      ...deviceConstants,
      Home: {
        doc: "the CPU each device's entries name at start",
        value: byDevice((d) => cpus.of[d]?.[0] ?? cpus.root),
      },
      NumVectors: { doc: "vectors per device (also the first out-of-range VECTOR_SEL value)", value: p.vectors },
      Vectors: { doc: "vector 0: configuration change; 1..N-1: queues", value: setOf(vectors) },
    },
    variables: ({ c }) => ({
      entry: { doc: "each vector's destination CPU (address/data)", type: fnSet(c.Devices, fnSet(c.Vectors, c.Cpus)) },
      mask: { doc: "each vector's mask bit", type: fnSet(c.Devices, fnSet(c.Vectors, BOOLEAN)) },
      pending: { doc: "each vector's pending bit", type: fnSet(c.Devices, fnSet(c.Vectors, BOOLEAN)) },
      sel: { doc: "each device's VECTOR_SEL register", type: fnSet(c.Devices, range(0, c.NumVectors)) },
      trap: {
        doc: "a CPU inside a two-step mask handler (the select-race twin only)",
        type: fnSet(c.Cpus, litSet(["idle", "mask", "unmask"])),
      },
      outstanding: {
        doc: "ghost: the device raised the vector and it was not delivered since",
        type: fnSet(c.Devices, fnSet(c.Vectors, BOOLEAN)),
      },
      escaped: { doc: "ghost: an interrupt was delivered to a CPU outside its device's cell", type: BOOLEAN },
      spurious: { doc: "ghost: an interrupt was delivered that no event asked for", type: BOOLEAN },
      outOfRange: { doc: "ghost: a handler indexed a vector table with VECTOR_SEL out of range", type: BOOLEAN },
    }),
    init: ({ c }) => ({
      entry: fnDef(c.Devices, (d) => constFn(c.Vectors, apply(c.Home, d)), "d"),
      mask: constFn(c.Devices, constFn(c.Vectors, lit(true))),
      pending: constFn(c.Devices, constFn(c.Vectors, lit(false))),
      sel: constFn(c.Devices, lit(0)),
      trap: constFn(c.Cpus, lit("idle")),
      outstanding: constFn(c.Devices, constFn(c.Vectors, lit(false))),
      escaped: lit(false),
      spurious: lit(false),
      outOfRange: lit(false),
    }),
    actions: (scope) => msiActions(scope, p.validation, bug),
    invariants: ({ v, c }) => {
      const each = (body: (d: Ex<string>, i: Ex<number>) => Ex<boolean>) =>
        forall(c.Devices, (d) => forall(c.Vectors, (i) => body(d, i), "i"), "d");
      return {
        DeliveredOnlyInOwningCell: {
          doc: "no interrupt is ever delivered to a CPU outside the cell that owns the device",
          p: not(v.escaped),
        },
        NoSpuriousDelivery: {
          doc: "every delivery answers an event the device raised and has not been delivered since",
          p: not(v.spurious),
        },
        VectorsInRange: {
          doc: "no handler indexes a vector table outside 0..NumVectors-1",
          p: not(v.outOfRange),
        },
        PendingMeansRaised: {
          doc: "lemma: a pending bit stands for an undelivered event",
          p: each((d, i) => implies(apply(apply(v.pending, d), i), apply(apply(v.outstanding, d), i))),
        },
        ...(p.validation === "trapped"
          ? {
              EntriesInCell: {
                doc: "lemma (trapped design): every entry names a CPU of the owning cell",
                p: each((d, i) => isIn(apply(apply(v.entry, d), i), apply(c.CellCpus, d))),
              },
            }
          : {}),
      };
    },
    properties: ({ v }) => {
      const out: Record<string, PropertySpec> = {};
      for (const d of devices) {
        for (const i of vectors) {
          const bit = (f: typeof v.pending) => apply(apply(f, lit(d)), lit(i));
          out[`NoLostInterrupt_${identOf(d)}_${i}`] = {
            doc: `every event of ${d}'s vector ${i} is eventually delivered, or stays pending while masked`,
            leadsTo: [bit(v.outstanding), or(not(bit(v.outstanding)), and(bit(v.mask), bit(v.pending)))],
          };
        }
      }
      return out;
    },
    fairness: [
      { kind: "weak", action: "Deliver" },
      ...(bug === "select" ? [{ kind: "weak" as const, action: "MaskCommit" }] : []),
    ],
    checkDeadlock: false,
  });
}
