import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { profileIssues } from '../src/pki/profile.js';
import { derObjectsFrom } from '../src/util/pem.js';
import { fixture, fixtureCrls } from './helpers/fixtures.js';

/**
 * RFC 5280 4.1.1.2: the outer signatureAlgorithm MUST equal tbsCertificate.signature. The outer copy is not
 * signed, so an attacker can change it freely; OpenSSL compares them byte for byte. Fuzz finding
 * (ots-2026-12-03-final #59708): a CA certificate whose outer sha256WithRSAEncryption lost its NULL
 * parameters still chained here (old rule: NULL and absent alike) while openssl refused it.
 */
function withoutOuterNull(der: Uint8Array): Uint8Array {
  // Certificate ::= SEQUENCE(82 LL LL) { tbs SEQUENCE(82 LL LL), signatureAlgorithm SEQUENCE(0d){OID(09) NULL}, BIT STRING }
  expect([der[0], der[1], der[4], der[5]]).toEqual([0x30, 0x82, 0x30, 0x82]);
  const tbsEnd = 8 + ((der[6]! << 8) | der[7]!);
  expect([der[tbsEnd], der[tbsEnd + 1], der[tbsEnd + 13], der[tbsEnd + 14]]).toEqual([0x30, 0x0d, 0x05, 0x00]);
  const out = new Uint8Array(der.length - 2);
  out.set(der.subarray(0, tbsEnd));
  out.set([0x30, 0x0b], tbsEnd);
  out.set(der.subarray(tbsEnd + 2, tbsEnd + 13), tbsEnd + 2);
  out.set(der.subarray(tbsEnd + 15), tbsEnd + 13);
  const len = ((der[2]! << 8) | der[3]!) - 2;
  out[2] = len >> 8;
  out[3] = len & 0xff;
  return out;
}

describe('outer signatureAlgorithm must equal the signed one', () => {
  const caDer = derObjectsFrom(fixture('pki/az-ca.pem'))[0]!;
  const altered = ParsedCertificate.fromDer(withoutOuterNull(caDer));

  it('the unaltered CA has no such issue (control)', () => {
    expect(profileIssues(ParsedCertificate.fromDer(caDer), 'ca', false).map((i) => i.detail)).not.toContain('signatureAlgorithm differs from the signature field inside tbsCertificate');
  });

  it('NULL parameters removed from the outer copy only: a structure issue (always enforced)', () => {
    expect(profileIssues(altered, 'ca', false)).toContainEqual({ level: 'structure', detail: 'signatureAlgorithm differs from the signature field inside tbsCertificate' });
  });

  it('a path that needs the altered CA does not validate; the unaltered CA validates (control)', async () => {
    // kz-missing-intermediate.p7s carries no issuing CA: the caller's intermediate is the only way to the root.
    const kzCa = derObjectsFrom(fixture('pki/kz-ca.pem'))[0]!;
    const run = (intermediate: Uint8Array) =>
      verify(fixture('cades/kz-missing-intermediate.p7s'), { trustAnchors: [fixture('pki/kz-root.pem')], intermediates: [intermediate], crls: fixtureCrls(), validationTime: new Date('2026-06-01T00:00:00Z') }).then((r) => r.signatures[0]!);
    expect((await run(kzCa)).indication).toBe('TOTAL-PASSED');
    const bad = await run(withoutOuterNull(kzCa));
    expect(bad.indication).not.toBe('TOTAL-PASSED');
    expect(JSON.stringify(bad.checks)).toMatch(/signatureAlgorithm differs/);
  });
});
