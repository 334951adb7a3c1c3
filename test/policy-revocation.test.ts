/**
 * The revocation knobs of the validation policy (policy.revocation), on inputs built here from the
 * fixture test-PKI keys: which certificates need a status (scope), whether stale data is accepted
 * (acceptStale), and how old data may be (maxAgeSeconds).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, verify, type ValidationPolicy, type VerifyOptions } from '../src/index.js';
import { fixture } from './helpers/fixtures.js';
import { cades, crl, fixtureActor, ocspResponse, type Actor } from './helpers/attack-pki.js';

const d = (s: string) => new Date(s);
const AT = d('2026-06-01T00:00:00Z');
let root: Actor, ca: Actor, signer: Actor, responder: Actor;
let rootCrl: Uint8Array; // issued a day before the validation time
let oldRootCrl: Uint8Array; // issued a month before it, still inside its window
beforeAll(async () => {
  root = await fixtureActor('pki/kz-root.pem', 'kz-root');
  ca = await fixtureActor('pki/kz-ca.pem', 'kz-ca');
  signer = await fixtureActor('pki/kz-signer.pem', 'kz-signer');
  responder = await fixtureActor('ltv/pki/kz-ocsp.pem', 'kz-ocsp');
  rootCrl = await crl({ issuer: root, revoked: [], thisUpdate: d('2026-05-31T00:00:00Z'), nextUpdate: d('2026-08-01T00:00:00Z'), number: 2 });
  oldRootCrl = await crl({ issuer: root, revoked: [], thisUpdate: d('2026-05-01T00:00:00Z'), nextUpdate: d('2026-08-01T00:00:00Z'), number: 1 });
});

const policy = (revocation: Partial<ValidationPolicy['revocation']>): ValidationPolicy => ({ ...DEFAULT_POLICY, name: 'test', revocation: { ...DEFAULT_POLICY.revocation, ...revocation } });
const run = async (o: Partial<VerifyOptions>) =>
  (await verify(await cades({ signer, certs: [signer, ca], signingTime: d('2026-05-20T00:00:00Z') }), { trustAnchors: [fixture('pki/kz-root.pem')], validationTime: AT, ...o })).signatures[0]!;
const signerOcsp = (thisUpdate: string, nextUpdate: string) =>
  ocspResponse({ signer: responder, issuer: ca, entries: [{ cert: signer, status: 'good' }], producedAt: d(thisUpdate), thisUpdate: d(thisUpdate), nextUpdate: d(nextUpdate) });

describe('policy.revocation', () => {
  it('scope: signer-and-ca needs kz-ca\'s status too; signer needs only the signer\'s; none needs nothing', async () => {
    const signerOnly = { ocspResponses: [await signerOcsp('2026-05-30T00:00:00Z', '2026-06-06T00:00:00Z')] };
    const full = await run(signerOnly);
    expect([full.indication, full.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    expect(full.checks.find((c) => c.subIndication === 'TRY_LATER')?.detail).toMatch(/KZ Test Issuing CA/);
    expect((await run({ ...signerOnly, policy: policy({ signer: 'signer' }) })).indication).toBe('TOTAL-PASSED');
    const none = await run({ policy: policy({ signer: 'none' }) });
    expect(none.indication).toBe('TOTAL-PASSED');
    expect(none.warnings.join(' ')).toMatch(/not checked/);
    expect((await run({ policy: policy({ signer: 'signer' }) })).subIndication).toBe('TRY_LATER');
  });

  it('acceptStale false (default): a lapsed "good" is TRY_LATER; true: accepted, reported good with a warning', async () => {
    const lapsed = { ocspResponses: [await signerOcsp('2026-04-01T00:00:00Z', '2026-04-08T00:00:00Z')], crls: [rootCrl] };
    const strict = await run(lapsed);
    expect([strict.indication, strict.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    expect(strict.revocation[0]!.status).toBe('unknown');
    const accepting = await run({ ...lapsed, policy: policy({ acceptStale: true }) });
    expect(accepting.indication).toBe('TOTAL-PASSED');
    expect(accepting.revocation[0]).toMatchObject({ status: 'good', kind: 'ocsp' });
    expect(accepting.revocation[0]!.detail).toMatch(/^stale, accepted by the policy/);
    expect(accepting.warnings.join('\n')).toMatch(/rests on stale data, accepted by policy "test" \(acceptStale\)/);
  });

  it('maxAgeSeconds: data inside its thisUpdate..nextUpdate window but issued too long before the validation time is stale', async () => {
    // Issued 10 days before the validation time, valid for 30 days: current by its window.
    const o = { ocspResponses: [await signerOcsp('2026-05-22T00:00:00Z', '2026-06-21T00:00:00Z')], crls: [rootCrl] };
    expect((await run(o)).indication).toBe('TOTAL-PASSED');
    const week = await run({ ...o, policy: policy({ maxAgeSeconds: 7 * 86400 }) });
    expect([week.indication, week.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    expect(week.checks.find((c) => c.id === 'xcv.revocation-freshness')?.detail).toMatch(/more than 604800 s \(the policy's maxAgeSeconds\)/);
    expect((await run({ ...o, policy: policy({ maxAgeSeconds: 14 * 86400 }) })).indication).toBe('TOTAL-PASSED');
    // The root's CRL (2026-05-01) is 31 days old: with a 20-day bound kz-ca's status is stale too, unless only the signer's is required.
    const twenty = policy({ maxAgeSeconds: 20 * 86400 });
    const old = { ...o, crls: [oldRootCrl] };
    expect((await run({ ...old, policy: twenty })).subIndication).toBe('TRY_LATER');
    expect((await run({ ...old, policy: { ...twenty, revocation: { ...twenty.revocation, signer: 'signer' } } })).indication).toBe('TOTAL-PASSED');
  });
});
