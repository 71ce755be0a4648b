/** A `warden sim` script: one command per line; `#` starts a comment; blank lines are skipped. */
import { inputError } from "../diagnostics/InputError.js";

export interface SimCommand {
  /** 1-based line number in the script. */
  readonly line: number;
  readonly text: string;
  readonly words: readonly string[];
}

export function parseScript(text: string): SimCommand[] {
  const out: SimCommand[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const body = raw.replace(/#.*/, "").trim();
    if (body !== "") out.push({ line: i + 1, text: body, words: body.split(/\s+/) });
  });
  return out;
}

/** The one-line error for a script line that cannot run. */
export function scriptError(file: string, command: SimCommand, message: string): Error {
  return inputError("WRD910", `${message} (in "${command.text}")`, { file, field: `line ${command.line}` });
}
