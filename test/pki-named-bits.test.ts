/**
 * BIT STRING flags (keyUsage, ReasonFlags) are read only from DER: unused bits
 * must be zero (X.690 11.2.1), their count 0..7, and 0 in an empty string.
 * Attack inputs: a CA certificate whose keyCertSign bit sits in the unused
 * bits (`03 02 03 84`, OpenSSL reads digitalSignature only), and CRLs whose
 * onlySomeReasons / a certificate whose distribution point reasons claim a
 * reason through an unused bit so that coverage looks complete.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDefaultRegistry } from '../src/crypto/registry.js';
import { InputFormatError } from '../src/errors.js';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { ParsedCrl } from '../src/pki/crl.js';
import { crlStatus } from '../src/pki/revocation.js';
import { namedBits } from '../src/util/named-bits.js';
import { AT, issue, validate, type TestCert } from './pki-testca.js';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const hex = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from((s.replace(/\s+/g, '').match(/../g) ?? []).map((b) => parseInt(b, 16)));

describe('namedBits', () => {
  it('reads DER named bit lists', () => {
    expect(namedBits(hex('07 80'), 9, 't')).toBe(1); // one bit: bit 0
    expect(namedBits(hex('05 a0'), 9, 't')).toBe(0b101);
    expect(namedBits(hex('00'), 9, 't')).toBe(0); // empty string
    expect(namedBits(hex('07 00 80'), 9, 't')).toBe(1 << 8);
  });
  it.each([
    ['03 84', /unused bits are not zero/],
    ['07 40', /unused bits are not zero/],
    ['01 ff', /unused bits are not zero/],
    ['08 00', /not 0\.\.7/],
    ['ff 80', /not 0\.\.7/],
    ['03', /empty BIT STRING/],
    ['', /initial octet/],
  ])('refuses %s', (content, why) => {
    expect(() => namedBits(hex(content), 9, 't')).toThrow(why);
    expect(() => namedBits(hex(content), 9, 't')).toThrow(InputFormatError);
  });
});

/** A certificate with a keyUsage extension of exactly `keyUsageDer` (the extnValue), signed by `issuer`. */
async function withRawKeyUsage(subject: string, issuer: TestCert, keyUsageDer: Uint8Array<ArrayBuffer>) {
  const keys = (await globalThis.crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const x = await x509.X509CertificateGenerator.create({
    serialNumber: '7e57',
    subject,
    issuer: issuer.x.subject,
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2040-01-01T00:00:00Z'),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.Extension('2.5.29.15', true, keyUsageDer),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    ],
  });
  return { name: subject, keys, x };
}

describe('keyUsage with unused bits set', () => {
  it('a CA whose keyCertSign is an unused bit (03 02 03 84) does not issue: the certificate is malformed', async () => {
    const root = await issue({ subject: 'CN=KU Root', ca: true });
    const ca = await withRawKeyUsage('CN=KU Sneaky CA', root, hex('03 02 03 84'));
    const caDer = new Uint8Array(ca.x.rawData);
    const leaf = await issue({ subject: 'CN=KU Leaf', issuer: { ...ca, cert: undefined as unknown as ParsedCertificate } });
    let parsed: ParsedCertificate | undefined;
    try {
      parsed = ParsedCertificate.fromDer(caDer);
    } catch (e) {
      expect(e).toBeInstanceOf(InputFormatError);
      expect((e as Error).message).toMatch(/unused bits are not zero/);
    }
    // Before the fix the CA parsed with keyCertSign and this path was valid (a false accept).
    if (parsed) {
      const o = await validate(leaf, [{ ...ca, cert: parsed }], [root]);
      expect(o.best?.valid).toBe(false);
    }
    expect(parsed).toBeUndefined();
    // OpenSSL reads the same keyUsage as digitalSignature only: the chain fails there too.
    const probe = spawnSync('openssl', ['version']);
    if (!probe.error && probe.status === 0) {
      const dir = mkdtempSync(join(tmpdir(), 'ots-ku-'));
      try {
        writeFileSync(join(dir, 'root.pem'), root.x.toString('pem'));
        writeFileSync(join(dir, 'ca.pem'), ca.x.toString('pem'));
        writeFileSync(join(dir, 'leaf.pem'), leaf.x.toString('pem'));
        const r = spawnSync('openssl', ['verify', '-attime', String(AT.getTime() / 1000), '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'ca.pem'), join(dir, 'leaf.pem')], { encoding: 'utf8' });
        expect(r.status, r.stdout + r.stderr).not.toBe(0);
        const text = spawnSync('openssl', ['x509', '-noout', '-ext', 'keyUsage', '-in', join(dir, 'ca.pem')], { encoding: 'utf8' }).stdout;
        expect(text).toMatch(/Digital Signature/);
        expect(text).not.toMatch(/Certificate Sign/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('03 02 07 40 (nonRepudiation in an unused bit) and an empty string with unused bits are refused too', async () => {
    const root = await issue({ subject: 'CN=KU Root 2', ca: true });
    for (const ku of ['03 02 07 40', '03 01 03', '03 00', '03 02 08 00']) {
      const c = await withRawKeyUsage('CN=KU Cert', root, hex(ku));
      expect(() => ParsedCertificate.fromDer(new Uint8Array(c.x.rawData)), ku).toThrow(InputFormatError);
    }
    const ok = await withRawKeyUsage('CN=KU Cert', root, hex('03 02 01 86'));
    expect([...ParsedCertificate.fromDer(new Uint8Array(ok.x.rawData)).keyUsage!]).toEqual(['digitalSignature', 'keyCertSign', 'cRLSign']);
  });
});

describe('ReasonFlags with unused bits set', () => {
  const registry = getDefaultRegistry();
  async function crl(signer: TestCert, extensions: x509.Extension[]) {
    const c = await x509.X509CrlGenerator.create({
      issuer: signer.x.subject,
      thisUpdate: new Date('2025-01-01T00:00:00Z'),
      nextUpdate: new Date('2030-01-01T00:00:00Z'),
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
      signingKey: signer.keys.privateKey,
      entries: [],
      extensions: [new x509.Extension('2.5.29.20', false, hex('02 01 01')), ...extensions],
    });
    return ParsedCrl.fromDer(new Uint8Array(c.rawData));
  }
  const idp = (der: string) => new x509.Extension('2.5.29.28', true, hex(der));

  it('two reason-partitioned CRLs do not cover every reason when one claims privilegeWithdrawn in an unused bit', async () => {
    const root = await issue({ subject: 'CN=Reasons Root', ca: true });
    const leaf = await issue({ subject: 'CN=Reasons Leaf', issuer: root });
    // onlySomeReasons: 01 ff = bits 1..6 as DER reads it (bit 7, privilegeWithdrawn, is the unused bit), then aACompromise.
    const partA = await crl(root, [idp('30 04 83 02 01 ff')]);
    const partB = await crl(root, [idp('30 05 83 03 07 00 80')]);
    expect(partA.problems.join()).toMatch(/unused bits are not zero/);
    const st = await crlStatus(leaf.cert, root.cert, [partA, partB], AT, registry);
    expect(st.status).toBe('unknown');
    // The same partition written in DER with bit 7 really set covers everything.
    const fixedA = await crl(root, [idp('30 04 83 02 00 ff')]);
    expect((await crlStatus(leaf.cert, root.cert, [fixedA, partB], AT, registry)).status).toBe('good');
  });

  it('a certificate distribution point claiming a reason in an unused bit makes cRLDistributionPoints unreadable', async () => {
    const root = await issue({ subject: 'CN=DP Reasons Root', ca: true });
    const dps = (der: string) => new x509.Extension('2.5.29.31', false, hex(der));
    const leaf = await issue({ subject: 'CN=DP Reasons Leaf', issuer: root, extensions: [dps('30 0f 30 06 a0 00 81 02 01 ff 30 05 81 03 07 00 80')] });
    const full = await crl(root, []);
    const st = await crlStatus(leaf.cert, root.cert, [full], AT, registry);
    expect(st).toMatchObject({ status: 'unknown', reason: expect.stringMatching(/cRLDistributionPoints/) });
    const fixed = await issue({ subject: 'CN=DP Reasons Leaf', issuer: root, extensions: [dps('30 0f 30 06 a0 00 81 02 00 ff 30 05 81 03 07 00 80')] });
    expect((await crlStatus(fixed.cert, root.cert, [full], AT, registry)).status).toBe('good');
  });
});
