import { describe, expect, it } from "vitest";
import {
  cellStateCodes,
  errno,
  hypercallCodes,
  messages,
  readComm,
  rootDriver,
  walkTables,
  writeComm,
  writeOwnState,
} from "../../../hypervisor/index.js";
import { boot, bootAll, cellOf, drive, rawCreate } from "../../builders/machine.js";

const E = (name: keyof typeof errno) => -errno[name];
const H = hypercallCodes;

describe("the management prologue (start, set-loadable, destroy)", () => {
  for (const code of [H.CELL_START, H.CELL_SET_LOADABLE, H.CELL_DESTROY]) {
    it(`hypercall ${code}: -EPERM from a non-root CPU, -ENOENT for an unknown id, -EINVAL for the root cell`, () => {
      const { hv } = bootAll();
      expect(drive(hv, hv.hypercall(2, code, 1n)).result).toBe(E("EPERM"));
      expect(drive(hv, hv.hypercall(0, code, 9n)).result).toBe(E("ENOENT"));
      expect(drive(hv, hv.hypercall(0, code, 0n)).result).toBe(E("EINVAL"));
      expect(hv.s.cpus.get(1)?.suspended).toBe(false);
    });
  }

  for (const command of ["start", "set_loadable", "destroy"] as const) {
    it(`the driver's cell ${command} of the root cell by name reaches the hypervisor, which answers -EINVAL`, () => {
      const { hv } = bootAll();
      const root = hv.s.cells[0]?.name ?? "";
      const cells = hv.s.cells.length;
      expect(drive(hv, rootDriver.cellCommand(hv, command, root)).result).toBe(E("EINVAL"));
      expect(drive(hv, rootDriver.cellCommand(hv, command, "no-such-cell")).result).toBe(E("ENOENT"));
      expect(hv.s.cells.length).toBe(cells);
      expect([...(hv.s.cells[0]?.cpus ?? [])].every((c) => hv.s.cpus.get(c)?.mode === "running")).toBe(true);
    });
  }

  it("asks the target and returns -EPERM on denial, leaving it running", () => {
    const { hv } = bootAll();
    const call = drive(hv, hv.hypercall(0, H.CELL_SET_LOADABLE, 1n), {
      "rt-bare-metal": { request: "deny", info: "received" },
    });
    expect(call.result).toBe(E("EPERM"));
    expect(readComm(hv, hv.s.cells[1] as never, "cellState")).toBe(cellStateCodes.RUNNING);
    expect(hv.s.cpus.get(2)).toMatchObject({ mode: "running", suspended: false });
  });

  it("treats any reply but APPROVED (UNKNOWN included) as a veto", () => {
    const { hv } = bootAll();
    const call = drive(hv, hv.hypercall(0, H.CELL_START, 1n), {
      "rt-bare-metal": { request: "unknown", info: "unknown" },
    });
    expect(call.result).toBe(E("EPERM"));
  });

  it("destroy checks the other cells' lock before asking the target, which then sees no message", () => {
    const { hv } = bootAll();
    writeOwnState(hv, hv.s.cells[1] as never, "RUNNING_LOCKED");
    expect(drive(hv, hv.hypercall(0, H.CELL_DESTROY, 2n)).result).toBe(E("EPERM"));
    // The locked cell itself can still be destroyed: the lock protects others' reconfiguration only.
    expect(drive(hv, hv.hypercall(0, H.CELL_DESTROY, 1n)).result).toBe(0);
  });

  it("set-loadable maps LOADABLE regions back into root and start takes them away again", () => {
    const { hv } = bootAll();
    const readable = () => rootMaps(hv, 0x3f000000n);
    expect(readable()).toBe(false);
    expect(drive(hv, rootDriver.cellCommand(hv, "set_loadable", "rt-bare-metal")).result).toBe(0);
    expect(readable()).toBe(true);
    expect(hv.s.cells[1]?.loadable).toBe(true);
    expect(drive(hv, rootDriver.cellCommand(hv, "start", "rt-bare-metal")).result).toBe(0);
    expect(readable()).toBe(false);
  });

  it("start zeroes the comm page and writes signature, ABI revision 2, and the console flags", () => {
    const { hv } = bootAll();
    const cell = hv.s.cells[1];
    if (!cell) throw new Error("no cell");
    const frame = BigInt(cell.dataFrames[0] as number) * 4096n;
    const bytes = hv.s.memory.get(Number(frame / 4096n));
    expect(new TextDecoder().decode(bytes?.subarray(0, 6))).toBe("JHCOMM");
    expect(bytes?.[6]).toBe(2);
    expect(bytes?.[20]).toBe(1);
  });

  it("destroy gives CPUs back to root and the cell count drops", () => {
    const { hv } = bootAll();
    expect(drive(hv, hv.hypercall(0, H.CELL_DESTROY, 1n)).result).toBe(0);
    expect(drive(hv, hv.hypercall(0, H.HYPERVISOR_GET_INFO, 4n)).result).toBe(2);
    expect(hv.s.cpus.get(2)).toMatchObject({ cell: 0, mode: "parked", failed: false });
  });
});

/** Whether root's page tables map the frame holding `addr`. */
function rootMaps(hv: ReturnType<typeof boot>["hv"], addr: bigint): boolean {
  const frame = Number(addr / 4096n);
  const root = hv.s.cells[0]?.pageTable ?? -1;
  return walkTables(hv.s, hv.arch.paging, root).leaves.some((l) => l.gfn <= frame && frame < l.gfn + l.count);
}

describe("CELL_GET_STATE, CPU_GET_INFO, HYPERVISOR_GET_INFO, DEBUG_CONSOLE_PUTC, unknown codes", () => {
  it("CELL_GET_STATE: -EPERM off root, -ENOENT unknown, -EINVAL for a value the cell wrote outside 0..4", () => {
    const { hv } = bootAll();
    expect(drive(hv, hv.hypercall(2, H.CELL_GET_STATE, 1n)).result).toBe(E("EPERM"));
    expect(drive(hv, hv.hypercall(0, H.CELL_GET_STATE, 5n)).result).toBe(E("ENOENT"));
    expect(drive(hv, hv.hypercall(0, H.CELL_GET_STATE, 0n)).result).toBe(0);
    writeComm(hv, hv.s.cells[1] as never, "cellState", 7);
    expect(drive(hv, hv.hypercall(0, H.CELL_GET_STATE, 1n)).result).toBe(E("EINVAL"));
  });

  it("CPU_GET_INFO: -EINVAL for an unconfigured CPU or type, -EPERM for another cell's CPU from a non-root cell", () => {
    const { hv } = bootAll();
    expect(drive(hv, hv.hypercall(0, H.CPU_GET_INFO, 9n, 0n)).result).toBe(E("EINVAL"));
    expect(drive(hv, hv.hypercall(2, H.CPU_GET_INFO, 3n, 0n)).result).toBe(E("EPERM"));
    expect(drive(hv, hv.hypercall(2, H.CPU_GET_INFO, 2n, 0n)).result).toBe(0);
    expect(drive(hv, hv.hypercall(0, H.CPU_GET_INFO, 0n, 1003n)).result).toBeGreaterThan(0);
    expect(drive(hv, hv.hypercall(0, H.CPU_GET_INFO, 0n, 1012n)).result).toBe(E("EINVAL"));
    expect(drive(hv, hv.hypercall(0, H.CPU_GET_INFO, 0n, 1n)).result).toBe(E("EINVAL"));
  });

  it("HYPERVISOR_GET_INFO answers any cell for types 0..4 and -EINVAL beyond", () => {
    const { hv } = bootAll();
    expect(drive(hv, hv.hypercall(3, H.HYPERVISOR_GET_INFO, 4n)).result).toBe(3);
    expect(drive(hv, hv.hypercall(3, H.HYPERVISOR_GET_INFO, 5n)).result).toBe(E("EINVAL"));
  });

  it("DEBUG_CONSOLE_PUTC needs VIRTUAL_CONSOLE_PERMITTED; unknown codes give -ENOSYS", () => {
    const { hv } = bootAll();
    expect(drive(hv, hv.hypercall(0, H.DEBUG_CONSOLE_PUTC, 65n)).result).toBe(E("EPERM"));
    expect(drive(hv, hv.hypercall(2, H.DEBUG_CONSOLE_PUTC, 65n)).result).toBe(0);
    expect(hv.s.console).toBe("A");
    expect(drive(hv, hv.hypercall(0, 9)).result).toBe(E("ENOSYS"));
  });
});

describe("DISABLE", () => {
  it("returns -EPERM off root and -EBUSY while non-root cells exist", () => {
    const { hv } = bootAll();
    expect(drive(hv, hv.hypercall(2, H.DISABLE)).result).toBe(E("EPERM"));
    expect(drive(hv, hv.hypercall(0, H.DISABLE)).result).toBe(E("EBUSY"));
  });

  it("lets a CPU that got -EBUSY decide afresh on its next call, once the cells are gone", () => {
    const { hv } = bootAll();
    expect(drive(hv, hv.hypercall(0, H.DISABLE)).result).toBe(E("EBUSY"));
    for (const id of [1n, 2n]) expect(drive(hv, hv.hypercall(0, H.CELL_DESTROY, id)).result).toBe(0);
    expect(hv.hypercall(0, H.DISABLE).status).toBe("waiting");
  });

  it("waits at a barrier until every CPU has issued it, then the hypervisor is gone", () => {
    const { hv, set } = boot();
    void set;
    const first = hv.hypercall(0, H.DISABLE);
    expect(first.status).toBe("waiting");
    first.poll(true);
    expect(first.status).toBe("blocked");
    expect(first.blockedReason).toContain("CPU 1, 2, 3");
    for (const cpu of [1, 2, 3]) hv.hypercall(cpu, H.DISABLE);
    expect(first.poll().result).toBe(0);
    expect(hv.s.disabled).toBe(true);
  });
});

describe("the message exchange", () => {
  it("blocks with a reason when an active cell stays silent and its timeout is 0", () => {
    const { hv, set } = boot();
    expect(rawCreate(hv, cellOf(set, 0, { msg_reply_timeout: 0n })).result).toBe(0);
    drive(hv, hv.hypercall(0, H.CELL_START, 1n));
    const call = drive(hv, hv.hypercall(0, H.CELL_SET_LOADABLE, 1n), {
      "rt-bare-metal": { request: "silent", info: "silent" },
    });
    expect(call.status).toBe("blocked");
    expect(call.blockedReason).toContain('cell "rt-bare-metal" does not answer SHUTDOWN_REQUEST');
    // While the call spins, every other root CPU stays suspended.
    expect(hv.s.cpus.get(1)?.suspended).toBe(true);
  });

  it("fails a silent cell after its timeout and proceeds, as if it approved", () => {
    const { hv } = bootAll();
    const call = drive(hv, hv.hypercall(0, H.CELL_SET_LOADABLE, 1n), {
      "rt-bare-metal": { request: "silent", info: "silent" },
    });
    expect(call.result).toBe(0);
    expect(readComm(hv, hv.s.cells[1] as never, "cellState")).toBe(cellStateCodes.SHUT_DOWN);
  });

  it("counts the timeout in polls", () => {
    const { hv, set } = boot();
    expect(rawCreate(hv, cellOf(set, 0, { msg_reply_timeout: 3n })).result).toBe(0);
    drive(hv, hv.hypercall(0, H.CELL_START, 1n));
    const call = hv.hypercall(0, H.CELL_SET_LOADABLE, 1n);
    const seen: (bigint | null)[] = [];
    while (call.status === "waiting") {
      seen.push(call.wait?.kind === "exchange" ? call.wait.pollsLeft : null);
      call.poll();
    }
    expect(seen).toEqual([2n, 1n]);
    expect(call.result).toBe(0);
  });

  it("auto-approves a cell that declared SHUT_DOWN or FAILED, but not FAILED_COMM_REV", () => {
    for (const [state, outcome] of [
      ["SHUT_DOWN", "done"],
      ["FAILED", "done"],
      ["FAILED_COMM_REV", "blocked"],
    ] as const) {
      const { hv, set } = boot();
      rawCreate(hv, cellOf(set, 0, { msg_reply_timeout: 0n }));
      drive(hv, hv.hypercall(0, H.CELL_START, 1n));
      writeOwnState(hv, hv.s.cells[1] as never, state);
      const call = drive(hv, hv.hypercall(0, H.CELL_DESTROY, 1n), {
        "rt-bare-metal": { request: "silent", info: "silent" },
      });
      expect(call.status, state).toBe(outcome);
    }
  });

  it("never writes to a passive cell's comm region", () => {
    const { hv } = bootAll();
    const linux = hv.s.cells[2];
    if (!linux) throw new Error("no linux cell");
    expect(
      drive(hv, hv.hypercall(0, H.CELL_SET_LOADABLE, 2n), { linux: { request: "deny", info: "silent" } }).result,
    ).toBe(0);
    expect(readComm(hv, linux, "msgToCell")).toBe(messages.NONE);
  });

  it("blocks create of another cell after its commit when a silent active cell ignores RECONFIG_COMPLETED", () => {
    const { hv, set } = boot();
    rawCreate(hv, cellOf(set, 0, { msg_reply_timeout: 0n }));
    drive(hv, hv.hypercall(0, H.CELL_START, 1n));
    const call = drive(hv, rootDriver.cellCreate(hv, set.cells[1]?.config as never), {
      "rt-bare-metal": { request: "silent", info: "silent" },
    });
    expect(call.status).toBe("blocked");
    expect(hv.s.cells.map((c) => c.name)).toContain("linux");
  });
});
