/**
 * The few protobuf wire-format primitives the BuildKit session and progress stream need
 * (varints and length-delimited fields), hand-written to keep the engine free of a protobuf
 * dependency. PURE.
 */

export type WireValue = { wire: 0; value: bigint } | { wire: 2; value: Buffer } | { wire: 1 | 5; value: Buffer };

export interface WireField {
  field: number;
  data: WireValue;
}

function readVarint(bytes: Buffer, start: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  let i = start;
  for (;;) {
    if (i >= bytes.length) throw new Error("protobuf: truncated varint");
    const byte = bytes[i] ?? 0;
    i += 1;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return { value, next: i };
    shift += 7n;
    if (shift > 63n) throw new Error("protobuf: varint too long");
  }
}

/** Every field of one message, in wire order (repeated fields appear once per element). */
export function decodeFields(bytes: Buffer): WireField[] {
  const fields: WireField[] = [];
  let i = 0;
  while (i < bytes.length) {
    const key = readVarint(bytes, i);
    i = key.next;
    const field = Number(key.value >> 3n);
    const wire = Number(key.value & 7n);
    if (wire === 0) {
      const v = readVarint(bytes, i);
      i = v.next;
      fields.push({ field, data: { wire: 0, value: v.value } });
    } else if (wire === 2) {
      const len = readVarint(bytes, i);
      const end = len.next + Number(len.value);
      if (end > bytes.length) throw new Error("protobuf: truncated field");
      fields.push({ field, data: { wire: 2, value: bytes.subarray(len.next, end) } });
      i = end;
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      fields.push({ field, data: { wire, value: bytes.subarray(i, i + size) } });
      i += size;
    } else {
      throw new Error(`protobuf: unsupported wire type ${wire}`);
    }
  }
  return fields;
}

/** Length-delimited values of `field` (strings, bytes, sub-messages). */
export function bytesFields(fields: WireField[], field: number): Buffer[] {
  return fields.flatMap((f) => (f.field === field && f.data.wire === 2 ? [f.data.value] : []));
}

export function stringField(fields: WireField[], field: number): string {
  return bytesFields(fields, field)[0]?.toString("utf8") ?? "";
}

export function varintField(fields: WireField[], field: number): bigint {
  for (const f of fields) if (f.field === field && f.data.wire === 0) return f.data.value;
  return 0n;
}

export function hasField(fields: WireField[], field: number): boolean {
  return fields.some((f) => f.field === field);
}

function encodeVarint(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

/** One length-delimited field (wire type 2). */
export function encodeBytesField(field: number, data: Buffer): Buffer {
  return Buffer.concat([encodeVarint((field << 3) | 2), encodeVarint(data.length), data]);
}

/** One varint field (wire type 0). */
export function encodeVarintField(field: number, value: number): Buffer {
  return Buffer.concat([encodeVarint(field << 3), encodeVarint(value)]);
}
