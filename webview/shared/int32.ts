/** Int32Base64 (protocol/collector.ts) in the page: one pass over the bytes, no JSON numbers. */
import type { Int32Base64 } from '../../protocol/collector';

export function decodeInt32(base64: Int32Base64): Int32Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // Pages run on little-endian machines (x86, ARM), as the server's encoding assumes.
  return new Int32Array(bytes.buffer, 0, bytes.byteLength >> 2);
}
