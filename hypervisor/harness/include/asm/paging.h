/*
 * Warden's user-space harness: stands in front of upstream's asm/paging.h.
 *
 * Everything is taken from upstream's header except the TLB flush, which upstream writes as the
 * privileged "invlpg" instruction. The simulated MMU has no TLB: the flush does nothing.
 */
#ifndef _WARDEN_HARNESS_ASM_PAGING_H
#define _WARDEN_HARNESS_ASM_PAGING_H

#define arch_paging_flush_page_tlbs upstream_arch_paging_flush_page_tlbs_unused
#include_next <asm/paging.h>
#undef arch_paging_flush_page_tlbs

#ifndef __ASSEMBLY__
static inline void arch_paging_flush_page_tlbs(unsigned long page_addr)
{
}
#endif

#endif
