import type { Value } from "../../../models/index.js";
import { applyValue } from "../../../proofs/explicit/compile.js";

export { peterson } from "../../../models/classic/peterson.js";

/** f[x] for a function value, for assertions on traces. */
export const applyIn = (f: Value | undefined, x: Value): Value => applyValue(f as Value, x);
