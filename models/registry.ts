/**
 * Every model `warden check`, `tla` and `tlc` know, by name. A factory takes `--param k=v`
 * values (as strings, validated by the factory) and returns the model.
 */
import { dieHard } from "./classic/dieHard.js";
import { peterson } from "./classic/peterson.js";
import { twoPhase } from "./classic/twoPhase.js";
import { cellLifecycle } from "./jailhouse/cellLifecycle.js";
import { legacyIrq } from "./jailhouse/legacyIrq.js";
import { managementVote } from "./jailhouse/managementVote.js";
import { type NestedEptBug, nestedEpt, nestedEptBugs } from "./jailhouse/nestedEpt.js";
import { type OwnershipSpec, resourceOwnership } from "./jailhouse/resourceOwnership.js";
import { virtioMsi } from "./jailhouse/virtioMsi.js";
import { type MsiBug, type MsiValidation, msiBugs, msiValidations } from "./jailhouse/virtioMsiDesign.js";
import type { Model } from "./kernel/index.js";

/**
 * What a model may take from a real configuration set, already abstracted by `proofs/` (models
 * never see configuration bytes): the non-root cells and their vote settings.
 */
export interface ConfigFacts {
  readonly cells: readonly { readonly name: string; readonly passive: boolean; readonly replyTimeout: bigint }[];
  /** The resources of the set as the ownership model sees them. */
  readonly ownership: Omit<OwnershipSpec, "mode">;
}

/** Two cells whose configurations overlap in one memory class: upstream lets both map it, strict refuses. */
const overlappingPair: Omit<OwnershipSpec, "mode"> = {
  cells: ["a", "b"],
  cpus: ["cpu0", "cpu1", "cpu2"],
  resources: ["mem 0x1000-0x2000", "pci 0:00:02.0"],
  takes: { a: ["cpu1", "mem 0x1000-0x2000"], b: ["cpu2", "mem 0x1000-0x2000", "pci 0:00:02.0"] },
  shares: {},
  rootOriginal: ["cpu0", "cpu1", "cpu2", "mem 0x1000-0x2000", "pci 0:00:02.0"],
};

/**
 * A configured msg_reply_timeout counts polls (up to 2^64); the vote model caps it at this many
 * polls. Two polls already let a cell act between a post, a spin and the timeout; more only
 * lengthen the same interleavings.
 */
export const voteTimeoutCap = 2;

/** A configured reply timeout as the vote model counts it: at most {@link voteTimeoutCap} polls. */
export const cappedPolls = (replyTimeout: bigint): number =>
  replyTimeout > BigInt(voteTimeoutCap) ? voteTimeoutCap : Number(replyTimeout);

export interface ModelEntry {
  readonly name: string;
  readonly summary: string;
  /** Parameter names with their meaning and default. */
  readonly params: Readonly<Record<string, { readonly doc: string; readonly default: string }>>;
  readonly build: (params: Readonly<Record<string, string>>) => Model;
  /** Parameters derived from a configuration set (`--config`), for models instantiated from one. */
  readonly fromConfig?: (facts: ConfigFacts) => Record<string, string>;
}

/** Thrown by a factory for a parameter it cannot accept. */
export class ModelParamError extends Error {}

const int = (params: Readonly<Record<string, string>>, name: string, min: number, max: number): number | undefined => {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ModelParamError(`parameter ${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
};

const names = (
  params: Readonly<Record<string, string>>,
  name: string,
  fallback: string,
  item = /^[A-Za-z][\w-]*$/,
): string[] => {
  const raw = params[name] ?? fallback;
  // From a configuration the names arrive as a JSON array, exactly as the configuration spells them
  // (dots, spaces, commas included): never re-split, never re-checked against the command-line syntax.
  if (raw.startsWith("[")) return jsonNames(raw, name);
  const list = raw === "" ? [] : raw.split(",").map((x) => x.trim());
  if (list.some((x) => !item.test(x)))
    throw new ModelParamError(
      `parameter ${name} must be a comma-separated list of ${item.source.includes(":") ? "cell:polls" : "names"}`,
    );
  return list;
};

function jsonNames(raw: string, name: string): string[] {
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    throw new ModelParamError(`parameter ${name} must be a JSON array of names`);
  }
  if (!Array.isArray(list) || list.some((x) => typeof x !== "string" || x === ""))
    throw new ModelParamError(`parameter ${name} must be a JSON array of non-empty names`);
  return list as string[];
}

/** Reply timeouts as `cell:polls,…` (command line) or a JSON object of cell to polls (from a configuration). */
function timeouts(params: Readonly<Record<string, string>>): Record<string, number> {
  const raw = params.timeout ?? "rt:2";
  const out: Record<string, number> = {};
  if (raw.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new ModelParamError("parameter timeout must be a JSON object of cell to polls");
    }
    for (const [cell, polls] of Object.entries(parsed as Record<string, unknown>))
      out[cell] = int({ polls: String(polls) }, "polls", 0, 9) ?? 0;
    return out;
  }
  for (const item of names(params, "timeout", "rt:2", /^[A-Za-z][\w-]*:\d+$/)) {
    const [cell = "", polls = ""] = item.split(":");
    out[cell] = int({ polls }, "polls", 0, 9) ?? 0;
  }
  return out;
}

const bool = (params: Readonly<Record<string, string>>, name: string): boolean | undefined => {
  const raw = params[name];
  if (raw === undefined) return undefined;
  if (raw !== "true" && raw !== "false") throw new ModelParamError(`parameter ${name} must be true or false`);
  return raw === "true";
};

type CellFacts = ConfigFacts["cells"][number];

/** The configuration's cells (those passing `keep`) as a comma-separated parameter value. */
const cellList = (facts: ConfigFacts, keep: (c: CellFacts) => boolean = () => true): string =>
  JSON.stringify(facts.cells.filter(keep).map((c) => c.name));

/** Every name in `lists` must be one of `cells`. */
function requireCells(cells: readonly string[], ...lists: readonly (readonly string[])[]): void {
  const stray = lists.flat().find((c) => !cells.includes(c));
  if (stray) throw new ModelParamError(`"${stray}" is not one of the cells (${cells.join(", ")})`);
}

/** Cells form a symmetry set only if each setting holds for all of them or for none. */
function requireAlike(cells: readonly string[], ...settings: readonly (readonly string[])[]): void {
  const mixed = settings.find((s) => s.length > 0 && s.length < cells.length);
  if (mixed)
    throw new ModelParamError(
      `symmetry needs cells with identical settings, but only ${mixed.join(", ")} have one of them`,
    );
  const bad = cells.find((c) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(c));
  if (bad)
    throw new ModelParamError(`symmetry binds the cells to TLA+ model values, so "${bad}" must be an identifier`);
}

export const modelRegistry: readonly ModelEntry[] = [
  {
    name: "DieHard",
    summary: "water-jug puzzle (classic; its invariant fails with the solution)",
    params: {
      small: { doc: "small jug capacity", default: "3" },
      big: { doc: "big jug capacity", default: "5" },
      goal: { doc: "amount to measure", default: "4" },
    },
    build: (p) => dieHard({ small: int(p, "small", 1, 50), big: int(p, "big", 1, 50), goal: int(p, "goal", 0, 50) }),
  },
  {
    name: "TwoPhase",
    summary: "two-phase commit with N resource managers (classic)",
    params: {
      rms: { doc: "number of resource managers", default: "3" },
      symmetry: { doc: "treat the resource managers as interchangeable (TLA+ SYMMETRY)", default: "false" },
    },
    build: (p) => twoPhase({ rms: int(p, "rms", 1, 9), symmetry: bool(p, "symmetry") }),
  },
  {
    name: "Peterson",
    summary: "Peterson's mutual exclusion with one liveness property that holds and one that fails (classic)",
    params: { bug: { doc: "must-fail twin that ignores the other's flag", default: "false" } },
    build: (p) => peterson({ bug: bool(p, "bug") }),
  },
  {
    name: "CellLifecycle",
    summary: "Jailhouse cell lifecycle: management hypercalls, the vote's outcomes, cells' own state writes",
    params: {
      cells: { doc: "non-root cell names, comma-separated", default: "rt,linux" },
      passive: { doc: "cells with PASSIVE_COMMREG", default: "linux" },
      timeout: { doc: "cells with a non-zero reply timeout", default: "rt" },
      bug: { doc: "must-fail twin: destroy skips the lock check", default: "false" },
      symmetry: {
        doc: "treat the cells as interchangeable (TLA+ SYMMETRY; needs identical settings)",
        default: "false",
      },
    },
    build: (p) => {
      const cells = names(p, "cells", "rt,linux");
      const passive = names(p, "passive", "linux");
      const withTimeout = names(p, "timeout", "rt");
      requireCells(cells, passive, withTimeout);
      const symmetry = bool(p, "symmetry");
      if (symmetry) requireAlike(cells, passive, withTimeout);
      return cellLifecycle({ cells, passive, withTimeout, bugDestroySkipsLockCheck: bool(p, "bug"), symmetry });
    },
    fromConfig: (facts) => ({
      cells: cellList(facts),
      passive: cellList(facts, (c) => c.passive),
      timeout: cellList(facts, (c) => c.replyTimeout > 0n),
    }),
  },
  {
    name: "ResourceOwnership",
    summary:
      "who holds CPUs, memory classes, devices, pins, ports and stream IDs under create/destroy (upstream or strict)",
    params: {
      mode: {
        doc: "upstream (faithful: silent sharing) or strict (-EBUSY for another cell's resource)",
        default: "upstream",
      },
      bug: { doc: "must-fail twin: create leaves the CPUs with the root", default: "false" },
      spec: { doc: "the resources as JSON (set by --config; default: two cells overlapping in memory)", default: "" },
    },
    build: (p) => {
      const mode = p.mode ?? "upstream";
      if (mode !== "upstream" && mode !== "strict")
        throw new ModelParamError("parameter mode must be upstream or strict");
      let spec = overlappingPair;
      if (p.spec) {
        try {
          spec = JSON.parse(p.spec) as Omit<OwnershipSpec, "mode">;
        } catch {
          throw new ModelParamError("parameter spec must be JSON");
        }
      }
      return resourceOwnership({ ...spec, mode, bugCreateKeepsRootCpus: bool(p, "bug") });
    },
    fromConfig: (facts) => ({ spec: JSON.stringify(facts.ownership) }),
  },
  {
    name: "ManagementVote",
    summary: "Jailhouse's comm-region exchange one poll at a time: lock check, vote, broadcast, reply timeout",
    params: {
      cells: { doc: "non-root cells in list order, comma-separated", default: "rt,linux" },
      passive: { doc: "cells with PASSIVE_COMMREG", default: "linux" },
      timeout: { doc: "reply timeouts in polls as cell:polls, comma-separated (others wait forever)", default: "rt:2" },
      silent: { doc: "cells that may never answer (no fairness on their answers)", default: "" },
      design: { doc: "also check the lock at commit (upstream violates it: semantics L7)", default: "false" },
      bug: { doc: "must-fail twin: a message is posted without clearing the previous reply", default: "false" },
    },
    build: (p) => {
      const cells = names(p, "cells", "rt,linux");
      const passive = names(p, "passive", "linux");
      const silent = names(p, "silent", "");
      const timeout = timeouts(p);
      requireCells(cells, passive, silent, Object.keys(timeout));
      return managementVote({
        cells,
        passive,
        timeout,
        silent,
        design: bool(p, "design"),
        bugStaleReply: bool(p, "bug"),
      });
    },
    fromConfig: (facts) => ({
      cells: cellList(facts),
      passive: cellList(facts, (c) => c.passive),
      timeout: JSON.stringify(
        Object.fromEntries(
          facts.cells.filter((c) => c.replyTimeout > 0n).map((c) => [c.name, cappedPolls(c.replyTimeout)]),
        ),
      ),
    }),
  },
  {
    name: "VirtioMsi",
    summary: "MSI vectors of cells' virtio-mmio devices: events, select/entry/mask writes, validation, delivery",
    params: {
      cells: { doc: "non-root cells, each owning one virtio-mmio device, comma-separated", default: "a" },
      cpus: { doc: "CPUs per cell (the root cell has one more, r0)", default: "2" },
      vectors: { doc: "vectors per device (0: configuration change, others: queues)", default: "2" },
      validation: {
        doc: "where destinations are validated: trapped (every address/data write), delivery (untrapped; at unmask and delivery), unmask (untrapped; at unmask only: fails)",
        default: "trapped",
      },
      bug: {
        doc: "must-fail twin: pending (unmask drops the pending bit) or select (VECTOR_SEL re-read race)",
        default: "none",
      },
    },
    build: (p) => {
      const cells = names(p, "cells", "a");
      if (cells.length === 0) throw new ModelParamError("parameter cells must name at least one cell");
      const validation = p.validation ?? "trapped";
      if (!(msiValidations as readonly string[]).includes(validation))
        throw new ModelParamError(`parameter validation must be one of ${msiValidations.join(", ")}`);
      const bug = p.bug ?? "none";
      if (!(msiBugs as readonly string[]).includes(bug))
        throw new ModelParamError(`parameter bug must be one of ${msiBugs.join(", ")}`);
      if (cells.includes("r")) throw new ModelParamError('cell name "r" is taken (the root CPU is r0)');
      return virtioMsi({
        cells,
        cpusPerCell: int(p, "cpus", 1, 4) ?? 2,
        vectors: int(p, "vectors", 1, 4) ?? 2,
        validation: validation as MsiValidation,
        bug: bug as MsiBug,
      });
    },
  },
  {
    name: "LegacyIrq",
    summary:
      "virtio-mmio's legacy interrupt (one routed line, InterruptStatus read and acknowledged), VirtioMsi's baseline",
    params: {
      cells: { doc: "non-root cells, each owning one virtio-mmio device, comma-separated", default: "a" },
      cpus: { doc: "CPUs per cell (the root cell has one more, r0)", default: "2" },
      vectors: { doc: "interrupt causes per device (0: configuration change, others: queues)", default: "2" },
    },
    build: (p) => {
      const cells = names(p, "cells", "a");
      if (cells.length === 0 || cells.includes("r"))
        throw new ModelParamError('parameter cells must name at least one cell, and not "r"');
      return legacyIrq({ cells, cpusPerCell: int(p, "cpus", 1, 4) ?? 2, vectors: int(p, "vectors", 1, 4) ?? 2 });
    },
  },
  {
    name: "NestedEpt",
    summary: "KVM in a cell: the hypervisor validates, write-protects and tracks KVM's EPTs that nested guests run on",
    params: {
      cpus: { doc: "CPUs of the KVM-hosting cell (1 or 2)", default: "1" },
      large: { doc: "pages a root-level large leaf spans (1: no large pages)", default: "2" },
      shrink: { doc: "another cell's create may take the data page from the host cell", default: "true" },
      writes: { doc: "KVM's entry writes per behaviour", default: "1" },
      bug: {
        doc: `must-fail twin: ${nestedEptBugs.join(", ")} (or none)`,
        default: "none",
      },
    },
    build: (p) => {
      const bug = p.bug ?? "none";
      if (bug !== "none" && !(nestedEptBugs as readonly string[]).includes(bug))
        throw new ModelParamError(`parameter bug must be none, ${nestedEptBugs.join(", ")}`);
      return nestedEpt({
        cpus: int(p, "cpus", 1, 2) ?? 1,
        largePages: int(p, "large", 1, 2) ?? 2,
        shrink: bool(p, "shrink") ?? true,
        writes: int(p, "writes", 0, 3) ?? 1,
        bug: bug === "none" ? undefined : (bug as NestedEptBug),
      });
    },
  },
];

/** Short names the issue tracker and engineers use for the Jailhouse models. */
const aliases: Readonly<Record<string, string>> = {
  lifecycle: "CellLifecycle",
  ownership: "ResourceOwnership",
  vote: "ManagementVote",
  msi: "VirtioMsi",
  nested: "NestedEpt",
};

/** Finds a model by name or short name, case-insensitively. */
export function findModel(name: string): ModelEntry | undefined {
  const wanted = (aliases[name.toLowerCase()] ?? name).toLowerCase();
  return modelRegistry.find((m) => m.name.toLowerCase() === wanted);
}
