/**
 * Signed attribute values are checked, not decoded, while parsing (der.ts checkDecodable) and read from
 * their located bytes (message-digest, content-type, signing-time, ESS signing-certificate). The check must
 * refuse exactly what asn1js refuses: compared element by element on seeded random trees, and end to end on
 * genuinely re-signed CAdES inputs whose signed attributes carry values asn1js refuses (a typed error, on
 * the fast path and the full decode alike, never a pass).
 */
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { parseCades, parseDecodingAll } from '../src/cades/parse.js';
import { parseSigningCertificate } from '../src/cades/ess.js';
import { InputFormatError, OtsEsigError } from '../src/errors.js';
import { OID } from '../src/pki/oids.js';
import { decodeWhole } from '../src/util/asn1-tree.js';
import { checkDecodable, ElementBudget, NotWalkable, octetStringBytes, TlvElement } from '../src/util/der.js';
import { rngFor, type Rng } from '../scripts/fuzz/prng.js';
import { FIXTURES, fixture, fixtureCrls, loadManifest } from './helpers/fixtures.js';
import { attribute, resign } from './helpers/resign.js';

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return new Uint8Array([tag, ...len, ...content]);
}

/** 'accepted' / 'refused' by checkDecodable, or 'not walkable' (the parser then takes the full decode). */
function checked(bytes: Uint8Array): 'accepted' | 'refused' | 'not walkable' {
  const el = TlvElement.of(bytes, new ElementBudget(10_000, 'test'));
  if (!el) return 'not walkable';
  try {
    checkDecodable(el, 'value');
    return 'accepted';
  } catch (e) {
    if (e instanceof NotWalkable) return 'not walkable';
    // asn1js throwing (not only reporting an error) is what the full decode did too.
    return 'refused';
  }
}

function asn1jsVerdict(bytes: Uint8Array): 'accepted' | 'refused' {
  try {
    decodeWhole(bytes, 'value');
    return 'accepted';
  } catch {
    return 'refused';
  }
}

const PRIMITIVE_TAGS = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0c, 0x0d, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a, 0x1c, 0x1e, 0x80, 0x81, 0x40];
const CONSTRUCTED_TAGS = [0x30, 0x31, 0xa0, 0xa3, 0x24, 0x23, 0x2c, 0x60, 0x10, 0x11];

function randomContent(rng: Rng, tag: number): Uint8Array {
  const pick = rng.int(6);
  if (tag === 0x17 && pick < 3) return new TextEncoder().encode(rng.pick(['260301100000Z', '2603011000Z', '260301100000+0100', 'garbage-time', '991231235959Z']));
  if (tag === 0x18 && pick < 3) return new TextEncoder().encode(rng.pick(['20260301100000Z', '20260301100000.5Z', '2026030110Z', 'x0260301100000Z', '20260301100000']));
  if (tag === 0x06 && pick < 3) return rng.pick([hex('2a0304'), hex('2a0384'), hex('80'), hex('2a86'), new Uint8Array(0)]);
  const n = rng.pick([0, 1, 2, 3, 4, 5, 8, 33]);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.chance(0.3) ? rng.pick([0x00, 0x80, 0xff, 0x08, 0x41, 0xc3, 0xa9]) : rng.int(256);
  return out;
}

function randomElement(rng: Rng, depth: number): Uint8Array {
  if (depth > 0 && rng.chance(0.45)) {
    const kids = Array.from({ length: rng.int(4) }, () => randomElement(rng, depth - 1));
    const tag = rng.pick(CONSTRUCTED_TAGS);
    return tlv(tag, new Uint8Array(kids.flatMap((k) => [...k])));
  }
  const tag = rng.pick(PRIMITIVE_TAGS);
  return tlv(tag, randomContent(rng, tag));
}

describe('checkDecodable refuses exactly what asn1js refuses', () => {
  it.each([
    ['OID, last subidentifier continues', '06 03 2a 03 84', 'refused'],
    ['OID, well formed', '06 03 2a 03 04', 'accepted'],
    ['BIT STRING with 8 unused bits', '03 02 08 ff', 'refused'],
    ['BMPString of odd length', '1e 03 00 41 00', 'refused'],
    ['UniversalString of 5 octets', '1c 05 00 00 00 41 00', 'refused'],
    ['constructed OCTET STRING holding a SEQUENCE', '24 02 30 00', 'refused'],
    ['PrintableString', '13 02 4b 47', 'accepted'],
    ['UTCTime, DER form', '17 0d 323630333031313030303030 5a', 'accepted'],
    ['NULL with contents', '05 01 00', 'accepted'],
    ['SEQUENCE of a bad OID inside [0]', '30 07 a0 05 06 03 2a 03 84', 'refused'],
  ])('%s', (_, h, expected) => {
    const bytes = hex(h);
    expect(asn1jsVerdict(bytes)).toBe(expected);
    expect(checked(bytes)).toBe(expected);
  });

  it('on 4,000 seeded random trees', () => {
    const verdicts = { accepted: 0, refused: 0, 'not walkable': 0 };
    for (let i = 0; i < 4000; i++) {
      const bytes = randomElement(rngFor('check-decodable', i), 3);
      const ours = checked(bytes);
      verdicts[ours]++;
      if (ours !== 'not walkable') expect(ours, `input ${i}: ${Buffer.from(bytes).toString('hex')}`).toBe(asn1jsVerdict(bytes));
    }
    // The generator reaches both outcomes often enough for the comparison to mean something.
    expect(verdicts.accepted).toBeGreaterThan(500);
    expect(verdicts.refused).toBeGreaterThan(500);
  });
});

describe('readers of signed attribute values over located elements', () => {
  const located = (h: string) => TlvElement.of(hex(h), new ElementBudget(1000, 'test'))!;
  const hash = '04 02 ab cd';

  it('ESS signing-certificate-v2: the certHash and hash algorithm are read; other shapes are malformed', () => {
    const ok = parseSigningCertificate(located(`30 08 30 06 30 04 ${hash}`), 2);
    expect(ok).toEqual([{ version: 2, hashAlgorithmOid: '2.16.840.1.101.3.4.2.1', certHash: hex('abcd'), issuerSerial: undefined }]);
    // certHash in the constructed (BER) form, an INTEGER instead, certs not a SEQUENCE, an empty list.
    for (const bad of ['30 0a 30 08 30 06 24 04 04 02 ab cd', '30 08 30 06 30 04 02 02 ab cd', '30 06 31 04 04 02 ab cd', '30 02 30 00', '30 00']) {
      expect(parseSigningCertificate(located(bad), 2), bad).toBeUndefined();
    }
    // A hash algorithm that is not an OBJECT IDENTIFIER; an IssuerSerial whose GeneralName is not context-tagged.
    expect(parseSigningCertificate(located(`30 0c 30 0a 30 08 30 02 05 00 ${hash}`), 2)).toBeUndefined();
    expect(parseSigningCertificate(located(`30 11 30 0f 30 0d ${hash} 30 07 30 02 05 00 02 01 01`), 2)).toBeUndefined();
    // The same with a [4] directoryName (an empty Name) is read.
    expect(parseSigningCertificate(located(`30 13 30 11 30 0f ${hash} 30 09 30 04 a4 02 30 00 02 01 01`), 2)?.[0]?.issuerSerial?.serialNumberHex).toBe('01');
  });

  it('a constructed OCTET STRING compares as nothing: never equal to a digest', () => {
    expect(octetStringBytes(located('24 04 04 02 ab cd'), 'message-digest')).toEqual(new Uint8Array(0));
    expect(octetStringBytes(located('04 02 ab cd'), 'message-digest')).toEqual(hex('abcd'));
    expect(() => octetStringBytes(located('02 01 01'), 'message-digest')).toThrow(InputFormatError);
  });
});

describe('CAdES inputs whose signed attributes carry values asn1js refuses', () => {
  const at = new Date(loadManifest().validationTime);
  const opts = () => ({ trustAnchors: [fixture('pki/kz-root.pem')], crls: fixtureCrls(), validationTime: at });
  const key = createPrivateKey(readFileSync(join(FIXTURES, 'keys', 'kz-signer.key.pem')));
  const PLACEHOLDER = hex('04 05 5a 5a 5a 5a 5a');

  const find = (hay: Uint8Array, needle: Uint8Array, from = 0) => Buffer.from(hay).indexOf(Buffer.from(needle), from);

  /** kz-attached with an extra signed attribute whose value is `value` (7 octets), signed again over the result: a valid signature. */
  async function withValue(value: Uint8Array): Promise<Uint8Array> {
    expect(value).toHaveLength(PLACEHOLDER.length);
    const base = await resign(fixture('cades/kz-attached.p7s'), { key: 'kz-signer', add: [attribute('1.2.3.4.5', asn1js.fromBER(PLACEHOLDER.slice().buffer).result)] });
    const si = parseCades(base).signers[0]!;
    const out = base.slice();
    out.set(value, find(out, PLACEHOLDER));
    // The signed attributes as sent, DER SET tag instead of [0], signed again with the fixture key.
    const attrsAt = find(base, si.signedAttributesDer!.subarray(1)) - 1;
    const signed = out.slice(attrsAt, attrsAt + si.signedAttributesDer!.length);
    signed[0] = 0x31;
    const value2 = new Uint8Array(sign('sha256', signed, key));
    expect(value2).toHaveLength(si.signatureValue.length);
    out.set(value2, find(out, si.signatureValue));
    return out;
  }

  it('control: the placeholder, and values asn1js accepts, verify', async () => {
    for (const v of [PLACEHOLDER, hex('13 05 4b 47 4b 47 4b'), hex('30 05 05 00 01 01 ff'), hex('0c 05 c3 a9 41 42 43')]) {
      const r = await verify(await withValue(v), opts());
      expect(r.signatures[0]!.indication, Buffer.from(v).toString('hex')).toBe('TOTAL-PASSED');
    }
  });

  it.each([
    ['an OBJECT IDENTIFIER whose last subidentifier continues', '30 05 06 03 2a 03 84'],
    ['a BIT STRING with 8 unused bits', '30 05 03 03 08 ff ff'],
    ['a BMPString of odd length', '1e 05 00 41 00 42 00'],
    ['an element whose length runs past its SET', '04 06 5a 5a 5a 5a 5a'],
    ['a trailing octet after the value inside its SET', '04 04 5a 5a 5a 5a 00'],
    ['a constructed OCTET STRING holding an INTEGER', '24 05 02 03 01 02 03'],
  ])('%s: a typed error on both parsing paths, never a pass', async (_, h) => {
    const input = await withValue(hex(h));
    expect(() => parseCades(input)).toThrow(InputFormatError);
    expect(() => parseDecodingAll(input)).toThrow(InputFormatError);
    let indication: string | undefined;
    try {
      indication = (await verify(input, opts())).signatures[0]?.indication;
    } catch (e) {
      expect(e).toBeInstanceOf(OtsEsigError);
    }
    expect(indication).not.toBe('TOTAL-PASSED');
  });

  it('the signing-time, message-digest and ESS values read from located bytes give the decoded values', () => {
    const si = parseCades(fixture('cades/kz-attached.p7s')).signers[0]!;
    const full = parseDecodingAll(fixture('cades/kz-attached.p7s')).signers[0]!;
    expect(si.claimedSigningTime?.toISOString()).toBe(full.claimedSigningTime?.toISOString());
    expect(si.claimedSigningTime).toBeInstanceOf(Date);
    expect(JSON.stringify(si.essSigningCertificates, (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))).toBe(
      JSON.stringify(full.essSigningCertificates, (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)),
    );
    expect(si.signedAttributes.get(OID.messageDigest)![0]!.values[0]!.content('md')).toHaveLength(32);
  });
});
