/*
 * Warden's user-space harness: stands in front of upstream's asm/processor.h.
 *
 * Everything is taken from upstream's header except cpu_relax(), which upstream writes as inline
 * "pause" assembly. Here it calls into the harness driver: it is the point at which a hypercall
 * that polls (the comm-region exchange, a CPU suspension) yields so that cells can act.
 */
#ifndef _WARDEN_HARNESS_ASM_PROCESSOR_H
#define _WARDEN_HARNESS_ASM_PROCESSOR_H

#define cpu_relax upstream_cpu_relax_unused
#include_next <asm/processor.h>
#undef cpu_relax

void harness_cpu_relax(void);

static inline void cpu_relax(void)
{
	harness_cpu_relax();
}

#endif
