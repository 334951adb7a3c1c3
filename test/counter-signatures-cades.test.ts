/**
 * #17.5 CAdES counter-signatures (RFC 5652 11.4): each value of the countersignature attribute is validated as
 * a signature of its own whose content is the countersigned SignerInfo's signature value, through the same
 * stage (path, revocation, time-stamps, policy), and reported under the signature it counter-signs. Inputs
 * are built at test time from the fixture test PKI (test/helpers/counter-sign.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verify, type VerifyOptions } from '../src/index.js';
import type { SignatureReport } from '../src/report/model.js';
import { MAX_COUNTER_SIGNATURE_DEPTH } from '../src/limits.js';
import { cades, CONTENT, crl, fixtureActor, type Actor } from './helpers/attack-pki.js';
import { addCounterSignature } from './helpers/counter-sign.js';
import { fixture } from './helpers/fixtures.js';

const d = (s: string) => new Date(s);
const AT = d('2026-06-01T00:00:00Z');

let kzCa: Actor;
let signer: Actor;
let counterSigner: Actor;
let revokedSigner: Actor;
let parent: Uint8Array;
let crls: Uint8Array[];

beforeAll(async () => {
  const kzRoot = await fixtureActor('pki/kz-root.pem', 'kz-root');
  kzCa = await fixtureActor('pki/kz-ca.pem', 'kz-ca');
  signer = await fixtureActor('pki/kz-signer.pem', 'kz-signer');
  revokedSigner = await fixtureActor('pki/kz-signer-revoked.pem', 'kz-signer-revoked');
  const huRoot = await fixtureActor('pki/hu-root.pem', 'hu-root');
  const huCa = await fixtureActor('pki/hu-ca.pem', 'hu-ca');
  counterSigner = await fixtureActor('pki/hu-signer.pem', 'hu-signer');
  const window = { thisUpdate: d('2026-05-01T00:00:00Z'), nextUpdate: d('2026-08-01T00:00:00Z'), number: 1 };
  // Fresh CRLs for every CA of both paths (the default policy requires revocation status for signer and CA certificates).
  crls = [
    await crl({ issuer: kzRoot, revoked: [], ...window }),
    await crl({ issuer: kzCa, revoked: [{ cert: revokedSigner, date: d('2026-03-01T00:00:00Z') }], ...window }),
    await crl({ issuer: huRoot, revoked: [], ...window }),
    await crl({ issuer: huCa, revoked: [], ...window }),
  ];
  parent = await cades({ signer, certs: [signer, kzCa], signingTime: d('2026-05-20T00:00:00Z') });
  counterCa = huCa;
});
/** hu-ca, supplied as an intermediate (the counter-signer's path). */
let counterCa: Actor;

const anchors = () => [fixture('pki/kz-root.pem'), fixture('pki/hu-root.pem')];
const run = async (cms: Uint8Array, o: Partial<VerifyOptions> = {}) => (await verify(cms, { trustAnchors: anchors(), intermediates: [counterCa.der], crls, policy: 'default', validationTime: AT, ...o })).signatures;
const check = (s: SignatureReport, id: string) => s.checks.find((c) => c.id === id);

describe('#17.5 CAdES counter-signatures are validated as signatures of their own', () => {
  it('a valid counter-signature: TOTAL-PASSED under the default policy with CRLs, reported under its parent', async () => {
    const [s] = await run(await addCounterSignature(parent, { signer: counterSigner }));
    expect(s!.indication).toBe('TOTAL-PASSED');
    expect(s!.counterSignatures).toHaveLength(1);
    const c = s!.counterSignatures![0]!;
    expect(c.id).toBe('signerInfo[0]/countersignature[0]');
    expect(c.indication).toBe('TOTAL-PASSED');
    expect(c.signer?.subject).toMatch(/HU|hu/);
    expect(c.revocation.length).toBeGreaterThan(0);
    expect(check(c, 'cv.message-digest')?.detail).toContain('signature value of signerInfo[0]');
    expect(check(c, 'cv.signature-value')?.status).toBe('PASSED');
    // the content-type rule of RFC 5652 11.4 was applied, not the SignedData one
    expect(check(c, 'fc.content-type')).toBeUndefined();
    expect(s!.warnings.join(' ')).not.toMatch(/counter/i);
  });

  it('a counter-signature over the content instead of the parent signature value: HASH_FAILURE for it only', async () => {
    const [s] = await run(await addCounterSignature(parent, { signer: counterSigner, over: CONTENT }));
    expect(s!.indication).toBe('TOTAL-PASSED');
    const c = s!.counterSignatures![0]!;
    expect(c.indication).toBe('TOTAL-FAILED');
    expect(c.subIndication).toBe('HASH_FAILURE');
    expect(check(c, 'cv.message-digest')?.status).toBe('FAILED');
  });

  it('a counter-signature carrying a content-type attribute: FORMAT_FAILURE (RFC 5652 11.4)', async () => {
    const [s] = await run(await addCounterSignature(parent, { signer: counterSigner, contentType: true }));
    const c = s!.counterSignatures![0]!;
    expect(c.indication).toBe('TOTAL-FAILED');
    expect(c.subIndication).toBe('FORMAT_FAILURE');
    expect(check(c, 'fc.content-type')?.detail).toMatch(/must not carry content-type/);
  });

  it('a revoked counter-signer: the counter-signature is not valid, its parent stays TOTAL-PASSED', async () => {
    const [s] = await run(await addCounterSignature(parent, { signer: revokedSigner }));
    expect(s!.indication).toBe('TOTAL-PASSED');
    const c = s!.counterSignatures![0]!;
    expect(c.indication).not.toBe('TOTAL-PASSED');
    expect(c.subIndication).toMatch(/REVOKED/);
  });

  it('nested counter-signatures are validated to the depth limit, deeper ones named in a warning', async () => {
    let cms = parent;
    const under: number[] = [];
    for (let depth = 0; depth <= MAX_COUNTER_SIGNATURE_DEPTH; depth++) {
      cms = await addCounterSignature(cms, { signer: depth % 2 ? signer : counterSigner, under });
      under.push(0);
    }
    const [s] = await run(cms, { policy: 'lenient' });
    let c: SignatureReport = s!;
    for (let depth = 1; depth <= MAX_COUNTER_SIGNATURE_DEPTH; depth++) {
      expect(c.counterSignatures).toHaveLength(1);
      c = c.counterSignatures![0]!;
      expect(c.id).toBe(`signerInfo[0]${'/countersignature[0]'.repeat(depth)}`);
      expect(c.indication).toBe('TOTAL-PASSED');
    }
    expect(c.counterSignatures).toBeUndefined();
    expect(c.warnings.join(' ')).toMatch(/not validated: nested deeper than/);
  });

  it('more counter-signatures than limits.maxSigners: those beyond are not validated, with a warning (bounded work)', async () => {
    const cms = await addCounterSignature(parent, { signer: counterSigner, count: 40 });
    const [s] = await run(cms, { policy: 'lenient', limits: { maxSigners: 5 } });
    expect(s!.indication).toBe('TOTAL-PASSED');
    expect(s!.counterSignatures).toHaveLength(4); // 5 signatures in all: the SignerInfo and 4 counter-signatures
    expect(s!.warnings.join(' ')).toMatch(/36 counter-signature\(s\) of signerInfo\[0\] not validated: .*limits.maxSigners \(5\)/);
  });

  it('recognition is evaluated for counter-signatures like for signatures', async () => {
    const [s] = await run(await addCounterSignature(parent, { signer: counterSigner }), { relyingParty: 'KZ' });
    expect(s!.recognition).toBeDefined();
    expect(s!.counterSignatures![0]!.recognition).toBeDefined();
  });
});
