/**
 * Growable SharedArrayBuffers for the parallel checker: every thread's views track the buffer's
 * length, and any thread may grow it (a concurrent grow to a smaller size throws, so losing that
 * race is fine as long as the buffer ends up large enough).
 */

/** The most a growable shared buffer may reserve (V8 refuses more). */
const MAX_BYTES = 2 ** 32 - 2 ** 16;

// Growable shared buffers are ES2024, past the library this project compiles against.
type Growable = SharedArrayBuffer & { grow(bytes: number): void };
const GrowableBuffer = SharedArrayBuffer as unknown as new (bytes: number, o: { maxByteLength: number }) => Growable;

export function growableShared(bytes: number): SharedArrayBuffer {
  return new GrowableBuffer(bytes, { maxByteLength: MAX_BYTES });
}

/** Makes `buffer` at least `bytes` long, doubling so that growth is amortised. */
export function ensureShared(buffer: SharedArrayBuffer, bytes: number): void {
  while (buffer.byteLength < bytes) {
    const target = Math.min(MAX_BYTES, Math.max(bytes, buffer.byteLength * 2));
    if (target < bytes) throw new RangeError("the parallel checker's shared arena is full (4 GiB)");
    try {
      (buffer as Growable).grow(target);
    } catch {
      // Another thread grew it meanwhile; the loop re-reads the length.
    }
  }
}
