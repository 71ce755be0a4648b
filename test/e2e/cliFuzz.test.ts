/**
 * CLI fuzz: fast-check over argument vectors of every subcommand and over mutated inputs (`.cell`
 * bit flips and truncations, hostile YAML/JSON, missing paths, directories, `/dev/zero`, read-only
 * and existing output paths). Every run must exit 0–3 within a time bound, print no stack trace
 * and no internal error, leave every input byte-identical and leave no partial output file.
 *
 * Bulk runs go through `runCli` in this process (about a millisecond each for a refused input);
 * expensive subcommands (verify, dossier, conform, explore, prove on valid sets) get a few samples
 * with small budgets, and a sample goes through the real binary `dist/cli/main.js`.
 * WARDEN_FUZZ_RUNS sets the bulk count (default 5,000); the counts and the exit-code histogram are
 * printed at the end.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../cli/runCli.js";
import { hostileDocuments } from "../builders/hostileDocuments.js";
import { root } from "./run.js";

const BULK = Number(process.env.WARDEN_FUZZ_RUNS ?? 5000);
/** A refused input takes milliseconds; the bound only catches hangs and runaway work. */
const BULK_BOUND_MS = 20_000;
const SAMPLE_BOUND_MS = 120_000;

const ws = mkdtempSync(join(tmpdir(), "warden-fuzz-"));
const at = (p: string): string => join(ws, p);

/** Inputs every run may name; all must stay byte-identical unless a run named one as an output. */
const inputs = new Map<string, string>();
const histogram = new Map<number, number>();
let invocations = 0;
let restoredOutputs = 0;

function digest(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

beforeAll(() => {
  mkdirSync(at("x86"));
  for (const f of ["system.yaml", "linux.cell", "rt-bare-metal.cell", "qemu-x86.cell"])
    cpSync(join(root, "examples/x86", f), at(`x86/${f}`));
  mkdirSync(at("sim"));
  cpSync(join(root, "examples/sim/vote-x86.sim"), at("sim/vote.sim"));
  writeFileSync(at("sim/bad.sim"), "enable ../x86/qemu-x86.cell\ncell create ../x86/nope.cell\nfrobnicate\n");
  mkdirSync(at("hostile"));
  for (const [name, text] of Object.entries(hostileDocuments)) writeFileSync(at(`hostile/${name}`), text);
  writeFileSync(at("policy.yaml"), "sharing:\n  - { cells: [a, b], start: 0x0, size: 0x1000 }\n");
  writeFileSync(at("budget.yaml"), "targets:\n  all: { include: ['**/*.ts'], limit: -1 }\n");
  writeFileSync(at("trace.itf.json"), '{"vars": ["x"], "states": [{"x": {"#bigint": "1"}}, 7]}');
  mkdirSync(at("tiny"));
  writeFileSync(at("tiny/a.ts"), "export const a = 1;\n// why\n");
  mkdirSync(at("mut"));
  writeFileSync(at("existing.sarif"), "previous\n");
  writeFileSync(at("ro.json"), "previous\n");
  chmodSync(at("ro.json"), 0o444);
  mkdirSync(at("rodir"));
  chmodSync(at("rodir"), 0o555);
  for (const dir of ["x86", "sim", "hostile", "tiny"])
    for (const f of readdirSync(at(dir))) inputs.set(at(`${dir}/${f}`), digest(at(`${dir}/${f}`)));
  for (const f of ["policy.yaml", "budget.yaml", "trace.itf.json", "existing.sarif", "ro.json"])
    inputs.set(at(f), digest(at(f)));
});

afterAll(() => {
  chmodSync(at("rodir"), 0o755);
  rmSync(ws, { recursive: true, force: true });
  const codes = [...histogram].sort(([a], [b]) => a - b).map(([c, n]) => `${c}: ${n}`);
  process.stderr.write(
    `[warden] cli fuzz: ${invocations} invocations, exit codes {${codes.join(", ")}}, ${restoredOutputs} outputs over pool inputs\n`,
  );
});

// ---- argument pools --------------------------------------------------------------------------

const smallDocs = Object.keys(hostileDocuments).filter((n) => !/^deep|^alias/.test(n));
const inputPath = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...smallDocs.map((n) => at(`hostile/${n}`))) },
    { weight: 3, arbitrary: fc.constant(at("mut/m.cell")) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        at("nope.yaml"),
        at("nope.cell"),
        at("x86"),
        "/dev/zero",
        at("x86/linux"),
        "",
        at("policy.yaml"),
        at("sim/vote.sim"),
        at("trace.itf.json"),
        at("ro.json"),
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(at("x86/linux.cell"), at("x86/rt-bare-metal.cell")) },
  );
const outputPath = (): fc.Arbitrary<string> =>
  fc.constantFrom(
    at("out/a.json"),
    at("out/a.sarif"),
    at("out/a.yaml"),
    at("out/a.cell"),
    at("out/a.md"),
    at("out/a.svg"),
    at("out/a.mmd"),
    at("out/dir"),
    at("existing.sarif"),
    at("ro.json"),
    at("rodir/x.json"),
    at("x86"),
    at("x86/system.yaml"),
    at("mut/m.cell"),
    at("tiny/a.ts/x.json"),
  );
const number = fc.constantFrom("0", "1", "3", "-1", "1e309", "18446744073709551617", "abc", "", "0x10", "2.5");
const param = fc.constantFrom("rms=2", "rms=-1", "rms", "=", "cells=99999999", "x=1", "rms=abc");
const junk = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("--", "-", "--bogus", "-x", "--json=1"));

type Gen = fc.Arbitrary<readonly string[]>;
const opt = (name: string, value?: fc.Arbitrary<string>): Gen =>
  value ? value.map((v) => [name, v]) : fc.constant([name]);
/** A command, its positionals and a random subset of its options in random order, plus junk. */
function command(words: string[], positionals: Gen, options: Gen[]): Gen {
  return fc
    .tuple(
      positionals,
      fc
        .shuffledSubarray(options, { maxLength: Math.min(4, options.length) })
        .chain((os): fc.Arbitrary<(readonly string[])[]> => (os.length ? fc.tuple(...os) : fc.constant([]))),
      fc.option(junk, { freq: 8 }),
    )
    .map(([pos, os, j]) => [...words, ...pos, ...os.flat(), ...(j === null ? [] : [j])]);
}
const paths = (max: number): Gen => fc.array(inputPath(), { maxLength: max });

/** Cheap invocations: refused inputs or tiny workloads. */
const bulk: Gen = fc.oneof(
  command(["config", "show"], paths(3), [opt("--json"), opt("--arch", fc.constantFrom("x86", "arm64", "z80"))]),
  command(["config", "convert"], fc.tuple(inputPath(), outputPath()), [
    opt("--json"),
    opt("--revision", number),
    opt("--arch", fc.constantFrom("x86", "arm", "")),
  ]),
  // prove: at least one refused input, so Z3 never runs in bulk.
  command(
    ["prove"],
    fc.tuple(fc.constantFrom(...smallDocs.map((n) => at(`hostile/${n}`))), paths(2)).map(([a, b]) => [a, ...b]),
    [opt("--sharing", inputPath()), opt("--smt2", outputPath()), opt("--sarif", outputPath()), opt("--json")],
  ),
  command(["prove", "--model"], fc.constantFrom(["Nope"], [""], ["x y"]), [
    opt("--param", param),
    opt("--bmc", number),
    opt("--config", inputPath()),
    opt("--itf", outputPath()),
  ]),
  command(["check"], fc.constantFrom(["Nope"], ["DieHard", "Nope"], ["DieHard"]), [
    opt("--max-states", fc.constantFrom("1", "5", "abc", "-3", "1e309")),
    opt("--max-memory", number),
    opt("--param", param),
    opt("--config", inputPath()),
    opt("--json"),
    opt("--no-deadlock"),
    opt("--itf", outputPath()),
  ]).map((a) => (a.includes("--max-states") ? a : [...a, "--max-states", "3"])),
  command(["tla"], fc.constantFrom(["Nope"], ["DieHard"]), [
    opt("--out", outputPath()),
    opt("--param", param),
    opt("--config", inputPath()),
    opt("--json"),
  ]),
  command(["tlc"], fc.constantFrom([], ["DieHard"], ["Nope"]), [opt("--param", param), opt("--json")]),
  command(["audit"], fc.constantFrom([at("tiny")], [at("nope")], [at("tiny/a.ts")], ["/dev/zero"]), [
    opt("--budget", inputPath()),
    opt("--json"),
    opt("--md", outputPath()),
    opt("--svg", outputPath()),
    opt("--history", fc.constantFrom("HEAD~1..HEAD", "nope..x", "tags:*", "")),
  ]),
  command(["audit", "surface"], fc.constantFrom([at("x86/system.yaml")], [at("nope")], ["/dev/zero"]), [
    opt("--budget", inputPath()),
    opt("--against", inputPath()),
    opt("--json"),
    opt("--md", outputPath()),
    opt("--svg", outputPath()),
    opt("--sarif", outputPath()),
  ]),
  command(
    ["sim"],
    fc.oneof(
      fc.constantFrom([at("sim/bad.sim")], [at("sim/vote.sim")]),
      inputPath().map((p) => [p]),
    ),
    [
      opt("--mode", fc.constantFrom("upstream", "strict", "bogus")),
      opt("--verbose"),
      opt("--json"),
      opt("--itf", outputPath()),
    ],
  ),
  command(
    ["verify"],
    fc.tuple(fc.constantFrom(...smallDocs.map((n) => at(`hostile/${n}`))), paths(1)).map(([a, b]) => [a, ...b]),
    [opt("--example", fc.constantFrom("x86", "z80")), opt("--out", outputPath()), opt("--json")],
  ),
  command(["dossier"], fc.constant([]), [
    opt("--config", fc.constantFrom(...smallDocs.map((n) => at(`hostile/${n}`)))),
    opt("--seed", number),
    opt("--json"),
  ]).map((a) => (a.includes("--config") ? a : [...a, "--example", "z80"])),
  command(["conform"], fc.constant([]), [
    opt("--config", fc.constantFrom(...smallDocs.map((n) => at(`hostile/${n}`)))),
    opt("--model", fc.constantFrom("lifecycle", "nope")),
    opt("--mode", fc.constantFrom("both", "bogus")),
    opt("--runs", number),
    opt("--seed", number),
  ]).map((a) => (a.includes("--config") ? a : [...a, "--runs", "abc"])),
  command(["explore"], fc.constantFrom(["nope"], [""], ["vote"]), [
    opt("--cells", number),
    opt("--variant", inputPath()),
    opt("--fault", fc.constantFrom("bogus", "none")),
    opt("--md", outputPath()),
  ]).map((a) => (a[1] === "vote" ? [...a, "--cells", "-1"] : a)),
  fc.constantFrom(["help"], ["--help"], ["-V"], ["help", "prove"], ["nope"], [], ["config"], ["config", "nope"]),
  fc.array(junk, { maxLength: 4 }),
);

/** A `.cell` from the examples with bit flips and perhaps a truncation. */
const mutatedCell = fc.record({
  base: fc.constantFrom("linux.cell", "rt-bare-metal.cell", "qemu-x86.cell"),
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { maxLength: 4 }),
  cut: fc.option(fc.nat(), { freq: 3 }),
});
function writeMutated(m: typeof mutatedCell extends fc.Arbitrary<infer T> ? T : never): void {
  const bytes = Buffer.from(readFileSync(at(`x86/${m.base}`)));
  for (const [i, bit] of m.flips) bytes[i % bytes.length] = (bytes[i % bytes.length] ?? 0) ^ (1 << bit);
  const out = m.cut === null ? bytes : bytes.subarray(0, m.cut % (bytes.length + 1));
  chmodSync(at("mut"), 0o755);
  writeFileSync(at("mut/m.cell"), out);
  inputs.set(at("mut/m.cell"), digest(at("mut/m.cell")));
}

// ---- one checked invocation ------------------------------------------------------------------

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

async function inProcess(args: readonly string[]): Promise<Outcome> {
  const write = { out: process.stdout.write, err: process.stderr.write };
  let stdout = "";
  let stderr = "";
  process.stdout.write = ((s: string | Uint8Array) => {
    stdout += String(s);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  }) as typeof process.stderr.write;
  const started = performance.now();
  try {
    const code = await runCli(args);
    return { code, stdout, stderr, ms: performance.now() - started };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

function throughBinary(args: readonly string[]): Outcome {
  const started = performance.now();
  const r = spawnSync(process.execPath, [join(root, "dist/cli/main.js"), ...args], {
    cwd: ws,
    encoding: "utf8",
    input: "",
    timeout: SAMPLE_BOUND_MS,
    env: { ...process.env, NODE_OPTIONS: "", WARDEN_TLA2TOOLS: "" },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - started };
}

const outputOptions = new Set(["--smt2", "--sarif", "--itf", "--out", "--md", "--svg"]);
function namedOutputs(args: readonly string[]): Set<string> {
  const outs = new Set<string>();
  args.forEach((a, i) => {
    const next = args[i + 1];
    if (outputOptions.has(a) && next !== undefined) outs.add(next);
  });
  if (args[0] === "config" && args[1] === "convert" && args[3] !== undefined) outs.add(args[3]);
  return outs;
}

function leftovers(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.name.startsWith(".warden-tmp-")) return [p];
    return e.isDirectory() ? leftovers(p) : [];
  });
}

/** Every property of one run; returns a description of the first broken one. */
function judge(args: readonly string[], r: Outcome, bound: number): string | undefined {
  const line = `warden ${args.map((a) => JSON.stringify(a)).join(" ")}`;
  const outs = namedOutputs(args);
  for (const [path, hash] of inputs) {
    const now = existsSync(path) && statSync(path).isFile() ? digest(path) : "gone";
    if (now === hash) continue;
    const convertOut = (i: number) => args[0] === "config" && args[1] === "convert" && i === 3;
    const ownInput = args.some((a, i) => a === path && !outputOptions.has(args[i - 1] ?? "") && !convertOut(i));
    if (!outs.has(path) || ownInput) {
      restore(path);
      return `${line}: input ${path} changed`;
    }
    // A pool file named only as this run's output may be replaced; restore it for the next run.
    restoredOutputs++;
    restore(path);
  }
  if (![0, 1, 2, 3].includes(r.code)) return `${line}: exit ${r.code}: ${r.stderr.slice(0, 300)}`;
  if (r.ms > bound) return `${line}: took ${Math.round(r.ms)} ms`;
  if (/\n\s+at .+:\d+:\d+\)?\n/.test(`${r.stderr}\n${r.stdout}`))
    return `${line}: stack trace: ${r.stderr.slice(0, 300)}`;
  if (/internal error/.test(r.stderr)) return `${line}: ${r.stderr.slice(0, 300)}`;
  if (r.code === 2 && !/^warden: /m.test(r.stderr)) return `${line}: exit 2 without a one-line error`;
  const tmp = leftovers(ws);
  if (tmp.length > 0) return `${line}: partial output left: ${tmp[0]}`;
  // Markdown or SVG asked for under a .json name is what the user asked for; JSON outputs must be whole.
  const textual = new Set(args.filter((_, i) => args[i - 1] === "--md" || args[i - 1] === "--svg"));
  for (const out of outs) {
    if (textual.has(out) || !/\.(json|sarif)$/.test(out) || !existsSync(out) || !statSync(out).isFile()) continue;
    const text = readFileSync(out, "utf8");
    if (text === "previous\n") continue;
    try {
      JSON.parse(text);
    } catch {
      return `${line}: output ${out} is not whole JSON`;
    }
  }
  return undefined;
}

function restore(path: string): void {
  rmSync(path, { recursive: true, force: true });
  if (path.endsWith("ro.json") || path.endsWith("existing.sarif")) {
    writeFileSync(path, "previous\n");
    if (path.endsWith("ro.json")) chmodSync(path, 0o444);
  } else if (path.startsWith(at("x86/"))) cpSync(join(root, "examples/x86", path.slice(at("x86/").length)), path);
  else if (path === at("mut/m.cell")) inputs.set(path, "gone");
}

async function check(
  args: readonly string[],
  run: (a: readonly string[]) => Promise<Outcome> | Outcome,
  bound: number,
) {
  const r = await run(args);
  invocations++;
  histogram.set(r.code, (histogram.get(r.code) ?? 0) + 1);
  const broken = judge(args, r, bound);
  rmSync(at("out"), { recursive: true, force: true });
  // Markdown or SVG written under a pool path would be judged by a later run that names it as JSON.
  for (const [i, a] of args.entries()) {
    if (args[i - 1] !== "--md" && args[i - 1] !== "--svg") continue;
    if (inputs.has(a)) restore(a);
    else if (existsSync(a) && statSync(a).isFile()) rmSync(a);
  }
  expect(broken).toBeUndefined();
}

// ---- the properties --------------------------------------------------------------------------

describe("warden on hostile argument vectors and inputs", () => {
  it(`bulk: ${BULK} in-process invocations over every subcommand`, async () => {
    await fc.assert(
      fc.asyncProperty(bulk, mutatedCell, async (args, m) => {
        writeMutated(m);
        await check(args, inProcess, BULK_BOUND_MS);
      }),
      { numRuns: BULK },
    );
  }, 600_000);

  const samples: string[][] = [
    ["config", "show", at("hostile/alias-bomb.yaml")],
    ["prove", at("hostile/deep-seq.yaml")],
    ["check", "DieHard", "--config", at("hostile/deep-map.yaml")],
    ["config", "convert", at("hostile/deep-seq.json"), at("out/a.yaml")],
    ["verify", at("hostile/deep-map.json"), "--out", at("out/v")],
    ["prove", at("x86/system.yaml"), "--sarif", at("existing.sarif"), "--sharing", at("policy.yaml")],
    ["prove", at("x86/system.yaml"), "--sarif", at("x86/system.yaml")],
    ["prove", "--model", "DieHard", "--bmc", "2", "--itf", at("ro.json")],
    ["dossier", "--cached", "--out", at("out/d"), "--config", at("x86/system.yaml")],
    ["conform", "--runs", "1", "--steps", "2", "--model", "lifecycle", "--mode", "strict"],
    ["conform", "--replay", at("trace.itf.json"), "--runs", "1"],
    ["explore", "vote", "--variant", "/dev/zero"],
    ["explore", "vote", "--variant", at("hostile/alias-bomb.yaml")],
    ["audit", at("tiny"), "--budget", at("budget.yaml"), "--md", at("rodir/a.md")],
    ["tla", "DieHard", "--out", at("x86/system.yaml")],
  ];
  it(`samples: ${samples.length} expensive or deep inputs, in-process`, async () => {
    for (const args of samples) await check(args, inProcess, SAMPLE_BOUND_MS);
  }, 600_000);

  const binary: string[][] = [
    ["config", "show", at("hostile/alias-bomb.yaml")],
    ["config", "show", "/dev/zero"],
    ["sim", "/dev/zero"],
    ["prove", "--sharing", at("x86")],
    ["tla", "DieHard", "--out", at("x86/system.yaml")],
    ["core-server"],
    ["--bogus"],
    ["-V"],
  ];
  it(`binary: ${binary.length} invocations through dist/cli/main.js`, async () => {
    for (const args of binary) await check(args, throughBinary, SAMPLE_BOUND_MS);
  }, 600_000);
});
