import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cCallGraph } from "../../../../proofs/audit/surface/cCallGraph.js";
import { walk } from "../../../../proofs/audit/surface/cellSurface.js";
import { initCParser } from "../../../../proofs/csource/cParser.js";

/** A miniature Jailhouse: a unit, an MMIO registration, an ops table, a hypercall switch, a pointer call. */
const source = `
struct unit { int (*cell_init)(struct cell *); };
static int foo_access(void *arg, struct mmio_access *mmio) { return helper(); }
static int helper(void) { /* comment */
	return 1;
}
static int foo_cell_init(struct cell *cell)
{
	mmio_region_register(cell, 0x1000, 0x1000, foo_access, 0);
	return 0;
}
DEFINE_UNIT(foo, "Foo");
static void real_read(void) { }
static const struct ops { void (*read)(void); } ops = { .read = real_read, };
void use_ops(const struct ops *o) { o->read(); o->unknown_hook(); }
int mmio_handle_access(struct mmio_region_handler handler) { return handler.function(0, 0); }
int cell_create(void) { struct unit *unit = 0; unit->cell_init(0); return 0; }
long hypercall(unsigned long code)
{
	void (*fn)(void) = real_read;
	fn();
	switch (code) {
	case JAILHOUSE_HC_CELL_CREATE:
		return cell_create();
	default:
		return -ENOSYS;
	}
}
`;

describe("the C call graph", () => {
  let tree: string;
  beforeAll(async () => {
    await initCParser();
    tree = mkdtempSync(join(tmpdir(), "warden-ccallgraph-"));
    mkdirSync(join(tree, "hypervisor"));
    writeFileSync(join(tree, "hypervisor", "control.c"), source);
  });
  const graph = () => cCallGraph(tree, ["hypervisor/control.c"]);
  const reach = (g: ReturnType<typeof graph>, name: string) => {
    const f = g.find(name) ?? expect.unreachable();
    return [...walk(g, g.idOf(f), new Set())].map((i) => g.functions[i]?.name).sort();
  };

  it("resolves unit hooks through DEFINE_UNIT and struct-field calls through their tables", () => {
    const g = graph();
    expect(g.units).toEqual(["foo"]);
    expect(reach(g, "cell_create")).toEqual(["cell_create", "foo_cell_init"]);
    expect(reach(g, "use_ops")).toEqual(["real_read", "use_ops"]);
  });

  it("keeps MMIO handlers as registrations, not calls, and reads the hypercall switch", () => {
    const g = graph();
    expect(g.mmio).toEqual([
      { handler: "foo_access", registrar: "foo_cell_init", file: "hypervisor/control.c", line: 9 },
    ]);
    expect(reach(g, "foo_cell_init")).toEqual(["foo_cell_init"]);
    expect(reach(g, "foo_access")).toEqual(["foo_access", "helper"]);
    expect(g.hypercalls).toEqual([{ code: "CELL_CREATE", handler: "cell_create" }]);
    expect(g.find("helper")?.lines).toEqual([4, 5, 6]);
  });

  it("counts the calls through pointers it cannot resolve", () => {
    const { total, resolved, unresolved } = graph().indirect;
    expect(unresolved.map((u) => u.replace(/^.*: /, ""))).toEqual(["o->unknown_hook(…)", "fn(…)"]);
    expect(resolved).toBe(3);
    expect(total).toBe(5);
  });
});
