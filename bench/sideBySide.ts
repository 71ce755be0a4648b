/**
 * What this machine's cores give one model's code: the same one-worker check run alone, then in
 * two processes at once. Two independent searches share nothing in memory, so the throughput of the
 * pair against one alone (2 × alone / slower of the pair, between 1 and 2) is the ceiling for any
 * parallel speed-up of that model here. `loopPair` does the same with an integer loop that touches
 * no memory: near 2 there and lower for a model means the two cores are independent and the model
 * loses in what they share (caches, memory, and the host's other VMs). Each child warms up with
 * one check, waits for the word on stdin, then times one check.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { checkModel, resolveModels } from "../proofs/index.js";

const self = fileURLToPath(import.meta.url);

/**
 * Wall ms of one check of the model alone, and of the slower of two run at once: the best of
 * `turns` of each, taking turns (a single measurement on this shared host came out below the
 * speed-up two threads reached in the same run).
 */
export async function sideBySide(
  name: string,
  params: Record<string, string>,
  turns = 3,
): Promise<{ alone: number; pair: number }> {
  let alone = Number.POSITIVE_INFINITY;
  let pair = Number.POSITIVE_INFINITY;
  for (let turn = 0; turn < turns; turn++) {
    alone = Math.min(alone, ...(await run(1, name, params)));
    pair = Math.min(pair, Math.max(...(await run(2, name, params))));
  }
  return { alone, pair };
}

/** The child's argument that runs `loop` instead of a model. */
const LOOP = "-loop";

/** The pair's throughput against one alone for an integer loop without memory accesses. */
export async function loopPair(turns = 3): Promise<number> {
  const { alone, pair } = await sideBySide(LOOP, {}, turns);
  return (2 * alone) / pair;
}

async function run(count: number, name: string, params: Record<string, string>): Promise<number[]> {
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ["--import", "tsx/esm", self, name, JSON.stringify(params)], {
      stdio: ["pipe", "pipe", "inherit"],
    }),
  );
  const lines = children.map(lineReader);
  await Promise.all(lines.map((next) => next()));
  for (const child of children) child.stdin?.write("go\n");
  return Promise.all(lines.map(async (next) => Number(await next())));
}

function lineReader(child: ChildProcess): () => Promise<string> {
  let buffered = "";
  const waiting: ((line: string) => void)[] = [];
  const ready: string[] = [];
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    buffered += chunk;
    for (let at = buffered.indexOf("\n"); at >= 0; at = buffered.indexOf("\n")) {
      const line = buffered.slice(0, at);
      buffered = buffered.slice(at + 1);
      const take = waiting.shift();
      if (take) take(line);
      else ready.push(line);
    }
  });
  return () => {
    const line = ready.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
  };
}

/** A linear congruential loop: registers only; returns its state so that it is not removed. */
function loop(): number {
  let x = 1;
  for (let i = 0; i < 5e8; i++) x = (Math.imul(x, 1664525) + 1013904223) | 0;
  return x;
}

if (process.argv[1] === self) {
  let work: () => unknown = loop;
  if (process.argv[2] !== LOOP) {
    const [r] = resolveModels([process.argv[2] as string], JSON.parse(process.argv[3] as string));
    if (!r) throw new Error(`unknown model ${process.argv[2]}`);
    work = () => checkModel(r.model);
  }
  work();
  process.stdout.write("ready\n");
  process.stdin.once("data", () => {
    const started = performance.now();
    work();
    process.stdout.write(`${Math.round(performance.now() - started)}\n`);
    process.exit(0);
  });
}
