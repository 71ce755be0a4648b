import { type ConfigSet, cellFlags } from "../../hypervisor/index.js";
import type { ConfigFacts } from "../../models/index.js";
import { ownershipSpec } from "./ownershipSpec.js";

/** The facts of a configuration set that models are instantiated from: non-root cells and their vote settings. */
export function configFacts(set: ConfigSet): ConfigFacts {
  const { mode: _mode, ...ownership } = ownershipSpec(set, "upstream");
  return {
    ownership,
    cells: set.cells.map((c) => ({
      name: c.config.name,
      passive: (c.config.flags & cellFlags.PASSIVE_COMMREG) !== 0,
      replyTimeout: c.config.msg_reply_timeout,
    })),
  };
}
