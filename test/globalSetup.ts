/**
 * Runs once before every test run:
 * - fixes the fast-check seed (from WARDEN_SEED, or a fresh one outside CI) and prints it, so any
 *   failure can be replayed with `WARDEN_SEED=<seed> npm test`;
 * - builds `dist/` so the end-to-end tests exercise the current sources through the real `warden` binary.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export default function setup(): void {
  const given = process.env.WARDEN_SEED;
  if (given === undefined && process.env.CI === "true") {
    throw new Error("CI must set WARDEN_SEED so that randomized suites replay (see .ci/run)");
  }
  const seed = given ?? String(Math.floor(Math.random() * 0x7fffffff));
  process.env.WARDEN_SEED = seed;
  process.stderr.write(`[warden] fast-check seed ${seed} (replay: WARDEN_SEED=${seed} npm test)\n`);
  try {
    execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", "tsconfig.build.json"], {
      cwd: root,
      stdio: "pipe",
    });
  } catch (error) {
    // Type errors still emit JavaScript; the typecheck step of `npm test` reports them.
    const out = (error as { stdout?: Buffer }).stdout?.toString() ?? "";
    process.stderr.write(`[warden] build reported errors:\n${out.slice(0, 4000)}\n`);
  }
}
