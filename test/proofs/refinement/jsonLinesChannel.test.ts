import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { jsonLinesChannel } from "../../../proofs/refinement/jsonLinesChannel.js";

/** A child that answers {"echo": n}, reports {"error": …} for {"fail": …}, and dies on {"die": …}. */
const script = `
const rl = require("node:readline").createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const m = JSON.parse(line);
  if (m.die) { process.stderr.write("first\\nlast words\\n"); process.exit(7); }
  if (m.garbage) { process.stdout.write("not json\\n"); return; }
  process.stdout.write(JSON.stringify(m.fail ? { error: m.fail } : { echo: m.n }) + "\\n");
});`;
const child = () => spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "pipe"] });

describe("jsonLinesChannel", () => {
  it("answers requests in order, rejects a reported error with the prefix and a line that is not JSON", async () => {
    const channel = jsonLinesChannel(child, { name: "the test child", errorPrefix: "child: " });
    const answers = await Promise.all([1, 2, 3].map((n) => channel.request({ n })));
    expect(answers).toEqual([{ echo: 1 }, { echo: 2 }, { echo: 3 }]);
    await expect(channel.request({ fail: "no such cell" })).rejects.toThrow(/^child: no such cell$/);
    await expect(channel.request({ garbage: true })).rejects.toThrow(
      /^the test child answered something that is not JSON: not json$/,
    );
    expect(await channel.request({ n: 4 })).toEqual({ echo: 4 });
    channel.close();
  });

  it("rejects the pending and every later request once the child exits, quoting its last stderr line", async () => {
    const channel = jsonLinesChannel(child, { name: "the test child" });
    await expect(channel.request({ die: true })).rejects.toThrow(/^the test child exited \(code 7\): last words$/);
    await expect(channel.request({ n: 1 })).rejects.toThrow(/exited \(code 7\)/);
  });
});
