import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { getDefaultRegistry } from '../src/crypto/registry.js';
import { ocspAnswer, ParsedOcspResponse } from '../src/revocation/ocsp.js';
import { loadCertificates } from '../src/validation/options.js';
import { fixture } from './helpers/fixtures.js';

const at = new Date('2026-06-01T00:00:00Z');
const ocsp = (name: string) => fixture(`ltv/ocsp/${name}.der`);
const cert = (p: string): ParsedCertificate => loadCertificates(fixture(p))[0]!;

async function check(file: string, opts: { ocsp?: string[]; crls?: string[]; time?: Date; intermediates?: string[] } = {}) {
  const r = await verify(fixture(file), {
    trustAnchors: [fixture('pki/kz-root.pem')],
    intermediates: (opts.intermediates ?? []).map(fixture),
    ocspResponses: (opts.ocsp ?? []).map(ocsp),
    // kz-root's ARL: kz-ca's status, which the default policy requires (the OCSP responses speak for the signer only).
    crls: [...(opts.crls ?? []), 'crl/current/kz-root.crl'].map(fixture),
    validationTime: opts.time ?? at,
  });
  return r.signatures[0]!;
}

describe('OCSP responses as revocation data (RFC 6960, own validation)', () => {
  it('delegated responder (id-kp-OCSPSigning + nocheck, issued by the CA): good → TOTAL-PASSED from OCSP', async () => {
    const s = await check('cades/kz-attached.p7s', { ocsp: ['kz-signer-good'] });
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(s.revocation[0]).toMatchObject({ status: 'good', kind: 'ocsp', origin: 'supplied' });
    expect(s.revocation[0]!.source).toMatch(/delegated responder CN=KZ Test OCSP Responder/);
  });

  it('the issuing CA signing its own responses is authorized', async () => {
    const s = await check('cades/kz-attached.p7s', { ocsp: ['kz-signer-good-by-ca'] });
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(s.revocation[0]!.source).toMatch(/the issuing CA/);
  });

  it('genuine "revoked" → REVOKED_NO_POE from OCSP', async () => {
    const s = await check('cades/kz-revoked.p7s', { ocsp: ['kz-signer-revoked-revoked'] });
    expect(s.subIndication).toBe('REVOKED_NO_POE');
    expect(s.revocation[0]).toMatchObject({ status: 'revoked', kind: 'ocsp', revocationTime: '2026-02-01T00:00:00.000Z' });
  });

  it('a forged "good" (responder certificate from an untrusted CA) never overrides a genuine CRL revocation', async () => {
    const s = await check('cades/kz-revoked.p7s', { ocsp: ['kz-signer-revoked-forged-good'], crls: ['crl/kz-ca.crl'] });
    expect(s.indication).toBe('INDETERMINATE');
    expect(s.subIndication).toBe('REVOKED_NO_POE');
    expect(s.revocation[0]).toMatchObject({ status: 'revoked', kind: 'crl' });
  });

  it('a forged "good" alone is ignored (status unknown, reason given), not taken as good', async () => {
    const s = await check('cades/kz-revoked.p7s', { ocsp: ['kz-signer-revoked-forged-good'] });
    expect(s.revocation[0]!.status).toBe('unknown');
    expect(s.revocation[0]!.detail).toMatch(/not issued by CN=KZ Test Issuing CA/);
  });

  it('a responder certificate without id-kp-OCSPSigning (the TSA) is not authorized', async () => {
    const s = await check('cades/kz-attached.p7s', { ocsp: ['kz-signer-good-by-tsa'] });
    expect(s.revocation[0]!.status).toBe('unknown');
    expect(s.revocation[0]!.detail).toMatch(/lacks extendedKeyUsage id-kp-OCSPSigning/);
  });

  it('a delegated responder without id-pkix-ocsp-nocheck counts only when its own status is known good', async () => {
    const alone = await check('cades/kz-attached.p7s', { ocsp: ['kz-signer-good-by-checked-responder'] });
    expect(alone.revocation[0]!.status).toBe('unknown');
    expect(alone.revocation[0]!.detail).toMatch(/no id-pkix-ocsp-nocheck and its own status is unknown/);
    // The issuing CA's CRL (not listing the responder) settles the responder's status; the OCSP answer then counts.
    const withCrl = await check('cades/kz-attached.p7s', { ocsp: ['kz-signer-good-by-checked-responder'], crls: ['crl/kz-ca-empty.crl'], time: new Date('2026-05-20T00:00:00Z') });
    expect(withCrl.indication).toBe('TOTAL-PASSED');
    expect(withCrl.revocation[0]).toMatchObject({ status: 'good', kind: 'ocsp' });
  });

  it('a response that omits the responder certificate is checked with one supplied elsewhere', async () => {
    const without = await check('cades/kz-attached.p7s', { ocsp: ['kz-signer-good-nocerts'] });
    expect(without.revocation[0]!.status).toBe('unknown');
    const withCert = await check('cades/kz-attached.p7s', { ocsp: ['kz-signer-good-nocerts'], intermediates: ['ltv/pki/kz-ocsp.pem'] });
    expect(withCert.revocation[0]).toMatchObject({ status: 'good', kind: 'ocsp' });
  });

  it('a response past its nextUpdate is stale: reported, never taken as "good" (EN 319 102-1 5.2.5)', async () => {
    const s = await check('cades/kz-attached.p7s', { ocsp: ['kz-signer-good-stale'] });
    expect(s.revocation[0]).toMatchObject({ status: 'unknown', kind: 'ocsp' });
    expect(s.revocation[0]!.detail).toMatch(/^stale: /);
    // The default policy requires a fresh status: stale data is no data (TRY_LATER).
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(s.checks.find((c) => c.id === 'xcv.revocation-freshness')?.status).toBe('INDETERMINATE');
  });

  it('a response for another certificate does not answer', async () => {
    const s = await check('cades/kz-revoked.p7s', { ocsp: ['kz-signer-good'] });
    expect(s.revocation[0]!.status).toBe('unknown');
  });

  it('a fresh CRL and an OCSP "good": the verified revocation from either source wins', async () => {
    const s = await check('cades/kz-revoked.p7s', { ocsp: ['kz-signer-revoked-revoked'], crls: ['crl/kz-ca-empty.crl'] });
    // The empty CRL (2026-05-01) does not list it, the OCSP says revoked 2026-02-01: revocation wins.
    expect(s.revocation[0]).toMatchObject({ status: 'revoked', kind: 'ocsp' });
  });
});

describe('ocspAnswer', () => {
  const registry = getDefaultRegistry();
  const signer = cert('pki/kz-signer.pem');
  const ca = cert('pki/kz-ca.pem');

  it('reads a response and its single answer', async () => {
    const r = ParsedOcspResponse.fromDer(ocsp('kz-signer-good'));
    expect(r.responses).toHaveLength(1);
    expect(r.responses[0]).toMatchObject({ status: 'good', serialNumberHex: signer.serialNumberHex });
    expect(r.certificates.map((c) => c.commonName)).toEqual(['KZ Test OCSP Responder']);
    const a = await ocspAnswer(r, signer, ca, at, { registry });
    expect(a).toMatchObject({ applies: true, status: 'good', fresh: true });
  });

  it('a flipped bit in the response signature is rejected', async () => {
    const der = ocsp('kz-signer-good').slice();
    const r0 = ParsedOcspResponse.fromDer(der);
    const sig = r0.signatureValue;
    // Locate the signature bytes in the DER and flip the last one.
    const idx = Buffer.from(der).lastIndexOf(Buffer.from(sig.subarray(sig.length - 16)));
    der[idx + 15]! ^= 0x01;
    const a = await ocspAnswer(ParsedOcspResponse.fromDer(der), signer, ca, at, { registry });
    expect(a.applies).toBe(false);
    if (!a.applies) expect(a.reason).toMatch(/signature does not verify/);
  });

  it('the wrong issuer for the CertID does not match', async () => {
    const a = await ocspAnswer(ParsedOcspResponse.fromDer(ocsp('kz-signer-good')), signer, cert('pki/az-ca.pem'), at, { registry });
    expect(a.applies).toBe(false);
  });

  it('a "revoked" with a revocation time after the time in question answers good for that time', async () => {
    const a = await ocspAnswer(ParsedOcspResponse.fromDer(ocsp('kz-signer-revoked-revoked')), cert('pki/kz-signer-revoked.pem'), ca, new Date('2026-01-10T00:00:00Z'), { registry });
    expect(a).toMatchObject({ applies: true, status: 'good', fresh: true });
  });

  it('non-OCSP input is a typed InputFormatError', () => {
    expect(() => ParsedOcspResponse.fromDer(fixture('crl/kz-ca.crl'))).toThrow(expect.objectContaining({ code: 'ERR_INPUT_FORMAT' }));
  });
});
