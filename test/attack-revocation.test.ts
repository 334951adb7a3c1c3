/**
 * Issue #15 attack classes on revocation, time and algorithm policy, each built at test time from the
 * fixture test-PKI keys (test/helpers/attack-pki.ts): the false accept (or hang) of the old code must be
 * refused now.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, verify, type VerifyOptions } from '../src/index.js';
import { fixture, fixtureCrls } from './helpers/fixtures.js';
import { cades, crl, fixtureActor, mint, ocspResponse, OIDS, type Actor } from './helpers/attack-pki.js';

const d = (s: string) => new Date(s);
const AT = d('2026-06-01T00:00:00Z');

let root: Actor;
let ca: Actor;
let signer: Actor;
let revokedSigner: Actor;
let responder: Actor; // kz-ocsp: id-kp-OCSPSigning + id-pkix-ocsp-nocheck, issued by kz-ca
let checkedResponder: Actor; // kz-ocsp-checked: id-kp-OCSPSigning, no nocheck
let tsa: Actor;
/** kz-root's CRL (empty), so that requireRevocation can be met for kz-ca. */
let rootCrl: Uint8Array;

beforeAll(async () => {
  root = await fixtureActor('pki/kz-root.pem', 'kz-root');
  ca = await fixtureActor('pki/kz-ca.pem', 'kz-ca');
  signer = await fixtureActor('pki/kz-signer.pem', 'kz-signer');
  revokedSigner = await fixtureActor('pki/kz-signer-revoked.pem', 'kz-signer-revoked');
  responder = await fixtureActor('ltv/pki/kz-ocsp.pem', 'kz-ocsp');
  checkedResponder = await fixtureActor('ltv/pki/kz-ocsp-checked.pem', 'kz-ocsp-checked');
  tsa = await fixtureActor('pki/kz-tsa.pem', 'kz-tsa');
  rootCrl = await crl({ issuer: root, revoked: [], thisUpdate: d('2026-05-01T00:00:00Z'), nextUpdate: d('2026-08-01T00:00:00Z'), number: 1 });
});

// The fixture TSA (kz-tsa) is issued by kz-root: it is trusted as a TSA only because kz-root is passed as a time-stamp anchor too.
const run = (sig: Uint8Array, o: Partial<VerifyOptions> = {}) =>
  verify(sig, { trustAnchors: [fixture('pki/kz-root.pem')], timestampAnchors: [fixture('pki/kz-root.pem')], validationTime: AT, ...o }).then((r) => r.signatures[0]!);

describe('#15.3 id-pkix-ocsp-nocheck exempts a responder only while trusting its own responses', () => {
  it('a document signed with the nocheck responder key, revoked by a verified CRL: REVOKED_NO_POE, never good', async () => {
    const sig = await cades({ signer: responder, certs: [responder, ca], signingTime: d('2026-05-20T00:00:00Z') });
    const revoking = await crl({ issuer: ca, revoked: [{ cert: responder, date: d('2026-02-01T00:00:00Z') }], thisUpdate: d('2026-05-01T00:00:00Z'), nextUpdate: d('2026-08-01T00:00:00Z'), number: 7 });
    const s = await run(sig, { crls: [revoking, rootCrl], requireRevocation: true });
    expect(s.indication).toBe('INDETERMINATE');
    expect(s.subIndication).toBe('REVOKED_NO_POE');
    expect(s.revocation[0]).toMatchObject({ status: 'revoked', kind: 'crl' });
  });

  it('the same signer with no revocation data and requireRevocation: TRY_LATER, not "good" from its own extension', async () => {
    const sig = await cades({ signer: responder, certs: [responder, ca], signingTime: d('2026-05-20T00:00:00Z') });
    const s = await run(sig, { crls: [rootCrl], requireRevocation: true });
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(s.revocation[0]!.status).toBe('unknown');
  });

  it('a CA certificate carrying nocheck + OCSPSigning is checked like any CA: revoked by its root → REVOKED_CA_NO_POE', async () => {
    // A sub-CA (key of the untrusted CA fixture) issued by the KZ root with nocheck and id-kp-OCSPSigning.
    const rogueKey = await fixtureActor('pki/untrusted-ca.pem', 'untrusted-ca');
    const subCa = await mint({
      subject: 'C=KZ, O=OTS Test PKI (NOT FOR PRODUCTION), CN=KZ Nocheck Sub-CA',
      issuer: root,
      keyOf: rogueKey,
      serial: '7701',
      notBefore: d('2025-01-01T00:00:00Z'),
      notAfter: d('2030-01-01T00:00:00Z'),
      ca: true,
      eku: [OIDS.kpOcspSigning],
      nocheck: true,
    });
    const leaf = await mint({ subject: 'C=KZ, O=OTS Test PKI (NOT FOR PRODUCTION), CN=Under Nocheck CA TEST', issuer: subCa, keyOf: signer, serial: '7702', notBefore: d('2025-01-01T00:00:00Z'), notAfter: d('2030-01-01T00:00:00Z') });
    const sig = await cades({ signer: leaf, certs: [leaf, subCa], signingTime: d('2026-05-20T00:00:00Z') });
    const window = { thisUpdate: d('2026-05-01T00:00:00Z'), nextUpdate: d('2026-08-01T00:00:00Z') };
    const rootCrl = await crl({ issuer: root, revoked: [{ cert: subCa, date: d('2026-02-01T00:00:00Z') }], ...window, number: 3 });
    const subCaCrl = await crl({ issuer: subCa, revoked: [], ...window, number: 1 });
    const s = await run(sig, { crls: [rootCrl, subCaCrl], requireRevocation: true });
    expect(s.indication).toBe('INDETERMINATE');
    expect(s.subIndication).toBe('REVOKED_CA_NO_POE');
    expect(s.revocation[1]).toMatchObject({ status: 'revoked', kind: 'crl' });
  });

  it('the responder exemption itself still works: a nocheck responder\'s "good" answers for the signer', async () => {
    const good = await ocspResponse({ signer: responder, issuer: ca, entries: [{ cert: signer, status: 'good' }], producedAt: d('2026-05-25T00:00:00Z'), thisUpdate: d('2026-05-25T00:00:00Z'), nextUpdate: d('2026-06-25T00:00:00Z') });
    const s = await run(fixture('cades/kz-attached.p7s'), { ocspResponses: [good], crls: [rootCrl], requireRevocation: true });
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(s.revocation[0]!.source).toMatch(/delegated responder/);
  });
});

describe('#15.8 a forged OCSP response about its own responder cannot make the status lookup recurse', () => {
  it('forged (no key), naming the non-nocheck responder and answering for it too: completes, status unknown', async () => {
    const forged = await ocspResponse({
      signer: checkedResponder,
      issuer: ca,
      entries: [
        { cert: signer, status: 'good' },
        { cert: checkedResponder, status: 'good' },
      ],
      producedAt: d('2026-05-15T00:00:00Z'),
      thisUpdate: d('2026-05-15T00:00:00Z'),
      nextUpdate: d('2026-06-15T00:00:00Z'),
      forge: true,
    });
    const t0 = Date.now();
    const s = await run(fixture('cades/kz-attached.p7s'), { ocspResponses: [forged, forged], requireRevocation: true });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(s.revocation[0]!.status).toBe('unknown');
    expect(s.revocation[0]!.detail).toMatch(/response signature does not verify/);
  }, 10_000);

  it('genuinely signed by the non-nocheck responder and vouching for itself: a cycle is "no status", never good', async () => {
    const selfVouching = await ocspResponse({
      signer: checkedResponder,
      issuer: ca,
      entries: [
        { cert: signer, status: 'good' },
        { cert: checkedResponder, status: 'good' },
      ],
      producedAt: d('2026-05-15T00:00:00Z'),
      thisUpdate: d('2026-05-15T00:00:00Z'),
      nextUpdate: d('2026-06-15T00:00:00Z'),
    });
    const s = await run(fixture('cades/kz-attached.p7s'), { ocspResponses: [selfVouching], requireRevocation: true });
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(s.revocation[0]!.detail).toMatch(/no id-pkix-ocsp-nocheck and its own status is unknown/);
  }, 10_000);

  it('a batch survives: the forged response in one call does not stop the next', async () => {
    const forged = await ocspResponse({ signer: checkedResponder, issuer: ca, entries: [{ cert: checkedResponder, status: 'good' }, { cert: revokedSigner, status: 'good' }], producedAt: d('2026-05-15T00:00:00Z'), thisUpdate: d('2026-05-15T00:00:00Z'), nextUpdate: d('2026-06-15T00:00:00Z'), forge: true });
    const results = await Promise.all([0, 1, 2].map(() => run(fixture('cades/kz-revoked.p7s'), { ocspResponses: [forged], crls: [fixture('crl/kz-ca.crl')] })));
    for (const s of results) expect(s.subIndication).toBe('REVOKED_NO_POE');
  }, 10_000);
});

describe('#15.5 revocation data must be fresh (EN 319 102-1 5.2.5)', () => {
  const monthsOld = { producedAt: d('2025-09-01T00:00:00Z'), thisUpdate: d('2025-09-01T00:00:00Z'), nextUpdate: d('2025-09-08T00:00:00Z') };
  const signed = () => cades({ signer, certs: [signer, ca], signingTime: d('2026-05-20T00:00:00Z') });

  it('an OCSP "good" whose nextUpdate passed months before the signing time does not meet requireRevocation: TRY_LATER', async () => {
    const stale = await ocspResponse({ signer: responder, issuer: ca, entries: [{ cert: signer, status: 'good' }], ...monthsOld });
    const s = await run(await signed(), { ocspResponses: [stale], crls: [rootCrl], requireRevocation: true });
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(s.checks.find((c) => c.id === 'xcv.revocation-freshness')).toMatchObject({ status: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(s.revocation[0]!.status).toBe('unknown');
  });

  it('not required: the stale answer is a warning and the status is not reported "good"', async () => {
    const stale = await ocspResponse({ signer: responder, issuer: ca, entries: [{ cert: signer, status: 'good' }], ...monthsOld });
    // A policy that does not require revocation (scope none) and does not accept stale data.
    const notRequired = { ...DEFAULT_POLICY, revocation: { ...DEFAULT_POLICY.revocation, signer: 'none' as const } };
    const s = await run(await signed(), { ocspResponses: [stale], policy: notRequired });
    expect(s.revocation[0]).toMatchObject({ status: 'unknown', kind: 'ocsp' });
    expect(s.warnings.join('\n')).toMatch(/CN=Aigerim.*not established: its revocation data is stale/);
  });

  it('the same for a CRL past its nextUpdate', async () => {
    const old = await crl({ issuer: ca, revoked: [], thisUpdate: d('2025-09-01T00:00:00Z'), nextUpdate: d('2025-10-01T00:00:00Z'), number: 9 });
    const s = await run(await signed(), { crls: [old, rootCrl], requireRevocation: true });
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(s.revocation[0]).toMatchObject({ status: 'unknown', kind: 'crl' });
  });

  it('an OCSP response without nextUpdate speaks only for times up to its thisUpdate', async () => {
    const open = await ocspResponse({ signer: responder, issuer: ca, entries: [{ cert: signer, status: 'good' }], producedAt: d('2025-09-01T00:00:00Z'), thisUpdate: d('2025-09-01T00:00:00Z') });
    const s = await run(await signed(), { ocspResponses: [open], crls: [rootCrl], requireRevocation: true });
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  });

  it('data stale at the validation time but issued after the best-signature-time (a time-stamp) is accepted', async () => {
    const sig = await cades({ signer, certs: [signer, ca], signingTime: d('2026-04-01T00:00:00Z'), timestamp: { tsa, genTime: d('2026-04-01T00:05:00Z') } });
    const after = await ocspResponse({ signer: responder, issuer: ca, entries: [{ cert: signer, status: 'good' }], producedAt: d('2026-04-10T00:00:00Z'), thisUpdate: d('2026-04-10T00:00:00Z'), nextUpdate: d('2026-04-17T00:00:00Z') });
    // The TSA's own status at the validation time (the default policy requires it for the TSA's path too).
    const tsaGood = await ocspResponse({ signer: responder, issuer: ca, entries: [{ cert: tsa, status: 'good' }], producedAt: d('2026-05-31T00:00:00Z'), thisUpdate: d('2026-05-31T00:00:00Z'), nextUpdate: d('2026-06-07T00:00:00Z') });
    const s = await run(sig, { ocspResponses: [after, tsaGood], crls: [rootCrl], requireRevocation: true });
    expect(s.times.bestSignatureTimeSource).toBe('signature-timestamp');
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(s.revocation[0]!.status).toBe('good');
    expect(s.checks.find((c) => c.id === 'psv.xcv.revocation-freshness')?.status).toBe('PASSED');
    // Issued before the best-signature-time and past its nextUpdate: still stale.
    const before = await ocspResponse({ signer: responder, issuer: ca, entries: [{ cert: signer, status: 'good' }], producedAt: d('2026-03-01T00:00:00Z'), thisUpdate: d('2026-03-01T00:00:00Z'), nextUpdate: d('2026-03-08T00:00:00Z') });
    const t = await run(sig, { ocspResponses: [before, tsaGood], crls: [rootCrl], requireRevocation: true });
    expect(t).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  });
});

describe('#15.10 a signature before its signing certificate existed', () => {
  const late = () =>
    mint({ subject: 'C=KZ, O=OTS Test PKI (NOT FOR PRODUCTION), CN=Late Certificate TEST', issuer: ca, keyOf: signer, serial: '7710', notBefore: d('2026-04-01T00:00:00Z'), notAfter: d('2030-01-01T00:00:00Z') });

  it('best-signature-time (a valid time-stamp) before notBefore: TOTAL-FAILED/NOT_YET_VALID', async () => {
    const cert = await late();
    const sig = await cades({ signer: cert, certs: [cert, ca], timestamp: { tsa, genTime: d('2026-03-01T00:00:00Z') } });
    const s = await run(sig, { crls: fixtureCrls() });
    expect(s.times.bestSignatureTime).toBe('2026-03-01T00:00:00.000Z');
    expect(s).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'NOT_YET_VALID' });
    expect(s.checks.find((c) => c.id === 'psv.not-yet-valid')?.status).toBe('FAILED');
  });

  it('a claimed signing-time before notBefore: TOTAL-FAILED/NOT_YET_VALID', async () => {
    const cert = await late();
    const s = await run(await cades({ signer: cert, certs: [cert, ca], signingTime: d('2026-03-15T00:00:00Z') }), { crls: fixtureCrls() });
    expect(s).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'NOT_YET_VALID' });
    expect(s.checks.find((c) => c.id === 'psv.signing-time')?.status).toBe('FAILED');
  });

  it('a time-stamp from after the validation time (within minutes) is no proof of existence (fuzz finding bst-after-validation-time)', async () => {
    // The certificate is not yet valid at the validation time; a token dated 3 minutes later would have moved the
    // best-signature-time past the validation time, into the certificate's validity (old code: a 5-minute skew allowance).
    const cert = await late();
    const sig = await cades({ signer: cert, certs: [cert, ca], signingTime: d('2026-04-01T00:00:30Z'), timestamp: { tsa, genTime: d('2026-04-01T00:01:00Z') } });
    const s = await run(sig, { validationTime: d('2026-03-31T23:58:00Z') });
    expect(s.indication).not.toBe('TOTAL-PASSED');
    expect(s.times.bestSignatureTime).toBe('2026-03-31T23:58:00.000Z');
    expect(s.timestamps?.[0]).toMatchObject({ subIndication: 'TIMESTAMP_ORDER_FAILURE', usedAsPoe: false });
  });

  it('control: signing-time and time-stamp after notBefore pass', async () => {
    const cert = await late();
    const s = await run(await cades({ signer: cert, certs: [cert, ca], signingTime: d('2026-04-02T00:00:00Z'), timestamp: { tsa, genTime: d('2026-04-02T00:01:00Z') } }), { crls: fixtureCrls() });
    expect(s.indication).toBe('TOTAL-PASSED');
  });
});

describe('#15.4 every hash that binds signed data is under the algorithm policy', () => {
  it('SignerInfo digestAlgorithm SHA-1 (the content hash) under sha256WithRSAEncryption: CRYPTO_CONSTRAINTS_FAILURE_NO_POE', async () => {
    const sig = await cades({ signer, certs: [signer, ca], signingTime: d('2026-05-20T00:00:00Z'), digestHash: 'SHA-1', signatureHash: 'SHA-256' });
    const s = await run(sig, { crls: fixtureCrls() });
    expect(s.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(s.digestAlgorithm).toBe('SHA-1');
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' });
    expect(s.checks.find((c) => c.id === 'sav.digest-algorithm')?.status).toBe('INDETERMINATE');
  });

  it('a time-stamp with a SHA-1 message imprint is not a proof of existence (revoked signer stays REVOKED_NO_POE)', async () => {
    const at = { signer: revokedSigner, certs: [revokedSigner, ca], signingTime: d('2026-01-15T00:00:00Z') };
    const opts = { crls: [fixture('crl/kz-ca.crl'), rootCrl] };
    // Control: the same time-stamp with a SHA-256 imprint is a POE before the revocation (2026-02-01).
    const ok = await run(await cades({ ...at, timestamp: { tsa, genTime: d('2026-01-15T00:05:00Z') } }), opts);
    expect(ok.indication).toBe('TOTAL-PASSED');
    const weak = await run(await cades({ ...at, timestamp: { tsa, genTime: d('2026-01-15T00:05:00Z'), imprintHash: 'SHA-1' } }), opts);
    expect(weak).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE' });
    expect(weak.timestamps?.[0]).toMatchObject({ usedAsPoe: false, subIndication: 'CRYPTO_CONSTRAINTS_FAILURE' });
  });

  it('a time-stamp whose SignerInfo digest is SHA-1 (under sha256WithRSA) is not a proof of existence', async () => {
    const sig = await cades({ signer: revokedSigner, certs: [revokedSigner, ca], signingTime: d('2026-01-15T00:00:00Z'), timestamp: { tsa, genTime: d('2026-01-15T00:05:00Z'), tokenDigestHash: 'SHA-1' } });
    const s = await run(sig, { crls: [fixture('crl/kz-ca.crl')] });
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE' });
    expect(s.timestamps?.[0]?.usedAsPoe).toBe(false);
  });

  it('an OCSP response or a CRL signed with SHA-1 says nothing about the status', async () => {
    const sig = await cades({ signer, certs: [signer, ca], signingTime: d('2026-05-20T00:00:00Z') });
    const window = { producedAt: d('2026-05-25T00:00:00Z'), thisUpdate: d('2026-05-25T00:00:00Z'), nextUpdate: d('2026-06-25T00:00:00Z') };
    const sha1Ocsp = await ocspResponse({ signer: responder, issuer: ca, entries: [{ cert: signer, status: 'good' }], ...window, hash: 'SHA-1' });
    const o = await run(sig, { ocspResponses: [sha1Ocsp], crls: [rootCrl], requireRevocation: true });
    expect(o).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(o.revocation[0]!.detail).toMatch(/SHA-1/);
    const sha1Crl = await crl({ issuer: ca, revoked: [], thisUpdate: d('2026-05-01T00:00:00Z'), nextUpdate: d('2026-08-01T00:00:00Z'), number: 11, hash: 'SHA-1' });
    const c = await run(sig, { crls: [sha1Crl, rootCrl], requireRevocation: true });
    expect(c).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(c.revocation[0]!.detail).toMatch(/SHA-1/);
  });
});
