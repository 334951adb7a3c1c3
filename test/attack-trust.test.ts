/**
 * Trust-layer false accepts of issue #15, each reproduced with inputs minted here from the fixture
 * test PKI keys (test/helpers/attack-trust-pki.ts):
 *  1. recognition matched a service by the SKI / subject name of any chain certificate, the signer's own included;
 *  2. any CA (of any list, or any trust anchor) was accepted as a time-stamping authority;
 *  6. a TrustSet judged list expiry once, at load time;
 *  7. an agreement's certificate policy was checked against the signer's assertion, not the path's valid policies.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTrustLists, verify, type VerifyOptions } from '../src/index.js';
import type { SignatureReport } from '../src/report/model.js';
import { fixture, fixtureCrls } from './helpers/fixtures.js';
import { cades, emptyCrl, fixtureCert, jsonList, mint, skiOf, withSignatureTimestamp } from './helpers/attack-trust-pki.js';
import type { IssuedCert } from '../fixtures/lib/pki.js';
import { policies } from './pki-testca.js';
import { readFileSync } from 'node:fs';

const AT = new Date('2026-06-01T00:00:00Z');
const read = (rel: string) => new Uint8Array(readFileSync(new URL(`../${rel}`, import.meta.url)));
const one = async (sig: Uint8Array, o: VerifyOptions): Promise<SignatureReport> => {
  // The fixture PKI's current CRLs first (the default policy requires every chain certificate's status); a test's own come on top.
  const r = await verify(sig, { validationTime: AT, ...o, crls: [...fixtureCrls(), ...(o.crls ?? [])] });
  expect(r.signatures).toHaveLength(1);
  return r.signatures[0]!;
};
/** A check of the first time-stamp's own validation (kept in its summary). */
const tstCheck = (s: SignatureReport, suffix = '.tsa-trust') => s.timestamps?.[0]?.checks.find((c) => c.id.endsWith(suffix));

let kzRoot: IssuedCert, kzCa: IssuedCert, azCa: IssuedCert, kgCa: IssuedCert, kgSigner: IssuedCert, kzTsa: IssuedCert, kzRevoked: IssuedCert;
beforeAll(async () => {
  kzRoot = await fixtureCert('pki/kz-root.pem', 'kz-root');
  kzCa = await fixtureCert('pki/kz-ca.pem', 'kz-ca');
  azCa = await fixtureCert('pki/az-ca.pem', 'az-ca');
  kgCa = await fixtureCert('pki/kg-ca.pem', 'kg-ca');
  kgSigner = await fixtureCert('pki/kg-signer.pem', 'kg-signer');
  kzTsa = await fixtureCert('pki/kz-tsa.pem', 'kz-tsa');
  kzRevoked = await fixtureCert('pki/kz-signer-revoked.pem', 'kz-signer-revoked');
});

describe('#15.1 a service is matched only by the key that verified the path', () => {
  // A KZ list: the CA that issued the attacker's certificate (kz-ca) is withdrawn (or is a TSA service's
  // certificate); another service of the same list (az-ca's certificate) is a granted CA/QC.
  const list = (issuerService: { type: string; status: string }) =>
    jsonList('KZ', [
      { name: 'Issuing CA of the attacker', ...issuerService, since: '2025-06-01T00:00:00Z', certificates: [kzCa], history: [{ type: 'CA/QC', status: 'granted', since: '2024-01-01T00:00:00Z' }] },
      { name: 'Granted QC CA', type: 'CA/QC', status: 'granted', certificates: [azCa], subjectNames: [azCa.cert.subject] },
    ]);

  for (const [label, svc] of [
    ['withdrawn CA/QC', { type: 'CA/QC', status: 'withdrawn' }],
    ['granted TSA/QTST', { type: 'TSA/QTST', status: 'granted' }],
  ] as const) {
    it(`a signer issued by a ${label} service carrying a granted service's SKI is not recognized`, async () => {
      const forged = await mint({ subject: 'C=KZ, O=Attacker, CN=SKI borrower', issuer: kzCa, keyOf: 'kz-signer', serial: '7a01', ski: skiOf(azCa) });
      const s = await one(await cades(forged, [kzCa]), { trustLists: [{ data: list(svc), name: 'attack-kz.json' }], relyingParty: 'KZ' });
      expect(s.indication).toBe('TOTAL-PASSED');
      expect(s.recognition!.status).toBe('NOT_RECOGNIZED');
      expect(s.recognition!.evaluations.map((e) => e.service?.name)).not.toContain('Granted QC CA');
      expect(s.recognition!.service?.name).toBe('Issuing CA of the attacker');
      expect(s.recognition!.service?.matchedBy).toBe('certificate');
    });

    it(`a signer issued by a ${label} service carrying a granted service's subject name is not recognized`, async () => {
      const forged = await mint({ subject: azCa.cert.subject, issuer: kzCa, keyOf: 'kz-signer', serial: '7a02' });
      const s = await one(await cades(forged, [kzCa]), { trustLists: [{ data: list(svc), name: 'attack-kz.json' }], relyingParty: 'KZ' });
      expect(s.indication).toBe('TOTAL-PASSED');
      expect(s.recognition!.status).toBe('NOT_RECOGNIZED');
      expect(s.recognition!.evaluations.map((e) => e.service?.name)).not.toContain('Granted QC CA');
    });
  }

  it('control: the same list recognizes a signer whose issuing CA is the granted service (matched by its key)', async () => {
    const granted = jsonList('KZ', [{ name: 'Granted KZ CA', type: 'CA/QC', status: 'granted', certificates: [kzCa] }]);
    const honest = await mint({ subject: 'C=KZ, O=Honest, CN=Signer', issuer: kzCa, keyOf: 'kz-signer', serial: '7a03' });
    const s = await one(await cades(honest, [kzCa]), { trustLists: [{ data: granted }], relyingParty: 'KZ' });
    expect(s.recognition!.status).toBe('RECOGNIZED');
    expect(s.recognition!.service).toMatchObject({ name: 'Granted KZ CA', matchedBy: 'certificate' });
  });

  it('control: another certificate with the listed key (here a non-CA re-issue, so not an anchor itself) matches by public key', async () => {
    const reissued = await mint({ subject: kzCa.cert.subject, issuer: kzRoot, keyOf: 'kz-ca', serial: '7a04' });
    const lists = [{ data: jsonList('KZ', [{ name: 'KZ CA by key', type: 'CA/QC', status: 'granted', certificates: [reissued] }]) }];
    const honest = await mint({ subject: 'C=KZ, O=Honest, CN=Signer 2', issuer: kzCa, keyOf: 'kz-signer', serial: '7a05' });
    const s = await one(await cades(honest, [kzCa]), { trustAnchors: [fixture('pki/kz-root.pem')], trustLists: lists, relyingParty: 'KZ' });
    expect(s.chain.map((c) => c.subject)).toHaveLength(3);
    expect(s.recognition!.status).toBe('RECOGNIZED');
    expect(s.recognition!.service).toMatchObject({ name: 'KZ CA by key', matchedBy: 'public-key' });
  });
});

describe('#15.2 a time-stamp is proof of existence only from a TSA trusted as a TSA', () => {
  const kgList = () => ({ data: read('trust-lists/json/kg-tl.json'), name: 'kg-tl.json' });
  const azList = () => ({ data: read('trust-lists/json/az-tl.json'), name: 'az-tl.json' });
  const GEN = new Date('2026-01-15T10:00:00Z'); // KG's CA/QC service was granted then, withdrawn since 2026-03-01

  it('baseline: a KG signature validated after the withdrawal is NOT_RECOGNIZED', async () => {
    const s = await one(await cades(kgSigner, [kgCa]), { trustLists: [kgList()], relyingParty: 'KG' });
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(s.recognition!.status).toBe('NOT_RECOGNIZED');
  });

  it('a TSA minted by the withdrawn KG CA does not move the best-signature-time into the past', async () => {
    const tsa = await mint({ subject: 'C=KG, O=Attacker, CN=Backdating TSA', issuer: kgCa, keyOf: 'untrusted-tsa', serial: '7b01', timeStamping: true });
    const sig = await withSignatureTimestamp(await cades(kgSigner, [kgCa]), tsa, GEN);
    const s = await one(sig, { trustLists: [kgList()], relyingParty: 'KG' });
    expect(s.times.bestSignatureTimeSource).toBe('validation-time');
    expect(s.timestamps?.[0]?.usedAsPoe).toBe(false);
    expect(tstCheck(s)).toMatchObject({ status: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(tstCheck(s)!.detail).toMatch(/not trusted as a time-stamping authority/);
    expect(s.recognition!.status).toBe('NOT_RECOGNIZED');
  });

  it("a TSA minted by another country's granted issuing CA does not either", async () => {
    const tsa = await mint({ subject: 'C=AZ, O=Attacker, CN=Foreign TSA', issuer: azCa, keyOf: 'untrusted-tsa', serial: '7b02', timeStamping: true });
    const sig = await withSignatureTimestamp(await cades(kgSigner, [kgCa]), tsa, GEN, [azCa]);
    const s = await one(sig, { trustLists: [kgList(), azList()], relyingParty: 'KG' });
    expect(s.times.bestSignatureTimeSource).toBe('validation-time');
    expect(s.recognition!.status).toBe('NOT_RECOGNIZED');
    expect(s.warnings.join('\n')).toMatch(/signature time-stamp 0 ignored: .*not trusted as a time-stamping authority/);
  });

  it('a TSA/QTST service granted at genTime is trusted; withdrawn at genTime, or on an expired list, it is not', async () => {
    const tsa = await mint({ subject: 'C=KG, O=Listed, CN=Qualified TSA', issuer: kgCa, keyOf: 'untrusted-tsa', serial: '7b03', timeStamping: true });
    const sig = await withSignatureTimestamp(await cades(kgSigner, [kgCa]), tsa, GEN);
    const tsaList = (status: string, nextUpdate?: string) => ({
      data: jsonList('KG', [{ name: 'KG QTST', type: 'TSA/QTST', status, since: '2025-01-01T00:00:00Z', certificates: [tsa] }], { nextUpdate, seq: 2 }),
      name: 'kg-tsa.json',
    });
    const ok = await one(sig, { trustLists: [kgList(), tsaList('granted')], relyingParty: 'KG' });
    expect(ok.times).toMatchObject({ bestSignatureTime: GEN.toISOString(), bestSignatureTimeSource: 'signature-timestamp' });
    expect(tstCheck(ok)).toMatchObject({ status: 'PASSED' });
    expect(tstCheck(ok)!.detail).toMatch(/TSA\/QTST service "KG QTST".* granted at 2026-01-15/);
    expect(ok.recognition!.status).toBe('RECOGNIZED');

    const withdrawn = await one(sig, { trustLists: [kgList(), tsaList('withdrawn')], relyingParty: 'KG' });
    expect(withdrawn.times.bestSignatureTimeSource).toBe('validation-time');
    expect(tstCheck(withdrawn)!.detail).toMatch(/was withdrawn at 2026-01-15/);
    expect(withdrawn.recognition!.status).toBe('NOT_RECOGNIZED');

    const stale = await one(sig, { trustLists: [kgList(), tsaList('granted', '2026-05-01T00:00:00Z')], relyingParty: 'KG' });
    expect(stale.times.bestSignatureTimeSource).toBe('validation-time');
    expect(tstCheck(stale)!.detail).toMatch(/the list expired/);
  });

  describe('direct anchors: past signature validation is not rescued by a TSA under an ordinary anchor', () => {
    const base = (): VerifyOptions => ({ trustAnchors: [fixture('pki/kz-root.pem'), fixture('pki/az-root.pem')], crls: [fixture('crl/kz-ca.crl')] });
    let forgedTs: Uint8Array;
    beforeAll(async () => {
      const tsa = await mint({ subject: 'C=AZ, O=Attacker, CN=Rescue TSA', issuer: azCa, keyOf: 'untrusted-tsa', serial: '7b04', timeStamping: true });
      // kz-signer-revoked was revoked on 2026-02-01: a time-stamp of 2026-01-15 would prove the signature predates it.
      forgedTs = await withSignatureTimestamp(await cades(kzRevoked, [kzCa]), tsa, GEN, [azCa]);
    });

    it('a revoked signer stays REVOKED_NO_POE with only signature trust anchors', async () => {
      const s = await one(forgedTs, base());
      expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'REVOKED_NO_POE']);
      expect(tstCheck(s)!.detail).toMatch(/no timestampAnchors were given/);
    });

    it('and with timestampAnchors naming another root', async () => {
      const s = await one(forgedTs, { ...base(), timestampAnchors: [fixture('pki/kz-root.pem')] });
      expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'REVOKED_NO_POE']);
      expect(tstCheck(s, '.tsa.path-building')?.detail).toMatch(/not trusted as a TSA/);
    });

    it('control: a TSA under a root passed in timestampAnchors is proof of existence', async () => {
      const sig = await withSignatureTimestamp(await cades(kzRevoked, [kzCa]), kzTsa, GEN, [kzCa]);
      const s = await one(sig, { ...base(), timestampAnchors: [fixture('pki/kz-root.pem')] });
      expect(s.indication).toBe('TOTAL-PASSED');
      expect(s.times.bestSignatureTime).toBe(GEN.toISOString());
      expect(tstCheck(s)).toMatchObject({ status: 'PASSED' });
    });
  });

  it('CAdES-LTA: neither the archive nor the signature time-stamp keeps an expired signer valid when their TSAs are only under a signature anchor', async () => {
    // kz-root's and kz-ca's current CRLs: the status the default policy requires for kz-ca and the TSAs in 2031.
    const later = { validationTime: new Date('2031-01-01T00:00:00Z'), trustAnchors: [fixture('pki/kz-root.pem')], crls: [fixture('crl/current/kz-root.crl'), fixture('crl/current/kz-ca.crl')] };
    const r = await verify(fixture('ltv/cades-lta.p7s'), later);
    const s = r.signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE']);
    expect(s.timestamps?.map((t) => [t.type, t.usedAsPoe])).toEqual([
      ['signature-timestamp', false],
      ['archive-timestamp', false],
    ]);
    expect(s.timestamps?.[1]?.checks.find((c) => c.id.endsWith('.tsa-trust'))?.detail).toMatch(/not trusted as a time-stamping authority/);
    const trusted = await verify(fixture('ltv/cades-lta.p7s'), { ...later, timestampAnchors: [fixture('pki/kz-root.pem')] });
    expect(trusted.signatures[0]!.indication).toBe('TOTAL-PASSED');
  });

  it('XAdES: a signature time-stamp whose TSA only chains to a signature trust anchor is not used', async () => {
    const opts: VerifyOptions = { trustAnchors: [fixture('pki/kz-root.pem')], crls: [fixture('crl/kz-ca.crl')] };
    const xml = fixture('xades/kz-revoked-enveloped-t-before.xml');
    const s = await one(xml, opts);
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'REVOKED_NO_POE']);
    expect(s.times.bestSignatureTimeSource).toBe('validation-time');
    expect(s.checks.find((c) => c.id.startsWith('tst.SignatureTimeStamp'))?.detail).toMatch(/not trusted as a time-stamping authority/);
    const trusted = await one(xml, { ...opts, timestampAnchors: [fixture('pki/kz-root.pem')] });
    expect(trusted.indication).toBe('TOTAL-PASSED');
    expect(trusted.times.bestSignatureTimeSource).toBe('signature-timestamp');
  });
});

describe('#15.6 list freshness is judged at each validation time', () => {
  const kzList = (nextUpdate: string) => {
    const j = JSON.parse(new TextDecoder().decode(read('trust-lists/json/kz-tl.json')));
    j.scheme.nextUpdate = nextUpdate;
    return { data: JSON.stringify(j), name: 'kz-tl.json' };
  };

  it('a TrustSet loaded while fresh does not keep recognizing after NextUpdate', async () => {
    const set = await loadTrustLists([kzList('2026-09-01T00:00:00Z')], { time: AT });
    const sig = fixture('cades/kz-attached.p7s');
    const fresh = await one(sig, { trustLists: set, relyingParty: 'KZ' });
    expect(fresh.recognition!.status).toBe('RECOGNIZED');
    const later = await verify(sig, { validationTime: new Date('2026-12-01T00:00:00Z'), trustLists: set, relyingParty: 'KZ', crls: fixtureCrls() });
    expect(later.signatures[0]!.recognition!.status).toBe('INDETERMINATE');
    expect(later.signatures[0]!.recognition!.reasons.join(' ')).toMatch(/expired/);
    expect(later.trust!.lists[0]!.expired).toBe(true);
    expect(later.warnings.join('\n')).toMatch(/is EXPIRED/);
  });

  it('a TrustSet loaded for a later time is fresh at an earlier validation time', async () => {
    const set = await loadTrustLists([kzList('2026-09-01T00:00:00Z')], { time: new Date('2026-12-01T00:00:00Z') });
    const r = await verify(fixture('cades/kz-attached.p7s'), { validationTime: AT, trustLists: set, relyingParty: 'KZ', crls: fixtureCrls() });
    expect(r.signatures[0]!.recognition!.status).toBe('RECOGNIZED');
    expect(r.trust!.lists[0]!.expired).toBe(false);
  });
});

describe("#15.7 an agreement's certificate policy is checked against the path's valid policies", () => {
  const P = '1.3.6.1.4.1.99999.7.1';
  const Q = '1.3.6.1.4.1.99999.7.2';
  const agreement = {
    kind: 'ots-esig/agreement',
    jsonVersion: 1,
    id: 'ATTACK-KZ-AZ',
    title: 'attack test agreement',
    test: true,
    parties: ['AZ', 'KZ'],
    direction: 'mutual',
    effectiveFrom: '2025-01-01T00:00:00Z',
    effectiveUntil: null,
    equivalences: [
      {
        level: 'qualified',
        partnerServiceTypes: ['http://uri.etsi.org/TrstSvc/Svctype/CA/QC'],
        partnerStatuses: ['http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted'],
        equivalentServiceType: 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC',
      },
    ],
    constraints: { certificatePolicies: [P] },
  };
  const signedUnder = async (caPolicy: string, serial: string) => {
    const ca = await mint({ subject: `C=KZ, O=Policy test, CN=CA for ${caPolicy}`, issuer: kzRoot, keyOf: 'uz-ca', serial: `${serial}1`, ca: true, extensions: [policies(caPolicy)] });
    const signer = await mint({ subject: `C=KZ, O=Policy test, CN=Signer asserting P under ${caPolicy}`, issuer: ca, keyOf: 'kz-signer', serial: `${serial}2`, extensions: [policies(P)] });
    return one(await cades(signer, [ca]), {
      trustLists: [{ data: read('trust-lists/json/kz-tl.json'), name: 'kz-tl.json' }],
      agreements: [{ data: JSON.stringify(agreement), name: 'attack-agreement.json' }],
      relyingParty: 'AZ',
      crls: [await emptyCrl(ca)],
    });
  };

  it('a signer asserting the required policy under a CA limited to another one is not recognized', async () => {
    const s = await signedUnder(Q, '7c0');
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(s.recognition!.status).toBe('NOT_RECOGNIZED');
    expect(s.validPolicies).toEqual([]);
    expect(s.recognition!.reasons.join(' ')).toMatch(/path is valid for no certificate policy .*asserts 1\.3\.6\.1\.4\.1\.99999\.7\.1/);
  });

  it('control: under a CA that allows the policy, it is recognized', async () => {
    const s = await signedUnder(P, '7c1');
    expect(s.validPolicies).toEqual([P]);
    expect(s.recognition!.status).toBe('RECOGNIZED');
    expect(s.recognition!.basis?.agreementId).toBe('ATTACK-KZ-AZ');
  });
});
