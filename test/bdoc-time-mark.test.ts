/**
 * #18 BDOC 2.1 time-marks (asic/bdoc.ts, stage/time-mark.ts): an OCSP response in RevocationValues whose nonce is a
 * DigestInfo of the signature value proves the signature existed at its producedAt; a response that is not bound
 * to the signature (other nonce, no nonce) or not genuine (unauthorized responder) proves nothing. Fixtures from
 * fixtures/gen-asic.ts (bdoc-*): under a policy that requires proof of existence (LT), only the bound one passes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, verify, type ValidationPolicy } from '../src/index.js';
import { formatEtsiXml } from '../src/report/etsi-xml.js';
import { FIXTURE_CRL_FILES } from './helpers/fixtures.js';

const dir = new URL('../fixtures/', import.meta.url);
const read = (p: string) => new Uint8Array(readFileSync(new URL(p, dir)));
const manifest = JSON.parse(readFileSync(new URL('asic/manifest.json', dir), 'utf8')) as { validationTime: string; samples: { id: string; file: string }[] };
const file = (id: string) => read(manifest.samples.find((s) => s.id === id)!.file);
/** The default policy plus the LT requirement: a valid signature time-stamp (or time-mark) is required. */
const LT: ValidationPolicy = { ...DEFAULT_POLICY, name: 'default+lt', timestamps: { ...DEFAULT_POLICY.timestamps, requireSignatureTimestamp: true } };
const run = (id: string, policy?: ValidationPolicy) =>
  verify(file(id), { trustAnchors: [read('pki/kz-root.pem')], crls: FIXTURE_CRL_FILES.map(read), validationTime: new Date(manifest.validationTime), ...(policy ? { policy } : {}) });
const check = (s: { checks: readonly { id: string; status: string; detail: string }[] }, id: string) => s.checks.find((c) => c.id === id);

describe('BDOC 2.1 time-mark', () => {
  it('a time-mark whose nonce binds the signature value: producedAt is the best-signature-time, and it passes as LT', async () => {
    const r = await run('bdoc-tm', LT);
    const s = r.signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['TOTAL-PASSED', null]);
    expect(s.times.bestSignatureTimeSource).toBe('time-mark');
    expect(s.times.bestSignatureTime).toBe('2026-05-15T10:00:30.000Z');
    expect(check(s, 'psv.time-mark')).toMatchObject({ status: 'PASSED', detail: expect.stringContaining('the SHA-256 digest of the signature value') });
    expect(check(s, 'sav.signature-timestamp-required')).toBeUndefined();
    expect(s.signaturePolicy?.id).toBe('1.3.6.1.4.1.10015.1000.3.2.1');
    expect(r.container!.indication).toBe('TOTAL-PASSED');
    // The ETSI report gives it as a provided proof of existence at producedAt.
    expect(formatEtsiXml(r)).toContain('<vr:POETime>2026-05-15T10:00:30.000Z</vr:POETime>');
  });

  it('a nonce of other bytes: no proof of existence from it, so it does not pass as LT (B-level: valid at the validation time)', async () => {
    const lt = (await run('bdoc-tm-nonce-mismatch', LT)).signatures[0]!;
    expect([lt.indication, lt.subIndication]).toEqual(['INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE']);
    expect(lt.times.bestSignatureTimeSource).toBe('validation-time');
    expect(check(lt, 'psv.time-mark')).toMatchObject({ status: 'SKIPPED', detail: expect.stringContaining('is not the SHA-256 digest of this signature') });
    expect(lt.warnings.join('\n')).toMatch(/BDOC time-mark: .*does not prove when the signature existed/);
    const b = (await run('bdoc-tm-nonce-mismatch')).signatures[0]!;
    expect([b.indication, b.times.bestSignatureTimeSource]).toEqual(['TOTAL-PASSED', 'validation-time']);
  });

  it('no nonce: no proof of existence from it, so it does not pass as LT', async () => {
    const s = (await run('bdoc-tm-no-nonce', LT)).signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE']);
    expect(check(s, 'psv.time-mark')?.detail).toContain('has no nonce');
    expect(s.times.bestSignatureTimeSource).toBe('validation-time');
  });

  it('a signer revoked after a bound time-mark: the signature is proven to predate the revocation (TOTAL-PASSED)', async () => {
    const s = (await run('bdoc-tm-revoked-later')).signatures[0]!;
    expect([s.indication, s.subIndication, s.times.bestSignatureTimeSource]).toEqual(['TOTAL-PASSED', null, 'time-mark']);
    expect(s.times.bestSignatureTime).toBe('2026-01-15T10:00:30.000Z');
  });

  it('ATTACK: the same signer after its revocation with an old OCSP "good" issued for another signature: REVOKED_NO_POE, not TOTAL-PASSED', async () => {
    const r = await run('bdoc-tm-reused-ocsp');
    const s = r.signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'REVOKED_NO_POE']);
    expect(s.times.bestSignatureTimeSource).toBe('validation-time');
    expect(r.container!.indication).not.toBe('TOTAL-PASSED');
  });

  it('ATTACK: a bound, back-dated time-mark signed by a responder the CA never authorized: no proof of existence (REVOKED_NO_POE)', async () => {
    const s = (await run('bdoc-tm-forged-responder')).signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'REVOKED_NO_POE']);
    expect(check(s, 'psv.time-mark')).toMatchObject({ status: 'SKIPPED', detail: expect.stringContaining('responder not authorized') });
    expect(s.times.bestSignatureTimeSource).toBe('validation-time');
  });

  it('an ASiC-E XAdES without the BDOC policy is not read as a time-mark', async () => {
    const s = (await run('kz-asice-xades')).signatures[0]!;
    expect(check(s, 'psv.time-mark')).toBeUndefined();
  });
});
