/**
 * Anchors given as bytes are indexed once per array (pki/byte-anchor-pool.ts): the same array holding the same
 * buffers reuses the index, each anchor it hands out confirmed against the buffer's current bytes; another array,
 * or a buffer changed in place, is a new anchor set and is judged as such.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { byteAnchorPoolOf } from '../src/pki/byte-anchor-pool.js';
import { copyBytes } from '../src/util/bytes.js';

const FIX = join(__dirname, '..', 'fixtures');
const read = (rel: string) => new Uint8Array(readFileSync(join(FIX, rel)));
const pemToDer = (pem: Uint8Array) => new Uint8Array(Buffer.from(new TextDecoder().decode(pem).replace(/-----[^-]+-----|\s+/g, ''), 'base64'));
const TIME = new Date('2026-06-01T00:00:00Z');
const sig = read('cades/kg-attached.p7s');
const crls = [read('crl/current/kg-ca.crl'), read('crl/current/kg-root.crl')];
const indication = async (trustAnchors: Uint8Array[]) => {
  try {
    return (await verify(sig, { trustAnchors, crls, validationTime: TIME })).signatures[0]!.indication;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('anchors given as bytes', () => {
  it('the same array is trusted on every call; an array without the root is not', async () => {
    const anchors = [read('pki/az-root.pem'), pemToDer(read('pki/kg-root.pem'))];
    for (let i = 0; i < 3; i++) expect(await indication(anchors)).toBe('TOTAL-PASSED');
    expect(await indication([anchors[0]!])).toBe('INDETERMINATE');
    expect(await indication(anchors)).toBe('TOTAL-PASSED');
  });

  it('a buffer of the same array changed in place is a new anchor: the cached pool is not used', async () => {
    const root = pemToDer(read('pki/kg-root.pem'));
    const anchors = [read('pki/az-root.pem'), root];
    expect(await indication(anchors)).toBe('TOTAL-PASSED');
    // Overwrite the root's public key in place (same length): the CA certificate no longer verifies under it.
    const spki = ParsedCertificate.fromDer(root).publicKey.spki;
    const at = Buffer.from(root).indexOf(Buffer.from(spki));
    const saved = root.slice();
    root[at + spki.length - 5]! ^= 0x55;
    expect(await indication(anchors)).not.toBe('TOTAL-PASSED');
    root.set(saved);
    expect(await indication(anchors)).toBe('TOTAL-PASSED');
  });

  it('Node Buffers changed in place are seen too (the pool keeps copies, not views: Buffer#slice is a view)', async () => {
    // Both anchors in one shared ArrayBuffer, as Buffers, the way a server reading them often holds them.
    const az = read('pki/az-root.pem');
    const kg = pemToDer(read('pki/kg-root.pem'));
    const shared = Buffer.concat([az, kg]);
    const anchors = [shared.subarray(0, az.length), shared.subarray(az.length)];
    expect(await indication(anchors)).toBe('TOTAL-PASSED');
    const spki = ParsedCertificate.fromDer(kg).publicKey.spki;
    const at = az.length + Buffer.from(kg).indexOf(Buffer.from(spki));
    shared[at + spki.length - 5]! ^= 0x55;
    expect(await indication(anchors)).not.toBe('TOTAL-PASSED');
    shared[at + spki.length - 5]! ^= 0x55;
    expect(await indication(anchors)).toBe('TOTAL-PASSED');
  });

  it('5,000 anchors: one changed byte in the last is still a new anchor set', async () => {
    const kg = pemToDer(read('pki/kg-root.pem'));
    const az = pemToDer(read('pki/az-root.pem'));
    const anchors = [...Array.from({ length: 4999 }, () => az.slice()), kg];
    expect(await indication(anchors)).toBe('TOTAL-PASSED');
    const spki = ParsedCertificate.fromDer(kg).publicKey.spki;
    const at = Buffer.from(kg).indexOf(Buffer.from(spki));
    kg[at + spki.length - 5]! ^= 0x55;
    expect(await indication(anchors)).not.toBe('TOTAL-PASSED');
  });
});

describe('the reused index confirms each anchor it hands out (pki/byte-anchor-pool.ts)', () => {
  const kgRoot = () => pemToDer(read('pki/kg-root.pem'));
  const flipKey = (der: Uint8Array) => {
    const spki = ParsedCertificate.fromDer(copyBytes(der)).publicKey.spki;
    der[Buffer.from(der).indexOf(Buffer.from(spki)) + spki.length - 5]! ^= 0x55;
  };

  it('a lookup after an in-place change answers with the certificate the buffer holds now, never the indexed one', () => {
    const kg = kgRoot();
    const anchors = [pemToDer(read('pki/az-root.pem')), kg];
    const original = ParsedCertificate.fromDer(copyBytes(kg));
    expect(byteAnchorPoolOf(anchors).find(original)).toBeDefined();
    flipKey(kg);
    const pool = byteAnchorPoolOf(anchors); // same array, same buffers: the index is reused
    expect(pool.find(original)).toBeUndefined();
    const named = pool.withSubject(original.subject.key);
    expect(named).toHaveLength(1);
    expect(named[0]!.certificate.der).toEqual(kg);
    expect([...pool.values()].map((a) => a.certificate.der)).toContainEqual(kg);
    expect([...pool.values()].some((a) => Buffer.from(a.certificate.der).equals(Buffer.from(original.der)))).toBe(false);
  });

  it('enumerating confirms every buffer: one changed anchor that no lookup touched is not listed as it was', () => {
    const az = pemToDer(read('pki/az-root.pem'));
    const anchors = [az, kgRoot()];
    const before = ParsedCertificate.fromDer(copyBytes(az));
    byteAnchorPoolOf(anchors);
    flipKey(az);
    const listed = [...byteAnchorPoolOf(anchors).values()].map((a) => a.certificate);
    expect(listed.some((c) => c === before || Buffer.from(c.der).equals(Buffer.from(before.der)))).toBe(false);
  });

  it('an anchor overwritten with bytes that are no certificate: nothing trusted in that call, the next one reports the input', async () => {
    const kg = kgRoot();
    const anchors = [pemToDer(read('pki/az-root.pem')), kg];
    expect(await indication(anchors)).toBe('TOTAL-PASSED');
    kg.fill(0);
    expect(await indication(anchors)).not.toBe('TOTAL-PASSED');
    expect(await indication(anchors)).not.toBe('TOTAL-PASSED');
  });

  it('is read-only: adding to a shared index throws', () => {
    const pool = byteAnchorPoolOf([kgRoot()]);
    expect(() => pool.add({ certificate: ParsedCertificate.fromDer(kgRoot()) })).toThrow(/read-only/);
  });
});
