import { describe, expect, it } from "vitest";
import { isBinary } from "../../../proofs/index.js";

const bytes = (s: string) => Buffer.from(s, "latin1");

describe("isBinary", () => {
  it("treats an empty file as binary, as Perl's -B does (cloc skips it)", () => {
    expect(isBinary(new Uint8Array())).toBe(true);
  });
  it("treats a NUL byte in the first block as binary", () => {
    expect(isBinary(bytes("int a;\0\n"))).toBe(true);
  });
  it("treats UTF-8 text as text, even when cut inside a character at the block end", () => {
    const text = Buffer.from(`${"a".repeat(511)}é`, "utf8");
    expect(isBinary(text)).toBe(false);
  });
  it("treats latin1 text as binary only when over a third of its bytes are odd", () => {
    expect(isBinary(bytes("caf\xe9 ok\n"))).toBe(false);
    expect(isBinary(bytes("\xe9\xe9\xe9a\n"))).toBe(true);
  });
});

describe("isBinary on a block cut short", () => {
  it("does not excuse a stray continuation byte at the end as a cut character", () => {
    expect(isBinary(bytes("\n\xa0"))).toBe(true);
    expect(isBinary(bytes("\xef\xbb\xbf !  \xa0\n"))).toBe(true);
  });
});
