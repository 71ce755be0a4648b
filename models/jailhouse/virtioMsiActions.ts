/**
 * The actions of VirtioMsi: the devices' events, the guest CPUs' register writes (vector select,
 * address/data entry, mask) with the hypervisor's handling of each, and delivery. Which of these
 * validate the destination is the design under study ({@link MsiValidation}).
 */
import {
  type ActionSpec,
  and,
  apply,
  BOOLEAN,
  type Ex,
  except,
  type Fn,
  isIn,
  ite,
  lit,
  litSet,
  not,
  notIn,
  or,
  type ParamAction,
  range,
  type Scope,
  setEnum,
  setminus,
  withParams,
} from "../kernel/index.js";
import type { MsiBug, MsiConsts, MsiValidation, MsiVars } from "./virtioMsiDesign.js";

type Vars = MsiVars;
/** A per-device, per-vector table. */
type Fn2<T> = Ex<Fn<string, Fn<number, T>>>;

const at = <T>(f: Fn2<T>, d: Ex<string>, i: Ex<number>): Ex<T> => apply(apply(f, d), i);
const put = <T>(f: Fn2<T>, d: Ex<string>, i: Ex<number>, x: Ex<T> | boolean): Fn2<T> =>
  except(f, d, except(apply(f, d), i, x as Ex<T>));

export function msiActions(
  { v, c }: Scope<Vars, MsiConsts>,
  validation: MsiValidation,
  bug: MsiBug,
): Record<string, ActionSpec<Vars> | ParamAction<Vars>> {
  const inCell = (d: Ex<string>, cpu: Ex<string>) => isIn(cpu, apply(c.CellCpus, d));
  const guest = (d: Ex<string>, cpu: Ex<string>) => and(inCell(d, cpu), apply(v.trap, cpu).eq("idle"));
  const selected = (d: Ex<string>) => apply(v.sel, d);
  const selInRange = (d: Ex<string>) => isIn(selected(d), c.Vectors);

  /** The device raises vector i: the pending bit is set; the ghost remembers an undelivered event. */
  const raise = (d: Ex<string>, i: Ex<number> | number, doc: string): ActionSpec<Vars> => {
    const idx = typeof i === "number" ? lit(i) : i;
    return {
      doc,
      guard: not(at(v.pending, d, idx)),
      update: { pending: put(v.pending, d, idx, true), outstanding: put(v.outstanding, d, idx, true) },
    };
  };

  /** The mask handler on vector i: mask, or unmask after validating the entry where the design does. */
  const applyMask = (d: Ex<string>, i: Ex<number>, masking: Ex<boolean>) => {
    const valid = validation === "trapped" ? lit(true) : inCell(d, at(v.entry, d, i));
    const unmasks = and(not(masking), valid);
    return {
      mask: put(v.mask, d, i, ite(masking, lit(true), ite(valid, lit(false), at(v.mask, d, i)))),
      ...(bug === "pending" ? { pending: put(v.pending, d, i, ite(unmasks, lit(false), at(v.pending, d, i))) } : {}),
    };
  };

  const actions: Record<string, ActionSpec<Vars> | ParamAction<Vars>> = {
    ConfigChange: withParams<Vars>([["d", c.Devices]], (d: Ex<string>) =>
      raise(d, 0, "device d signals a configuration change on vector 0"),
    ),
    QueueNotify: withParams<Vars>(
      [
        ["d", c.Devices],
        ["q", setminus(c.Vectors, setEnum<number>(0))],
      ],
      (d: Ex<string>, q: Ex<number>) => raise(d, q, "device d notifies the driver on queue vector q"),
    ),
    SelectVector: withParams<Vars>(
      [
        ["d", c.Devices],
        ["cpu", c.Cpus],
        ["x", range(0, c.NumVectors)],
      ],
      (d: Ex<string>, cpu: Ex<string>, x: Ex<number>) => ({
        doc: "a CPU of d's cell writes VECTOR_SEL (NumVectors itself is out of range, and a guest may write it)",
        guard: and(guest(d, cpu), selected(d).neq(x)),
        update: { sel: except(v.sel, d, x) },
      }),
    ),
    WriteEntry: withParams<Vars>(
      [
        ["d", c.Devices],
        ["cpu", c.Cpus],
        ["t", c.Cpus],
      ],
      (d: Ex<string>, cpu: Ex<string>, t: Ex<string>) => {
        const accepted = validation === "trapped" ? and(selInRange(d), inCell(d, t)) : selInRange(d);
        return {
          doc:
            validation === "trapped"
              ? "a CPU of d's cell writes address/data of the selected vector naming CPU t; the trap refuses a CPU outside the cell"
              : "a CPU of d's cell writes address/data of the selected vector naming CPU t, untrapped: nothing checks t",
          guard: guest(d, cpu),
          update: { entry: ite(accepted, put(v.entry, d, selected(d), t), v.entry) },
        };
      },
    ),
    Deliver: withParams<Vars>(
      [
        ["d", c.Devices],
        ["i", c.Vectors],
      ],
      (d: Ex<string>, i: Ex<number>) => {
        const dest = at(v.entry, d, i);
        const checks = validation === "delivery";
        const refuse = notIn(dest, apply(c.CellCpus, d));
        const sent = isIn(dest, apply(c.CellCpus, d));
        const ifSent = <T>(x: Ex<T>, otherwise: Ex<T>): Ex<T> => (checks ? ite(sent, x, otherwise) : x);
        return {
          doc:
            validation === "delivery"
              ? "the hypervisor re-reads vector i's entry: it injects the interrupt into a CPU of d's cell, or masks the vector and keeps it pending"
              : "the hypervisor injects the pending, unmasked vector i into the CPU its entry names",
          guard: and(at(v.pending, d, i), not(at(v.mask, d, i))),
          update: {
            pending: ifSent(put(v.pending, d, i, false), v.pending),
            outstanding: ifSent(put(v.outstanding, d, i, false), v.outstanding),
            ...(checks ? { mask: ite(refuse, put(v.mask, d, i, true), v.mask) } : {}),
            escaped: or(v.escaped, checks ? and(sent, refuse) : refuse),
            spurious: or(v.spurious, checks ? and(sent, not(at(v.outstanding, d, i))) : not(at(v.outstanding, d, i))),
          },
        };
      },
    ),
  };

  if (bug !== "select") {
    actions.WriteMask = withParams<Vars>(
      [
        ["d", c.Devices],
        ["cpu", c.Cpus],
        ["m", BOOLEAN],
      ],
      (d: Ex<string>, cpu: Ex<string>, m: Ex<boolean>) => {
        const applied = applyMask(d, selected(d), m);
        return {
          doc: "a CPU of d's cell writes MASK (TRUE masks, FALSE unmasks) for the selected vector; the write traps, the handler reads VECTOR_SEL once and ignores an out-of-range index",
          guard: guest(d, cpu),
          update: Object.fromEntries(
            Object.entries(applied).map(([k, x]) => [k, ite(selInRange(d), x, v[k as keyof Vars] as Ex<never>)]),
          ),
        };
      },
    );
    return actions;
  }

  // The twin: the handler is two steps, checking VECTOR_SEL in the trap and re-reading it to commit.
  actions.WriteMask = withParams<Vars>(
    [
      ["d", c.Devices],
      ["cpu", c.Cpus],
      ["m", BOOLEAN],
    ],
    (d: Ex<string>, cpu: Ex<string>, m: Ex<boolean>) => ({
      doc: "a CPU of d's cell writes MASK; the trap checks VECTOR_SEL is in range and leaves the CPU in the handler",
      guard: guest(d, cpu),
      update: { trap: ite(selInRange(d), except(v.trap, cpu, ite(m, lit("mask"), lit("unmask"))), v.trap) },
    }),
  );
  actions.MaskCommit = withParams<Vars>(
    [
      ["d", c.Devices],
      ["cpu", c.Cpus],
    ],
    (d: Ex<string>, cpu: Ex<string>) => {
      const applied = applyMask(d, selected(d), apply(v.trap, cpu).eq("mask"));
      return {
        doc: "MUST-FAIL TWIN: the handler reads VECTOR_SEL again to index the mask table; another CPU may have changed it",
        guard: and(inCell(d, cpu), isIn(apply(v.trap, cpu), litSet(["mask", "unmask"]))),
        update: {
          trap: except(v.trap, cpu, lit("idle")),
          outOfRange: or(v.outOfRange, not(selInRange(d))),
          ...Object.fromEntries(
            Object.entries(applied).map(([k, x]) => [k, ite(selInRange(d), x, v[k as keyof Vars] as Ex<never>)]),
          ),
        },
      };
    },
  );
  return actions;
}
