import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";

/** Larger than any configuration, script, policy or trace a user writes; bounds what a run reads. */
export const MAX_INPUT_BYTES = 256 * 2 ** 20;

/**
 * Reads a file the user named, refusing what is not a regular file before reading a byte:
 * `/dev/zero` or a FIFO would otherwise be read forever (or block), a directory fails late.
 * Throws errors with a `code` like fs does: ENOENT, EACCES…, EISDIR, ENOTREG (not a regular file),
 * EFBIG (over {@link MAX_INPUT_BYTES}).
 */
export function readRegularFile(path: string): Buffer {
  // O_NONBLOCK: opening a FIFO without a writer must not hang; regular files ignore it.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw coded("EISDIR", `${path} is a directory`);
    if (!stat.isFile()) throw coded("ENOTREG", `${path} is not a regular file`);
    if (stat.size > MAX_INPUT_BYTES) throw coded("EFBIG", `${path} is over ${MAX_INPUT_BYTES} bytes`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

const coded = (code: string, message: string): NodeJS.ErrnoException => Object.assign(new Error(message), { code });
