/**
 * A small glob matcher for budget files (node's `path.matchesGlob` prints an experimental warning):
 * `**` any number of path segments, `*` any run within a segment, `?` one character within a segment,
 * `{a,b}` alternatives (nestable), `[abc]`/`[!abc]` character classes. Paths use `/`.
 */
const cache = new Map<string, RegExp>();

/** True when `path` matches `glob` as a whole. */
export function globMatch(path: string, glob: string): boolean {
  let re = cache.get(glob);
  if (re === undefined) {
    re = new RegExp(`^${globSource(glob)}$`);
    cache.set(glob, re);
  }
  return re.test(path);
}

/** The regular-expression source for `glob`. */
export function globSource(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; ) {
    const [source, next] = token(glob, i);
    out += source;
    i = next;
  }
  return out;
}

/** The source for the glob token at `i`, and where the next token starts. */
function token(glob: string, i: number): [string, number] {
  // `dir/**` also matches `dir` itself; `**/` matches zero or more whole segments.
  if (glob.startsWith("/**", i) && i + 3 === glob.length) return ["(?:/.*)?", i + 3];
  if (glob.startsWith("**/", i) && (i === 0 || glob[i - 1] === "/")) return ["(?:[^/]*/)*", i + 3];
  if (glob.startsWith("**", i)) return [".*", i + 2];
  const c = glob[i] as string;
  if (c === "*") return ["[^/]*", i + 1];
  if (c === "?") return ["[^/]", i + 1];
  if (c === "{") return alternatives(glob, i);
  if (c === "[") return characterClass(glob, i);
  return [c.replace(/[.+^$()|\\\]}]/g, "\\$&"), i + 1];
}

function alternatives(glob: string, open: number): [string, number] {
  const end = closingBrace(glob, open);
  if (end < 0) return ["\\{", open + 1];
  return [
    `(?:${splitTop(glob.slice(open + 1, end))
      .map(globSource)
      .join("|")})`,
    end + 1,
  ];
}

function characterClass(glob: string, open: number): [string, number] {
  const end = glob.indexOf("]", open + 2);
  if (end < 0) return ["\\[", open + 1];
  const body = glob.slice(open + 1, end);
  const negated = body.startsWith("!") || body.startsWith("^");
  const chars = (negated ? body.slice(1) : body).replace(/[\\\]^]/g, "\\$&");
  return [negated ? `[^/${chars}]` : `[${chars}]`, end + 1];
}

function closingBrace(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === "{") depth++;
    else if (glob[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

/** Splits `a,{b,c},d` at the commas outside nested braces. */
function splitTop(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "{") depth++;
    else if (body[i] === "}") depth--;
    else if (body[i] === "," && depth === 0) {
      parts.push(body.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(body.slice(from));
  return parts;
}
