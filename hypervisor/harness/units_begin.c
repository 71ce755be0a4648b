/*
 * Start of the unit table. Upstream's linker script collects every DEFINE_UNIT into ".units"
 * between these two symbols; here the link order does it: this object first, the objects that
 * define units next, units_end.o last.
 */
#include <jailhouse/unit.h>

struct unit __unit_array_start[0] __attribute__((section(".units"), aligned(8), used));
