/**
 * A NestedEpt trace as the sequence diagram of the validation protocol (seed "Static System
 * Partitioning and KVM", "Nested EPT" slide): KVM in the cell, the hypervisor and each CPU's
 * nested guest as participants; VM entries with the full walk, trapped writes, the declaration
 * of broken EPTs before the write executes, kicks and memory leaving the cell as arrows and notes.
 */
import { showValue, type Value } from "../../models/index.js";
import type { TraceInput } from "../itf/index.js";

export const isNestedEptTrace = (trace: TraceInput): boolean =>
  ["mem", "known", "trackedBy", "prot", "eptp", "run", "pend"].every((v) => trace.vars.includes(v));

type Fn = Extract<Value, { kind: "function" }>;
const asFn = (v: Value | undefined): Fn | undefined => (typeof v === "object" && v.kind === "function" ? v : undefined);
const at = (f: Fn | undefined, x: Value): Value | undefined =>
  f?.values[f.domain.findIndex((d) => showValue(d) === showValue(x))];
const field = (r: Value | undefined, name: string): Value | undefined =>
  typeof r === "object" && r.kind === "record" ? r.values[r.names.indexOf(name)] : undefined;
const entry = (x: Value | undefined): string => {
  const k = showValue(field(x, "k") ?? "none");
  if (k === "none") return "not present";
  const t = showValue(field(x, "t") ?? 0);
  return k === "ptr" ? `table ${t}` : `page ${t} ${field(x, "w") === true ? "RW" : "R"}`;
};

export function nestedEptSequence(trace: TraceInput): string {
  const value = (k: number, name: string) => trace.steps[k]?.values[trace.vars.indexOf(name)];
  const cpus = (asFn(value(0, "run"))?.domain ?? []).map((c) => showValue(c));
  const g = (c: string) => `g_${c.replace(/\W/g, "_")}`;
  const lines = [
    "sequenceDiagram",
    "  participant kvm as KVM (in the cell)",
    "  participant hv as hypervisor",
    ...cpus.map((c) => `  participant ${g(c)} as nested guest on ${c}`),
  ];
  for (let k = 1; k < trace.steps.length; k++) {
    const [verb = "", args = ""] = (trace.steps[k]?.action ?? "").split(/[()]/);
    const [a = "", b = ""] = args.split(",").map((s) => s.trim());
    const known = (i: number) => asFn(value(i, "known"));
    const pend = value(k, "pend");
    const changed = (asFn(value(k, "known"))?.domain ?? []).filter(
      (e) => showValue(at(known(k), e) ?? "") !== showValue(at(known(k - 1), e) ?? ""),
    );
    switch (verb) {
      case "HvValidate": {
        const e = at(asFn(value(k, "eptp")), a);
        const verdict = showValue(at(known(k), e ?? -1) ?? "");
        const protSet = value(k, "prot");
        const prot =
          typeof protSet === "object" && protSet.kind === "set" ? protSet.elems.map(showValue).join(", ") : "";
        lines.push(`  kvm->>hv: VMLAUNCH on ${a} with EPT ${showValue(e ?? "?")}`);
        lines.push(
          verdict === "valid"
            ? `  Note over hv: full walk: EPT ${showValue(e ?? "?")} valid, its table pages write-protected and tracked (protected pages ${prot})`
            : `  Note over hv: full walk: EPT ${showValue(e ?? "?")} refused (VMfail)`,
        );
        break;
      }
      case "NestedEnter":
        lines.push(
          `  hv->>${g(a)}: enter: runs directly on EPT ${showValue(at(asFn(value(k, "run")), a) ?? "?")} (no shadow)`,
        );
        break;
      case "NestedExit":
        lines.push(`  ${g(a)}-->>kvm: VM exit`);
        break;
      case "KvmLoad":
        lines.push(`  Note over kvm: VMWRITE EPT_POINTER on ${a}: EPT ${b}`);
        break;
      case "KvmWrite": {
        const trapped = showValue(field(pend, "st") ?? "") === "trapped";
        const written = trapped ? field(pend, "val") : at(asFn(value(k, "mem")), b);
        const what = `entry of page ${b} := ${entry(written)}`;
        lines.push(
          trapped
            ? `  kvm->>hv: ${what} (trapped: page write-protected)`
            : `  Note over kvm: ${what} (not protected: executes)`,
        );
        break;
      }
      case "HvTrap":
        if (showValue(field(pend, "st") ?? "") === "idle")
          lines.push(
            "  Note over hv: the page belongs to no known EPT: unprotect it, execute the write",
            "  hv-->>kvm: resume",
          );
        else
          lines.push(
            changed.length
              ? `  Note over hv: the write would break EPT ${changed.map(showValue).join(", ")}: declared invalid BEFORE the write executes`
              : "  Note over hv: every EPT using the page stays valid with the write",
          );
        break;
      case "HvKick":
        lines.push(`  hv->>${g(a)}: kick (forced VM exit): its EPT is no longer valid`);
        break;
      case "HvFinishWrite":
        lines.push("  Note over hv: no CPU runs on an invalid EPT: execute the write", "  hv-->>kvm: resume");
        break;
      case "KvmInvept":
        lines.push(`  kvm->>hv: INVEPT EPT ${a}: the hypervisor forgets it`);
        break;
      case "CellCreate":
        lines.push(
          `  Note over hv: another cell's create takes page ${a}${changed.length ? `: EPT ${changed.map(showValue).join(", ")} re-walked, invalid, CPUs on it kicked` : ""}`,
        );
        break;
      case "CellDestroy":
        lines.push(`  Note over hv: that cell is destroyed: page ${a} returns`);
        break;
      default:
        lines.push(`  Note over hv: ${trace.steps[k]?.action ?? ""}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
