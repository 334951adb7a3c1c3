/**
 * verifyCertificate: one certificate through the same context, path validation, revocation rules and
 * verdict as verify(), under the default policy unless told otherwise.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, verifyCertificate } from '../src/index.js';
import { crl, fixtureActor, type Actor } from './helpers/attack-pki.js';
import { fixture } from './helpers/fixtures.js';

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
