/**
 * Perl's `-B` test, which cloc uses to skip binary files: an empty file counts as binary; otherwise
 * the first 512 bytes decide: a NUL byte means binary, valid UTF-8 means text, else binary when more
 * than a third of the bytes are "odd" (high-bit bytes, or control bytes other than \n \r \b \t \f ESC).
 */
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** True when cloc would skip `bytes` as binary. */
export function isBinary(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return true;
  const head = bytes.subarray(0, 512);
  if (head.includes(0)) return true;
  if (isUtf8Prefix(head)) return false;
  let odd = 0;
  for (const b of head) if (b >= 128 || (b < 32 && !textControls.has(b))) odd++;
  return odd * 3 > head.length;
}

const textControls = new Set([10, 13, 8, 9, 12, 27]);

/**
 * Valid UTF-8, allowing the block to end inside a character: the cut bytes must be a lead byte
 * and fewer continuation bytes than it announces (Perl's `is_utf8_fixed_width_buf_flags`).
 */
function isUtf8Prefix(head: Uint8Array): boolean {
  for (let cut = 0; cut < 4 && cut < head.length; cut++) {
    if (cut > 0 && !isPartialCharacter(head.subarray(head.length - cut))) continue;
    try {
      utf8.decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      // not valid with this cut; try a longer one
    }
  }
  return false;
}

function isPartialCharacter(tail: Uint8Array): boolean {
  const lead = tail[0] ?? 0;
  const width =
    lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xc2 && lead <= 0xdf ? 2 : 0;
  return tail.length < width && tail.subarray(1).every((b) => b >= 0x80 && b <= 0xbf);
}
