import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AlgorithmRegistry, DEFAULT_POLICY, verify, type ValidationPolicy } from '../src/index.js';
import { GostProvider, GOST_ALGORITHM_POLICY } from '../src/gost.js';
import { describeIf } from './helpers/skip.js';

/**
 * KalkanCrypt (Kazakhstan NCA) CMS from ../shared/corpus/realworld/KZ (not made here).
 * The 2018 sample is GOST 34.310-2004: Kalkan writes the short digest OID 1.2.398.3.10.1.3.1
 * and the *key* OID as signatureAlgorithm; its NCA time-stamp token does the same.
 */
const corpus = process.env.OTS_CORPUS ?? fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const KZ = `${corpus}/realworld/KZ`;
const have = existsSync(`${KZ}/skarm-kalkan/test_CMS_GOST_2018.p7s`);
if (!have) console.warn(`realworld-kz: skipped — no corpus at ${KZ} (set OTS_CORPUS)`);

const file = (p: string) => new Uint8Array(readFileSync(`${KZ}/${p}`));
const gost = { registry: new AlgorithmRegistry().register(new GostProvider()), algorithmPolicy: GOST_ALGORITHM_POLICY };
/**
 * The corpus has no CRL or OCSP response of the NCA for these real signatures, and the default policy rightly
 * says INDETERMINATE / TRY_LATER without them (checked below). These tests are about the GOST signatures
 * themselves: they run under the default policy with the revocation requirement dropped, nothing else.
 */
const NO_REVOCATION_DATA: ValidationPolicy = { ...DEFAULT_POLICY, name: 'default-without-revocation', revocation: { ...DEFAULT_POLICY.revocation, signer: 'none', timestampAuthority: 'none' } };
const prod2018 = () => ({
  trustAnchors: [file('chains/prod_root_gost_2015.pem')],
  intermediates: [file('chains/prod_nca_gost_2018.pem')],
  validationTime: new Date('2018-12-22T00:00:00Z'),
  policy: NO_REVOCATION_DATA,
});

/** Offset of the first byte of the encapsulated id-data content (after the OID, [0] and OCTET STRING headers). */
function eContentOffset(cms: Uint8Array): number {
  const oid = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
  for (let i = 0; i < cms.length - oid.length; i++) {
    if (oid.every((b, k) => cms[i + k] === b)) {
      let p = i + oid.length;
      expect(cms[p]).toBe(0xa0);
      p += cms[p + 1]! & 0x80 ? 2 + (cms[p + 1]! & 0x7f) : 2;
      expect(cms[p]).toBe(0x04);
      return p + (cms[p + 1]! & 0x80 ? 2 + (cms[p + 1]! & 0x7f) : 2);
    }
  }
  throw new Error('no id-data eContent');
}

describeIf(have, 'no corpus (set OTS_CORPUS=/path/to/corpus): realworld/KZ/')('KalkanCrypt GOST 34.310-2004 CMS (KZ NCA, 2018)', () => {
  it('verifies at its signing time with the NCA GOST chain, its TST digest understood', async () => {
    const byDefault = (await verify(file('skarm-kalkan/test_CMS_GOST_2018.p7s'), { ...prod2018(), ...gost, policy: 'default' })).signatures[0]!;
    expect([byDefault.indication, byDefault.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    const r = await verify(file('skarm-kalkan/test_CMS_GOST_2018.p7s'), { ...prod2018(), ...gost });
    const s = r.signatures[0]!;
    expect(s.indication, s.checks.filter((c) => c.status !== 'PASSED').map((c) => c.detail).join('\n')).toBe('TOTAL-PASSED');
    expect(s.digestAlgorithm).toBe('GOST 34.311-95');
    expect(s.checks.find((c) => c.id === 'cv.signature-value')?.detail).toMatch(/GOST 34\.310-2004/);
    // The time-stamp's digest OID is Kalkan's short form too: it is no longer "not supported".
    expect(JSON.stringify(s)).not.toMatch(/1\.2\.398\.3\.10\.1\.3\.1 is not supported/);
  });

  it('one changed byte of the signed content: TOTAL-FAILED / HASH_FAILURE', async () => {
    const cms = file('skarm-kalkan/test_CMS_GOST_2018.p7s');
    const tampered = cms.slice();
    tampered[eContentOffset(tampered)] ^= 0x01;
    const s = (await verify(tampered, { ...prod2018(), ...gost })).signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['TOTAL-FAILED', 'HASH_FAILURE']);
  });

  it('a changed signature value: TOTAL-FAILED / SIG_CRYPTO_FAILURE', async () => {
    const cms = file('skarm-kalkan/test_CMS_GOST_2018.p7s');
    // The SignerInfo's signatureAlgorithm is the key OID with NULL parameters, then the 64-byte signature
    // (30 0d <key OID> 05 00 04 40); the first such run is the document signature, a later one the TST's.
    const run = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x83, 0x0e, 0x03, 0x0a, 0x01, 0x01, 0x01, 0x01, 0x05, 0x00, 0x04, 0x40];
    let p = -1;
    for (let i = 0; i < cms.length - run.length; i++) if (run.every((b, k) => cms[i + k] === b)) { p = i + run.length - 2; break; }
    expect(p).toBeGreaterThan(0);
    const tampered = cms.slice();
    tampered[p + 10] ^= 0x01;
    const s = (await verify(tampered, { ...prod2018(), ...gost })).signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['TOTAL-FAILED', 'SIG_CRYPTO_FAILURE']);
  });

  it('without the GOST provider: INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE naming the OID, no crash', async () => {
    const s = (await verify(file('skarm-kalkan/test_CMS_GOST_2018.p7s'), prod2018())).signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE']);
    expect(s.checks.map((c) => c.detail).join('\n')).toMatch(/1\.2\.398\.3\.10\.1\.3\.1/);
  });
});

describeIf(have, 'no corpus (set OTS_CORPUS=/path/to/corpus): realworld/KZ/')('KalkanCrypt GOST 34.10-2015-512 CMS (KZ NCA TEST 2022)', () => {
  const test2022 = () => ({
    trustAnchors: [file('chains/test_root_gost_2022.cer')],
    intermediates: [file('chains/test_nca_gost2022.cer')],
    validationTime: new Date('2026-07-21T00:00:00Z'),
    policy: NO_REVOCATION_DATA,
    ...gost,
  });
  for (const who of ['individual', 'legal_entity']) {
    it(`${who}: attached and detached verify; the detached one fails on another document`, async () => {
      const attached = (await verify(file(`skarm-kalkan/${who}_attached.p7s`), test2022())).signatures[0]!;
      expect(attached.indication).toBe('TOTAL-PASSED');
      const doc = file(`skarm-kalkan/${who}_document.txt`);
      const detached = (await verify(file(`skarm-kalkan/${who}_detached.p7s`), { ...test2022(), detachedContent: doc })).signatures[0]!;
      expect(detached.indication).toBe('TOTAL-PASSED');
      const other = doc.slice();
      other[0] ^= 0x20;
      const wrong = (await verify(file(`skarm-kalkan/${who}_detached.p7s`), { ...test2022(), detachedContent: other })).signatures[0]!;
      expect([wrong.indication, wrong.subIndication]).toEqual(['TOTAL-FAILED', 'HASH_FAILURE']);
    });
  }
});
