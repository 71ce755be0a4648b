/**
 * Runs TLC's own distributed mode on an emitted MC module: `tlc2.tool.distributed.TLCServer`
 * holds the queue and the fingerprint set and hands blocks of states to `TLCWorker`s over Java
 * RMI, here or on other machines. Warden adds no engine of its own: it writes the module, starts
 * the server (and, if asked, local workers), and parses the server's `-tool` output like `runTlc`.
 *
 * Distributed TLC checks invariants only (no temporal properties), so the PROPERTIES section is
 * left out of the .cfg it reads; and it is not breadth-first across workers, so its distinct
 * state count is comparable with one-worker TLC on a search that completes, but its states
 * generated and depth are counted differently (workers' fingerprint caches) and a violation's
 * trace need not be shortest.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import type { EmittedTla } from "../../generators/index.js";
import { inputError } from "../diagnostics/InputError.js";
import { parseTlcOutput, type TlcResult, tlcJar } from "./runTlc.js";

/** TLC's default RMI registry port for the distributed server. */
export const defaultTlcServerPort = 10997;

export interface DistributedRunOptions {
  /** The server's RMI registry port (workers must use the same). */
  readonly port?: number;
  /** Workers to start on this machine (0: wait for remote ones). */
  readonly localWorkers?: number;
  /** Threads per local worker (default 1; TLC's own default is one per core). */
  readonly threadsPerWorker?: number;
  /** Told, once the server process runs, the command a worker on another machine runs. */
  readonly onServing?: (workerCommand: string) => void;
  /** Seconds between the server's progress reports (TLC's default is 60). */
  readonly reportSeconds?: number;
}

export interface DistributedTlcResult extends TlcResult {
  /** Worker threads that registered with the server (each worker registers one per thread). */
  readonly workersRegistered: number;
}

/** The emitted files with the .cfg's PROPERTIES section removed: distributed TLC checks invariants only. */
export function safetyOnly(name: string, emitted: EmittedTla): EmittedTla {
  const cfgName = `MC${name}.cfg`;
  const cfg = emitted.files[cfgName];
  if (cfg === undefined) return emitted;
  const kept: string[] = [];
  let inProperties = false;
  for (const line of cfg.split("\n")) {
    if (/^PROPERTIES\b/.test(line)) inProperties = true;
    else if (/^\S/.test(line)) inProperties = false;
    if (!inProperties) kept.push(line);
  }
  return { files: { ...emitted.files, [cfgName]: kept.join("\n") } };
}

/** The java arguments of a worker joining the server at `host`. */
export function tlcWorkerArgs(jar: string, host: string, port: number, threads?: number): string[] {
  return [
    `-Dtlc2.tool.distributed.TLCServer.port=${port}`,
    ...(threads ? [`-Dtlc2.tool.distributed.TLCWorker.threadCount=${threads}`] : []),
    "-XX:+UseParallelGC",
    "-Xmx1g",
    "-cp",
    jar,
    "tlc2.tool.distributed.TLCWorker",
    host,
  ];
}

/** The command line printed for a worker on another machine (its jar path is the user's own). */
export function tlcWorkerCommand(host: string, port: number): string {
  return `java ${tlcWorkerArgs('"$WARDEN_TLA2TOOLS"', host, port).join(" ")}   # or: warden tlc --distributed --worker ${host} --port ${port}`;
}

const exited = (child: ChildProcess): Promise<number> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });

const javaMissing = (child: ChildProcess): Promise<never> =>
  new Promise((_, reject) =>
    child.once("error", (e) => reject(inputError("WRD501", `cannot run java for TLC: ${e.message}`))),
  );

/** Runs a worker for the server at `host` until the server dismisses it; resolves to its exit code. */
export async function runTlcWorker(
  host: string,
  options: { readonly port?: number; readonly threads?: number; readonly jar?: string } = {},
): Promise<number> {
  const jar = options.jar ?? tlcJar();
  const child = spawn("java", tlcWorkerArgs(jar, host, options.port ?? defaultTlcServerPort, options.threads), {
    stdio: ["ignore", "inherit", "inherit"],
  });
  return Promise.race([exited(child), javaMissing(child)]);
}

/**
 * Runs the server on `emitted` (invariants only) with `localWorkers` workers here, and any that
 * join from elsewhere, until the search ends; the result is parsed as `runTlc`'s is.
 */
export async function runTlcDistributed(
  name: string,
  emitted: EmittedTla,
  options: DistributedRunOptions = {},
  jar = tlcJar(),
): Promise<DistributedTlcResult> {
  const port = options.port ?? defaultTlcServerPort;
  const dir = mkdtempSync(join(tmpdir(), "warden-tlc-dist-"));
  const workers: ChildProcess[] = [];
  try {
    for (const [file, text] of Object.entries(safetyOnly(name, emitted).files)) writeFileSync(join(dir, file), text);
    const started = performance.now();
    const server = spawn(
      "java",
      [
        `-Dtlc2.tool.distributed.TLCServer.port=${port}`,
        `-Dtlc2.tool.distributed.TLCServer.report=${(options.reportSeconds ?? 60) * 1000}`,
        "-XX:+UseParallelGC",
        "-Xmx1g",
        "-cp",
        jar,
        "tlc2.tool.distributed.TLCServer",
        "-tool",
        // The .cfg's CHECK_DEADLOCK is not read by the distributed server; -deadlock turns the check off.
        ...(/CHECK_DEADLOCK FALSE/.test(emitted.files[`MC${name}.cfg`] ?? "") ? ["-deadlock"] : []),
        "-metadir",
        join(dir, "meta"),
        "-config",
        `MC${name}.cfg`,
        `MC${name}.tla`,
      ],
      { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    let serving = false;
    server.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      // Message 7000: the server computed the initial states and accepts workers.
      if (!serving && /@!@!@STARTMSG 7000:/.test(output)) {
        serving = true;
        options.onServing?.(tlcWorkerCommand(hostname(), port));
        for (let i = 0; i < (options.localWorkers ?? 0); i++) {
          const w = spawn("java", tlcWorkerArgs(jar, "localhost", port, options.threadsPerWorker ?? 1), {
            cwd: dir,
            stdio: "ignore",
          });
          w.on("error", () => undefined);
          workers.push(w);
        }
      }
    });
    server.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    await Promise.race([exited(server), javaMissing(server)]);
    const parsed = parseTlcOutput(output);
    // The server prints its version before it reads -tool, so unwrapped.
    const version = output.match(/TLC Server (Version [^\n]*)/)?.[1];
    return {
      ...parsed,
      ...(parsed.version === "unknown" && version ? { version: `TLC2 ${version.trim()}` } : {}),
      ms: Math.round(performance.now() - started),
      output,
      workersRegistered: [...output.matchAll(/@!@!@STARTMSG 7001:/g)].length,
    };
  } finally {
    // The server dismisses its workers at the end; one that missed it must not outlive the run.
    await Promise.all(
      workers.map(async (w) => {
        if (w.exitCode === null && w.signalCode === null) {
          const done = exited(w);
          const timer = setTimeout(() => w.kill("SIGKILL"), 15_000);
          await done;
          clearTimeout(timer);
        }
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  }
}
