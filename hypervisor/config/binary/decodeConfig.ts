/**
 * Reads a binary configuration (cell or system file, revision 12, 13 or 14) into the typed model
 * of revision 14. Never throws: every problem becomes a diagnostic naming the file and byte
 * offset. Counts are checked against the file size before any array is read.
 */
import type { Decoded, Diagnostic } from "../diagnostic.js";
import type { Arch, CellConfig, ConfigOrigin, SystemConfig } from "../types.js";
import { ByteReader, DecodeError } from "./ByteReader.js";
import { readCell } from "./cellCodec.js";
import {
  SIGNATURE_CELL,
  SIGNATURE_CELL_OLD,
  SIGNATURE_SYSTEM,
  SIGNATURE_SYSTEM_OLD,
  SUPPORTED_REVISIONS,
  SYSTEM_HEADER_SIZE,
  SYSTEM_HEADER_SIZE_REV12,
} from "./layout.js";
import { readSystem } from "./systemCodec.js";
import { readVirtioTrailer, virtioTrailerSize } from "./virtioTrailer.js";

export type DecodedConfig =
  | { readonly kind: "system"; readonly config: SystemConfig; readonly origin: ConfigOrigin }
  | { readonly kind: "cell"; readonly config: CellConfig; readonly origin: ConfigOrigin };

export interface DecodeOptions {
  /** Architecture for revisions 12/13, whose files carry no architecture byte. */
  readonly arch?: Arch;
}

const archByCode: readonly Arch[] = ["x86", "arm", "arm64"];

export function decodeConfig(bytes: Uint8Array, file: string, options: DecodeOptions = {}): Decoded<DecodedConfig> {
  const warnings: Diagnostic[] = [];
  try {
    return { ok: true, value: decode(new ByteReader(bytes), file, options, warnings), warnings };
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return {
      ok: false,
      error: { code: error.code, severity: "error", file, byteOffset: error.byteOffset, message: error.message },
      warnings,
    };
  }
}

function decode(r: ByteReader, file: string, options: DecodeOptions, warnings: Diagnostic[]): DecodedConfig {
  r.need(0, 8, "signature block");
  const sig6 = r.latin1(0, 6, "signature");
  const old = sig6 === SIGNATURE_CELL_OLD || sig6 === SIGNATURE_SYSTEM_OLD;
  const sig5 = sig6.slice(0, 5);
  if (!old && sig5 !== SIGNATURE_CELL && sig5 !== SIGNATURE_SYSTEM) {
    throw new DecodeError(
      "WRD101",
      0,
      `not a Jailhouse configuration: signature ${JSON.stringify(sig6)} (expected "JHCLL"/"JHSYS", or "JHCELL"/"JHSYST" for revisions 12-13)`,
    );
  }
  const revision = r.u16(6, "revision");
  const supported = old ? [12, 13] : [14];
  if (!supported.includes(revision)) {
    throw new DecodeError(
      "WRD102",
      6,
      `configuration revision ${revision} with signature "${old ? sig6 : sig5}" is not supported (supported: ${SUPPORTED_REVISIONS.join(", ")}; "${old ? sig6 : sig5}" means revision ${supported.join(" or ")})`,
    );
  }
  const isSystem = old ? sig6 === SIGNATURE_SYSTEM_OLD : sig5 === SIGNATURE_SYSTEM;
  const arch = old ? guessArch(r, isSystem, revision, file, options, warnings) : archAt(r);
  const offsetsOf = (root: { offsets: ConfigOrigin["offsets"] }) => root.offsets;
  if (isSystem) {
    const s = readSystem(r, arch, revision, file, warnings);
    const headerSize = revision === 12 ? SYSTEM_HEADER_SIZE_REV12 : SYSTEM_HEADER_SIZE;
    trailing(r, headerSize + s.root.size, file, warnings);
    const offsets = offsetsOf(s.root);
    return {
      kind: "system",
      config: s.config,
      origin: { file, format: "cell", revision, ...(offsets ? { offsets } : {}) },
    };
  }
  const c = readCell(r, 0, arch, file, warnings);
  const devices = readVirtioTrailer(r.bytes, c.size);
  trailing(r, c.size + (devices ? virtioTrailerSize(devices.length) : 0), file, warnings);
  const config = devices ? { ...c.config, warden_virtio: devices } : c.config;
  return { kind: "cell", config, origin: { file, format: "cell", revision, offsets: c.offsets } };
}

function archAt(r: ByteReader): Arch {
  const code = r.u8(5, "architecture");
  const arch = archByCode[code];
  if (arch === undefined) {
    throw new DecodeError("WRD103", 5, `architecture byte ${code} is not supported (0 x86, 1 arm, 2 arm64)`);
  }
  return arch;
}

/**
 * Revisions 12/13 carry no architecture byte. Without `options.arch`, a system file whose ARM
 * platform block names GIC version 2 or 3 with a distributor address is taken as arm64, any
 * other as x86; a cell file as x86. A warning says what was assumed.
 */
function guessArch(
  r: ByteReader,
  isSystem: boolean,
  revision: number,
  file: string,
  options: DecodeOptions,
  warnings: Diagnostic[],
): Arch {
  if (options.arch) return options.arch;
  let arch: Arch = "x86";
  if (isSystem) {
    const [gicVersionAt, gicdAt] = revision === 12 ? [89, 90] : [313, 316];
    r.need(0, gicdAt + 8, "platform information");
    const gic = r.u8(gicVersionAt, "gic_version");
    if ((gic === 2 || gic === 3) && r.u64(gicdAt, "gicd_base") !== 0n) arch = "arm64";
  }
  warnings.push({
    code: "WRD108",
    severity: "warning",
    file,
    byteOffset: 0,
    message: `revision ${revision} files carry no architecture byte; assumed ${arch} (override with --arch)`,
  });
  return arch;
}

function trailing(r: ByteReader, used: number, file: string, warnings: Diagnostic[]): void {
  if (r.length > used) {
    warnings.push({
      code: "WRD106",
      severity: "warning",
      file,
      byteOffset: used,
      message: `${r.length - used} trailing bytes past the ${used} bytes the header describes (ignored)`,
    });
  }
}
