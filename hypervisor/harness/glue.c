/*
 * The harness's side of upstream's core: the memory image the core believes it runs in, the
 * start-up that upstream's setup.c does on real hardware, and read-only views of the core's state
 * for the host (harness.h). Compiled with upstream's headers, without libc.
 */
#include <jailhouse/control.h>
#include <jailhouse/mmio.h>
#include <jailhouse/paging.h>
#include <jailhouse/pci.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/processor.h>
#include <jailhouse/string.h>
#include <jailhouse/unit.h>
#include <jailhouse/hypercall.h>
#include "harness.h"

/*
 * The hypervisor's memory: the header page, then the page pool with the per-CPU data at its
 * start (upstream's layout without the code). The host maps a shared-memory file over it so that
 * each CPU's slot can also appear at LOCAL_CPU_BASE. 256 MiB of address space; only touched
 * pages cost memory.
 */
#define IMAGE_SIZE (256UL << 20)
static u8 hv_image[IMAGE_SIZE] __attribute__((aligned(PAGE_SIZE), used));
__asm__(".globl hypervisor_header\n.set hypervisor_header, hv_image\n"
	".globl __page_pool\n.set __page_pool, hv_image + 4096\n");

/* Virtual space of the remap pool (upstream: REMAP_BASE, a kernel address). */
static u8 remap_area[PAGE_SIZE * 8 * NUM_REMAP_BITMAP_PAGES * PAGE_SIZE]
	__attribute__((aligned(PAGE_SIZE)));

extern int harness_cpu_mode[HX_MAX_CPUS];
const struct paging *harness_hv_paging(void);
void harness_cell_runs(struct cell *cell, hx_run_fn fn, void *ctx);

unsigned long hx_image_base(void) { return (unsigned long)hv_image; }
unsigned long hx_image_size(void) { return IMAGE_SIZE; }
unsigned long hx_per_cpu_size(void) { return sizeof(struct per_cpu); }
unsigned long hx_per_cpu_offset(unsigned int cpu) { return PAGE_SIZE + cpu * sizeof(struct per_cpu); }
unsigned long hx_local_cpu_base(void) { return LOCAL_CPU_BASE; }
unsigned int hx_max_cpus(void) { return hypervisor_header.max_cpus; }
unsigned long hx_cell_desc_size(void) { return sizeof(struct jailhouse_cell_desc); }

static int fail(const char **why, const char *what)
{
	*why = what;
	return -1;
}

/* What setup.c's init_early, cpu_init and init_late do, minus the hardware. */
int hx_init(const void *config, unsigned long size, const char **why)
{
	struct jailhouse_system *sys = (struct jailhouse_system *)config;
	const struct jailhouse_memory *mem;
	unsigned long per_cpu_pages;
	unsigned int cpu, n, max = 0, online = 0;
	struct unit *unit;
	int err;

	if (size < sizeof(*sys))
		return fail(why, "not a Jailhouse system configuration");
	for (n = 0; n < sizeof(sys->signature); n++)
		if (sys->signature[n] != JAILHOUSE_SYSTEM_SIGNATURE[n])
			return fail(why, "not a Jailhouse system configuration");
	if (sys->revision != JAILHOUSE_CONFIG_REVISION)
		return fail(why, "system configuration revision differs from the tree's");
	if (jailhouse_system_config_size(sys) > size)
		return fail(why, "system configuration is truncated");
	for (n = 0; n < sys->root_cell.cpu_set_size * 8 && n < HX_MAX_CPUS; n++)
		if (test_bit(n, jailhouse_cell_cpu_set(&sys->root_cell))) {
			max = n + 1;
			online++;
		}
	if (sys->hypervisor_memory.size > IMAGE_SIZE)
		return fail(why, "hypervisor memory larger than the harness image (256 MiB)");

	hypervisor_header.max_cpus = max;
	hypervisor_header.online_cpus = online;
	per_cpu_pages = max * sizeof(struct per_cpu) / PAGE_SIZE;
	system_config = (struct jailhouse_system *)(__page_pool + per_cpu_pages * PAGE_SIZE);
	memcpy(system_config, sys, jailhouse_system_config_size(sys));

	arch_dbg_write = host_console;
	remap_pool.base_address = remap_area;
	if (paging_init())
		return fail(why, "paging_init failed (hypervisor memory too small?)");

	for (cpu = 0; cpu < max; cpu++) {
		struct per_cpu *data = per_cpu(cpu);

		data->public.cpu_id = cpu;
		data->public.cell = &root_cell;
		data->pg_structs.hv_paging = true;
		data->pg_structs.root_paging = harness_hv_paging();
		data->pg_structs.root_table = (page_table_t)data->public.root_table_page;
		harness_cpu_mode[cpu] = cpu_id_valid(cpu) ? HX_CPU_RUNNING : HX_CPU_OFF;
	}

	root_cell.config = &system_config->root_cell;
	if (cell_init(&root_cell))
		return fail(why, "cell_init of the root cell failed");
	if (arch_cell_create(&root_cell))
		return fail(why, "arch_cell_create of the root cell failed");
	for_each_unit(unit) {
		err = unit->init();
		if (err)
			return fail(why, "a unit's init failed");
	}
	for_each_mem_region(mem, root_cell.config, n) {
		if (JAILHOUSE_MEMORY_IS_SUBPAGE(mem))
			err = mmio_subpage_register(&root_cell, mem);
		else
			err = arch_map_memory_region(&root_cell, mem);
		if (err)
			return fail(why, "mapping a root memory region failed");
	}
	config_commit(&root_cell);
	return 0;
}

long hx_hypercall(unsigned long code, unsigned long arg1, unsigned long arg2)
{
	return hypercall(code, arg1, arg2);
}

void hx_panic_park(void)
{
	panic_park();
}

static struct cell *cell_at(int index)
{
	struct cell *cell = &root_cell;

	while (cell && index-- > 0)
		cell = cell->next;
	return cell;
}

static int index_of(const struct cell *target)
{
	struct cell *cell;
	int n = 0;

	for_each_cell(cell) {
		if (cell == target)
			return n;
		n++;
	}
	return -1;
}

int hx_cell_count(void)
{
	struct cell *cell;
	int n = 0;

	for_each_cell(cell)
		n++;
	return n;
}

int hx_cell_info(int index, struct hx_cell *out)
{
	struct cell *cell = cell_at(index);
	const struct jailhouse_memory *mem;
	unsigned int n;

	if (!cell)
		return -1;
	memset(out, 0, sizeof(*out));
	memcpy(out->name, cell->config->name, HX_NAME_LEN - 1);
	out->id = cell->config->id;
	out->loadable = cell->loadable;
	out->cell_state = cell->comm_page.comm_region.cell_state;
	out->msg_to_cell = cell->comm_page.comm_region.msg_to_cell;
	out->reply_from_cell = cell->comm_page.comm_region.reply_from_cell;
	out->msg_reply_timeout = cell->config->msg_reply_timeout;
	out->passive_commreg = !!(cell->config->flags & JAILHOUSE_CELL_PASSIVE_COMMREG);
	for_each_mem_region(mem, cell->config, n)
		if (mem->flags & JAILHOUSE_MEM_COMM_REGION) {
			out->has_comm_region = 1;
			out->comm_virt = mem->virt_start;
		}
	for (n = 0; n <= cell->cpu_set->max_cpu_id && n < HX_MAX_CPUS; n++)
		if (test_bit(n, cell->cpu_set->bitmap))
			out->cpus |= 1ULL << n;
	return 0;
}

int hx_cpu_info(unsigned int cpu, struct hx_cpu *out)
{
	memset(out, 0, sizeof(*out));
	if (cpu >= hypervisor_header.max_cpus || !cpu_id_valid(cpu)) {
		out->cell = -1;
		return -1;
	}
	out->exists = 1;
	out->cell = index_of(public_per_cpu(cpu)->cell);
	out->failed = public_per_cpu(cpu)->failed;
	out->suspended = public_per_cpu(cpu)->suspend_cpu;
	out->mode = harness_cpu_mode[cpu];
	return 0;
}

void hx_set_cpu_mode(unsigned int cpu, int mode)
{
	if (cpu < HX_MAX_CPUS)
		harness_cpu_mode[cpu] = mode;
}

void hx_write_comm(int index, int field, unsigned int value)
{
	struct cell *cell = cell_at(index);
	struct jailhouse_comm_region *comm;

	if (!cell)
		return;
	comm = &cell->comm_page.comm_region;
	if (field == 0)
		comm->cell_state = value;
	else if (field == 1)
		comm->msg_to_cell = value;
	else
		comm->reply_from_cell = value;
}

/* A CPU whose suspension was lifted leaves its wait loop (upstream: check_events). */
void hx_settle_cpus(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < hypervisor_header.max_cpus; cpu++)
		if (!public_per_cpu(cpu)->suspend_cpu)
			public_per_cpu(cpu)->cpu_suspended = false;
}

void hx_cell_runs(int index, hx_run_fn fn, void *ctx)
{
	struct cell *cell = cell_at(index);

	if (cell)
		harness_cell_runs(cell, fn, ctx);
}

/* As Warden's root driver: the end of the last root RAM region still fully mapped writable. */
unsigned long hx_staging_address(unsigned long size)
{
	const struct paging_structures *pg = &root_cell.arch.vmx.ept_structs;
	const unsigned long ram = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE | JAILHOUSE_MEM_EXECUTE;
	const struct jailhouse_memory *mem;
	unsigned long at, off;
	int n;

	size = (size + PAGE_SIZE - 1) & PAGE_MASK;
	for (n = (int)root_cell.config->num_memory_regions - 1; n >= 0; n--) {
		mem = &jailhouse_cell_mem_regions(root_cell.config)[n];
		if ((mem->flags & ram) != ram || mem->size < size)
			continue;
		at = mem->phys_start + ((mem->size - size) & PAGE_MASK);
		for (off = 0; off < size; off += PAGE_SIZE)
			if (paging_virt2phys(pg, at + off, 0x3) == INVALID_PHYS_ADDR)
				break;
		if (off == size)
			return at;
	}
	return 0;
}
