import {
  and,
  apply,
  BOOLEAN,
  constFn,
  defineModel,
  type Ex,
  except,
  exists,
  type Fn,
  fnDef,
  fnSet,
  forall,
  implies,
  isIn,
  ite,
  lit,
  type Model,
  not,
  notIn,
  or,
  type PropertySpec,
  setEnum,
  setminus,
  setOf,
  withParams,
} from "../kernel/index.js";
import { identOf, type MsiConsts, type MsiParams, msiSystem } from "./virtioMsiDesign.js";

type Vars = {
  isr: Fn<string, Fn<number, boolean>>;
  route: Fn<string, string>;
  inService: Fn<string, boolean>;
  outstanding: Fn<string, Fn<number, boolean>>;
  escaped: boolean;
  spurious: boolean;
  outOfRange: boolean;
};

/**
 * LegacyIrq: the design VirtioMsi replaces, with the same constants and property names so
 * `warden explore irq` can compare them. Each device has one line through the interrupt
 * controller, routed to a CPU (the redirection write traps and is validated); an event sets a
 * cause bit of InterruptStatus; the hypervisor injects the line; the guest reads InterruptStatus
 * and acknowledges the causes it saw (both trapped), which ends the line's service.
 */
export function legacyIrq(p: Pick<MsiParams, "cells" | "cpusPerCell" | "vectors">): Model {
  const { cpus, vectors, devices, byDevice, deviceConstants } = msiSystem(p);
  return defineModel<Vars, Omit<MsiConsts, "NumVectors">>({
    name: "LegacyIrq",
    doc: "virtio-mmio's legacy interrupt: one routed line per device, InterruptStatus read and acknowledged by the guest.",
    header: [
      "The causes are the vectors of VirtioMsi (0: configuration change, 1..N-1: queues), so the two",
      "models share constants and property names. Route writes trap and are validated against the",
      "owning cell; there is no vector-select register, so VectorsInRange holds trivially.",
    ].join("\n"),
    constants: {
      ...deviceConstants,
      Home: {
        doc: "the CPU each device's line is routed to at start",
        value: byDevice((d) => cpus.of[d]?.[0] ?? cpus.root),
      },
      Vectors: { doc: "the causes: 0 configuration change, 1..N-1 queues", value: setOf(vectors) },
    },
    variables: ({ c }) => ({
      isr: {
        doc: "each device's InterruptStatus, one bit per cause",
        type: fnSet(c.Devices, fnSet(c.Vectors, BOOLEAN)),
      },
      route: { doc: "the CPU each device's line is routed to", type: fnSet(c.Devices, c.Cpus) },
      inService: { doc: "the line was injected and not yet acknowledged", type: fnSet(c.Devices, BOOLEAN) },
      outstanding: {
        doc: "ghost: a cause raised and not yet seen by the guest",
        type: fnSet(c.Devices, fnSet(c.Vectors, BOOLEAN)),
      },
      escaped: { doc: "ghost: a line was injected into a CPU outside its device's cell", type: BOOLEAN },
      spurious: { doc: "ghost: the guest acknowledged a cause no event asked for", type: BOOLEAN },
      outOfRange: { doc: "ghost: always FALSE (no vector-select register)", type: BOOLEAN },
    }),
    init: ({ c }) => ({
      isr: constFn(c.Devices, constFn(c.Vectors, lit(false))),
      route: fnDef(c.Devices, (d) => apply(c.Home, d), "d"),
      inService: constFn(c.Devices, lit(false)),
      outstanding: constFn(c.Devices, constFn(c.Vectors, lit(false))),
      escaped: lit(false),
      spurious: lit(false),
      outOfRange: lit(false),
    }),
    actions: ({ v, c }) => {
      const bit = (f: typeof v.isr, d: Ex<string>, i: Ex<number>) => apply(apply(f, d), i);
      const raise = (d: Ex<string>, i: Ex<number>, doc: string) => ({
        doc,
        guard: not(bit(v.isr, d, i)),
        update: {
          isr: except(v.isr, d, except(apply(v.isr, d), i, lit(true))),
          outstanding: except(v.outstanding, d, except(apply(v.outstanding, d), i, lit(true))),
        },
      });
      return {
        ConfigChange: withParams<Vars>([["d", c.Devices]], (d: Ex<string>) =>
          raise(d, lit(0), "device d sets the configuration-change cause"),
        ),
        QueueNotify: withParams<Vars>(
          [
            ["d", c.Devices],
            ["q", setminus(c.Vectors, setEnum<number>(0))],
          ],
          (d: Ex<string>, q: Ex<number>) => raise(d, q, "device d sets queue cause q"),
        ),
        WriteRoute: withParams<Vars>(
          [
            ["d", c.Devices],
            ["cpu", c.Cpus],
            ["t", c.Cpus],
          ],
          (d: Ex<string>, cpu: Ex<string>, t: Ex<string>) => ({
            doc: "a CPU of d's cell routes the line to t; the trap refuses a CPU outside the cell",
            guard: isIn(cpu, apply(c.CellCpus, d)),
            update: { route: ite(isIn(t, apply(c.CellCpus, d)), except(v.route, d, t), v.route) },
          }),
        ),
        InjectLine: withParams<Vars>([["d", c.Devices]], (d: Ex<string>) => ({
          doc: "the hypervisor injects d's line while a cause is set and the line is not in service",
          // "some cause is set" as an inequality: TLC counts each witness of a top-level \E as a successor.
          guard: and(not(apply(v.inService, d)), apply(v.isr, d).neq(constFn(c.Vectors, lit(false)))),
          update: {
            inService: except(v.inService, d, lit(true)),
            escaped: or(v.escaped, notIn(apply(v.route, d), apply(c.CellCpus, d))),
          },
        })),
        GuestAcknowledges: withParams<Vars>([["d", c.Devices]], (d: Ex<string>) => ({
          doc: "the interrupted guest reads InterruptStatus and acknowledges every cause it saw (both trap)",
          guard: apply(v.inService, d),
          update: {
            isr: except(v.isr, d, constFn(c.Vectors, lit(false))),
            outstanding: except(
              v.outstanding,
              d,
              fnDef(c.Vectors, (i) => and(bit(v.outstanding, d, i), not(bit(v.isr, d, i))), "i"),
            ),
            inService: except(v.inService, d, lit(false)),
            spurious: or(
              v.spurious,
              exists(c.Vectors, (i) => and(bit(v.isr, d, i), not(bit(v.outstanding, d, i))), "i"),
            ),
          },
        })),
      };
    },
    invariants: ({ v, c }) => ({
      DeliveredOnlyInOwningCell: { doc: "no line is injected into a CPU outside its device's cell", p: not(v.escaped) },
      NoSpuriousDelivery: { doc: "every cause the guest acknowledges was raised by an event", p: not(v.spurious) },
      VectorsInRange: { doc: "no handler indexes outside the causes (no select register)", p: not(v.outOfRange) },
      PendingMeansRaised: {
        doc: "lemma: a set cause stands for an event the guest has not seen",
        p: forall(
          c.Devices,
          (d) => forall(c.Vectors, (i) => implies(apply(apply(v.isr, d), i), apply(apply(v.outstanding, d), i)), "i"),
          "d",
        ),
      },
    }),
    properties: ({ v }) => {
      const out: Record<string, PropertySpec> = {};
      for (const d of devices) {
        for (const i of vectors) {
          const o = apply(apply(v.outstanding, lit(d)), lit(i));
          out[`NoLostInterrupt_${identOf(d)}_${i}`] = {
            doc: `every event of ${d}'s cause ${i} is eventually seen by the guest`,
            leadsTo: [o, not(o)],
          };
        }
      }
      return out;
    },
    fairness: [
      { kind: "weak", action: "InjectLine" },
      { kind: "weak", action: "GuestAcknowledges" },
    ],
    checkDeadlock: false,
  });
}
