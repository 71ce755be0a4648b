import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CompiledConfig } from "./compileCConfig.js";
import { parseC } from "./cParser.js";
import { type ByteRange, cSourceMap } from "./cSourceMap.js";
import { macroElementCounts } from "./macroElementCounts.js";

/** A finding's place in a C configuration: the initializer that produced the byte it names. */
export interface SourceLocation {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  /** C path of the initialized object, e.g. `config.mem_regions[15]`. */
  readonly element: string;
  /** The macro the element comes from when one macro stands for several elements. */
  readonly macro?: string;
  /** The compiled binary the byte offsets refer to. */
  readonly binary: string;
}

interface Entry {
  readonly compiled: CompiledConfig;
  ranges?: ByteRange[];
}

/**
 * Source maps of the C configurations loaded in this process, by the path findings carry. Kept
 * apart from the findings themselves: reporters ask here when a finding names a byte offset.
 */
const registry = new Map<string, Entry>();
const headerMacros = new Map<string, Map<string, number>>();

export function registerCSource(file: string, compiled: CompiledConfig): void {
  registry.set(file, { compiled });
}

export const isRegisteredCSource = (file: string): boolean => registry.has(file);

function macrosOf(tree: string): Map<string, number> {
  let counts = headerMacros.get(tree);
  if (!counts) {
    const header = join(tree, "include/jailhouse/cell-config.h");
    const root = existsSync(header) ? parseC(readFileSync(header, "utf8")) : undefined;
    counts = root ? macroElementCounts(root) : new Map();
    headerMacros.set(tree, counts);
  }
  return counts;
}

function rangesOf(entry: Entry): ByteRange[] {
  if (entry.ranges) return entry.ranges;
  const root = parseC(entry.compiled.source);
  if (!root) return [];
  const macros = new Map([...macrosOf(entry.compiled.tree), ...macroElementCounts(root)]);
  entry.ranges = cSourceMap(root, entry.compiled.bytes, macros);
  return entry.ranges;
}

/**
 * The source line of a byte of a compiled C configuration: the innermost initializer containing
 * it, or the nearest one before it. Undefined for files that are not C, or before the C parser
 * is initialised.
 */
export function sourceLocationOf(file: string, byteOffset: number): SourceLocation | undefined {
  const entry = registry.get(file);
  if (!entry) return undefined;
  const ranges = rangesOf(entry);
  const hit =
    ranges.find((r) => r.start <= byteOffset && byteOffset < r.end) ??
    ranges.filter((r) => r.start <= byteOffset).sort((a, b) => b.start - a.start)[0];
  if (!hit) return undefined;
  return {
    file,
    line: hit.node.startPosition.row + 1,
    column: hit.node.startPosition.column + 1,
    element: hit.element,
    ...(hit.macro ? { macro: hit.macro } : {}),
    binary: entry.compiled.cellFile,
  };
}

/** `file:line (element)`, the way findings name a C source place. */
export const formatSourceLocation = (l: SourceLocation): string =>
  `${l.file}:${l.line} (${l.element}${l.macro ? ` from ${l.macro}` : ""})`;
