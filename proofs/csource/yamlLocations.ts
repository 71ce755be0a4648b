import { isNode, LineCounter, parseDocument } from "yaml";

/** A YAML/JSON configuration's text, parsed again only when a finding asks for a line. */
const texts = new Map<
  string,
  { text: string; located?: (field: string) => { line: number; column: number } | undefined }
>();

export function registerYamlSource(file: string, text: string): void {
  texts.set(file, { text });
}

/** `cells[1].memory_regions[3].size` as YAML path keys: `cells, 1, memory_regions, 3, size`. */
const pathKeys = (field: string): (string | number)[] =>
  field
    .split(/\.|(?=\[)/)
    .filter((k) => k !== "")
    .map((k) => (/^\[\d+\]$/.test(k) ? Number(k.slice(1, -1)) : k));

function locator(text: string): (field: string) => { line: number; column: number } | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  return (field) => {
    // The deepest node the path reaches: a field left out falls back to its parent.
    const keys = pathKeys(field);
    for (let n = keys.length; n > 0; n--) {
      const node = doc.getIn(keys.slice(0, n), true);
      if (isNode(node) && node.range) {
        const { line, col } = lines.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return undefined;
  };
}

/** Line and column of a field path in a YAML/JSON configuration loaded in this process. */
export function yamlLocationOf(file: string, field: string): { line: number; column: number } | undefined {
  const entry = texts.get(file);
  if (!entry) return undefined;
  entry.located ??= locator(entry.text);
  return entry.located(field);
}
