// EPES: signature policy identifiers read by the front ends and checked by the stage (src/stage/signature-policy.ts),
// the tr-profile preset, and the CAdES-C reference checks, on fixtures and (when present) the MA3 corpus.
import * as asn1js from 'asn1js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collect, evaluate, parsePolicy, TR_PROFILE_POLICY, DEFAULT_POLICY, LENIENT_POLICY, type ValidationPolicy, type SignatureFacts } from '../src/index.js';
import { readSignaturePolicy } from '../src/cades/signature-policy.js';
import { describeIf } from './helpers/skip.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = readFileSync(join(root, 'fixtures/cades/kz-attached.p7s'));
const POLICY_OID = '1.2.3.4.5.6';
const DOCUMENT = new TextEncoder().encode('the signature policy document');
const sha = async (alg: string, b: Uint8Array) => new Uint8Array(await crypto.subtle.digest(alg, b.slice()));

function withPolicy(p: Partial<ValidationPolicy['signaturePolicy']> = {}): ValidationPolicy {
  return { ...DEFAULT_POLICY, name: 'epes-test', signaturePolicy: { required: false, known: [], unknown: 'WARN', ...p } };
}

/** The fixture's facts with the signature naming `fact` as its policy (the stage sees what a front end would read). */
async function judged(fact: SignatureFacts['signaturePolicy'], policy: ValidationPolicy, signaturePolicies?: { id: string; document: Uint8Array }[]) {
  const facts = await collect(fixture, { policy, ...(signaturePolicies ? { signaturePolicies } : {}) });
  const s = { ...facts.signatures[0]!, ...(fact ? { signaturePolicy: fact } : {}) };
  const report = await evaluate({ ...facts, signatures: [s] });
  return report.signatures[0]!;
}
const check = (r: Awaited<ReturnType<typeof judged>>, id: string) => r.checks.find((c) => c.id === id);

describe('CAdES signature-policy-identifier parsing', () => {
  const value = (oid: string, hashOid: string, hash: Uint8Array) =>
    new asn1js.Sequence({
      value: [
        new asn1js.ObjectIdentifier({ value: oid }),
        new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: hashOid })] }), new asn1js.OctetString({ valueHex: hash.slice().buffer })] }),
      ],
    });
  it('reads SigPolicyId, hash algorithm and hash; NULL is an implied policy; garbage is a problem, not a throw', () => {
    const f = readSignaturePolicy(value(POLICY_OID, '2.16.840.1.101.3.4.2.1', new Uint8Array([1, 2])), () => 'SHA-256');
    expect(f).toMatchObject({ implied: false, id: POLICY_OID, digestAlgorithm: 'SHA-256' });
    expect([...f.digest!]).toEqual([1, 2]);
    expect(readSignaturePolicy(new asn1js.Null(), () => '')).toMatchObject({ implied: true, id: null });
    expect(readSignaturePolicy(new asn1js.Integer({ value: 3 }), () => '').problem).toMatch(/SEQUENCE/);
    expect(readSignaturePolicy(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: POLICY_OID })] }), () => '').problem).toMatch(/sigPolicyHash/);
  });
});

describe('signature policy checks in the stage', () => {
  it('a hash matching the supplied policy document passes and is reported', async () => {
    const r = await judged({ implied: false, id: POLICY_OID, digestAlgorithm: 'SHA-256', digest: await sha('SHA-256', DOCUMENT) }, withPolicy(), [{ id: `urn:oid:${POLICY_OID}`, document: DOCUMENT }]);
    expect(check(r, 'vci.signature-policy-hash')?.status).toBe('PASSED');
    expect(r.signaturePolicy).toEqual({ id: POLICY_OID, implied: false, digestAlgorithm: 'SHA-256', checkedAgainst: 'supplied-document', status: 'PASSED' });
  });

  it('attack: a wrong hash gives INDETERMINATE/POLICY_PROCESSING_ERROR (supplied document and known digest alike)', async () => {
    const wrong = await sha('SHA-256', new TextEncoder().encode('another policy'));
    const r = await judged({ implied: false, id: POLICY_OID, digestAlgorithm: 'SHA-256', digest: wrong }, withPolicy(), [{ id: POLICY_OID, document: DOCUMENT }]);
    expect(r.indication).toBe('INDETERMINATE');
    expect(check(r, 'vci.signature-policy-hash')).toMatchObject({ status: 'INDETERMINATE', subIndication: 'POLICY_PROCESSING_ERROR' });
    expect(r.signaturePolicy?.status).toBe('FAILED');
    const known = withPolicy({ known: [{ id: POLICY_OID, digestAlgorithm: 'SHA-256', digest: Buffer.from(await sha('SHA-256', DOCUMENT)).toString('hex') }] });
    const k = await judged({ implied: false, id: POLICY_OID, digestAlgorithm: 'SHA-256', digest: wrong }, known);
    expect(check(k, 'vci.signature-policy-hash')?.subIndication).toBe('POLICY_PROCESSING_ERROR');
    expect(k.signaturePolicy?.checkedAgainst).toBe('known-digest');
  });

  it('attack: the policy OID swapped for one the validation policy does not accept is POLICY_PROCESSING_ERROR', async () => {
    const r = await judged({ implied: false, id: '1.2.3.4.5.7', digestAlgorithm: 'SHA-256', digest: await sha('SHA-256', DOCUMENT) }, withPolicy({ acceptable: [POLICY_OID] }), [{ id: POLICY_OID, document: DOCUMENT }]);
    expect(check(r, 'vci.signature-policy')).toMatchObject({ status: 'INDETERMINATE', subIndication: 'POLICY_PROCESSING_ERROR' });
    // the swapped OID with the right hash, when no acceptable list is set: no document for that OID, hash not checked
    const open = await judged({ implied: false, id: '1.2.3.4.5.7', digestAlgorithm: 'SHA-256', digest: await sha('SHA-256', DOCUMENT) }, withPolicy(), [{ id: POLICY_OID, document: DOCUMENT }]);
    expect(open.signaturePolicy?.status).toBe('NOT_CHECKED');
    expect(open.warnings.join(' ')).toMatch(/not checked/);
  });

  it('attack: a weak SigPolicyHash algorithm (SHA-1 after its cut-off) is a SAV crypto-constraints finding even when it matches', async () => {
    const r = await judged({ implied: false, id: POLICY_OID, digestAlgorithm: 'SHA-1', digest: await sha('SHA-1', DOCUMENT) }, withPolicy(), [{ id: POLICY_OID, document: DOCUMENT }]);
    expect(check(r, 'sav.signature-policy-digest')).toMatchObject({ status: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' });
  });

  it('an unknown policy document: a warning by default (DSS), SIGNATURE_POLICY_NOT_AVAILABLE when the policy requires known policies', async () => {
    const fact = { implied: false, id: POLICY_OID, digestAlgorithm: 'SHA-256', digest: new Uint8Array(32) };
    const warn = await judged(fact, withPolicy());
    expect(check(warn, 'vci.signature-policy-hash')?.status).toBe('SKIPPED');
    expect(warn.signaturePolicy).toMatchObject({ status: 'NOT_CHECKED', checkedAgainst: null });
    const strict = await judged(fact, withPolicy({ unknown: 'FAIL' }));
    expect(check(strict, 'vci.signature-policy-hash')).toMatchObject({ status: 'INDETERMINATE', subIndication: 'SIGNATURE_POLICY_NOT_AVAILABLE' });
  });

  it('a required policy: none, or only an implied one, is POLICY_PROCESSING_ERROR; not required, nothing is recorded', async () => {
    const none = await judged(undefined, withPolicy({ required: true }));
    expect(check(none, 'vci.signature-policy')?.subIndication).toBe('POLICY_PROCESSING_ERROR');
    const implied = await judged({ implied: true, id: null, digestAlgorithm: null, digest: null }, withPolicy({ required: true }));
    expect(check(implied, 'vci.signature-policy')?.subIndication).toBe('POLICY_PROCESSING_ERROR');
    const free = await judged(undefined, DEFAULT_POLICY);
    expect(free.checks.some((c) => c.id.startsWith('vci.signature-policy'))).toBe(false);
    expect(free.signaturePolicy).toBeUndefined();
  });

  it('signaturePolicies option: a non-OID id or non-bytes document is an InvalidOptionError', async () => {
    await expect(collect(fixture, { signaturePolicies: [{ id: 'P4', document: DOCUMENT }] })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    await expect(collect(fixture, { signaturePolicies: [{ id: POLICY_OID, document: 'x' as unknown as Uint8Array }] })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});

describe('tr-profile preset and policy files', () => {
  it('is a preset a policy file can extend; signaturePolicy and signer sections are parsed and checked', () => {
    const p = parsePolicy({ name: 'tr-p4', extends: 'tr-profile', signaturePolicy: { required: true, acceptable: ['2.16.792.1.61.0.1.5070.3.3.1'], known: TR_PROFILE_POLICY.signaturePolicy!.known, unknown: 'FAIL' } });
    expect(p.signaturePolicy?.acceptable).toEqual(['2.16.792.1.61.0.1.5070.3.3.1']);
    expect(p.signer).toEqual(TR_PROFILE_POLICY.signer);
    expect(() => parsePolicy({ name: 'x', extends: 'default', signaturePolicy: { required: true, known: [{ id: '1.2', digestAlgorithm: 'SHA-256', digest: 'zz' }], unknown: 'FAIL' } })).toThrow(/digest must be hex/);
    expect(() => parsePolicy({ name: 'x', extends: 'default', signer: { requireSigningTime: true, keyUsage: ['signing'] } })).toThrow(/keyUsage/);
  });

  // MA3's Turkish-profile check (TurkishProfileAttributesChecker, TS_TIME_NOT_AFTER_2H): the signature time-stamp
  // within 2 hours after the signing time. On a CAdES-T of the fixture PKI (time-stamp 2026-03-01T10:00:05Z) with its
  // claimed signing time moved: the MA3 positives' 1480–2030 s pass, P4_9's 3 hours fail, a signing time after the
  // time-stamp stays TIMESTAMP_ORDER_FAILURE.
  it('signing time to signature time-stamp: at most 7200 s before it, never after it', async () => {
    const root = (f: string) => readFileSync(join(fileURLToPath(new URL('../fixtures/', import.meta.url)), f));
    const anchors = [root('pki/kz-root.pem')];
    const crls = [root('crl/kz-ca-empty.crl'), root('crl/current/kz-root.crl')];
    const tst = new Date('2026-03-01T10:00:05.000Z').getTime();
    const at = async (secondsBefore: number) => {
      const facts = await collect(root('ltv/cades-t.p7s'), { trustAnchors: anchors, timestampAnchors: anchors, crls, policy: { ...DEFAULT_POLICY, name: 'tr-time', signer: { requireSigningTime: true, maxSigningTimeToTimestampSeconds: TR_PROFILE_POLICY.signer!.maxSigningTimeToTimestampSeconds } } });
      const s = { ...facts.signatures[0]!, claimedSigningTime: new Date(tst - secondsBefore * 1000) };
      return (await evaluate({ ...facts, signatures: [s] }, { validationTime: new Date('2026-06-01T00:00:00Z') })).signatures[0]!;
    };
    expect(TR_PROFILE_POLICY.signer?.maxSigningTimeToTimestampSeconds).toBe(7200);
    for (const ok of [0, 1480, 2030, 7200]) {
      const r = await at(ok);
      expect(r.checks.find((c) => c.id === 'sav.signing-time-to-timestamp'), `${ok} s`).toBeUndefined();
      expect(r.indication, `${ok} s: ${r.checks.filter((c) => c.status !== 'PASSED').map((c) => c.id + ' ' + c.detail).join(' / ')}`).toBe('TOTAL-PASSED');
    }
    for (const bad of [7201, 10806]) {
      const r = await at(bad);
      expect(r.checks.find((c) => c.id === 'sav.signing-time-to-timestamp')?.subIndication, `${bad} s`).toBe('SIG_CONSTRAINTS_FAILURE');
      expect(r.indication, `${bad} s`).not.toBe('TOTAL-PASSED');
    }
    const after = await at(-301);
    expect(after.checks.find((c) => c.id === 'psv.timestamp-order')?.subIndication).toBe('TIMESTAMP_ORDER_FAILURE');
    expect(after.indication).not.toBe('TOTAL-PASSED');
  });

  // A policy prescribing the kind of the signer's revocation data (Turkish P4: OCSP) is met by any accepted answer of
  // that kind, not only by the one the status names (MA3 P4_31: a CRL issued after the OCSP response is the latest).
  it('prescribed revocation kind: met when an accepted answer of that kind agrees; attack: a CRL alone does not meet OCSP', async () => {
    const fx = (f: string) => readFileSync(join(fileURLToPath(new URL('../fixtures/', import.meta.url)), f));
    const anchors = [fx('pki/kz-root.pem')];
    const digest = await sha('SHA-256', DOCUMENT);
    const run = async (kind: 'crl' | 'ocsp', ocsp: string[]) => {
      const policy: ValidationPolicy = { ...DEFAULT_POLICY, name: 'prescribes', signaturePolicy: { required: true, known: [{ id: POLICY_OID, digestAlgorithm: 'SHA-256', digest: Buffer.from(digest).toString('hex'), signerRevocation: kind }], unknown: 'FAIL' } };
      const crls = [fx('crl/kz-ca-empty.crl'), fx('crl/current/kz-root.crl')];
      const facts = await collect(fx('ltv/cades-t.p7s'), { trustAnchors: anchors, timestampAnchors: anchors, crls, ocspResponses: ocsp.map((f) => fx(`ltv/ocsp/${f}.der`)), policy });
      const s = { ...facts.signatures[0]!, signaturePolicy: { implied: false, id: POLICY_OID, digestAlgorithm: 'SHA-256', digest } };
      return (await evaluate({ ...facts, signatures: [s] }, { validationTime: new Date('2026-06-01T00:00:00Z') })).signatures[0]!;
    };
    // A CRL and a later OCSP response, both "good": the status names the OCSP response; CRL prescribed is met too.
    for (const kind of ['crl', 'ocsp'] as const) {
      const r = await run(kind, ['kz-signer-good']);
      expect(r.revocation[0]?.kind).toBe('ocsp');
      expect(r.signaturePolicy?.status).toBe('PASSED');
      expect(check(r, 'vci.signature-policy-revocation'), kind).toBeUndefined();
      expect(r.indication).toBe('TOTAL-PASSED');
    }
    // The CRL alone, or beside an OCSP response from a responder the CA did not authorize (the TSA): OCSP prescribed is not met.
    for (const ocsp of [[], ['kz-signer-good-by-tsa']]) {
      const t = await run('ocsp', ocsp);
      expect(t.revocation[0]?.kind).toBe('crl');
      expect(check(t, 'vci.signature-policy-revocation')?.subIndication, ocsp.join()).toBe('SIG_CONSTRAINTS_FAILURE');
      expect(t.indication).toBe('INDETERMINATE');
    }
  });

  it('requires a signed signing time', async () => {
    const facts = await collect(fixture, { policy: { ...DEFAULT_POLICY, name: 't', signer: { requireSigningTime: true } } });
    const s = { ...facts.signatures[0]!, claimedSigningTime: undefined };
    const r = (await evaluate({ ...facts, signatures: [s] })).signatures[0]!;
    expect(r.checks.find((c) => c.id === 'sav.signing-time-required')?.subIndication).toBe('SIG_CONSTRAINTS_FAILURE');
  });
});

// The MA3 acceptance suite (real MA3-made signatures of TÜBİTAK's test PKI), when the corpus is present.
const ma3 = join(resolve(root, process.env.OTS_CORPUS ?? '../shared/corpus'), 'realworld/TR/ma3-testsuite');
describeIf(existsSync(ma3), 'the shared corpus (OTS_CORPUS) has no MA3 suite')('MA3 samples', () => {
  const anchors = existsSync(ma3) ? readdirSync(join(ma3, 'anchors')).map((f) => readFileSync(join(ma3, 'anchors', f))) : [];
  const run = async (path: string, policy: ValidationPolicy | string = 'tr-profile') => {
    const facts = await collect(readFileSync(join(ma3, path)), { trustAnchors: anchors, policy });
    return (await evaluate(facts, { validationTime: new Date('2019-05-31T12:00:00Z') })).signatures[0]!;
  };
  it('P4_1 (CAdES) and P4_1 (XAdES) carry P4 with the Rehber hash: checked against the known digest, PASSED', async () => {
    for (const f of ['validation-cades-p4/attached/P4_1.pdf.p7s', 'validation-xades-p4/enveloping/P4_1.pdf.xml']) {
      const r = await run(f);
      expect(r.signaturePolicy).toEqual({ id: '2.16.792.1.61.0.1.5070.3.3.1', implied: false, digestAlgorithm: 'SHA-256', checkedAgainst: 'known-digest', status: 'PASSED' });
    }
  });
  it('P4_5 (wrong SigPolicyHash) is POLICY_PROCESSING_ERROR under tr-profile; a warning-free NOT_CHECKED under default', async () => {
    const r = await run('validation-cades-p4/attached/P4_5.pdf.p7s');
    expect(r.checks.find((c) => c.id === 'vci.signature-policy-hash')?.subIndication).toBe('POLICY_PROCESSING_ERROR');
    expect(r.indication).not.toBe('TOTAL-PASSED');
    expect((await run('validation-cades-p4/attached/P4_5.pdf.p7s', 'default')).signaturePolicy?.status).toBe('NOT_CHECKED');
  });
  it('ESA_51 / ESA_52: a complete-certificate-reference missing or wrong is a FORMAT_FAILURE (was TOTAL-PASSED under lenient)', async () => {
    for (const f of ['ESA_51', 'ESA_52']) {
      const r = await run(`validation-cades-esa/attached/${f}.pdf.p7s`, { ...LENIENT_POLICY, name: 'lenient+anchor-ref', certificate: { ...LENIENT_POLICY.certificate, requireAnchorReference: true } });
      expect(r.checks.find((c) => c.id === 'fc.certificate-references')).toMatchObject({ status: 'FAILED', subIndication: 'FORMAT_FAILURE' });
      expect(r.indication).toBe('TOTAL-FAILED');
    }
    const ok = await run('validation-cades-esa/attached/ESA_1.pdf.p7s', 'lenient');
    expect(ok.checks.find((c) => c.id === 'fc.certificate-references')?.status).toBe('PASSED');
  });
  it('P4_53 / P4_54: a revocation reference missing or wrong is a FORMAT_FAILURE', async () => {
    for (const f of ['P4_53', 'P4_54']) {
      const r = await run(`validation-cades-p4/attached/${f}.pdf.p7s`, 'lenient');
      expect(r.checks.find((c) => c.id === 'fc.revocation-references')).toMatchObject({ status: 'FAILED', subIndication: 'FORMAT_FAILURE' });
    }
    expect((await run('validation-cades-p4/attached/P4_1.pdf.p7s', 'lenient')).checks.find((c) => c.id === 'fc.revocation-references')?.status).toBe('PASSED');
  });
  it('tr-profile national rules, each on the MA3 negative made for it (all TOTAL-PASSED before these rules)', async () => {
    const at = async (f: string, id: string) => (await run(`validation-cades-${f}`)).checks.find((c) => c.id === id);
    const when = async (f: string) => {
      const facts = await collect(readFileSync(join(ma3, `validation-cades-${f}`)), { trustAnchors: anchors, timestampAnchors: anchors, policy: 'tr-profile' });
      return (await evaluate(facts, { validationTime: new Date('2020-10-12T12:00:00Z') })).signatures[0]!;
    };
    expect((await at('p4/attached/P4_19.pdf.p7s', 'xcv.qc-statements'))?.detail).toMatch(/0\.4\.0\.1862\.1\.1/); // no ETSI QcCompliance
    expect((await at('p4/attached/P4_20.pdf.p7s', 'xcv.qc-statements'))?.detail).toMatch(/5070\.1\.1/); // no BTK statement
    expect((await at('p4/attached/P4_18.pdf.p7s', 'xcv.user-notice'))?.subIndication).toBe('CHAIN_CONSTRAINTS_FAILURE');
    expect((await at('p4/attached/P4_1.pdf.p7s', 'xcv.qc-statements'))?.status).toBe('PASSED');
    expect((await at('p4/attached/P4_1.pdf.p7s', 'xcv.user-notice'))).toBeUndefined();
    expect((await at('p4/attached/P4_55.pdf.p7s', 'fc.certificate-values'))?.status).toBe('FAILED'); // root not carried
    // P4 prescribes OCSP for the signer: P4_10 carries a CRL instead
    expect((await when('p4/attached/P4_10.pdf.p7s')).checks.find((c) => c.id === 'vci.signature-policy-revocation')?.subIndication).toBe('SIG_CONSTRAINTS_FAILURE');
    expect((await when('p4/attached/P4_1.pdf.p7s')).checks.find((c) => c.id === 'vci.signature-policy-revocation')).toBeUndefined();
    // P4_31 carries an OCSP response (its responder revoked only later) and a later CRL: judged just after its time-stamp,
    // where both are current, the OCSP answer meets P4 though the status names the CRL
    const p431 = await collect(readFileSync(join(ma3, 'validation-cades-p4/attached/P4_31.pdf.p7s')), { trustAnchors: anchors, timestampAnchors: anchors, policy: 'tr-profile' });
    const r431 = (await evaluate(p431, { validationTime: new Date('2019-05-30T08:01:00Z') })).signatures[0]!;
    expect(r431.revocation[0]?.kind).toBe('crl');
    expect(r431.checks.find((c) => c.id === 'vci.signature-policy-revocation')).toBeUndefined();
    // the signature time-stamp within 2 hours after the signing time (MA3 TS_TIME_NOT_AFTER_2H): P4_9's 3 hours fail, P4_25's 1481 s pass
    expect((await when('p4/attached/P4_9.pdf.p7s')).checks.find((c) => c.id === 'sav.signing-time-to-timestamp')?.subIndication).toBe('SIG_CONSTRAINTS_FAILURE');
    expect((await when('p4/attached/P4_25.pdf.p7s')).checks.find((c) => c.id === 'sav.signing-time-to-timestamp')).toBeUndefined();
    // a broken archive time-stamp (v2, TSA2 signature broken) fails tr-profile's every-time-stamp-valid rule
    expect((await when('p4_a/attached/P4_A76.pdf.p7s')).checks.find((c) => c.id === 'tst.all-valid')?.subIndication).toBe('SIG_CONSTRAINTS_FAILURE');
  });
});
