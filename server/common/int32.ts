/** Int32Base64 (protocol/collector.ts) in Node: numbers in bulk through JSON, as bytes. */
import type { Int32Base64 } from '../../protocol';

export function decodeInt32(base64: Int32Base64): Int32Array {
  const bytes = Buffer.from(base64, 'base64');
  // A fresh, aligned buffer: Buffer.from may hand out a slice of a shared pool at any offset.
  const out = new Int32Array(bytes.byteLength >> 2);
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.byteLength));
  if (!LITTLE_ENDIAN) for (let i = 0; i < out.length; i++) out[i] = bytes.readInt32LE(i * 4);
  return out;
}

export function encodeInt32(values: Int32Array | number[]): Int32Base64 {
  const array = values instanceof Int32Array ? values : Int32Array.from(values);
  if (LITTLE_ENDIAN) return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
  const bytes = Buffer.alloc(array.length * 4);
  for (let i = 0; i < array.length; i++) bytes.writeInt32LE(array[i]!, i * 4);
  return bytes.toString('base64');
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
