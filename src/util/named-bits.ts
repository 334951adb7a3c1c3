import { InputFormatError } from '../errors.js';

/**
 * Flags carried in a BIT STRING (a NamedBitList: keyUsage, ReasonFlags).
 *
 * DER (X.690 8.6.2, 11.2.1) allows exactly one reading of such a string: an
 * initial octet giving the unused bits (0..7, and 0 when there are no further
 * octets), and those unused bits set to zero. Anything else is refused rather
 * than read or masked: a reader that took the unused bits as flags would see
 * flags that OpenSSL (which masks them) does not see — `03 02 03 84` is
 * keyCertSign for one and not for the other — and the fields read here are
 * all inside signed DER structures, where a non-DER encoding is malformed.
 */
export function namedBits(content: Uint8Array, count: number, what: string): number {
  const fail = (detail: string): never => {
    throw new InputFormatError(`${what}: ${detail}`);
  };
  if (count > 31) fail('too many named bits to read as a mask');
  if (content.length === 0) fail('BIT STRING without its initial octet');
  const unused = content[0]!;
  if (unused > 7) fail(`BIT STRING unused-bits count ${unused} is not 0..7`);
  if (content.length === 1 && unused !== 0) fail('empty BIT STRING with a non-zero unused-bits count');
  if (unused !== 0 && (content[content.length - 1]! & ((1 << unused) - 1)) !== 0) fail('BIT STRING unused bits are not zero (DER, X.690 11.2.1)');
  let mask = 0;
  for (let i = 0; i < count; i++) {
    const byte = content[1 + (i >> 3)];
    if (byte !== undefined && (byte & (0x80 >> (i & 7))) !== 0) mask |= 1 << i;
  }
  return mask;
}
