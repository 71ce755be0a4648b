/** Reading a cell's guest-physical memory through its page tables, as `paging_get_guest_pages` does. */
import type { Core } from "./context.js";
import { pte, translate } from "./pageTable.js";
import { readPhys, writePhys } from "./physicalMemory.js";
import type { CellState } from "./state.js";

/** The bytes at [addr, addr + length) of `cell`'s memory, or undefined if any page is not mapped readable. */
export function readGuest(core: Core, cell: CellState, addr: bigint, length: number): Uint8Array | undefined {
  const out = new Uint8Array(length);
  for (let done = 0; done < length; ) {
    const at = addr + BigInt(done);
    const t = translate(core.s, core.arch.paging, cell.pageTable, Number(at / 4096n));
    if (!t || (t.flags & pte.READ) === 0) return undefined;
    const offset = Number(at % 4096n);
    const n = Math.min(length - done, 4096 - offset);
    out.set(readPhys(core.s, BigInt(t.frame) * 4096n + BigInt(offset), n), done);
    done += n;
  }
  return out;
}

/** Whether every page of [addr, addr + length) is mapped writable in `cell`. */
export function guestWritable(core: Core, cell: CellState, addr: bigint, length: number): boolean {
  for (let page = addr / 4096n; page * 4096n < addr + BigInt(length); page++) {
    const t = translate(core.s, core.arch.paging, cell.pageTable, Number(page));
    if (!t || (t.flags & pte.WRITE) === 0) return false;
  }
  return true;
}

/** Writes `bytes` at guest-physical `addr` of `cell`; false (and nothing written) unless every page is mapped writable. */
export function writeGuest(core: Core, cell: CellState, addr: bigint, bytes: Uint8Array): boolean {
  const pages: bigint[] = [];
  for (let done = 0; done < bytes.length; ) {
    const at = addr + BigInt(done);
    const t = translate(core.s, core.arch.paging, cell.pageTable, Number(at / 4096n));
    if (!t || (t.flags & pte.WRITE) === 0) return false;
    pages.push(BigInt(t.frame) * 4096n + (at % 4096n));
    done += Math.min(bytes.length - done, 4096 - Number(at % 4096n));
  }
  let done = 0;
  for (const phys of pages) {
    const n = Math.min(bytes.length - done, 4096 - Number(phys % 4096n));
    writePhys(core.s, phys, bytes.subarray(done, done + n));
    done += n;
  }
  return true;
}
