/**
 * A simulation run as an ITF trace (Informal Trace Format, apalache-mc.org/docs/adr/015adr-trace.html):
 * one state per script step with the command, its result, and every cell's and CPU's state.
 */
import type { StepRecord } from "./simSession.js";

type Itf = boolean | string | { readonly [k: string]: Itf } | readonly Itf[];

const int = (n: number): Itf => ({ "#bigint": String(n) });
const set = (xs: readonly Itf[]): Itf => ({ "#set": xs });

export function simTrace(records: readonly StepRecord[], source: string): Itf {
  return {
    "#meta": { format: "ITF", "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html", source },
    vars: ["line", "command", "result", "cells", "cpus", "violations"],
    states: records.map((r, index) => ({
      "#meta": { index: int(index) },
      line: int(r.line),
      command: r.command,
      result: r.result,
      cells: {
        "#map": (r.state?.cells ?? []).map((c) => [
          c.name,
          { id: int(c.id), state: c.state, loadable: c.loadable, cpus: set(c.cpus.map(int)) },
        ]),
      },
      cpus: {
        "#map": (r.state?.cpus ?? []).map((c) => [
          int(c.cpu),
          { cell: c.cell, mode: c.mode, failed: c.failed, suspended: c.suspended },
        ]),
      },
      violations: set(r.violations.map((v) => `${v.invariant}: ${v.message}`)),
    })),
  };
}
