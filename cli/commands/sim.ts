import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { atomicWrite } from "../../generators/index.js";
import {
  formatState,
  inputError,
  parseScript,
  readRegularFile,
  SimSession,
  type StepRecord,
  simTrace,
} from "../../proofs/index.js";
import { type ExitCode, runAction } from "../runAction.js";

interface SimOptions {
  readonly verbose?: boolean;
  readonly json?: boolean;
  readonly itf?: string;
  readonly mode: string;
}

export function registerSim(program: Command): void {
  program
    .command("sim")
    .description("drive the hypervisor core like a Jailhouse box, one command per line (from a script file or stdin)")
    .argument("[script]", "script file; '-' or nothing reads stdin")
    .option("--mode <mode>", "upstream (faithful) or strict (what the documentation promises)", "upstream")
    .option("--verbose", "print the cell and CPU table after every step")
    .option("--json", "print one JSON object per step")
    .option("--itf <file>", "write the run as an ITF trace")
    .action(
      runAction((script: string | undefined, opts: SimOptions): ExitCode => {
        if (opts.mode !== "upstream" && opts.mode !== "strict") {
          throw inputError("WRD900", `--mode must be upstream or strict, got "${opts.mode}"`);
        }
        const file = script ?? "-";
        const text = readScript(file);
        const session = new SimSession(file, opts.mode);
        const records: StepRecord[] = [];
        let failed = false;
        for (const command of parseScript(text)) {
          const record = session.run(command);
          records.push(record);
          print(record, opts);
          if (record.violations.length > 0) failed = true;
          if (record.result === "blocked") {
            failed = true;
            break;
          }
        }
        if (opts.itf) atomicWrite(opts.itf, `${JSON.stringify(simTrace(records, file), null, 1)}\n`);
        return failed ? 1 : 0;
      }),
    );
}

function readScript(file: string): string {
  try {
    return file === "-" ? readFileSync(0, "utf8") : readRegularFile(file).toString("utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw inputError("WRD100", `cannot read the simulation script (${code ?? "error"})`, { file });
  }
}

function print(r: StepRecord, opts: SimOptions): void {
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(opts.verbose ? r : { ...r, state: undefined })}\n`);
    return;
  }
  const lines = [`${r.command}: ${r.result}${r.detail && !r.detail.includes("\n") ? ` (${r.detail})` : ""}`];
  if (r.detail?.includes("\n")) lines.push(r.detail);
  for (const v of r.violations) lines.push(`  violated ${v.invariant}: ${v.message}`);
  if (opts.verbose && r.state) lines.push(formatState(r.state));
  process.stdout.write(`${lines.join("\n")}\n`);
}
