/**
 * Algorithm policy (downgrade defence): MD5, SHA-1 and RSA < 2048 are refused
 * by default; the policy is the caller's to change; and a dated cut-off is
 * lifted only by a proof of existence (signature time-stamp) before it —
 * EN 319 102-1 CRYPTO_CONSTRAINTS_FAILURE_NO_POE, as DSS does.
 */
import { describe, expect, it } from 'vitest';
import { verify, DEFAULT_ALGORITHM_POLICY, type AlgorithmPolicy, type VerifyOptions } from '../src/index.js';
import { evaluateAlgorithm } from '../src/crypto/policy.js';
import { fixture, fixtureCrls } from './helpers/fixtures.js';

const base = (): VerifyOptions => ({
  validationTime: new Date('2026-06-01T00:00:00Z'),
  trustAnchors: [fixture('pki/kz-root.pem')],
  // The fixture TSA chains to the KZ root: trusted for time-stamps explicitly.
  timestampAnchors: [fixture('pki/kz-root.pem')],
  crls: [fixture('crl/kz-ca-empty.crl'), ...fixtureCrls()],
});
const withDigest = (name: string, until: string | null): AlgorithmPolicy => ({ ...DEFAULT_ALGORITHM_POLICY, digests: { ...DEFAULT_ALGORITHM_POLICY.digests, [name]: until } });
const first = async (file: string, policy?: AlgorithmPolicy) => (await verify(fixture(file), { ...base(), algorithmPolicy: policy })).signatures[0]!;
const savCheck = (s: Awaited<ReturnType<typeof first>>) => s.checks.find((c) => c.id === 'sav.crypto-constraints')!;

describe('algorithm policy: defaults refuse weak algorithms', () => {
  it('SHA-1 signature → INDETERMINATE CRYPTO_CONSTRAINTS_FAILURE_NO_POE (cut-off 2012)', async () => {
    const s = await first('cades/kz-sha1.p7s');
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' });
    expect(savCheck(s).detail).toMatch(/SHA-1.*2012-01-01/);
  });

  it('RSA-1024 signer → INDETERMINATE CRYPTO_CONSTRAINTS_FAILURE_NO_POE (cut-off 2016)', async () => {
    const s = await first('cades/kz-rsa1024.p7s');
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' });
    expect(savCheck(s).detail).toMatch(/1024 bits.*2016-01-01/);
  });

  it('MD5 and RSA < 1024 under the default policy', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const md5 = evaluateAlgorithm(DEFAULT_ALGORITHM_POLICY, { name: 'md5WithRSAEncryption', digest: 'MD5', key: 'RSA', keyBits: 2048 } as never, now);
    expect(md5).toMatchObject({ acceptable: false, until: new Date('2005-01-01T00:00:00Z') });
    const rsa512 = evaluateAlgorithm(DEFAULT_ALGORITHM_POLICY, { name: 'sha256WithRSAEncryption', digest: 'SHA-256', key: 'RSA', keyBits: 512 } as never, now);
    expect(rsa512).toMatchObject({ acceptable: false, until: null }); // below every size: never acceptable, no POE helps
    const unknown = evaluateAlgorithm(DEFAULT_ALGORITHM_POLICY, { name: 'x', digest: 'MD2', key: 'RSA', keyBits: 2048 } as never, now);
    expect(unknown).toMatchObject({ acceptable: false, until: null });
  });

  it('the sound samples pass under the defaults', async () => {
    expect((await first('cades/kz-attached.p7s')).indication).toBe('TOTAL-PASSED');
  });
});

describe('algorithm policy: configurable', () => {
  it('a caller may accept SHA-1 or RSA-1024 (e.g. for an archive of old documents)', async () => {
    expect((await first('cades/kz-sha1.p7s', withDigest('SHA-1', null))).indication).toBe('TOTAL-PASSED');
    const rsa1024: AlgorithmPolicy = { ...DEFAULT_ALGORITHM_POLICY, keys: { ...DEFAULT_ALGORITHM_POLICY.keys, RSA: [{ minBits: 1024, until: null }] } };
    expect((await first('cades/kz-rsa1024.p7s', rsa1024)).indication).toBe('TOTAL-PASSED');
  });

  it('a stricter policy: SHA-256 not listed → CRYPTO_CONSTRAINTS_FAILURE (no date, so no POE can help)', async () => {
    const s = await first('cades/kz-attached.p7s', { ...DEFAULT_ALGORITHM_POLICY, digests: { 'SHA-384': null, 'SHA-512': null } });
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE' });
  });
});

describe('algorithm policy: dated acceptance by proof of existence', () => {
  // policy/kz-sha1-t.p7s (fixtures/gen-policy.ts) = kz-sha1 + a SHA-256 signature time-stamp of 2026-03-01T10:00:05Z.
  it('cut-off after the time-stamp: the POE rescues the SHA-1 signature (TOTAL-PASSED, best-signature-time = genTime)', async () => {
    const s = await first('policy/kz-sha1-t.p7s', withDigest('SHA-1', '2026-04-01T00:00:00Z'));
    expect(s).toMatchObject({ indication: 'TOTAL-PASSED', subIndication: null });
    expect(s.times.bestSignatureTime).toBe('2026-03-01T10:00:05.000Z');
    expect(savCheck(s).status).not.toBe('PASSED'); // kept in the report, resolved by past signature validation
  });

  it('the same signature without the time-stamp stays CRYPTO_CONSTRAINTS_FAILURE_NO_POE', async () => {
    const s = await first('cades/kz-sha1.p7s', withDigest('SHA-1', '2026-04-01T00:00:00Z'));
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' });
  });

  it('cut-off before the time-stamp: the POE is too late', async () => {
    const s = await first('policy/kz-sha1-t.p7s', withDigest('SHA-1', '2026-02-01T00:00:00Z'));
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' });
  });

  it('default policy (SHA-1 cut-off 2012): a 2026 time-stamp does not help', async () => {
    const s = await first('policy/kz-sha1-t.p7s');
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' });
  });
});
