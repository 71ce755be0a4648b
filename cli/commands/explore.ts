import { join } from "node:path";
import type { Command } from "commander";
import { atomicWrite, toItf, voteMatrixMarkdown, voteMatrixText, voteSequence } from "../../generators/index.js";
import {
  builtinVariants,
  configFacts,
  type ExploreCell,
  exploreVote,
  faultModels,
  inputError,
  loadExampleSet,
  loadVariant,
  recommend,
  refuseInputs,
  type VoteSystem,
  type VoteVariant,
  voteProperties,
  voteSystemOf,
} from "../../proofs/index.js";
import { factsOf } from "../configOption.js";
import { positive } from "../options.js";
import { type ExitCode, runAction } from "../runAction.js";
import { exploreIrqCommand } from "./exploreIrq.js";

interface Options {
  readonly cells?: string;
  readonly voters?: string;
  readonly timeout: string;
  readonly quorum?: string;
  readonly variant?: string[];
  readonly fault?: string[];
  readonly config?: string[];
  readonly maxStates?: string;
  readonly json?: boolean;
  readonly md?: string;
  readonly out?: string;
  readonly design?: string[];
}

export function registerExplore(program: Command): void {
  program
    .command("explore")
    .description("compare management-vote protocols under fault models (vote) or virtio interrupt designs (irq)")
    .argument("<subject>", "what to explore (vote, irq)")
    .option("--cells <n>", "a synthetic system of N non-root cells (default: the built-in x86 example)")
    .option("--voters <k>", "how many of the synthetic cells vote (the others are passive)")
    .option("--timeout <polls>", "reply timeout the timeout variant gives every voter", "2")
    .option("--quorum <k>", "K for the K-of-N quorum variant (default: a majority of the voters)")
    .option("--variant <names...>", "variants to compare: built-in names, or .ts/.js files exporting a VoteVariant")
    .option("--fault <names...>", `fault models (${faultModels.map((f) => f.name).join(", ")})`)
    .option(
      "--config <files...>",
      "the system from a configuration set (system, then cells); irq: its cells' warden_virtio devices",
    )
    .option("--max-states <n>", "bound every single check")
    .option("--json", "print the matrix as JSON")
    .option("--md <file>", "write the Markdown design-review report")
    .option("--out <dir>", "write every counterexample as ITF and as a Mermaid sequence diagram")
    .option("--design <names...>", "irq: designs to compare (legacy, trapped, delivery, unmask)")
    .action(runAction((subject: string, opts: Options) => explore(subject, opts)));
}

async function explore(subject: string, opts: Options): Promise<ExitCode> {
  if (subject === "irq") {
    if (opts.md) refuseInputs(opts.md, opts.config ?? []);
    return exploreIrqCommand(opts);
  }
  if (subject !== "vote") throw inputError("WRD900", `explore knows "vote" and "irq", not "${subject}"`);
  if (opts.md) refuseInputs(opts.md, opts.config ?? []);
  const { system, label } = systemOf(opts);
  const voters = system.voters.length;
  const quorumK = opts.quorum ? positive(opts.quorum, "--quorum") : Math.floor(voters / 2) + 1;
  if (voters === 0) throw inputError("WRD900", "the system has no voting (non-passive) cell: nothing to explore");
  if (quorumK > voters) throw inputError("WRD900", `--quorum ${quorumK} exceeds the ${voters} voting cells`);
  const builtins = builtinVariants(system, quorumK);
  const variants: VoteVariant[] = [];
  for (const name of opts.variant ?? builtins.map((v) => v.name)) {
    const found = builtins.find((v) => v.name === name);
    if (found) variants.push(found);
    else if (/[/\\]|\.[cm]?[jt]s$/.test(name)) variants.push(await loadVariant(name));
    else throw inputError("WRD900", `unknown variant "${name}"; built-in: ${builtins.map((v) => v.name).join(", ")}`);
  }
  const faults = (opts.fault ?? faultModels.map((f) => f.name)).map((name) => {
    const f = faultModels.find((x) => x.name === name);
    if (!f)
      throw inputError("WRD900", `unknown fault model "${name}"; known: ${faultModels.map((x) => x.name).join(", ")}`);
    return f;
  });
  const started = performance.now();
  const cells = exploreVote({
    system,
    variants,
    faults,
    timeout: positive(opts.timeout, "--timeout"),
    ...(opts.maxStates ? { maxStates: positive(opts.maxStates, "--max-states") } : {}),
    onCell: (c) => process.stderr.write(`[explore] ${c.variant} / ${c.fault} / ${c.property}: ${c.verdict}\n`),
  });
  const best = recommend(cells, variants);
  const recommendation = best
    ? `Recommendation: ${best.variant} keeps ${best.holds} of ${best.checked} checks${best.violated.length ? `; still violated: ${best.violated.join(", ")}` : ""}.`
    : "Recommendation: none (no variant was checked).";
  const matrix = {
    system: label,
    variants,
    faults,
    properties: voteProperties,
    cells,
    recommendation,
  };
  if (opts.json) {
    const json = { ...matrix, cells: cells.map((c) => ({ ...c, trace: c.trace ? toItf(c.trace) : undefined })) };
    process.stdout.write(`${JSON.stringify(json, (k, v) => (k === "build" ? undefined : v))}\n`);
  } else process.stdout.write(voteMatrixText(matrix));
  if (opts.md) atomicWrite(opts.md, voteMatrixMarkdown(matrix));
  if (opts.out) writeCounterexamples(opts.out, cells);
  process.stderr.write(`[explore] ${cells.length} checks in ${Math.round(performance.now() - started)} ms\n`);
  return 0;
}

function systemOf(opts: Options): { system: VoteSystem; label: string } {
  if (opts.cells || opts.voters) {
    const n = positive(opts.cells ?? "2", "--cells");
    const k = opts.voters === undefined ? n : Number(opts.voters);
    if (!Number.isInteger(k) || k < 0 || k > n)
      throw inputError("WRD900", `--voters must be 0..${n}, got "${opts.voters}"`);
    const cells = Array.from({ length: n }, (_, i) => `c${i + 1}`);
    return {
      system: { cells, voters: cells.slice(0, k), timeout: {} },
      label: `${n} cells, ${k} voting, no reply timeouts`,
    };
  }
  const facts = factsOf(opts.config) ?? configFacts(loadExampleSet("x86"));
  const system = voteSystemOf(facts);
  const describe = system.cells
    .map((c) => {
      const polls = system.timeout[c] ?? 0;
      return `${c} (${system.voters.includes(c) ? `votes, timeout ${polls > 0 ? `${polls} polls` : "none"}` : "passive"})`;
    })
    .join(", ");
  return { system, label: `${opts.config ? opts.config.join(" ") : "the built-in x86 example"}: ${describe}` };
}

function writeCounterexamples(dir: string, cells: readonly ExploreCell[]): void {
  for (const c of cells) {
    if (!c.trace) continue;
    const base = join(dir, `${c.variant}.${c.fault}.${c.property}`);
    atomicWrite(
      `${base}.itf.json`,
      `${JSON.stringify(toItf(c.trace, { source: `warden explore vote: ${c.variant}, ${c.fault}, ${c.property}` }), null, 2)}\n`,
    );
    atomicWrite(`${base}.mmd`, voteSequence(c.trace));
  }
}
