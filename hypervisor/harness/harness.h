/*
 * The interface between the harness's two halves. glue.c and arch.c are compiled like upstream's
 * core (freestanding, upstream's headers); host.c is an ordinary Linux program (libc, mmap,
 * ucontext, stdio). Only plain C types cross this line, so neither half sees the other's headers.
 */
#ifndef WARDEN_HARNESS_H
#define WARDEN_HARNESS_H

#define HX_MAX_CPUS 64
#define HX_MAX_CELLS 64
#define HX_NAME_LEN 32

/* A CPU as the harness's simulated machine sees it. */
enum hx_cpu_mode { HX_CPU_RUNNING = 0, HX_CPU_PARKED = 1, HX_CPU_OFF = 2 };

struct hx_cell {
	char name[HX_NAME_LEN];
	unsigned int id;
	int loadable;
	unsigned int cell_state, msg_to_cell, reply_from_cell;
	unsigned long msg_reply_timeout;
	int passive_commreg;
	int has_comm_region;
	unsigned long comm_virt;
	unsigned long long cpus; /* bitmap of the CPUs the cell owns */
};

struct hx_cpu {
	int exists;        /* in the system's CPU set */
	int cell;          /* index in the cell list (0: root), -1 if none */
	int failed;
	int suspended;     /* suspension requested and not lifted */
	int mode;          /* enum hx_cpu_mode */
};

/* glue.c, called by host.c */
int hx_init(const void *system_config, unsigned long size, const char **why);
unsigned long hx_image_base(void);
unsigned long hx_image_size(void);
unsigned long hx_per_cpu_size(void);
unsigned long hx_per_cpu_offset(unsigned int cpu);
unsigned long hx_local_cpu_base(void);
unsigned int hx_max_cpus(void);
unsigned long hx_cell_desc_size(void);
long hx_hypercall(unsigned long code, unsigned long arg1, unsigned long arg2);
void hx_panic_park(void);
int hx_cell_count(void);
int hx_cell_info(int index, struct hx_cell *out);
int hx_cpu_info(unsigned int cpu, struct hx_cpu *out);
void hx_set_cpu_mode(unsigned int cpu, int mode);
void hx_write_comm(int index, int field, unsigned int value); /* 0 state, 1 msg, 2 reply */
void hx_settle_cpus(void);
/* Runs [virt, virt+size) -> phys with R/W/X flags (bits 0-2) of a cell's second-stage tables. */
typedef void (*hx_run_fn)(void *ctx, unsigned long virt, unsigned long phys, unsigned long size,
			  unsigned long flags);
void hx_cell_runs(int index, hx_run_fn fn, void *ctx);
/* Where the driver stages a configuration of `size` bytes in root memory (0: nowhere). */
unsigned long hx_staging_address(unsigned long size);
/* Pins of each IOAPIC, PIO bitmap and PCI devices a cell holds (see arch.c). */
int hx_cell_owns_pci(int index, unsigned int domain, unsigned int bdf);
int hx_cell_owns_pin(int index, unsigned long chip, unsigned int pin);
int hx_cell_owns_port(int index, unsigned int port);

/* host.c, called by glue.c and arch.c */
void host_map_temporary(unsigned long virt, unsigned long phys);
void host_console(const char *s);
void host_fatal(const char *what);

#endif
