/** Sparse physical memory: frames are created on first write; unwritten bytes read as zero. */
import type { HypervisorState } from "./state.js";

const FRAME = 4096n;

export function readPhys(s: HypervisorState, addr: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let done = 0; done < length; ) {
    const at = addr + BigInt(done);
    const frame = s.memory.get(Number(at / FRAME));
    const offset = Number(at % FRAME);
    const n = Math.min(length - done, 4096 - offset);
    if (frame) out.set(frame.subarray(offset, offset + n), done);
    done += n;
  }
  return out;
}

export function writePhys(s: HypervisorState, addr: bigint, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) {
    const at = addr + BigInt(done);
    const key = Number(at / FRAME);
    let frame = s.memory.get(key);
    if (!frame) {
      frame = new Uint8Array(4096);
      s.memory.set(key, frame);
    }
    const offset = Number(at % FRAME);
    const n = Math.min(bytes.length - done, 4096 - offset);
    frame.set(bytes.subarray(done, done + n), offset);
    done += n;
  }
}

/** Little-endian integer of 1, 2, 4 or 8 bytes. */
export function readPhysInt(s: HypervisorState, addr: bigint, width: number): bigint {
  const b = readPhys(s, addr, width);
  let v = 0n;
  for (let i = width - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number);
  return v;
}

export function writePhysInt(s: HypervisorState, addr: bigint, width: number, value: bigint): void {
  const b = new Uint8Array(width);
  for (let i = 0; i < width; i++) b[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  writePhys(s, addr, b);
}
