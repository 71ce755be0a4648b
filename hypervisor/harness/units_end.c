/* End of the unit table (see units_begin.c). */
#include <jailhouse/unit.h>

struct unit __unit_array_end[0] __attribute__((section(".units"), aligned(8), used));
