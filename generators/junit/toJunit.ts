/**
 * Results as JUnit XML, the format CI systems (GitHub Actions reporters, GitLab's test report,
 * Jenkins) read: one `<testsuite>` per command run, one `<testcase>` per obligation, model check
 * or verify stage, a `<failure>` carrying the counterexample text.
 */
export interface JunitCase {
  readonly name: string;
  /** Groups cases in CI views, e.g. `warden.prove`. */
  readonly classname: string;
  readonly seconds?: number;
  readonly outcome: "passed" | "failed" | "skipped" | "error";
  /** One line: why it failed or was skipped. */
  readonly message?: string;
  /** The counterexample or details, as text. */
  readonly details?: string;
}

export interface JunitSuite {
  readonly name: string;
  readonly cases: readonly JunitCase[];
  /** ISO 8601 without zone, as JUnit's schema wants. */
  readonly timestamp?: string;
}

// XML 1.0 forbids most control characters even when escaped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to remove them
const invalidXml = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

const escapeXml = (s: string): string =>
  s.replace(invalidXml, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const time = (seconds: number | undefined): string => (seconds ?? 0).toFixed(3);
const count = (cases: readonly JunitCase[], outcome: JunitCase["outcome"]): number =>
  cases.filter((c) => c.outcome === outcome).length;

function testcase(c: JunitCase): string {
  const head = `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(c.classname)}" time="${time(c.seconds)}"`;
  if (c.outcome === "passed") return `${head}/>`;
  const tag = c.outcome === "failed" ? "failure" : c.outcome === "error" ? "error" : "skipped";
  const message = c.message !== undefined ? ` message="${escapeXml(c.message)}"` : "";
  const type = tag === "skipped" ? "" : ` type="${tag === "failure" ? "violation" : "error"}"`;
  const body = c.details !== undefined ? `>${escapeXml(c.details)}</${tag}>` : "/>";
  return `${head}>\n      <${tag}${message}${type}${body}\n    </testcase>`;
}

function testsuite(s: JunitSuite): string {
  const seconds = s.cases.reduce((t, c) => t + (c.seconds ?? 0), 0);
  const attrs = [
    `name="${escapeXml(s.name)}"`,
    `tests="${s.cases.length}"`,
    `failures="${count(s.cases, "failed")}"`,
    `errors="${count(s.cases, "error")}"`,
    `skipped="${count(s.cases, "skipped")}"`,
    `time="${time(seconds)}"`,
    ...(s.timestamp ? [`timestamp="${s.timestamp}"`] : []),
  ];
  return [`  <testsuite ${attrs.join(" ")}>`, ...s.cases.map(testcase), "  </testsuite>"].join("\n");
}

export function toJunit(suites: readonly JunitSuite[], name = "warden"): string {
  const all = suites.flatMap((s) => s.cases);
  const seconds = all.reduce((t, c) => t + (c.seconds ?? 0), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(name)}" tests="${all.length}" failures="${count(all, "failed")}" errors="${count(all, "error")}" skipped="${count(all, "skipped")}" time="${time(seconds)}">`,
    ...suites.map(testsuite),
    "</testsuites>",
    "",
  ].join("\n");
}

/** Now as JUnit's timestamp (ISO 8601, seconds, no zone). */
export const junitTimestamp = (date = new Date()): string => date.toISOString().slice(0, 19);
