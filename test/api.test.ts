import { describe, expect, it } from 'vitest';
import { DEFAULT_ALGORITHM_POLICY, InputFormatError, InvalidOptionError, ParsedCertificate, verify } from '../src/index.js';
import { fixture, fixtureCrls, loadManifest } from './helpers/fixtures.js';

const m = loadManifest();
const at = new Date(m.validationTime);
const kzRoot = fixture('pki/kz-root.pem');
const crls = fixtureCrls();
const kzAttached = fixture('cades/kz-attached.p7s');

describe('verify() API', () => {
  it('gives the same verdict for DER, PEM and base64 input', async () => {
    const reports = await Promise.all(
      ['cades/kz-attached.p7s', 'cades/kz-attached.pem', 'cades/kz-attached.b64'].map((f) =>
        verify(fixture(f), { trustAnchors: [kzRoot], crls, validationTime: at }),
      ),
    );
    for (const r of reports) expect(r.signatures[0]!.indication).toBe('TOTAL-PASSED');
    expect(new Set(reports.map((r) => r.signatures[0]!.signer!.sha256)).size).toBe(1);
  });

  it('reads a Buffer that is a view into a larger shared pool (as fs and sockets hand them over)', async () => {
    const pool = Buffer.alloc(kzAttached.length + 8192, 0x41);
    pool.set(kzAttached, 100);
    const view = pool.subarray(100, 100 + kzAttached.length);
    const detachedPool = Buffer.alloc(4096, 0x42);
    const content = fixture('content/document.txt');
    detachedPool.set(content, 7);
    const r = await verify(view, { trustAnchors: [kzRoot], crls, validationTime: at });
    expect(r.signatures[0]!.indication).toBe('TOTAL-PASSED');
    const d = await verify(fixture('cades/kz-detached.p7s'), {
      trustAnchors: [kzRoot],
      crls,
      validationTime: at,
      detachedContent: detachedPool.subarray(7, 7 + content.length),
    });
    expect(d.signatures[0]!.indication).toBe('TOTAL-PASSED');
  });

  it('reports the times used and the chain, signer first', async () => {
    const r = await verify(kzAttached, { trustAnchors: [kzRoot], crls, validationTime: at });
    const s = r.signatures[0]!;
    expect(s.times.validationTime).toBe(at.toISOString());
    expect(s.times.claimedSigningTime).toBe('2026-03-01T10:00:00.000Z');
    expect(s.times.bestSignatureTime).toBe(at.toISOString());
    expect(s.chain[0]!.sha256).toBe(s.signer!.sha256);
    expect(s.chain.at(-1)!.subject).toMatch(/KZ Test Root CA/);
  });

  it('is INDETERMINATE/SIGNED_DATA_NOT_FOUND for a detached signature without content', async () => {
    const r = await verify(fixture('cades/kz-detached.p7s'), { trustAnchors: [kzRoot], crls, validationTime: at });
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'SIGNED_DATA_NOT_FOUND' });
  });

  it('is TOTAL-FAILED/HASH_FAILURE for a detached signature over other content', async () => {
    const r = await verify(fixture('cades/kz-detached.p7s'), {
      trustAnchors: [kzRoot],
      crls,
      validationTime: at,
      detachedContent: new TextEncoder().encode('not the signed document'),
    });
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('without trust anchors no chain is trusted, and the report says why', async () => {
    const r = await verify(kzAttached, { validationTime: at });
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(r.warnings.join(' ')).toMatch(/no trust anchors/);
  });

  it('validates at the time asked: the same signature after the signer expired is OUT_OF_BOUNDS_NO_POE', async () => {
    const r = await verify(kzAttached, { trustAnchors: [kzRoot], validationTime: new Date('2031-01-01T00:00:00Z') });
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE' });
  });

  it('a revoked signer is REVOKED_NO_POE after its revocation date and not before it', async () => {
    const revoked = fixture('cades/kz-revoked.p7s');
    const opts = { trustAnchors: [kzRoot], crls: [fixture('crl/kz-ca.crl'), fixture('crl/current/kz-root.crl')] };
    const after = await verify(revoked, { ...opts, validationTime: new Date('2026-05-15T00:00:00Z') });
    expect(after.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE' });
    expect(after.signatures[0]!.revocation[0]).toMatchObject({ status: 'revoked', revocationTime: '2026-02-01T00:00:00.000Z' });
    const before = await verify(revoked, { ...opts, validationTime: new Date('2026-01-15T00:00:00Z') });
    expect(before.signatures[0]!.indication).toBe('TOTAL-PASSED');
    const other = await verify(kzAttached, { ...opts, validationTime: at });
    expect(other.signatures[0]!.indication).toBe('TOTAL-PASSED');
    expect(other.signatures[0]!.revocation[0]!.status).toBe('good');
  });

  it('revocation: required for every chain certificate by default (TRY_LATER); a warning only under the lenient policy or scope none', async () => {
    const lenient = await verify(kzAttached, { trustAnchors: [kzRoot], validationTime: at, policy: 'lenient' });
    expect(lenient.signatures[0]!.indication).toBe('TOTAL-PASSED');
    expect(lenient.signatures[0]!.warnings.join(' ')).toMatch(/not checked/);
    const none = await verify(kzAttached, { trustAnchors: [kzRoot], validationTime: at });
    expect(none.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    // requireRevocation on top of the lenient preset restores the requirement.
    const required = await verify(kzAttached, { trustAnchors: [kzRoot], validationTime: at, policy: 'lenient', requireRevocation: true });
    expect(required.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    // The signer's CRL alone is not enough: the issuing CA's status (from the root) is required too.
    const signerOnly = await verify(kzAttached, { trustAnchors: [kzRoot], validationTime: at, crls: [fixture('crl/kz-ca-empty.crl')] });
    const why = signerOnly.signatures[0]!.checks.filter((c) => c.subIndication === 'TRY_LATER').map((c) => c.detail);
    expect(why).toHaveLength(1);
    expect(why[0]).toMatch(/KZ Test Issuing CA/);
    expect((await verify(kzAttached, { trustAnchors: [kzRoot], validationTime: at, crls })).signatures[0]!.indication).toBe('TOTAL-PASSED');
    const revoked = await verify(fixture('cades/kz-revoked.p7s'), { trustAnchors: [kzRoot], validationTime: at, crls: [fixture('crl/kz-ca.crl'), fixture('crl/current/kz-root.crl')] });
    expect(revoked.signatures[0]!.subIndication).toBe('REVOKED_NO_POE');
  });

  it('SHA-1 is rejected by default and accepted when the caller\'s policy allows it', async () => {
    const sha1 = fixture('cades/kz-sha1.p7s');
    const strict = await verify(sha1, { trustAnchors: [kzRoot], crls, validationTime: at });
    expect(strict.signatures[0]!.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE_NO_POE');
    const lenient = await verify(sha1, {
      trustAnchors: [kzRoot],
      crls,
      validationTime: at,
      algorithmPolicy: { ...DEFAULT_ALGORITHM_POLICY, digests: { ...DEFAULT_ALGORITHM_POLICY.digests, 'SHA-1': null } },
    });
    expect(lenient.signatures[0]!.indication).toBe('TOTAL-PASSED');
  });

  it('an RSA-1024 signer passes only under a policy that still accepts 1024-bit keys', async () => {
    const weak = fixture('cades/kz-rsa1024.p7s');
    const lenient = await verify(weak, {
      trustAnchors: [kzRoot],
      crls,
      validationTime: at,
      algorithmPolicy: { ...DEFAULT_ALGORITHM_POLICY, keys: { ...DEFAULT_ALGORITHM_POLICY.keys, RSA: [{ minBits: 1024, until: null }] } },
    });
    expect(lenient.signatures[0]!.indication).toBe('TOTAL-PASSED');
  });

  it('throws typed errors for input that is not a signature and for unusable options', async () => {
    await expect(verify(new Uint8Array(0))).rejects.toBeInstanceOf(InputFormatError);
    await expect(verify('just some words here')).rejects.toMatchObject({ code: 'ERR_INPUT_FORMAT' });
    await expect(verify(kzAttached, { trustAnchors: [new TextEncoder().encode('no cert')] })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(verify(kzAttached, { validationTime: new Date('nope') })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    // A PEM block whose base64 is broken, in an anchor, a CRL or an OCSP response: the caller's option error.
    const brokenPem = (label: string) => `-----BEGIN ${label}-----\nMIIB*not*base64!!\n-----END ${label}-----\n`;
    await expect(verify(kzAttached, { trustAnchors: [brokenPem('CERTIFICATE')] })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    await expect(verify(kzAttached, { trustAnchors: [kzRoot], crls: [brokenPem('X509 CRL')] })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    await expect(verify(kzAttached, { trustAnchors: [kzRoot], ocspResponses: ['%%% not an OCSP response %%%'] })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});

describe('anchors passed again and again', () => {
  it('an array of parsed anchors is indexed once, and read again when its contents change', async () => {
    const der = (pem: Uint8Array) => new Uint8Array(Buffer.from(new TextDecoder().decode(pem).replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    const root = ParsedCertificate.fromDer(der(kzRoot));
    const other = ParsedCertificate.fromDer(der(fixture('pki/az-root.pem')));
    const anchors = [other, root];
    const verdict = async () => (await verify(kzAttached, { trustAnchors: anchors, crls, validationTime: at })).signatures[0]!.indication;
    expect(await verdict()).toBe('TOTAL-PASSED');
    expect(await verdict()).toBe('TOTAL-PASSED');
    anchors[1] = other; // same array, the KZ root gone
    expect(await verdict()).toBe('INDETERMINATE');
    anchors[1] = root;
    expect(await verdict()).toBe('TOTAL-PASSED');
    anchors.pop(); // shorter: only the AZ root
    expect(await verdict()).toBe('INDETERMINATE');
  });
});
