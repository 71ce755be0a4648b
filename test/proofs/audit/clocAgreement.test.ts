/**
 * Per-file agreement with Debian's cloc 1.96 on a tree of tricky synthetic sources written to a
 * temporary directory (CRLF and missing final newlines survive no editor or checkout there), plus
 * random files assembled from tricky fragments. Skipped with a message when cloc is absent; CI
 * installs it (.ci/run).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditTree } from "../../../proofs/index.js";

const hasCloc = spawnSync("cloc", ["--version"], { encoding: "utf8" }).status === 0;
if (!hasCloc) console.warn("cloc is not installed: skipping the per-file cloc comparison (CI installs it)");

/** cloc 1.96 has no linker-script language: define one with its C (block-comment) filter. */
const linkerScriptDef =
  "Linker Script\n    filter call_regexp_common C\n    extension ld\n    extension lds\n    3rd_gen_scale 1.00\n";

const tricky: Record<string, string> = {
  "strings.c": 'char *s = "/* not closed";\nint a;\nchar *t = "*/";\nint b; // "quoted\n',
  "nested.c": "/* outer // inner */ int a;\n// line /* not a block\nint b;\n/* a\n// b\n*/\n",
  "merge.c": "int a; /* starts\n\n   ends */ int b;\nint c;\n",
  "crlf.h": "/* one */\r\n#define X 1\r\n\r\n// two\r\nint y;\r\n",
  "nofinal.h": "int a;\n/* tail */",
  "continued.h": "#define M(x) \\\n  (x) \\\n\n// after\nint a; // c \\\nint b;\n#define N \\\n// swallowed\n",
  "unclosed.c": "int a; /* never closed\nint b;\n// but this is a comment\n",
  "bom.c": "\xef\xbb\xbf// marked\nint a;\n",
  "lonecr.c": "int a;\r// not a separate line\rint b;\n",
  "entry.S":
    "# hash comment\n; semicolon\n.globl _start /* c */\n@ at\n| bar\n! bang\n-- dashes\n*star\n  * indented star\nmov r0, r1 // x\n#include <x.h>\n",
  Makefile: "#!/usr/bin/make -f\n# comment\nall: x \\\n\n\tcc -o $@ # inline\n  # indented\n",
  "rules.mk": "A = 1 \\\n# not a comment? \\\n\nB = 2\n",
  "link.ld": "/* header */\nSECTIONS\n{\n  . = 0x1000; /* here */\n  // not a comment in ld\n}\n",
  "app.ts": 'const s = "// no";\nconst t = `/* tpl`;\nlet u = 1; */\n/** doc */\nexport {};\n',
  "star.h": "/*/ int a; /*/\nint b;\n/**/int c;\n",
  "blankish.c": "int a;\n \t \n\f\n/* \n\n */\n",
};

const fragments = [
  "int a;",
  "/* c */",
  "/*",
  "*/",
  "// x",
  '"/*"',
  '"*/"',
  "\\",
  " ",
  "\t",
  "#define X",
  "# h",
  "; s",
  "x = 1 // y",
  "/* a */ b /* c",
  "'//'",
  "@",
  "*",
  "/",
  '"',
  "'",
  "#!",
  "--",
  "|",
  "!",
  "\r",
  "\f",
  "\xa0",
  "\xef\xbb\xbf",
  "{",
  "0",
];
const fileText = fc
  .tuple(
    fc.array(fc.array(fc.constantFrom(...fragments), { maxLength: 4 }), { minLength: 1, maxLength: 12 }),
    fc.constantFrom("\n", "\r\n"),
    fc.boolean(),
  )
  .map(([lines, eol, finalNewline]) => {
    const text = lines.map((l) => l.join(" ")).join(eol);
    return finalNewline ? text + eol : text;
  });
const extensions = ["c", "h", "S", "s", "mk", "ts", "ld", "hpp", "asm"];

function clocByFile(dir: string): Record<string, { code: number; comment: number; blank: number }> {
  const def = join(dir, "..", "linker-script.def");
  writeFileSync(def, linkerScriptDef);
  const r = spawnSync("cloc", ["--by-file", "--json", "--quiet", "--skip-uniqueness", `--read-lang-def=${def}`, "."], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  return JSON.parse(r.stdout) as Record<string, { code: number; comment: number; blank: number }>;
}

function expectAgreement(dir: string): void {
  const theirs = clocByFile(dir);
  const ours = auditTree(dir);
  expect(ours.map((f) => f.file).sort()).toEqual(
    Object.keys(theirs)
      .filter((k) => k !== "header" && k !== "SUM")
      .map((k) => k.slice(2))
      .sort(),
  );
  for (const f of ours) {
    const t = theirs[`./${f.file}`];
    expect({ file: f.file, code: f.code, comment: f.comment, blank: f.blank }).toEqual({
      file: f.file,
      code: t?.code,
      comment: t?.comment,
      blank: t?.blank,
    });
  }
}

describe.skipIf(!hasCloc)("auditTree compared with cloc file by file", () => {
  it("agrees on hand-written tricky sources", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "audit-cloc-")), "tree");
    mkdirSync(dir);
    for (const [name, text] of Object.entries(tricky)) writeFileSync(join(dir, name), Buffer.from(text, "latin1"));
    expectAgreement(dir);
  });
  it("agrees on random files assembled from tricky fragments", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "audit-cloc-")), "tree");
    mkdirSync(dir);
    const texts = fc.sample(fileText, 200);
    texts.forEach((text, i) => {
      writeFileSync(join(dir, `f${i}.${extensions[i % extensions.length]}`), Buffer.from(text, "latin1"));
    });
    expectAgreement(dir);
  });
});
