/**
 * Bounds-checked little-endian reads over a configuration file. Every read names the field, so
 * a short file fails with the field and byte offset instead of an exception from DataView.
 */
export class DecodeError extends Error {
  constructor(
    readonly code: string,
    readonly byteOffset: number,
    message: string,
  ) {
    super(message);
  }
}

export class ByteReader {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Fails unless `size` bytes are available at `offset`. */
  need(offset: number, size: number, field: string): void {
    if (offset + size > this.bytes.length) {
      const remain = Math.max(0, this.bytes.length - offset);
      throw new DecodeError(
        "WRD104",
        offset,
        `truncated: ${field} needs ${size} bytes at offset 0x${offset.toString(16)}, ${remain} remain`,
      );
    }
  }

  u8(offset: number, field: string): number {
    this.need(offset, 1, field);
    return this.view.getUint8(offset);
  }
  u16(offset: number, field: string): number {
    this.need(offset, 2, field);
    return this.view.getUint16(offset, true);
  }
  u32(offset: number, field: string): number {
    this.need(offset, 4, field);
    return this.view.getUint32(offset, true);
  }
  u64(offset: number, field: string): bigint {
    this.need(offset, 8, field);
    return this.view.getBigUint64(offset, true);
  }
  /** Raw bytes as lowercase hex. */
  hex(offset: number, size: number, field: string): string {
    this.need(offset, size, field);
    return Buffer.from(this.bytes.subarray(offset, offset + size)).toString("hex");
  }
  /** Bytes as Latin-1 text (one character per byte, so nothing is lost). */
  latin1(offset: number, size: number, field: string): string {
    this.need(offset, size, field);
    return Buffer.from(this.bytes.subarray(offset, offset + size)).toString("latin1");
  }
}
