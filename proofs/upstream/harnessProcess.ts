/**
 * The C harness as a process: one per configuration set, re-loaded for every run (the harness
 * re-executes itself on "load", so upstream's static state starts fresh). Speaks the conformance
 * protocol (processImplementation.ts) plus "observe", the detailed state diff-core compares.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ConfigSet, encodeCell, encodeSystem, type Mode } from "../../hypervisor/index.js";
import { inputError } from "../diagnostics/InputError.js";
import type { AbstractState, Command, Implementation } from "../refinement/implementation.js";
import { jsonLinesChannel } from "../refinement/jsonLinesChannel.js";

/** What the harness shows of upstream's state after a step (see host.c, emit_observation). */
export interface HarnessObservation {
  readonly disabled: boolean;
  readonly hung: boolean;
  readonly cells: readonly {
    readonly name: string;
    readonly id: number;
    readonly loadable: boolean;
    readonly state: number;
    readonly msg: number;
    readonly reply: number;
    readonly cpus: readonly number[];
    /** Translation runs [virt, phys, size, R/W/X bits], hex strings. */
    readonly map: readonly (readonly [string, string, string, number])[];
  }[];
  readonly cpus: readonly {
    readonly cpu: number;
    readonly cell: string;
    readonly failed: boolean;
    readonly suspended: boolean;
    readonly mode: string;
  }[];
}

export interface HarnessImplementation extends Implementation {
  observe(): Promise<HarnessObservation>;
  /** `applicable` for many commands in one request. */
  applicableMany(commands: readonly Command[]): Promise<boolean[]>;
  /** Performs `command`, then observes and asks about `next`, in one round trip. */
  step(
    command: Command,
    next: readonly Command[],
  ): Promise<{ result: string; observation: HarnessObservation; applicable: boolean[] }>;
}

export interface HarnessProcess {
  /** A fresh implementation loaded with the set (every call resets the harness). */
  load(mode: Mode): Promise<HarnessImplementation>;
  close(): void;
}

/** Writes the set as binary revision-14 files (what upstream's driver hands the hypervisor). */
function writeBinarySet(set: ConfigSet): { dir: string; files: string[] } {
  if (set.system.config.arch !== "x86")
    throw inputError("WRD900", "the C harness simulates x86; give an x86 configuration set");
  const dir = mkdtempSync(join(tmpdir(), "warden-harness-set-"));
  const files = [join(dir, "system.cell")];
  writeFileSync(files[0] as string, encodeSystem(set.system.config));
  set.cells.forEach((c, i) => {
    const file = join(dir, `cell${i}.cell`);
    writeFileSync(file, encodeCell({ ...c.config, id: i + 1 }));
    files.push(file);
  });
  return { dir, files };
}

export function harnessProcess(binary: string, set: ConfigSet): HarnessProcess {
  const { dir, files } = writeBinarySet(set);
  const channel = jsonLinesChannel(() => spawn(binary, [], { stdio: ["pipe", "pipe", "pipe"] }), {
    name: "the C harness",
    errorPrefix: "C harness: ",
  });
  const request = channel.request;

  const implementation = {
    applicable: async (c: Command) => (await request({ op: "applicable", command: c })).applicable === true,
    perform: async (c: Command) => String((await request({ op: "perform", command: c })).result),
    abstractState: async () => (await request({ op: "state" })).state as AbstractState,
    invariants: async () => ((await request({ op: "state" })).invariants as string[] | undefined) ?? [],
    observe: async () => (await request({ op: "observe" })).observation as HarnessObservation,
    applicableMany: async (commands: readonly Command[]) =>
      (await request({ op: "applicable_many", commands })).applicable as boolean[],
    step: async (command: Command, next: readonly Command[]) => {
      const a = await request({ op: "step", command, commands: next });
      return {
        result: String(a.result),
        observation: a.observation as HarnessObservation,
        applicable: a.applicable as boolean[],
      };
    },
  };

  return {
    load: async (mode) => {
      await request({ op: "load", files, mode });
      return implementation;
    },
    close: () => {
      channel.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
