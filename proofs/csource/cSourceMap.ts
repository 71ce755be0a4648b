import type { Node } from "web-tree-sitter";
import { arraySites, fieldPairs, type Site } from "./cInitializers.js";

/** A byte range of the compiled configuration and the initializer that produced it. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
  readonly node: Node;
  /** C path of the initialized object, e.g. `config.mem_regions[15]`. */
  readonly element: string;
  readonly macro?: string;
}

/** Field offsets inside a cell descriptor (upstream's struct jailhouse_cell_desc), by C member. */
const descFields: readonly [string, number, number][] = [
  ["signature", 0, 5],
  ["architecture", 5, 6],
  ["revision", 6, 8],
  ["name", 8, 40],
  ["id", 40, 44],
  ["flags", 44, 48],
  ["cpu_set_size", 48, 52],
  ["num_memory_regions", 52, 56],
  ["num_cache_regions", 56, 60],
  ["num_irqchips", 60, 64],
  ["num_pio_regions", 64, 68],
  ["num_pci_devices", 68, 72],
  ["num_pci_caps", 72, 76],
  ["num_stream_ids", 76, 80],
  ["vpci_irq_base", 80, 84],
  ["cpu_reset_address", 84, 92],
  ["msg_reply_timeout", 92, 100],
  ["console", 100, 132],
];

/** The arrays after the CPU set, in file order: count field and its offset, C member by convention, element size. */
const arrays: readonly [string, number, string, number][] = [
  ["num_memory_regions", 52, "mem_regions", 32],
  ["num_cache_regions", 56, "cache_regions", 12],
  ["num_irqchips", 60, "irqchips", 32],
  ["num_pio_regions", 64, "pio_regions", 4],
  ["num_pci_devices", 68, "pci_devices", 56],
  ["num_pci_caps", 72, "pci_caps", 8],
  ["num_stream_ids", 76, "stream_ids", 4],
];

const DESC_SIZE = 132;

/** The file-scope object whose initializer is the configuration (the one with `.header` or `.cell`). */
function configObject(root: Node): { name: string; list: Node } | undefined {
  for (const decl of root.descendantsOfType("init_declarator")) {
    const value = decl?.childForFieldName("value");
    if (!decl || value?.type !== "initializer_list") continue;
    const pairs = fieldPairs(value);
    if (pairs.has("header") || pairs.has("cell")) {
      const name = decl.childForFieldName("declarator")?.text.replace(/\[.*$/, "").trim() ?? "config";
      return { name, list: value };
    }
  }
  return undefined;
}

/** The member an `ARRAY_SIZE(config.X)` or `sizeof(config.X)` count names. */
const memberIn = (text: string | undefined): string | undefined =>
  text ? /(?:ARRAY_SIZE|sizeof)\s*\(\s*\w+\s*\.\s*(\w+)\s*\)/.exec(text)?.[1] : undefined;

/**
 * Which initializer produced each byte range of a compiled C configuration: descriptor fields,
 * CPU set words and array elements (counts and sizes read from the bytes, the array members from
 * the descriptor's `ARRAY_SIZE(config.X)` counts). Bytes of the system header map to `.header`.
 */
export function cSourceMap(root: Node, bytes: Uint8Array, macroCounts: ReadonlyMap<string, number>): ByteRange[] {
  const config = configObject(root);
  if (!config || bytes.length < DESC_SIZE) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const system = new TextDecoder("latin1").decode(bytes.subarray(0, 5)) === "JHSYS";
  const base = system ? (view.getUint16(6, true) === 12 ? 354 : 356) : 0;
  if (bytes.length < base + DESC_SIZE) return [];
  const top = fieldPairs(config.list);
  const header = top.get("header");
  const descEntry = system && header ? fieldPairs(header.value).get("root_cell") : top.get("cell");
  if (!descEntry) return [];
  const descPath = `${config.name}.${system ? "header.root_cell" : "cell"}`;
  const desc = fieldPairs(descEntry.value);
  const ranges: ByteRange[] = [];
  if (header) ranges.push({ start: 0, end: base, node: header.pair, element: `${config.name}.header` });
  for (const [field, from, to] of descFields) {
    const pair = desc.get(field)?.pair ?? descEntry.pair;
    ranges.push({ start: base + from, end: base + to, node: pair, element: `${descPath}.${field}` });
  }
  const cpuSetSize = view.getUint32(base + 48, true);
  const arrayAt = (member: string, at: number, count: number, size: number): void => {
    const entry = top.get(member);
    const sites: Site[] = entry?.value.type === "initializer_list" ? arraySites(entry.value, macroCounts) : [];
    for (let i = 0; i < count; i++) {
      const site = sites[i];
      const node = site?.node ?? entry?.pair ?? config.list;
      const element = `${config.name}.${member}[${i}]`;
      ranges.push({
        start: at + i * size,
        end: at + (i + 1) * size,
        node,
        element,
        ...(site?.macro ? { macro: site.macro } : {}),
      });
    }
  };
  arrayAt(memberIn(desc.get("cpu_set_size")?.value.text) ?? "cpus", base + DESC_SIZE, Math.ceil(cpuSetSize / 8), 8);
  let at = base + DESC_SIZE + cpuSetSize;
  for (const [countField, countAt, member, size] of arrays) {
    const count = view.getUint32(base + countAt, true);
    arrayAt(memberIn(desc.get(countField)?.value.text) ?? member, at, count, size);
    at += count * size;
  }
  return ranges;
}
