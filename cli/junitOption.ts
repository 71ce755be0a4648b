import { atomicWrite, type JunitCase, junitTimestamp, toJunit } from "../generators/index.js";

/** The `--junit FILE` option's help, the same on every command that has it. */
export const junitHelp = "also write the results as JUnit XML (one test case per obligation, check or stage)";

/** Writes one command run as a JUnit test suite, when `--junit` was given. */
export function writeJunit(file: string | undefined, suite: string, cases: readonly JunitCase[]): void {
  if (file !== undefined) atomicWrite(file, toJunit([{ name: suite, cases, timestamp: junitTimestamp() }]));
}
