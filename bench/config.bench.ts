/**
 * Configuration formats: binary decode + encode throughput, against parsing the same
 * configurations from their YAML form in the same run.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { configToYaml, decodeConfig, encodeCell, encodeSystem, parseConfigText } from "../hypervisor/index.js";
import { packageRoot } from "../proofs/index.js";
import { printTable } from "./table.js";

function inputs(): { name: string; bytes: Uint8Array }[] {
  const dirs = (process.env.WARDEN_UPSTREAM_CELLS ?? "").split(":").filter(Boolean);
  const all = dirs.length > 0 ? dirs : ["x86", "arm64"].map((a) => join(packageRoot, "examples", a));
  return all.flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith(".cell"))
      .map((f) => ({ name: f, bytes: readFileSync(join(d, f)) })),
  );
}

export default async function bench(): Promise<void> {
  const files = inputs();
  const totalBytes = files.reduce((n, f) => n + f.bytes.length, 0);
  const yamls = files.map((f) => {
    const d = decodeConfig(f.bytes, f.name);
    if (!d.ok) throw new Error(d.error.message);
    const v = d.value;
    return configToYaml(v.kind === "system" ? { kind: "system", system: v.config } : { kind: "cell", cell: v.config });
  });
  const time = (fn: () => void): number => {
    const rounds = Math.max(1, Math.ceil(20_000 / files.length));
    const t = performance.now();
    for (let i = 0; i < rounds; i++) fn();
    return (performance.now() - t) / rounds;
  };
  const binary = time(() => {
    for (const f of files) {
      const d = decodeConfig(f.bytes, f.name);
      if (d.ok) d.value.kind === "system" ? encodeSystem(d.value.config) : encodeCell(d.value.config);
    }
  });
  const yaml = time(() => {
    for (const y of yamls) parseConfigText(y, "bench.yaml", "yaml");
  });
  const perSecond = (ms: number) => Math.round((files.length / ms) * 1000);
  printTable(
    `Configuration formats (${files.length} files, ${totalBytes.toLocaleString("en-US")} bytes${process.env.WARDEN_UPSTREAM_CELLS ? ", upstream" : ", examples"})`,
    ["operation", "configs/s", "MB/s (binary bytes)", "ratio"],
    [
      ["binary decode + encode", perSecond(binary), ((totalBytes / binary) * 1000) / 1e6, "1.0x"],
      [
        "YAML parse + validate (peer)",
        perSecond(yaml),
        ((totalBytes / yaml) * 1000) / 1e6,
        `${(yaml / binary).toFixed(1)}x slower`,
      ],
    ],
  );
}
