/** Little-endian writes into a fixed-size buffer, the inverse of {@link ByteReader}. */
export class ByteWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  u8(offset: number, v: number): void {
    this.view.setUint8(offset, v);
  }
  u16(offset: number, v: number): void {
    this.view.setUint16(offset, v, true);
  }
  u32(offset: number, v: number): void {
    this.view.setUint32(offset, v >>> 0, true);
  }
  u64(offset: number, v: bigint): void {
    this.view.setBigUint64(offset, BigInt.asUintN(64, v), true);
  }
  hex(offset: number, hex: string): void {
    this.bytes.set(Buffer.from(hex, "hex"), offset);
  }
  latin1(offset: number, text: string): void {
    this.bytes.set(Buffer.from(text, "latin1"), offset);
  }
}
