/**
 * `npm run bench`: runs every `bench/*.bench.ts` in name order (or those named on the command
 * line) and lets each print its table. Figures are measured here, never asserted in tests.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

process.stdout.write(`# Warden benchmarks (node ${process.version}, ${new Date().toISOString()})\n`);
for (const file of files) {
  const started = performance.now();
  const bench = (await import(`./${file}`)) as { default: () => Promise<void> };
  await bench.default();
  process.stderr.write(`[bench] ${file} took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
