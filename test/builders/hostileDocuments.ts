/**
 * YAML and JSON configuration documents of hostile shapes, for the input-hardening tests and the
 * CLI fuzz test: each must be refused with a one-line diagnostic, never crash or hang a run.
 */

/** Nine levels of nine aliases each: 9^9 nodes when expanded ("billion laughs"). */
function aliasBomb(): string {
  const lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < 9; i++)
    lines.push(
      `l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(", ")}]`,
    );
  return `${lines.join("\n")}\nsystem: *l8\n`;
}

const deep = (open: string, close: string, depth = 10_000): string => `${open.repeat(depth)}${close.repeat(depth)}\n`;

const region = (size: string) =>
  `system:\n  arch: x86\n  hypervisor_memory: { phys_start: 0, size: ${size} }\n  root_cell: { name: root, cpus: [0] }\n`;

export const hostileDocuments: Readonly<Record<string, string>> = {
  "alias-bomb.yaml": aliasBomb(),
  "deep-seq.yaml": deep("[", "]"),
  "deep-map.yaml": `system: ${deep("{a: ", "}").trim().replace("{a: }", "{a: 1}")}\n`,
  "deep-seq.json": deep("[", "]"),
  "deep-map.json": `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}\n`,
  "size-2p64plus1.yaml": region("18446744073709551617"),
  "size-2p64plus1.json": JSON.stringify({
    system: { arch: "x86", hypervisor_memory: { phys_start: 0, size: "18446744073709551617" } },
  }),
  // Over 31 bytes in UTF-8 and in latin1 (the binary's encoding of names).
  "long-unicode-name.yaml": `cell:\n  name: "${"ü".repeat(32)}"\n`,
  "duplicate-keys.yaml": "system:\n  arch: x86\n  arch: arm64\n",
  "duplicate-keys.json": '{"system": {"arch": "x86", "arch": "arm64"}}',
  "nul-bytes.yaml": "\u0000\u0001\u0002system:",
  "empty.yaml": "",
  "scalar.json": '"system"',
};
