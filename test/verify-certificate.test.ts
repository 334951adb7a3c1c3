/**
 * verifyCertificate: one certificate through the same context, path validation, revocation rules and
 * verdict as verify(), under the default policy unless told otherwise.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, verifyCertificate } from '../src/index.js';
import { crl, fixtureActor, type Actor } from './helpers/attack-pki.js';
import { fixture } from './helpers/fixtures.js';
import * as x509 from '@peculiar/x509';
import { issue, type TestCert } from './pki-testca.js';

const AT = new Date('2026-06-01T00:00:00Z');
let root: Actor;
let ca: Actor;
let rootCrl: Uint8Array;
const signer = fixture('pki/kz-signer.pem');
const revokedSigner = fixture('pki/kz-signer-revoked.pem');
const caCrl = fixture('crl/kz-ca.crl'); // revokes kz-signer-revoked (2026-02-01), current 2026-05-01..08-01

beforeAll(async () => {
  root = await fixtureActor('pki/kz-root.pem', 'kz-root');
  ca = await fixtureActor('pki/kz-ca.pem', 'kz-ca');
  rootCrl = await crl({ issuer: root, revoked: [], thisUpdate: new Date('2026-05-01T00:00:00Z'), nextUpdate: new Date('2026-08-01T00:00:00Z'), number: 1 });
});

const base = () => ({ trustAnchors: [root.pem], intermediates: [ca.pem], validationTime: AT });

describe('verifyCertificate', () => {
  it('TOTAL-PASSED under the default policy with CRLs for the signer and its CA', async () => {
    const r = await verifyCertificate(signer, { ...base(), crls: [caCrl, rootCrl] });
    expect(r.indication).toBe('TOTAL-PASSED');
    expect(r.subIndication).toBeNull();
    expect(r.policy.name).toBe('default');
    expect(r.policy.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.chain.map((c) => c.subject)).toHaveLength(3);
    expect(r.revocation.map((x) => x.status)).toEqual(['good', 'good']);
    expect(r.checks.every((c) => c.status === 'PASSED')).toBe(true);
  });

  it('INDETERMINATE / TRY_LATER under the default policy without revocation data', async () => {
    const r = await verifyCertificate(signer, base());
    expect(r.indication).toBe('INDETERMINATE');
    expect(r.subIndication).toBe('TRY_LATER');
    expect(r.checks.filter((c) => c.status !== 'PASSED').every((c) => c.subIndication === 'TRY_LATER')).toBe(true);
  });

  it('the CA certificate needs a status too under the default (signer-and-ca)', async () => {
    const r = await verifyCertificate(signer, { ...base(), crls: [caCrl] });
    expect([r.indication, r.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
  });

  it('the lenient preset passes without revocation data and says so', async () => {
    const r = await verifyCertificate(signer, { ...base(), policy: 'lenient' });
    expect([r.indication, r.subIndication]).toEqual(['TOTAL-PASSED', null]);
    expect(r.policy.name).toBe('lenient');
    expect(r.warnings.some((w) => /not checked/.test(w))).toBe(true);
  });

  it('a revoked certificate is REVOKED', async () => {
    const r = await verifyCertificate(revokedSigner, { ...base(), crls: [caCrl, rootCrl] });
    expect(r.indication).toBe('INDETERMINATE');
    expect(r.subIndication).toBe('REVOKED_NO_POE');
  });

  it('no anchor: NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const r = await verifyCertificate(signer, { intermediates: [ca.pem], validationTime: AT, crls: [caCrl, rootCrl] });
    expect([r.indication, r.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
  });

  it('checks the intended usage: keyUsage and extendedKeyUsage', async () => {
    const opts = { ...base(), crls: [caCrl, rootCrl] };
    expect((await verifyCertificate(signer, { ...opts, keyUsage: ['keyCertSign'] })).indication).not.toBe('TOTAL-PASSED');
    // The CA certificate validated as a CA (keyCertSign, its own path of two).
    expect((await verifyCertificate(ca.pem, { ...opts, keyUsage: ['keyCertSign'] })).indication).toBe('TOTAL-PASSED');
    expect((await verifyCertificate(ca.pem, { ...opts })).indication).not.toBe('TOTAL-PASSED');
    // [] = no keyUsage requirement.
    expect((await verifyCertificate(ca.pem, { ...opts, keyUsage: [] })).indication).toBe('TOTAL-PASSED');
  });

  it('a path longer than limits.maxPathDepth is not built', async () => {
    const r = await verifyCertificate(signer, { ...base(), crls: [caCrl, rootCrl], limits: { maxPathDepth: 1 } });
    expect(r.indication).not.toBe('TOTAL-PASSED');
  });

  it('refuses unusable options', async () => {
    await expect(verifyCertificate(signer, { ...base(), keyUsage: ['signEverything' as never] })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(verifyCertificate(signer, { ...base(), extendedKeyUsage: 'serverAuth' })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(verifyCertificate(new Uint8Array([1, 2, 3]), base())).rejects.toBeInstanceOf(InvalidOptionError);
  });
});

describe('verifyCertificate: a CRL signed by a separate CRL-signing key (RFC 5280 6.3.3 (f))', () => {
  const ALG = { name: 'ECDSA', hash: 'SHA-256' } as const;
  const at = new Date('2026-01-01T00:00:00Z');
  async function crlOf(issuerName: string, signer: TestCert, revoked: TestCert[] = []): Promise<Uint8Array> {
    const c = await x509.X509CrlGenerator.create({
      issuer: issuerName,
      thisUpdate: new Date('2025-12-01T00:00:00Z'),
      nextUpdate: new Date('2026-03-01T00:00:00Z'),
      signingKey: signer.keys.privateKey,
      signingAlgorithm: ALG,
      extensions: [await x509.AuthorityKeyIdentifierExtension.create(signer.keys.publicKey), new x509.Extension('2.5.29.20', false, new Uint8Array([0x02, 0x01, 0x01]))],
      entries: revoked.map((r) => ({ serialNumber: r.x.serialNumber, revocationDate: new Date('2025-11-01T00:00:00Z') })),
    });
    return new Uint8Array(c.rawData);
  }
  let root: TestCert, ca: TestCert, caCrlSigner: TestCert, leaf: TestCert, rootCrl: Uint8Array;
  beforeAll(async () => {
    root = await issue({ subject: 'CN=Separate Key Root', ca: true });
    ca = await issue({ subject: 'CN=Separate Key CA', issuer: root, ca: true, keyUsage: x509.KeyUsageFlags.keyCertSign });
    // Same name, another key, only cRLSign: the CA's CRL-signing certificate.
    caCrlSigner = await issue({ subject: 'CN=Separate Key CA', issuer: root, ca: true, keyUsage: x509.KeyUsageFlags.cRLSign });
    leaf = await issue({ subject: 'CN=Separate Key Leaf', issuer: ca });
    rootCrl = await crlOf('CN=Separate Key Root', root);
  });
  const der = (c: TestCert) => new Uint8Array(c.x.rawData);
  // Named explicitly: these cases are about which CRLs count, whatever verify()'s default is.
  const opts = (crls: Uint8Array[], intermediates = [ca, caCrlSigner]) => ({ policy: 'default', trustAnchors: [der(root)], intermediates: intermediates.map(der), crls, validationTime: at, keyUsage: [] });

  it('a good status from the separate key counts (it was TRY_LATER through the public API before)', async () => {
    const r = await verifyCertificate(der(leaf), opts([await crlOf('CN=Separate Key CA', caCrlSigner), rootCrl]));
    expect([r.indication, r.subIndication]).toEqual(['TOTAL-PASSED', null]);
  });

  it('a revocation from the separate key counts', async () => {
    const r = await verifyCertificate(der(leaf), opts([await crlOf('CN=Separate Key CA', caCrlSigner, [leaf]), rootCrl]));
    expect([r.indication, r.subIndication]).toEqual(['INDETERMINATE', 'REVOKED_NO_POE']);
  });

  it('attack: a "good" CRL signed by a same-named key that does not chain to the anchors says nothing', async () => {
    const rogueRoot = await issue({ subject: 'CN=Separate Key Root', ca: true });
    const rogue = await issue({ subject: 'CN=Separate Key CA', issuer: rogueRoot, ca: true, keyUsage: x509.KeyUsageFlags.cRLSign });
    const r = await verifyCertificate(der(leaf), opts([await crlOf('CN=Separate Key CA', rogue), rootCrl], [ca, rogue, rogueRoot]));
    expect([r.indication, r.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
  });

  it('attack: a "good" CRL from the separate key does not hide a revocation by the CA key itself', async () => {
    const ca2 = await issue({ subject: 'CN=Both Keys CA', issuer: root, ca: true });
    const signer2 = await issue({ subject: 'CN=Both Keys CA', issuer: root, ca: true, keyUsage: x509.KeyUsageFlags.cRLSign });
    const leaf2 = await issue({ subject: 'CN=Both Keys Leaf', issuer: ca2 });
    const r = await verifyCertificate(der(leaf2), opts([await crlOf('CN=Both Keys CA', signer2), await crlOf('CN=Both Keys CA', ca2, [leaf2]), rootCrl], [ca2, signer2]));
    expect([r.indication, r.subIndication]).toEqual(['INDETERMINATE', 'REVOKED_NO_POE']);
  });

  it('a CRL signed by the CA key when the CA certificate lacks cRLSign says nothing', async () => {
    const r = await verifyCertificate(der(leaf), opts([await crlOf('CN=Separate Key CA', ca, [leaf]), rootCrl], [ca]));
    expect([r.indication, r.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
  });
});
