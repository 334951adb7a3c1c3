/**
 * Issue #15 attack classes on revocation, time and algorithm policy, each built at test time from the
 * fixture test-PKI keys (test/helpers/attack-pki.ts): the false accept (or hang) of the old code must be
 * refused now.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verify, type VerifyOptions } from '../src/index.js';
import { fixture } from './helpers/fixtures.js';
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

const run = (sig: Uint8Array, o: Partial<VerifyOptions> = {}) =>
  verify(sig, { trustAnchors: [fixture('pki/kz-root.pem')], validationTime: AT, ...o }).then((r) => r.signatures[0]!);

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
