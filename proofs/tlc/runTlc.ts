/**
 * Runs TLC (from the jar named by WARDEN_TLA2TOOLS) on an emitted MC module with one worker and
 * parses its `-tool` message stream: distinct and generated states, depth, verdict, and the
 * counterexample from `-dumpTrace json`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmittedTla } from "../../generators/index.js";
import { inputError } from "../diagnostics/InputError.js";

export type TlcVerdict = "success" | "safety failure" | "liveness failure" | "deadlock failure" | "error";

export interface TlcResult {
  readonly verdict: TlcVerdict;
  readonly distinctStates: number;
  readonly generatedStates: number;
  readonly depth: number;
  readonly ms: number;
  readonly version: string;
  /** The violated invariant, when TLC names one. */
  readonly property?: string;
  /** TLC's JSON trace (`-dumpTrace json`), when it printed a counterexample. */
  readonly trace?: unknown;
  readonly output: string;
  /** TLC was stopped by {@link TlcRunOptions.timeoutMs}: the counts are its last progress report's. */
  readonly timedOut?: boolean;
}

/** The configured jar, or an exit-3 error saying how to configure it. */
export function tlcJar(): string {
  const jar = process.env.WARDEN_TLA2TOOLS;
  if (!jar || !existsSync(jar) || !statSync(jar).isFile()) {
    throw inputError(
      "WRD500",
      "TLC is not configured: set WARDEN_TLA2TOOLS to the path of tla2tools.jar (see README, Developing)",
    );
  }
  return jar;
}

export interface TlcRunOptions {
  /** TLC's `-workers` (default 1, so counts and traces are deterministic). */
  readonly workers?: number;
  /** Stops TLC after this long; the result then carries the last progress report's counts and `timedOut`. */
  readonly timeoutMs?: number;
}

export function runTlc(name: string, emitted: EmittedTla, jar = tlcJar(), options: TlcRunOptions = {}): TlcResult {
  const dir = mkdtempSync(join(tmpdir(), "warden-tlc-"));
  try {
    for (const [file, text] of Object.entries(emitted.files)) writeFileSync(join(dir, file), text);
    const started = performance.now();
    const run = spawnSync(
      "java",
      [
        "-XX:+UseParallelGC",
        "-Xmx1g",
        "-cp",
        jar,
        "tlc2.TLC",
        "-workers",
        String(options.workers ?? 1),
        // TLC otherwise also checks liveness on the partial graph at its periodic reports, so a
        // liveness failure's counts depend on the machine's speed; Warden checks after the search.
        "-lncheck",
        "final",
        "-tool",
        "-noGenerateSpecTE",
        "-dumpTrace",
        "json",
        "trace.json",
        "-metadir",
        join(dir, "meta"),
        "-cleanup",
        "-config",
        `MC${name}.cfg`,
        `MC${name}.tla`,
      ],
      {
        cwd: dir,
        encoding: "utf8",
        maxBuffer: 256 * 2 ** 20,
        ...(options.timeoutMs ? { timeout: options.timeoutMs, killSignal: "SIGKILL" as const } : {}),
      },
    );
    const timedOut = run.error !== undefined && (run.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
    if (timedOut) {
      return {
        ...parseTlcOutput(run.stdout ?? ""),
        ms: Math.round(performance.now() - started),
        output: run.stdout ?? "",
        timedOut,
      };
    }
    if (run.error) throw inputError("WRD501", `cannot run java for TLC: ${run.error.message}`);
    const tracePath = join(dir, "trace.json");
    const trace = existsSync(tracePath) ? JSON.parse(readFileSync(tracePath, "utf8")) : undefined;
    return { ...parseTlcOutput(run.stdout), ms: Math.round(performance.now() - started), trace, output: run.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads TLC's `-tool` output: message codes 2190/2199 (counts), 2194 (depth), 2110/2116/2114 (verdicts). */
export function parseTlcOutput(out: string): Omit<TlcResult, "ms" | "trace" | "output" | "timedOut"> {
  const messages = [...out.matchAll(/@!@!@STARTMSG (\d+):\d+ @!@!@\n([\s\S]*?)@!@!@ENDMSG \d+ @!@!@/g)].map((m) => ({
    code: Number(m[1]),
    text: m[2] ?? "",
  }));
  const num = (s: string | undefined): number => Number((s ?? "0").replace(/,/g, ""));
  let distinctStates = 0;
  let generatedStates = 0;
  let depth = 0;
  let verdict: TlcVerdict = "success";
  let property: string | undefined;
  let version = "unknown";
  for (const { code, text } of messages) {
    const counts = text.match(/([\d,]+) states generated.*?([\d,]+) distinct states found/s);
    if (counts && (code === 2199 || code === 2200)) {
      generatedStates = num(counts[1]);
      distinctStates = num(counts[2]);
    }
    const d = text.match(/depth of the complete state graph search is ([\d,]+)/);
    if (d) depth = num(d[1]);
    if (code === 2262) version = text.trim().split("\n")[0] ?? version;
    if (code === 2110 || code === 2107) {
      verdict = "safety failure";
      property = text.match(/Invariant (\w+) is violated/)?.[1];
    }
    if (code === 2116) verdict = "liveness failure";
    if (code === 2114) verdict = "deadlock failure";
    if (
      (code >= 1000 && code < 2000 && !/^\s*$/.test(text) && verdict === "success" && code !== 1000) ||
      code === 2103
    ) {
      // Parse, semantic and evaluation errors (TLC's 1xxx and 2103 messages) are not verdicts on the model.
      if (/error|Error/.test(text)) verdict = "error";
    }
  }
  return { verdict, distinctStates, generatedStates, depth, version, ...(property ? { property } : {}) };
}
