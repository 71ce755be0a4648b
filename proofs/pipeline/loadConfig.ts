/**
 * Reads configuration files (binary `.cell`, YAML, JSON, or Jailhouse C sources compiled as
 * upstream's kbuild does) into typed configurations with their
 * origins, and assembles configuration sets. Bad input throws an InputError naming the file and
 * the byte offset or field.
 */

import { extname, join } from "node:path";
import {
  type Arch,
  type CellConfig,
  type ConfigSet,
  type Decoded,
  type Diagnostic,
  decodeConfig,
  type LoadedCell,
  type LoadedSystem,
  parseConfigText,
} from "../../hypervisor/index.js";
import { compileCConfig } from "../csource/compileCConfig.js";
import { registerCSource } from "../csource/sourceLocations.js";
import { registerYamlSource } from "../csource/yamlLocations.js";
import { InputError, inputError } from "../diagnostics/InputError.js";
import { packageRoot } from "../packageRoot.js";
import { readRegularFile } from "./readRegularFile.js";

export type LoadedFile =
  | { readonly kind: "system"; readonly loaded: LoadedSystem }
  | { readonly kind: "cell"; readonly loaded: LoadedCell }
  | { readonly kind: "set"; readonly set: ConfigSet };

export interface LoadOptions {
  readonly onWarning?: (d: Diagnostic) => void;
  /** Architecture for revision-12/13 binaries, which carry none. */
  readonly arch?: Arch;
}

export type ConfigFormat = "cell" | "yaml" | "json";

/** The format a path names by its extension. */
export function formatOf(path: string): ConfigFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".cell") return "cell";
  if (ext === ".yaml" || ext === ".yml") return "yaml";
  if (ext === ".json") return "json";
  throw inputError(
    "WRD120",
    `unknown configuration extension "${ext}" (use .cell, .yaml, .yml, .json, or .c for input)`,
    {
      file: path,
    },
  );
}

function readBytes(path: string): Buffer {
  try {
    return readRegularFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EISDIR") throw inputError("WRD100", "is a directory, not a configuration file", { file: path });
    throw inputError("WRD100", code === "ENOENT" ? "no such file" : `cannot read (${code ?? "error"})`, { file: path });
  }
}

function unwrap<T>(d: Decoded<T>, options: LoadOptions): T {
  for (const w of d.warnings) options.onWarning?.(w);
  if (!d.ok) throw new InputError(d.error);
  return d.value;
}

export function loadConfigFile(path: string, options: LoadOptions = {}): LoadedFile {
  const c = extname(path).toLowerCase() === ".c" ? compileCConfig(path, options.arch) : undefined;
  if (c) registerCSource(path, c);
  const format = c ? "cell" : formatOf(path);
  const bytes = c ? c.bytes : readBytes(path);
  if (format === "cell") {
    const arch = c?.arch ?? options.arch;
    const d = unwrap(decodeConfig(bytes, path, arch ? { arch } : {}), options);
    return d.kind === "system"
      ? { kind: "system", loaded: { config: d.config, origin: d.origin } }
      : { kind: "cell", loaded: { config: d.config, origin: d.origin } };
  }
  registerYamlSource(path, bytes.toString("utf8"));
  const doc = unwrap(parseConfigText(bytes.toString("utf8"), path, format), options);
  const origin = (field: string) => ({ file: path, format, field });
  switch (doc.kind) {
    case "system":
      return { kind: "system", loaded: { config: doc.system, origin: origin("system.root_cell") } };
    case "cell":
      return { kind: "cell", loaded: { config: doc.cell, origin: origin("cell") } };
    case "set":
      return {
        kind: "set",
        set: {
          system: { config: doc.system, origin: origin("system.root_cell") },
          cells: doc.cells.map((c, i) => ({ config: c, origin: origin(`cells[${i}]`) })),
        },
      };
  }
}

/**
 * A configuration set from the command line: a set document, or a system file followed by cell
 * files (each of which may also be a set document's cells). Architectures must agree and names
 * must be unique.
 */
export function loadConfigSet(paths: readonly string[], options: LoadOptions = {}): ConfigSet {
  const [first, ...rest] = paths;
  if (first === undefined) throw inputError("WRD900", "no configuration given");
  const head = loadConfigFile(first, options);
  if (head.kind === "cell") {
    throw inputError("WRD200", "the first configuration must be a system configuration (or a set)", { file: first });
  }
  const system: LoadedSystem = head.kind === "set" ? head.set.system : head.loaded;
  const cells: LoadedCell[] = head.kind === "set" ? [...head.set.cells] : [];
  for (const path of rest) {
    const f = loadConfigFile(path, { ...options, arch: options.arch ?? system.config.arch });
    if (f.kind !== "cell")
      throw inputError("WRD200", "only the first configuration may be a system configuration", { file: path });
    cells.push(f.loaded);
  }
  return checkSet({ system, cells });
}

function checkSet(set: ConfigSet): ConfigSet {
  const arch = set.system.config.arch;
  const names = new Map<string, string>([[set.system.config.root_cell.name, set.system.origin.file]]);
  for (const cell of set.cells) {
    const where = { file: cell.origin.file, ...(cell.origin.field ? { field: `${cell.origin.field}.name` } : {}) };
    if (cell.config.arch !== arch) {
      throw inputError("WRD201", `cell "${cell.config.name}" is ${cell.config.arch}, the system is ${arch}`, where);
    }
    const seen = names.get(cell.config.name);
    if (seen !== undefined)
      throw inputError("WRD202", `cell name "${cell.config.name}" is also used in ${seen}`, where);
    names.set(cell.config.name, cell.origin.file);
  }
  return set;
}

/** The built-in example systems shipped in `examples/`. */
export const exampleNames = ["x86", "arm64"] as const;
export type ExampleName = (typeof exampleNames)[number];

/** The built-in example's configuration set (its YAML set document). */
export function loadExampleSet(name: ExampleName = "x86", options: LoadOptions = {}): ConfigSet {
  return loadConfigSet([examplePath(name)], options);
}

export const examplePath = (name: ExampleName): string => join(packageRoot, "examples", name, "system.yaml");

/** Typed configurations of a set, root first. */
export const allCells = (set: ConfigSet): CellConfig[] => [
  set.system.config.root_cell,
  ...set.cells.map((c) => c.config),
];
