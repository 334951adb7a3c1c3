/**
 * NodeCryptoProvider builds KeyObjects from an SPKI's numbers as a JWK when
 * the SPKI is a plain RSA or named-curve EC key (OpenSSL's DER decoder costs
 * 10-30x more, #19). The key must be the same key: every fixture key read
 * that way exports as the SPKI it came from, keys in other forms go to the DER
 * decoder, and a key the DER decoder refuses (a point off its curve) is
 * refused through the JWK too.
 */
import * as crypto from 'node:crypto';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NodeCryptoProvider, spkiEcPoint, spkiJwk } from '../src/crypto/node-provider.js';
import { readPublicKey } from '../src/crypto/spki.js';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { parsePem } from '../src/util/pem.js';
import { FIXTURES, fixture } from './helpers/fixtures.js';

const SHA256_ECDSA = { oid: '1.2.840.10045.4.3.2' };
const SHA256_RSA = { oid: '1.2.840.113549.1.1.11' };

function certificates(): ParsedCertificate[] {
  return readdirSync(`${FIXTURES}pki`)
    .filter((f) => f.endsWith('.pem'))
    .flatMap((f) => parsePem(new TextDecoder().decode(fixture(`pki/${f}`))).map((b) => ParsedCertificate.fromDer(b.der)));
}

/** The P-256 SPKI with its point in compressed form (02/03 || x), built by hand: 26-byte header for 33 key bytes. */
function compressPoint(spki: Uint8Array): Uint8Array {
  const point = spki.subarray(spki.length - 65);
  const header = Uint8Array.from([0x30, 0x39, ...spki.subarray(2, 2 + 21), 0x03, 0x22, 0x00]);
  return Uint8Array.from([...header, 0x02 | (point[64]! & 1), ...point.subarray(1, 33)]);
}

const spkiOf = (k: crypto.KeyObject) => new Uint8Array(k.export({ format: 'der', type: 'spki' }));

describe('NodeCryptoProvider key import through JWK', () => {
  it('every RSA and EC fixture key read as a JWK exports as the same SPKI, byte for byte', () => {
    const seen = { RSA: 0, EC: 0 };
    for (const c of certificates()) {
      const jwk = spkiJwk(c.publicKey.spki);
      if (!jwk) continue;
      seen[jwk.kty as 'RSA' | 'EC']++;
      expect(spkiOf(crypto.createPublicKey({ key: jwk, format: 'jwk' }))).toEqual(new Uint8Array(c.publicKey.spki));
    }
    expect(seen.RSA).toBeGreaterThan(0);
    expect(seen.EC).toBeGreaterThan(0);
  });

  it('generated keys of each curve and RSA size round-trip the same way', () => {
    const keys = [
      ...['P-256', 'P-384', 'P-521'].map((namedCurve) => crypto.generateKeyPairSync('ec', { namedCurve }).publicKey),
      ...[1024, 2048, 3072].map((modulusLength) => crypto.generateKeyPairSync('rsa', { modulusLength, publicExponent: 3 }).publicKey),
      crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
    ];
    for (const k of keys) {
      const spki = spkiOf(k);
      const jwk = spkiJwk(spki);
      expect(jwk).toBeDefined();
      expect(spkiOf(crypto.createPublicKey({ key: jwk!, format: 'jwk' }))).toEqual(spki);
    }
  });

  it('other forms are left to the DER decoder: compressed points, trailing bytes, non-minimal or negative INTEGERs, RSA-PSS, Ed25519', () => {
    const ec = spkiOf(crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    expect(spkiJwk(ec)).toBeDefined(); // the uncompressed form itself is taken
    const compressed = compressPoint(ec);
    const jwkOf = (der: Uint8Array) => crypto.createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' }).export({ format: 'jwk' });
    expect(jwkOf(compressed)).toEqual(jwkOf(ec)); // the same key, another form
    expect(spkiJwk(compressed)).toBeUndefined();
    const c2 = ec.slice();
    c2[ec.length - 65] = 0x02; // an uncompressed point's length with another form's prefix
    expect(spkiJwk(c2)).toBeUndefined();
    expect(spkiJwk(Uint8Array.from([...ec, 0]))).toBeUndefined();
    const rsa = spkiOf(crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey);
    // The modulus INTEGER starts with 0x00 followed by a byte >= 0x80; dropping the sign octet makes it negative.
    const at = rsa.indexOf(0x00, 24); // first 0x00 after the BIT STRING's unused-bits octet: the modulus sign octet
    expect(rsa[at + 1]! & 0x80).toBeTruthy();
    const negative = rsa.slice();
    negative[at] = 0x80; // same length, now a negative modulus
    expect(spkiJwk(negative)).toBeUndefined();
    const pss = spkiOf(crypto.generateKeyPairSync('rsa-pss', { modulusLength: 1024 }).publicKey);
    expect(spkiJwk(pss)).toBeUndefined();
    expect(spkiJwk(spkiOf(crypto.generateKeyPairSync('ed25519').publicKey))).toBeUndefined();
  });

  it('a point off its curve is refused through the JWK as through the DER decoder', async () => {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const data = new TextEncoder().encode('signed');
    const signature = new Uint8Array(crypto.sign('sha256', data, privateKey));
    const good = spkiOf(publicKey);
    const provider = new NodeCryptoProvider(crypto);
    await expect(provider.verify({ signatureAlgorithm: SHA256_ECDSA, publicKey: readPublicKey(good), data, signature })).resolves.toBe(true);
    const off = good.slice();
    off[off.length - 1] ^= 1; // y changed: no longer on P-256
    expect(spkiJwk(off)).toBeDefined();
    expect(() => crypto.createPublicKey({ key: Buffer.from(off), format: 'der', type: 'spki' })).toThrow();
    await expect(provider.verify({ signatureAlgorithm: SHA256_ECDSA, publicKey: readPublicKey(off), data, signature })).rejects.toThrow();
  });

  it('a wrong key or signature is still false: RSA through the JWK path', async () => {
    const a = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const b = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const data = new TextEncoder().encode('signed');
    const signature = new Uint8Array(crypto.sign('sha256', data, a.privateKey));
    const provider = new NodeCryptoProvider(crypto);
    await expect(provider.verify({ signatureAlgorithm: SHA256_RSA, publicKey: readPublicKey(spkiOf(a.publicKey)), data, signature })).resolves.toBe(true);
    await expect(provider.verify({ signatureAlgorithm: SHA256_RSA, publicKey: readPublicKey(spkiOf(b.publicKey)), data, signature })).resolves.toBe(false);
    const flipped = signature.slice();
    flipped[10] ^= 1;
    await expect(provider.verify({ signatureAlgorithm: SHA256_RSA, publicKey: readPublicKey(spkiOf(a.publicKey)), data, signature: flipped })).resolves.toBe(false);
  });
});

/**
 * On OpenSSL 3.0 (Node 20) the provider imports an EC key from its raw point through WebCrypto (the JWK import
 * there also multiplies the point by the group order, which costs a fifth of a new signer's cryptography). The key
 * must be the same key and refused exactly when the JWK import refuses it; on other OpenSSL versions the JWK path
 * runs, and these tests hold for it as well.
 */
describe('NodeCryptoProvider key import from the raw EC point', () => {
  const alg = (crv: string) => ({ name: 'ECDSA', namedCurve: crv });
  const rawKey = async (spki: Uint8Array) => {
    const p = spkiEcPoint(spki)!;
    return crypto.KeyObject.from(await crypto.webcrypto.subtle.importKey('raw', p.point as Uint8Array<ArrayBuffer>, alg(p.crv), false, ['verify']));
  };

  it('every EC fixture key and a generated key of each curve is the same key through the raw point as through its SPKI', async () => {
    const spkis = [
      ...certificates().map((c) => new Uint8Array(c.publicKey.spki)).filter((s) => spkiEcPoint(s)),
      ...['P-256', 'P-384', 'P-521'].map((namedCurve) => spkiOf(crypto.generateKeyPairSync('ec', { namedCurve }).publicKey)),
    ];
    expect(spkis.length).toBeGreaterThan(3);
    for (const spki of spkis) expect(spkiOf(await rawKey(spki))).toEqual(spki);
  });

  it('the raw point is exactly what spkiJwk takes: no point for compressed points, RSA or other forms', () => {
    const ec = spkiOf(crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    const p = spkiEcPoint(ec)!;
    expect(p.crv).toBe('P-256');
    expect(p.point).toEqual(ec.subarray(ec.length - 65));
    expect(spkiEcPoint(compressPoint(ec))).toBeUndefined();
    expect(spkiEcPoint(Uint8Array.from([...ec, 0]))).toBeUndefined();
    expect(spkiEcPoint(spkiOf(crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey))).toBeUndefined();
    expect(spkiEcPoint(spkiOf(crypto.generateKeyPairSync('ed25519').publicKey))).toBeUndefined();
  });

  it('points the JWK import refuses are refused through the raw point too: off the curve, coordinates of the field size or more, (0, 0)', async () => {
    const spki = spkiOf(crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    const fieldPrime = Buffer.from('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff', 'hex');
    const variants: Uint8Array[] = [];
    const off = spki.slice();
    off[off.length - 1] ^= 1;
    variants.push(off);
    const xIsP = spki.slice();
    xIsP.set(fieldPrime, spki.length - 64);
    variants.push(xIsP);
    const yIsP = spki.slice();
    yIsP.set(fieldPrime, spki.length - 32);
    variants.push(yIsP);
    const zero = spki.slice();
    zero.fill(0, spki.length - 64);
    variants.push(zero);
    for (const v of variants) {
      const p = spkiEcPoint(v)!;
      expect(() => crypto.createPublicKey({ key: spkiJwk(v)!, format: 'jwk' })).toThrow();
      await expect(crypto.webcrypto.subtle.importKey('raw', p.point as Uint8Array<ArrayBuffer>, alg(p.crv), false, ['verify'])).rejects.toThrow();
    }
  });

  it('the provider refuses an off-curve key with the JWK import\'s error and verifies good ones, on any OpenSSL', async () => {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const data = new TextEncoder().encode('signed');
    const signature = new Uint8Array(crypto.sign('sha384', data, privateKey));
    const good = spkiOf(publicKey);
    const off = good.slice();
    off[off.length - 1] ^= 1;
    let jwkError = '';
    try {
      crypto.createPublicKey({ key: spkiJwk(off)!, format: 'jwk' });
    } catch (e) {
      jwkError = (e as Error).message;
    }
    expect(jwkError).not.toBe('');
    const SHA384_ECDSA = { oid: '1.2.840.10045.4.3.3' };
    const other = spkiOf(crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey);
    // The provider as the library builds it (node:crypto with WebCrypto) and one given only what the JWK path needs.
    for (const provider of [new NodeCryptoProvider(crypto), new NodeCryptoProvider({ constants: crypto.constants, createHash: crypto.createHash, createPublicKey: crypto.createPublicKey, verify: crypto.verify })]) {
      await expect(provider.verify({ signatureAlgorithm: SHA384_ECDSA, publicKey: readPublicKey(good), data, signature })).resolves.toBe(true);
      await expect(provider.verify({ signatureAlgorithm: SHA384_ECDSA, publicKey: readPublicKey(other), data, signature })).resolves.toBe(false);
      await expect(provider.verify({ signatureAlgorithm: SHA384_ECDSA, publicKey: readPublicKey(off), data, signature })).rejects.toThrow(jwkError);
    }
  });
});
