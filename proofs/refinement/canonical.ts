/**
 * JSON with sorted keys, so equal states compare equal as strings: the text of
 * `JSON.stringify(x, replacer)` with a replacer that rebuilds every object from its entries sorted
 * by key (integer keys then come first in numeric order, as an object orders them), written
 * directly for the plain data abstract states are made of; anything else takes that path.
 */
export function canonical(x: unknown): string {
  const out = write(x);
  return out === UNUSUAL ? sortedStringify(x) : (out as string);
}

/** What `write` returns for a value it does not handle (the caller then uses the replacer). */
const UNUSUAL = Symbol("unusual");

function sortedStringify(x: unknown): string {
  return JSON.stringify(x, (_, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** The JSON text of `v`, `undefined` where JSON.stringify omits the value, or UNUSUAL. */
function write(v: unknown): string | undefined | typeof UNUSUAL {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Number.isFinite(v) ? String(v) : "null";
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    case "bigint":
      return UNUSUAL;
  }
  if (v === null) return "null";
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return UNUSUAL;
    const parts: string[] = [];
    for (const e of v) {
      const text = write(e);
      if (text === UNUSUAL) return UNUSUAL;
      parts.push(text ?? "null");
    }
    return `[${parts.join(",")}]`;
  }
  const proto = Object.getPrototypeOf(v);
  if ((proto !== Object.prototype && proto !== null) || "toJSON" in (v as object)) return UNUSUAL;
  const parts: string[] = [];
  for (const key of orderedKeys(v as object)) {
    const text = write((v as Record<string, unknown>)[key]);
    if (text === UNUSUAL) return UNUSUAL;
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(",")}}`;
}

/** Array-index keys in numeric order, then the other keys sorted (what `Object.fromEntries` of sorted entries yields). */
function orderedKeys(o: object): string[] {
  const keys = Object.keys(o);
  const index: string[] = [];
  const named: string[] = [];
  for (const k of keys) (isArrayIndex(k) ? index : named).push(k);
  index.sort((a, b) => Number(a) - Number(b));
  named.sort();
  return index.length === 0 ? named : [...index, ...named];
}

function isArrayIndex(k: string): boolean {
  return /^(0|[1-9]\d*)$/.test(k) && Number(k) < 2 ** 32 - 1;
}
