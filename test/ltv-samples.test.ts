import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALGORITHM_POLICY, verify } from '../src/index.js';
import { FIXTURES, fixture } from './helpers/fixtures.js';

interface LtvSample {
  id: string;
  file: string;
  description: string;
  indication: string;
  subIndication: string | null;
  level: string;
  bestSignatureTime: string | null;
  crls: string[];
  ocspResponses: string[];
}
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'ltv/manifest.json'), 'utf8')) as {
  validationTime: string;
  trustAnchors: string[];
  timestampAnchors: string[];
  samples: LtvSample[];
};
const validationTime = new Date(manifest.validationTime);

async function run(s: Pick<LtvSample, 'file' | 'crls' | 'ocspResponses'>, extra: Record<string, unknown> = {}) {
  const r = await verify(fixture(s.file), {
    trustAnchors: manifest.trustAnchors.map(fixture),
    timestampAnchors: manifest.timestampAnchors.map(fixture),
    // The sample's CRLs, plus kz-root's ARL: the status of kz-ca that the default policy requires and
    // that no sample embeds (the signer's and the TSA's status come from the sample's own data).
    crls: [...s.crls, 'crl/current/kz-root.crl'].map(fixture),
    ocspResponses: s.ocspResponses.map(fixture),
    validationTime,
    ...extra,
  });
  return r.signatures[0]!;
}

describe('CAdES-T / -LT samples (EN 319 102-1 past signature validation)', () => {
  for (const s of manifest.samples) {
    it(`${s.id}: ${s.description} → ${s.indication}${s.subIndication ? `/${s.subIndication}` : ''}`, async () => {
      const r = await run(s);
      expect({ indication: r.indication, subIndication: r.subIndication, level: r.level }).toEqual({
        indication: s.indication,
        subIndication: s.subIndication,
        level: s.level,
      });
      if (s.bestSignatureTime) {
        expect(r.times.bestSignatureTime).toBe(s.bestSignatureTime);
        expect(r.times.bestSignatureTimeSource).toBe('signature-timestamp');
      } else {
        expect(r.times.bestSignatureTime).toBe(validationTime.toISOString());
        expect(r.times.bestSignatureTimeSource).toBe('validation-time');
      }
    });
  }

  it('the revoked-after-timestamp signature keeps the XCV finding visible, re-decided by PSV', async () => {
    const r = await run(manifest.samples.find((s) => s.id === 'revoked-after-ts')!);
    const xcv = r.checks.find((c) => c.id === 'xcv.revoked')!;
    expect(xcv.status).toBe('SKIPPED');
    expect(xcv.detail).toMatch(/past signature validation/);
    const psv = r.checks.find((c) => c.id === 'psv.xcv.revoked')!;
    expect(psv.status).toBe('PASSED');
    expect(psv.detail).toMatch(/precedes its revocation at 2026-02-01/);
    expect(r.timestamps?.[0]).toMatchObject({ type: 'signature-timestamp', status: 'PASSED', usedAsPoe: true, genTime: '2026-01-15T10:00:05.000Z' });
    expect(r.revocation[0]).toMatchObject({ status: 'revoked', kind: 'crl', origin: 'supplied', revocationTime: '2026-02-01T00:00:00.000Z' });
  });

  it('a time-stamp with a wrong imprint is reported and not used', async () => {
    const r = await run(manifest.samples.find((s) => s.id === 'bad-imprint')!);
    expect(r.timestamps?.[0]).toMatchObject({ status: 'FAILED', subIndication: 'HASH_FAILURE', usedAsPoe: false });
    expect(r.checks.find((c) => c.id === 'tst.signature-timestamp[0]')?.status).toBe('SKIPPED');
    expect(r.warnings.join('\n')).toMatch(/signature time-stamp 0 ignored/);
  });

  it('an untrusted TSA gives no proof of existence', async () => {
    const r = await run(manifest.samples.find((s) => s.id === 'untrusted-tsa')!);
    expect(r.timestamps?.[0]).toMatchObject({ status: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND', usedAsPoe: false });
  });

  it('CAdES-LT: embedded revocation data is used without any supplied data', async () => {
    for (const id of ['cades-lt', 'cades-lt-values']) {
      const r = await run({ file: `ltv/${id}.p7s`, crls: [], ocspResponses: [] });
      expect(r.indication).toBe('TOTAL-PASSED');
      expect(r.revocation[0]).toMatchObject({ status: 'good', origin: 'embedded' });
    }
  });

  it('CAdES-LT: an embedded OCSP response answers when it is the only data (validated at its own time)', async () => {
    // At 2026-03-02 the embedded OCSP (thisUpdate 2026-03-01T10:10, nextUpdate 03-08) is fresh; the embedded CRL
    // (thisUpdate 2026-05-01) is also issued after that time. The most recent one is reported.
    const r = await run({ file: 'ltv/cades-lt.p7s', crls: [], ocspResponses: [] }, { validationTime: new Date('2026-03-02T00:00:00Z') });
    expect(r.indication).toBe('TOTAL-PASSED');
    expect(r.revocation[0]!.origin).toBe('embedded');
  });

  it('without the time-stamp attribute the same signer is only INDETERMINATE (the POE made the difference)', async () => {
    const r = await run({ file: 'ltv/expired-no-ts.p7s', crls: ['crl/kz-ca-empty.crl'], ocspResponses: [] });
    expect(r.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
  });

  it('a later CRL that lists the signer with a later revocation date proves it unrevoked at an earlier time', async () => {
    // Validation time before the revocation: the CRL (issued 2026-05-01, after that time) is still evidence.
    const r = await run({ file: 'ltv/revoked-no-ts.p7s', crls: ['crl/kz-ca.crl'], ocspResponses: [] }, { validationTime: new Date('2026-01-20T00:00:00Z') });
    expect(r.indication).toBe('TOTAL-PASSED');
    expect(r.revocation[0]).toMatchObject({ status: 'good', kind: 'crl' });
    expect(r.revocation[0]!.source).toMatch(/revoked later, at 2026-02-01/);
  });

  it('CAdES-LTA: the archive-time-stamp-v3 is validated (ats-hash-index-v3 imprint, TSA path)', async () => {
    const r = await run({ file: 'ltv/cades-lta.p7s', crls: [], ocspResponses: [] });
    expect(r.level).toBe('CAdES-BASELINE-LTA');
    expect(r.timestamps?.map((t) => [t.type, t.status])).toEqual([
      ['signature-timestamp', 'PASSED'],
      ['archive-timestamp', 'PASSED'],
    ]);
    expect(r.timestamps?.[1]?.genTime).toBe('2026-04-01T00:00:00.000Z');
    expect(r.checks.find((c) => c.id === 'tst.archive-timestamp[0]')?.status).toBe('PASSED');
  });

  it('CAdES-LTA in 2031, after the signer and the signature TSA expired: the archive time-stamp keeps it valid', async () => {
    const later = { validationTime: new Date('2031-01-01T00:00:00Z') };
    // The archive TSA's path is validated now (2031): its status needs kz-ca's current CRL (the embedded one lapsed in 2026).
    const lta = await run({ file: 'ltv/cades-lta.p7s', crls: ['crl/current/kz-ca.crl'], ocspResponses: [] }, later);
    expect(lta.indication).toBe('TOTAL-PASSED');
    expect(lta.times.bestSignatureTime).toBe('2026-03-01T10:00:05.000Z');
    expect(lta.checks.find((c) => c.id === 'tst.signature-timestamp[0]')?.detail).toMatch(/validated at the archive time-stamp 2026-04-01/);
    expect(lta.checks.find((c) => c.id === 'psv.xcv.expired')?.status).toBe('PASSED');
    // The same signature without the archive time-stamp has no usable proof any more.
    const lt = await run({ file: 'ltv/cades-lt.p7s', crls: [], ocspResponses: [] }, later);
    expect(lt.indication).toBe('INDETERMINATE');
    expect(lt.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
    expect(lt.timestamps?.[0]).toMatchObject({ status: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE', usedAsPoe: false });
  });

  it('CAdES-LTA: removing an archived certificate breaks the archive time-stamp (reported, not used)', async () => {
    const r = await run({ file: 'ltv/lta-missing-cert.p7s', crls: [], ocspResponses: [] });
    expect(r.timestamps?.[1]).toMatchObject({ type: 'archive-timestamp', status: 'FAILED', subIndication: 'HASH_FAILURE' });
    expect(r.warnings.join('\n')).toMatch(/archived certificate referenced by ats-hash-index-v3 is missing/);
  });

  describe('crypto constraints with a dated cut-off (RSA-1024 signer)', () => {
    const policy = (until: string) => ({
      ...DEFAULT_ALGORITHM_POLICY,
      keys: { ...DEFAULT_ALGORITHM_POLICY.keys, RSA: [{ minBits: 2048, until: null }, { minBits: 1024, until }] },
    });
    const crls = ['crl/kz-ca-empty.crl'];

    it('a POE before the cut-off rescues the signature', async () => {
      const r = await run({ file: 'ltv/rsa1024-ts.p7s', crls, ocspResponses: [] }, { algorithmPolicy: policy('2026-04-01T00:00:00Z') });
      expect(r.indication).toBe('TOTAL-PASSED');
      expect(r.checks.find((c) => c.id === 'psv.sav.crypto-constraints')?.status).toBe('PASSED');
    });

    it('without a time-stamp → CRYPTO_CONSTRAINTS_FAILURE_NO_POE', async () => {
      const r = await run({ file: 'ltv/rsa1024-no-ts.p7s', crls, ocspResponses: [] }, { algorithmPolicy: policy('2026-04-01T00:00:00Z') });
      expect(r.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE_NO_POE');
    });

    it('a POE after the cut-off does not rescue it', async () => {
      const r = await run({ file: 'ltv/rsa1024-ts.p7s', crls, ocspResponses: [] });
      expect(r.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE_NO_POE');
    });
  });

  it('a content-time-stamp is reported as such (a lower bound on the signing time, not a POE)', async () => {
    const r = await run({ file: 'ltv/content-ts-after-revocation.p7s', crls: ['crl/kz-ca.crl'], ocspResponses: [] });
    expect(r.timestamps?.[0]).toMatchObject({ type: 'content-timestamp', status: 'PASSED', usedAsPoe: false, genTime: '2026-03-01T09:00:00.000Z' });
    expect(r.checks.find((c) => c.id === 'psv.xcv.revoked')).toMatchObject({ status: 'FAILED', subIndication: 'REVOKED' });
  });
});
