/**
 * Name attribute values read from their located bytes (PrintableString, IA5String, UTF8String that decodes
 * strictly) give the text asn1js gives; other values, and UTF-8 asn1js only reads leniently, go to asn1js.
 */
import { describe, expect, it } from 'vitest';
import { readNameElement } from '../src/pki/name.js';
import { decodeWhole } from '../src/util/asn1-tree.js';
import { ElementBudget, TlvElement } from '../src/util/der.js';

const tlv = (tag: number, content: number[]) => [tag, content.length, ...content];
/** Name { RDN { CN = value }, RDN { serialNumber = PrintableString(n) } }: `n` keeps each Name's encoding new (no memo hit). */
function name(value: number[], n: number): Uint8Array {
  const atv = (oid: number[], v: number[]) => tlv(0x31, tlv(0x30, [...tlv(0x06, oid), ...v]));
  const serial = [...String(n).padStart(4, '0')].map((ch) => ch.charCodeAt(0));
  return new Uint8Array(tlv(0x30, [...atv([0x55, 0x04, 0x03], value), ...atv([0x55, 0x04, 0x05], tlv(0x13, serial))]));
}

describe('Name attribute values read from their located bytes', () => {
  let count = 0;
  it.each([
    ['PrintableString', tlv(0x13, [0x4b, 0x47])],
    ['PrintableString with octets over 0x7f', tlv(0x13, [0x41, 0xe9, 0xff])],
    ['IA5String', tlv(0x16, [0x61, 0x40, 0x62])],
    ['UTF8String', tlv(0x0c, [0xc3, 0x9c, 0x6c, 0x6f])],
    ['UTF8String starting with a BOM', tlv(0x0c, [0xef, 0xbb, 0xbf, 0x41])],
    ['UTF8String that is not UTF-8', tlv(0x0c, [0xc3, 0x28])],
    ['UTF8String with NUL', tlv(0x0c, [0x41, 0x00])],
    ['empty PrintableString', tlv(0x13, [])],
    ['BMPString', tlv(0x1e, [0x04, 0x1a])],
    ['TeletexString', tlv(0x14, [0x41, 0xc1])],
  ])('%s: the text asn1js decodes', (_, value) => {
    const n = 7000 + ++count;
    const bytes = name(value, n);
    const located = readNameElement(TlvElement.of(bytes, new ElementBudget(100, 'test'))!, 'Name');
    const asn1 = decodeWhole(new Uint8Array(value), 'value') as unknown as { valueBlock: { value: unknown } };
    expect(typeof asn1.valueBlock.value).toBe('string');
    expect(located.rdns[0]![0]!.value).toBe(asn1.valueBlock.value);
    expect(located.rdns[1]![0]!.value).toBe(String(n).padStart(4, '0'));
  });
});
