/*
 * The architecture hooks upstream's core calls (the seams Warden's TypeScript core calls ArchOps),
 * written for a simulated x86 machine in user space. Compiled with upstream's headers.
 *
 * Second-stage tables: a 4-level, EPT-like format of our own (R/W/X in bits 0-2, bit 7 marks a
 * 1 GiB or 2 MiB page), driven by upstream's generic paging.c through `struct paging`. The
 * hypervisor's own tables use the same format; their last level notices mappings in the
 * temporary window and asks the host to alias that simulated physical page there, so a
 * configuration staged in root memory is really read through upstream's paging_get_guest_pages.
 */
#include <jailhouse/control.h>
#include <jailhouse/ivshmem.h>
#include <jailhouse/paging.h>
#include <jailhouse/pci.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/processor.h>
#include <jailhouse/string.h>
#include <jailhouse/unit.h>
#include <asm/control.h>
#include "harness.h"

#define EPT_R 0x1UL
#define EPT_W 0x2UL
#define EPT_X 0x4UL
#define EPT_HUGE 0x80UL
#define ADDR_MASK 0x000ffffffffff000UL

unsigned long cache_line_size = 64;

/* Simulated CPU state the arch code owns upstream (VMX/SIPI state), observable by the host. */
int harness_cpu_mode[HX_MAX_CPUS];

unsigned long phys_processor_id(void)
{
	return this_cpu_id();
}

/* ---- page-table format ---- */

static pt_entry_t entry_at(page_table_t table, unsigned long virt, unsigned int shift)
{
	return &table[(virt >> shift) & 0x1ff];
}
static pt_entry_t get_entry_l4(page_table_t t, unsigned long v) { return entry_at(t, v, 39); }
static pt_entry_t get_entry_l3(page_table_t t, unsigned long v) { return entry_at(t, v, 30); }
static pt_entry_t get_entry_l2(page_table_t t, unsigned long v) { return entry_at(t, v, 21); }

static unsigned long last_hv_virt; /* the address the hypervisor's last level was last asked about */
static pt_entry_t get_entry_l1(page_table_t t, unsigned long v) { return entry_at(t, v, 12); }
static pt_entry_t get_entry_hv_l1(page_table_t t, unsigned long v)
{
	last_hv_virt = v;
	return entry_at(t, v, 12);
}

static bool entry_valid(pt_entry_t pte, unsigned long flags)
{
	/* Upstream asks with PAGE_PRESENT_FLAGS (x86's present bit), which is our read bit. */
	return (*pte & flags) == flags;
}

static void set_terminal_huge(pt_entry_t pte, unsigned long phys, unsigned long flags)
{
	*pte = (phys & ADDR_MASK) | (flags & 0x7f) | EPT_HUGE;
}
static void set_terminal_l1(pt_entry_t pte, unsigned long phys, unsigned long flags)
{
	*pte = (phys & ADDR_MASK) | (flags & 0x7f);
}
static void set_terminal_hv_l1(pt_entry_t pte, unsigned long phys, unsigned long flags)
{
	set_terminal_l1(pte, phys, flags);
	if (last_hv_virt >= TEMPORARY_MAPPING_BASE &&
	    last_hv_virt < TEMPORARY_MAPPING_BASE + NUM_TEMPORARY_PAGES * PAGE_SIZE)
		host_map_temporary(last_hv_virt, phys);
}

static unsigned long phys_l4(pt_entry_t pte, unsigned long virt) { return INVALID_PHYS_ADDR; }
static unsigned long phys_huge(pt_entry_t pte, unsigned long virt, unsigned long size)
{
	if (!(*pte & EPT_HUGE))
		return INVALID_PHYS_ADDR;
	return (*pte & ADDR_MASK & ~(size - 1)) | (virt & (size - 1));
}
static unsigned long phys_l3(pt_entry_t pte, unsigned long virt) { return phys_huge(pte, virt, 1UL << 30); }
static unsigned long phys_l2(pt_entry_t pte, unsigned long virt) { return phys_huge(pte, virt, 1UL << 21); }
static unsigned long phys_l1(pt_entry_t pte, unsigned long virt)
{
	return (*pte & ADDR_MASK) | (virt & (PAGE_SIZE - 1));
}
static unsigned long get_flags(pt_entry_t pte) { return *pte & 0x7f; }
static void set_next_pt(pt_entry_t pte, unsigned long next_pt)
{
	*pte = (next_pt & ADDR_MASK) | EPT_R | EPT_W | EPT_X;
}
static unsigned long get_next_pt(pt_entry_t pte) { return *pte & ADDR_MASK; }
static void clear_entry(pt_entry_t pte) { *pte = 0; }
static bool table_empty(page_table_t table)
{
	unsigned int n;

	for (n = 0; n < 512; n++)
		if (table[n])
			return false;
	return true;
}

#define LEVEL(get, phys, size, terminal)                                                   \
	{ .page_size = (size), .get_entry = (get), .entry_valid = entry_valid,             \
	  .set_terminal = (terminal), .get_phys = (phys), .get_flags = get_flags,          \
	  .set_next_pt = set_next_pt, .get_next_pt = get_next_pt, .clear_entry = clear_entry, \
	  .page_table_empty = table_empty }

/* Cells' second stage: 1 GiB and 2 MiB pages as x86's EPT. */
static const struct paging cell_paging[] = {
	LEVEL(get_entry_l4, phys_l4, 0, set_terminal_huge),
	LEVEL(get_entry_l3, phys_l3, 1UL << 30, set_terminal_huge),
	LEVEL(get_entry_l2, phys_l2, 1UL << 21, set_terminal_huge),
	LEVEL(get_entry_l1, phys_l1, PAGE_SIZE, set_terminal_l1),
};
static const struct paging hv_paging[] = {
	LEVEL(get_entry_l4, phys_l4, 0, set_terminal_huge),
	LEVEL(get_entry_l3, phys_l3, 1UL << 30, set_terminal_huge),
	LEVEL(get_entry_l2, phys_l2, 1UL << 21, set_terminal_huge),
	LEVEL(get_entry_hv_l1, phys_l1, PAGE_SIZE, set_terminal_hv_l1),
};

const struct paging *harness_hv_paging(void)
{
	return hv_paging;
}

void arch_paging_init(void)
{
	hv_paging_structs.root_paging = hv_paging;
}

static struct paging_structures *cell_pg(struct cell *cell)
{
	return &cell->arch.vmx.ept_structs;
}

void harness_cell_runs(struct cell *cell, hx_run_fn fn, void *ctx)
{
	/* Depth-first over the four levels; runs of equal flags and contiguous phys merge. */
	unsigned long virt = 0, run_virt = 0, run_phys = 0, run_size = 0, run_flags = 0;
	page_table_t tables[4];
	unsigned int idx[4] = { 0 }, level = 0;
	static const unsigned int shifts[4] = { 39, 30, 21, 12 };

	tables[0] = cell_pg(cell)->root_table;
	while (1) {
		if (idx[level] == 512) {
			if (level == 0)
				break;
			level--;
			idx[level]++;
			continue;
		}
		u64 e = tables[level][idx[level]];
		virt = 0;
		for (unsigned int l = 0; l <= level; l++)
			virt |= (unsigned long)idx[l] << shifts[l];
		if (!(e & 0x7)) {
			idx[level]++;
			continue;
		}
		if (level < 3 && !(e & EPT_HUGE)) {
			tables[level + 1] = paging_phys2hvirt(e & ADDR_MASK);
			level++;
			idx[level] = 0;
			continue;
		}
		unsigned long size = 1UL << shifts[level];
		unsigned long phys = e & ADDR_MASK & ~(size - 1), flags = e & 0x7;
		if (run_size && run_virt + run_size == virt && run_phys + run_size == phys &&
		    run_flags == flags) {
			run_size += size;
		} else {
			if (run_size)
				fn(ctx, run_virt, run_phys, run_size, run_flags);
			run_virt = virt;
			run_phys = phys;
			run_size = size;
			run_flags = flags;
		}
		idx[level]++;
	}
	if (run_size)
		fn(ctx, run_virt, run_phys, run_size, run_flags);
}

/* ---- cells ---- */

int arch_cell_create(struct cell *cell)
{
	struct paging_structures *pg = cell_pg(cell);

	pg->hv_paging = false;
	pg->root_paging = cell_paging;
	pg->root_table = (page_table_t)cell->arch.root_table_page;
	memset(cell->arch.root_table_page, 0, PAGE_SIZE);
	/* As VMX's vcpu_cell_init: the I/O bitmap, two pages. */
	cell->arch.io_bitmap = page_alloc(&mem_pool, 2);
	if (!cell->arch.io_bitmap)
		return -ENOMEM;
	return 0;
}

void arch_cell_destroy(struct cell *cell)
{
	/* The regions were unmapped one by one before; paging_destroy freed the emptied tables. */
	page_free(&mem_pool, cell->arch.io_bitmap, 2);
}

void arch_cell_reset(struct cell *cell)
{
}

void arch_config_commit(struct cell *cell_added_removed)
{
}

void arch_flush_cell_vcpu_caches(struct cell *cell)
{
}

int arch_map_memory_region(struct cell *cell, const struct jailhouse_memory *mem)
{
	unsigned long phys = mem->phys_start, flags = 0;

	if (mem->flags & JAILHOUSE_MEM_READ)
		flags |= EPT_R;
	if (mem->flags & JAILHOUSE_MEM_WRITE)
		flags |= EPT_W;
	if (mem->flags & JAILHOUSE_MEM_EXECUTE)
		flags |= EPT_X;
	/* As x86's vcpu_map_memory_region: the comm region is the cell's own comm page. */
	if (mem->flags & JAILHOUSE_MEM_COMM_REGION)
		phys = paging_hvirt2phys(&cell->comm_page);
	return paging_create(cell_pg(cell), phys, mem->size, mem->virt_start, flags,
			     (mem->flags & JAILHOUSE_MEM_NO_HUGEPAGES) ? PAGING_NO_HUGE : PAGING_HUGE);
}

int arch_unmap_memory_region(struct cell *cell, const struct jailhouse_memory *mem)
{
	return paging_destroy(cell_pg(cell), mem->virt_start, mem->size, PAGING_NON_COHERENT);
}

unsigned long arch_paging_gphys2phys(unsigned long gphys, unsigned long flags)
{
	return paging_virt2phys(cell_pg(this_cell()), gphys, flags);
}

/* ---- CPUs: the target reacts at once, as if its event loop ran ---- */

void arch_send_event(struct public_per_cpu *target_data)
{
	if (target_data->suspend_cpu)
		target_data->cpu_suspended = true;
}

/* As on x86, parking and resetting a CPU also lift its suspension. */
void arch_park_cpu(unsigned int cpu_id)
{
	harness_cpu_mode[cpu_id] = HX_CPU_PARKED;
	resume_cpu(cpu_id);
}

void arch_reset_cpu(unsigned int cpu_id)
{
	/* x86: every CPU of the cell starts at the reset address. */
	harness_cpu_mode[cpu_id] = HX_CPU_RUNNING;
	resume_cpu(cpu_id);
}

void arch_panic_park(void)
{
	harness_cpu_mode[this_cpu_id()] = HX_CPU_PARKED;
}

void __attribute__((noreturn)) arch_panic_stop(void)
{
	host_fatal("arch_panic_stop: the hypervisor stopped a CPU");
	while (1)
		;
}

void arch_prepare_shutdown(void)
{
}

/* ---- PCI and ivshmem: no physical config space in the simulation ---- */

int arch_pci_add_physical_device(struct cell *cell, struct pci_device *device)
{
	return 0;
}

void arch_pci_remove_physical_device(struct pci_device *device)
{
}

u32 arch_pci_read_config(u16 bdf, u16 address, unsigned int size)
{
	return (u32)BYTE_MASK(size);
}

void arch_pci_write_config(u16 bdf, u16 address, u32 value, unsigned int size)
{
}

void arch_pci_set_suppress_msi(struct pci_device *device,
			       const struct jailhouse_pci_capability *cap, bool suppress)
{
}

int arch_pci_update_msi(struct pci_device *device, const struct jailhouse_pci_capability *cap)
{
	return 0;
}

int arch_pci_update_msix_vector(struct pci_device *device, unsigned int index)
{
	return 0;
}

void arch_ivshmem_trigger_interrupt(struct ivshmem_endpoint *ive, unsigned int vector)
{
}

int arch_ivshmem_update_msix(struct ivshmem_endpoint *ive, unsigned int vector, bool enabled)
{
	return 0;
}

void arch_ivshmem_update_intx(struct ivshmem_endpoint *ive, bool enabled)
{
}
