/**
 * MA3 acceptance-suite samples (realworld corpus, OTS_CORPUS) for the validation data rules of #17: each case fails
 * without the rule named in its title (they were TOTAL-PASSED, or rejected only for an unrelated reason).
 *  - tr-profile revocation.rejectUnacceptableCarried: an -XL signature carrying an OCSP response whose delegated
 *    responder was revoked before the signing (ESXL1_24_1) is not TOTAL-PASSED even though a CRL gives the status.
 *  - timestamps.requireAllValid counts every time-stamp: a XAdES SigAndRefsTimeStamp whose imprint is broken (ESXL1_62_1).
 *  - CAdES archive-time-stamp-v2 (TS 101 733) input computed: ESA_1's is verified and proof of existence.
 *  - CAdES-X escTimeStamp (MA3 "İmza ve Referans ZD") collected with its input: a broken one fails (ESA_62_1).
 *  - a carried 2013 issue of the trusted 2019 Root A (same name and key) is that anchor: ESXL1_1 passes at 2017.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { collect, evaluate, parseTimestampToken, TR_PROFILE_POLICY, type ValidationPolicy } from '../src/index.js';
import { describeIf } from './helpers/skip.js';

const corpus = process.env.OTS_CORPUS ?? fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const MA3 = join(corpus, 'realworld/TR/ma3-testsuite');
const have = existsSync(join(MA3, 'EXPECTED-from-MA3-tests.tsv'));
// As scripts/conformance/ma3.ts runs the non-profile folders: tr-profile without the P-profile demands.
const policy: ValidationPolicy = {
  ...TR_PROFILE_POLICY,
  name: 'tr-profile (no P-profile expected)',
  timestamps: { ...TR_PROFILE_POLICY.timestamps, requireSignatureTimestamp: false },
  signaturePolicy: { ...TR_PROFILE_POLICY.signaturePolicy!, required: false },
  signer: { ...TR_PROFILE_POLICY.signer, requireSigningTime: false, maxSigningTimeToTimestampSeconds: undefined },
};

async function run(file: string) {
  const dir = (d: string) => readdirSync(join(MA3, d)).map((f) => readFileSync(join(MA3, d, f)));
  const anchors = dir('anchors');
  const facts = await collect(readFileSync(join(MA3, file)), { trustAnchors: anchors, timestampAnchors: anchors, intermediates: dir('intermediates'), policy });
  let t = 0;
  for (const s of facts.signatures) {
    if (s.claimedSigningTime) t = Math.max(t, s.claimedSigningTime.getTime());
    for (const ts of s.timestamps) t = Math.max(t, parseTimestampToken(ts.token).tstInfo.genTime.getTime());
  }
  const sig = (await evaluate(facts, { validationTime: new Date(t + 60_000) })).signatures[0]!;
  return { sig, check: (id: string) => sig.checks.find((c) => c.id === id) };
}

describeIf(have, 'the shared corpus (OTS_CORPUS) has no MA3 suite')('MA3 samples: carried validation data and older time-stamps', () => {
  it('ESXL1_24_1 (OCSP responder revoked before the signing): INDETERMINATE / CHAIN_CONSTRAINTS_FAILURE', async () => {
    const { sig, check } = await run('validation-xades-esxl1/enveloping/ESXL1_24_1.xml');
    expect(sig.indication).not.toBe('TOTAL-PASSED');
    expect(check('xcv.revocation-data')?.subIndication).toBe('CHAIN_CONSTRAINTS_FAILURE');
    expect(check('xcv.revocation-data')?.detail).toMatch(/OCSP A1 6.*revoked|revoked.*OCSP A1 6/s);
  });

  it('ESXL1_62_1 (SigAndRefsTimeStamp imprint broken): tst.all-valid fails', async () => {
    const { sig, check } = await run('validation-xades-esxl1/enveloping/ESXL1_62_1.xml');
    expect(sig.indication).not.toBe('TOTAL-PASSED');
    expect(check('tst.all-valid')?.detail).toMatch(/SigAndRefsTimeStamp 1 \(FAILED\/HASH_FAILURE\)/);
  });

  it('ESXL1_1 (valid, 2017, carries the 2013 Root A and SubRoot A1): TOTAL-PASSED, the path ends at the carried Root A', async () => {
    const { sig } = await run('validation-xades-esxl1/enveloping/ESXL1_1.xml');
    expect(sig.indication).toBe('TOTAL-PASSED');
    expect(sig.chain.at(-1)?.notBefore).toBe('2013-04-17T07:12:04.000Z');
  });

  it('CAdES ESA_1: archive-time-stamp-v2 verified over the TS 101 733 input', async () => {
    const { sig, check } = await run('validation-cades-esa/attached/ESA_1.pdf.p7s');
    expect(sig.indication).toBe('TOTAL-PASSED');
    expect(check('tst.archive-timestamp-v2[0]')?.status).toBe('PASSED');
  });

  it('CAdES ESA_62_1 (escTimeStamp imprint broken): not TOTAL-PASSED, the CAdES-C time-stamp is named', async () => {
    const { sig, check } = await run('validation-cades-esa/attached/ESA_62_1.pdf.p7s');
    expect(sig.indication).not.toBe('TOTAL-PASSED');
    expect(check('tst.all-valid')?.detail).toMatch(/CAdES-C time-stamp \(escTimeStamp\) 0 \(FAILED\/HASH_FAILURE\)/);
  });
});
