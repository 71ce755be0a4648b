/** `warden explore irq`: the interrupt designs' property matrix and their cost on the core. */
import { atomicWrite, irqMatrixMarkdown, irqMatrixText, toItf } from "../../generators/index.js";
import {
  exploreIrq,
  inputError,
  irqDesignCatalogue,
  irqProperties,
  irqScenarios,
  irqSystem,
  irqSystemOf,
  loadConfigSet,
} from "../../proofs/index.js";
import { printWarning } from "../printWarning.js";
import type { ExitCode } from "../runAction.js";

export interface IrqOptions {
  readonly config?: string[];
  readonly design?: string[];
  readonly json?: boolean;
  readonly md?: string;
}

export function exploreIrqCommand(opts: IrqOptions): ExitCode {
  const designs = (opts.design ?? irqDesignCatalogue.map((d) => d.name)).map((name) => {
    const found = irqDesignCatalogue.find((d) => d.name === name);
    if (!found)
      throw inputError(
        "WRD900",
        `unknown interrupt design "${name}"; known: ${irqDesignCatalogue.map((d) => d.name).join(", ")}`,
      );
    return found;
  });
  const configured = opts.config?.length
    ? irqSystemOf(loadConfigSet(opts.config, { onWarning: printWarning }))
    : undefined;
  const started = performance.now();
  const { cells, runs } = exploreIrq(
    designs.map((d) => d.name),
    configured?.shape,
    undefined,
    (c) => process.stderr.write(`[explore] ${c.design} / ${c.property}: ${c.verdict}\n`),
    configured?.system,
  );
  const matrix = {
    system: configured
      ? `${opts.config?.join(" ")}: ${configured.label}`
      : `device ${irqSystem.device} of cell ${irqSystem.cell} (CPUs ${irqSystem.cpus.join(", ")}), root on CPU ${irqSystem.rootCpu}; models: one cell, two CPUs, two vectors`,
    designs,
    properties: irqProperties,
    scenarios: irqScenarios,
    cells,
    runs,
  };
  if (opts.json) {
    const json = { ...matrix, cells: cells.map((c) => ({ ...c, trace: c.trace ? toItf(c.trace) : undefined })) };
    process.stdout.write(`${JSON.stringify(json)}\n`);
  } else process.stdout.write(irqMatrixText(matrix));
  if (opts.md) atomicWrite(opts.md, irqMatrixMarkdown(matrix));
  process.stderr.write(`[explore] ${cells.length} checks in ${Math.round(performance.now() - started)} ms\n`);
  return 0;
}
