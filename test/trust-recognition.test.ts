// Recognition scenarios beyond the matrix: agreement constraints and purposes,
// expired / tampered / unsigned / wrongly pinned lists, JSON lists and their
// integrity, EU-MRA-style equivalence mapping of a national vocabulary, the CLI.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAgreementJson } from '../src/trust/agreements.js';
import { TrustListError } from '../src/trust/errors.js';
import { loadTrustLists, type TrustListInput } from '../src/trust/load.js';
import { InvalidOptionError } from '../src/errors.js';
import { formatText } from '../src/report/text.js';
import { verify } from '../src/validation/verify.js';
import type { VerifyOptions } from '../src/validation/options.js';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { fixtureCrlArgs, fixtureCrls } from './helpers/fixtures.js';

const root = new URL('../', import.meta.url);
const read = (p: string): Uint8Array => new Uint8Array(readFileSync(new URL(p, root)));
const text = (p: string): string => readFileSync(new URL(p, root), 'utf8');
const sig = (cc: string): Uint8Array => read(`fixtures/cades/${cc}-attached.p7s`);
const T = new Date('2025-09-01T00:00:00Z');
const MANIFEST_TIME = new Date(JSON.parse(text('fixtures/manifest.json')).validationTime as string);

const lotl = (): TrustListInput => ({ data: read('trust-lists/ots-lotl.xml'), name: 'ots-lotl.xml', signingCertificates: [read('fixtures/pki/ots-lotl-operator.pem')] });
const national = (cc: string, pinned = false): TrustListInput => ({
  data: read(`trust-lists/${cc}-tl.xml`),
  name: `${cc}-tl.xml`,
  ...(pinned ? { signingCertificates: [read(`fixtures/pki/${cc}-tl-operator.pem`)] } : {}),
});
const agreementJson = (f: string): Record<string, unknown> => JSON.parse(text(`trust-lists/agreements/${f}.json`)) as Record<string, unknown>;

async function recognition(cc: string, options: VerifyOptions) {
  const report = await verify(sig(cc), { validationTime: T, crls: fixtureCrls(), ...options });
  return { report, s: report.signatures[0]!, r: report.signatures[0]!.recognition! };
}

describe('bilateral agreement constraints and purposes', () => {
  const kzUz = { trustLists: [national('kz', true)], agreements: [{ data: read('trust-lists/agreements/kz-to-uz-one-way.json') }], relyingParty: 'UZ' };

  it('KZ -> UZ is INDETERMINATE without a purpose, RECOGNIZED for a covered purpose, NOT_RECOGNIZED for another', async () => {
    expect((await recognition('kz', kzUz)).r.status).toBe('INDETERMINATE');
    const ok = (await recognition('kz', { ...kzUz, purpose: 'tax-declaration' })).r;
    expect(ok.status).toBe('RECOGNIZED');
    expect(ok.basis).toMatchObject({ kind: 'bilateral', agreementId: 'OTS-TEST-BA-KZ-UZ-2025', listId: 'KZ:TL', sequenceNumber: 4 });
    expect(ok.equivalenceLevel).toBe('qualified');
    expect(ok.mapping).toMatch(/CA\/QC .*granted -> .*CA\/QC \(qualified, agreement OTS-TEST-BA-KZ-UZ-2025\)/);
    const other = (await recognition('kz', { ...kzUz, purpose: 'real-estate' })).r;
    expect(other.status).toBe('NOT_RECOGNIZED');
    expect(other.reasons.join(' ')).toMatch(/purpose "real-estate" is not covered/);
  });

  it('is one way: UZ signatures are not recognized in KZ', async () => {
    const r = (await recognition('uz', { trustLists: [national('uz', true)], agreements: kzUz.agreements, relyingParty: 'KZ', purpose: 'tax-declaration' })).r;
    expect(r.status).toBe('NOT_RECOGNIZED');
    expect(r.reasons.join(' ')).toMatch(/KZ has no basis to recognize UZ/);
  });

  it('enforces certificate policy OIDs, signature algorithms and key sizes', async () => {
    const base = agreementJson('az-tr-mutual');
    const withConstraints = (constraints: object) => ({
      trustLists: [national('az', true)],
      agreements: [parseAgreementJson({ ...base, constraints })],
      relyingParty: 'TR',
    });
    const policy = (await recognition('az', withConstraints({ certificatePolicies: ['1.2.3.4.5'] }))).r;
    expect(policy.status).toBe('NOT_RECOGNIZED');
    expect(policy.reasons.join(' ')).toMatch(/path is valid for no certificate policy; agreement OTS-TEST-BA-AZ-TR-2025 requires one of 1\.2\.3\.4\.5/);
    const alg = (await recognition('az', withConstraints({ signatureAlgorithms: ['ecdsa-with-SHA256'] }))).r;
    expect(alg.status).toBe('NOT_RECOGNIZED');
    expect(alg.reasons.join(' ')).toMatch(/signature algorithm sha256WithRSAEncryption is not one/);
    const size = (await recognition('az', withConstraints({ minKeySizes: { RSA: 3072 } }))).r;
    expect(size.status).toBe('NOT_RECOGNIZED');
    expect(size.reasons.join(' ')).toMatch(/RSA key of 2048 bits is below the 3072 bits/);
    const family = (await recognition('tr', { ...withConstraints({ minKeySizes: { RSA: 2048 } }), trustLists: [national('tr', true)], relyingParty: 'AZ' })).r;
    expect(family.status).toBe('NOT_RECOGNIZED');
    expect(family.reasons.join(' ')).toMatch(/signer key type EC is not accepted/);
    const fine = (await recognition('az', withConstraints({ minKeySizes: { RSA: 2048 }, signatureAlgorithms: ['sha256WithRSAEncryption'] }))).r;
    expect(fine.status).toBe('RECOGNIZED');
  });

  it('maps only the service types and statuses the agreement names', async () => {
    const base = agreementJson('az-tr-mutual');
    // TR lists a CA/PKC service; an agreement that only maps CA/QC does not cover it.
    const onlyQc = parseAgreementJson({ ...base, equivalences: [(base.equivalences as object[])[0]] });
    const r = (await recognition('tr', { trustLists: [national('tr', true)], agreements: [onlyQc], relyingParty: 'AZ' })).r;
    expect(r.status).toBe('NOT_RECOGNIZED');
    expect(r.reasons.join(' ')).toMatch(/maps no equivalence for service type http:\/\/uri.etsi.org\/TrstSvc\/Svctype\/CA\/PKC/);
  });

  it('rejects malformed agreements with TrustListError', () => {
    const base = agreementJson('az-tr-mutual');
    const bad: object[] = [
      { ...base, direction: 'sideways' },
      { ...base, parties: ['AZ', 'AZ'] },
      { ...base, effectiveUntil: '2024-01-01T00:00:00Z' },
      { ...base, typo: true },
      { ...base, direction: 'one-way' },
      { ...base, equivalences: [] },
      { ...base, constraints: { minKeySizes: { RSA: -1 } } },
    ];
    for (const b of bad) expect(() => parseAgreementJson(b), JSON.stringify(b).slice(0, 80)).toThrow(TrustListError);
  });
});

describe('list integrity and freshness', () => {
  it('an expired list (NextUpdate passed at the validation time) gives INDETERMINATE and is reported as EXPIRED', async () => {
    const t = new Date('2028-01-01T00:00:00Z');
    const { report, r } = await recognition('az', { trustLists: [lotl(), national('az'), national('tr')], relyingParty: 'TR', validationTime: t });
    expect(r.status).toBe('INDETERMINATE');
    expect(r.reasons.join(' ')).toMatch(/OTS:LOTL seq 3 expired \(NextUpdate 2027-10-01/);
    expect(r.reasons.join(' ')).toMatch(/AZ:TL seq 5 expired \(NextUpdate 2027-10-01/);
    expect(report.trust!.lists.every((l) => l.expired)).toBe(true);
    expect(report.warnings.some((w) => /AZ:TL seq 5 .* is EXPIRED/.test(w))).toBe(true);
  });

  it('a tampered national list is not used: no anchor from it, and the report says why', async () => {
    const tampered = text('trust-lists/az-tl.xml').replace('AZ Test Root CA</Name>', 'AZ Test Root CA (changed)</Name>');
    const { report, s, r } = await recognition('az', { trustLists: [lotl(), { data: tampered, name: 'az-tampered.xml' }], relyingParty: 'TR' });
    const az = report.trust!.lists.find((l) => l.name === 'az-tampered.xml')!;
    expect(az.usable).toBe(false);
    expect(az.signature.status).toBe('INVALID');
    expect(az.signature.detail).toMatch(/digest does not match/);
    expect(report.warnings.some((w) => /az-tampered.xml\) NOT USED/.test(w))).toBe(true);
    expect(s.indication).toBe('INDETERMINATE');
    expect(s.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(r.status).toBe('INVALID');
  });

  it('an unsigned list and a list checked against the wrong pinned certificate are not used', async () => {
    const unsigned = text('trust-lists/az-tl.xml').replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    const set = await loadTrustLists(
      [
        { data: unsigned, name: 'unsigned', signingCertificates: [read('fixtures/pki/az-tl-operator.pem')] },
        { data: read('trust-lists/az-tl.xml'), name: 'wrong-pin', signingCertificates: [read('fixtures/pki/kz-tl-operator.pem')] },
        { data: read('trust-lists/az-tl.xml'), name: 'no-pin' },
      ],
      { time: T },
    );
    const [u, w, n] = set.lists;
    expect([u!.signature.status, u!.usable]).toEqual(['NOT_SIGNED', false]);
    expect([w!.signature.status, w!.usable]).toEqual(['INVALID', false]);
    expect([n!.signature.status, n!.usable]).toEqual(['NO_PINNED_CERTIFICATE', false]);
    expect(set.index.anchors).toHaveLength(0);
  });

  it('list parsing is bounded by the caller\'s XML limits (ERR_LIMIT_EXCEEDED)', async () => {
    await expect(loadTrustLists([national('az', true)], { time: T, xmlLimits: { maxBytes: 1000, maxDepth: 64, maxNodes: 1_000_000 } })).rejects.toMatchObject({ code: 'ERR_LIMIT_EXCEEDED' });
    await expect(verify(sig('az'), { trustLists: [national('az', true)], limits: { maxXmlDepth: 4 } })).rejects.toMatchObject({ code: 'ERR_LIMIT_EXCEEDED' });
  });

  it('a list the list-of-lists points to under another territory is not authenticated by that pointer', async () => {
    // The HU list is not on the OTS list of lists: loading it next to the LOTL without a pin leaves it unusable.
    const set = await loadTrustLists([lotl(), national('hu')], { time: T });
    expect(set.lists[1]!.usable).toBe(false);
    expect(set.lists[1]!.signature.status).toBe('NO_PINNED_CERTIFICATE');
  });

  it('an anchor supplied directly validates the chain but is no recognition basis', async () => {
    const { s, r } = await recognition('az', { trustAnchors: [read('fixtures/pki/az-root.pem')], trustLists: [national('tr', true)], relyingParty: 'TR' });
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(r.status).toBe('NOT_RECOGNIZED');
    expect(r.reasons.join(' ')).toMatch(/no issuer or anchor of the chain .* has the key of a service on a usable trusted list/);
  });

  it('without a relying party recognition is not evaluated (and says so); a malformed country is refused', async () => {
    const { report, s } = await recognition('az', { trustLists: [national('az', true)] });
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(s.recognition).toBeUndefined();
    expect(report.warnings).toContain('no relying party given: recognition was not evaluated');
    await expect(verify(sig('az'), { trustLists: [national('az', true)], relyingParty: 'tr' })).rejects.toBeInstanceOf(InvalidOptionError);
  });

  it('no trust anchors are implicit: a relying party alone recognizes nothing', async () => {
    const { report, s, r } = await recognition('az', { relyingParty: 'AZ' });
    expect(s.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(r.status).toBe('INVALID');
    expect(report.trust!.lists).toEqual([]);
  });
});

describe('JSON lists', () => {
  const jsonLists = (files: string[], pin = false): TrustListInput[] =>
    files.map((f) => {
      const data = read(`trust-lists/json/${f}.json`);
      return { data, name: `${f}.json`, ...(pin ? { sha256: sha256(data) } : {}) };
    });
  let sha256: (b: Uint8Array) => string;
  beforeAll(async () => {
    const { createHash } = await import('node:crypto');
    sha256 = (b) => createHash('sha256').update(b).digest('hex');
  });

  it('give the same recognition as the signed XML lists they were converted from, and say how they are trusted', async () => {
    const { report, r } = await recognition('az', { trustLists: jsonLists(['ots-lotl', 'az-tl', 'tr-tl']), relyingParty: 'TR' });
    expect(r.status).toBe('RECOGNIZED');
    expect(r.basis).toMatchObject({ kind: 'multilateral', listId: 'AZ:TL', sequenceNumber: 5, listOfLists: { id: 'OTS:LOTL', sequenceNumber: 3 } });
    const az = report.trust!.lists.find((l) => l.id === 'AZ:TL')!;
    expect([az.format, az.integrity, az.signature.status]).toEqual(['json', 'caller-trusted', 'NOT_APPLICABLE']);
    expect(report.warnings.some((w) => /AZ:TL seq 5 .* JSON list without signature, trusted as supplied by the caller/.test(w))).toBe(true);
    const xmlAz = read('trust-lists/az-tl.xml');
    expect(JSON.parse(text('trust-lists/json/az-tl.json')).provenance.sha256).toBe(sha256(xmlAz));
  });

  it('with a pinned SHA-256 the integrity is pinned-digest; a wrong pin is refused', async () => {
    const { report } = await recognition('az', { trustLists: jsonLists(['az-tl'], true), relyingParty: 'AZ' });
    expect(report.trust!.lists[0]!.integrity).toBe('pinned-digest');
    await expect(loadTrustLists([{ data: read('trust-lists/json/az-tl.json'), sha256: '0'.repeat(64) }], { time: T })).rejects.toThrow(TrustListError);
  });

  it('a national vocabulary is recognized only through an enacted EU-MRA-style equivalence on the list-of-lists pointer', async () => {
    const uz = JSON.parse(text('trust-lists/json/uz-tl.json'));
    const svc = uz.providers[0].services[0];
    svc.type = 'http://pki.test.uz/TrstSvc/Svctype/RootCA-Qualified';
    svc.status = 'http://pki.test.uz/TrstSvc/Svcstatus/active';
    const lotlJson = JSON.parse(text('trust-lists/json/ots-lotl.json'));
    const mra = (status: 'enacted' | 'repealed') => ({
      pointingContractingPartyLegislation: 'urn:ots:pilot',
      pointedContractingPartyLegislation: 'urn:uz:law:e-signature',
      technicalType: 1,
      version: 1,
      equivalences: [
        {
          legalIdentifier: 'QCForESig',
          status,
          statusStartingTime: '2024-06-01T00:00:00Z',
          pointedServiceTypes: [{ type: svc.type, additionalServiceInformation: [] }],
          pointingServiceTypes: [{ type: 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC', additionalServiceInformation: [] }],
          validStatuses: { pointed: [svc.status], pointing: ['http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted'] },
          invalidStatuses: { pointed: ['http://pki.test.uz/TrstSvc/Svcstatus/revoked'], pointing: ['http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn'] },
        },
      ],
    });
    const run = async (pointerMra: object | undefined) => {
      const l = structuredClone(lotlJson);
      const p = l.scheme.pointers.find((x: { territory: string }) => x.territory === 'UZ');
      if (pointerMra) p.mra = pointerMra;
      return (await recognition('uz', { trustLists: [{ data: JSON.stringify(l) }, { data: JSON.stringify(uz) }, ...jsonLists(['az-tl'])], relyingParty: 'AZ' })).r;
    };
    const none = await run(undefined);
    expect(none.status).toBe('NOT_RECOGNIZED');
    expect(none.reasons.join(' ')).toMatch(/not ETSI TS 119 612 vocabulary and no equivalence mapping applies/);
    const mapped = await run(mra('enacted'));
    expect(mapped.status).toBe('RECOGNIZED');
    expect(mapped.equivalenceLevel).toBe('qualified');
    expect(mapped.mapping).toMatch(/RootCA-Qualified \/ .*active -> http:\/\/uri.etsi.org\/TrstSvc\/Svctype\/CA\/QC \/ .*granted \(QCForESig/);
    const twice = mra('enacted');
    const ambiguous = await run({ ...twice, equivalences: [...twice.equivalences, { ...twice.equivalences[0]!, legalIdentifier: 'QCForESeal' }] });
    expect(ambiguous.status).toBe('INDETERMINATE');
    expect(ambiguous.reasons.join(' ')).toMatch(/2 enacted equivalences match .* the mapping is ambiguous/);
    const future = await run({ ...twice, equivalences: [{ ...twice.equivalences[0]!, statusStartingTime: '2026-01-01T00:00:00Z' }] });
    expect(future.status).toBe('NOT_RECOGNIZED');
    expect(future.reasons.join(' ')).toMatch(/no enacted equivalence covers service type/);
    const repealed = await run(mra('repealed'));
    expect(repealed.status).toBe('NOT_RECOGNIZED');
    expect(repealed.reasons.join(' ')).toMatch(/QCForESig .* is repealed/);
  });

  it("a relying party's own list of recognized foreign lists (LOTL whose territory is the party) is a basis for that party only", async () => {
    const own = JSON.parse(text('trust-lists/json/ots-lotl.json'));
    own.id = 'AZ:LOTL';
    own.scheme.territory = 'AZ';
    own.scheme.pointers = own.scheme.pointers.filter((p: { territory: string }) => p.territory === 'TR');
    const lists = [{ data: JSON.stringify(own), name: 'az-lotl.json' }, ...jsonLists(['tr-tl'])];
    const az = (await recognition('tr', { trustLists: lists, relyingParty: 'AZ' })).r;
    expect(az.status).toBe('RECOGNIZED');
    expect(az.basis).toMatchObject({ kind: 'multilateral', listOfLists: { id: 'AZ:LOTL', sequenceNumber: 3 } });
    expect(az.equivalenceLevel).toBe('advanced');
    const kz = (await recognition('tr', { trustLists: lists, relyingParty: 'KZ' })).r;
    expect(kz.status).toBe('NOT_RECOGNIZED');
    expect(kz.reasons.join(' ')).toMatch(/KZ is not a member of AZ:LOTL/);
  });

  it('rejects JSON that deviates from the schema (unknown property, bad time, bad kind)', async () => {
    const base = JSON.parse(text('trust-lists/json/az-tl.json'));
    const variants = [
      { ...base, extra: 1 },
      { ...base, kind: 'something' },
      { ...base, scheme: { ...base.scheme, issueDate: 'yesterday' } },
      { ...base, providers: [{ ...base.providers[0], services: [{ ...base.providers[0].services[0], status: 5 }] }] },
    ];
    for (const v of variants) await expect(loadTrustLists([{ data: JSON.stringify(v) }], { time: T })).rejects.toThrow(TrustListError);
  });
});

describe('time: a service withdrawn after the time-stamp still supports the signature', () => {
  // XAdES-T (fixtures/xades/kz-enveloped-t.xml): the signature time-stamp proves existence at
  // 2026-05-15T10:05Z, before the validation time 2026-06-01; the B-level twin has no such proof.
  const kzListWithdrawnAt = (withdrawn: string): TrustListInput => {
    const l = JSON.parse(text('trust-lists/json/kz-tl.json'));
    const svc = l.providers[0].services[0];
    svc.history = [{ type: svc.type, name: svc.name, status: svc.status, statusStartingTime: svc.statusStartingTime, additionalServiceInformation: svc.additionalServiceInformation, qualifiers: [] }];
    svc.status = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn';
    svc.statusStartingTime = withdrawn;
    // The fixture TSA as a granted TSA/QTST service of the same list: trusted for time-stamps (a CA/QC service is not).
    const tsaDer = text('fixtures/pki/kz-tsa.pem').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    l.providers[0].services.push({
      type: 'http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST',
      name: 'KZ Test TSA',
      identity: { certificates: [tsaDer], subjectNames: [], skis: [] },
      status: 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted',
      statusStartingTime: '2024-01-01T00:00:00Z',
      additionalServiceInformation: [],
      qualifiers: [],
      history: [],
    });
    return { data: JSON.stringify(l), name: `kz-withdrawn-${withdrawn.slice(0, 10)}.json` };
  };
  const run = async (file: string, withdrawn: string) => {
    const report = await verify(read(`fixtures/xades/${file}`), {
      trustLists: [kzListWithdrawnAt(withdrawn)],
      crls: [read('fixtures/crl/kz-ca-empty.crl'), ...fixtureCrls()],
      relyingParty: 'KZ',
      validationTime: MANIFEST_TIME,
    });
    return report.signatures[0]!;
  };

  it.each([
    ['kz-enveloped-t.xml', '2026-05-20T00:00:00Z', 'RECOGNIZED', 'signature-timestamp', /granted$/],
    ['kz-enveloped-t.xml', '2026-05-10T00:00:00Z', 'NOT_RECOGNIZED', 'signature-timestamp', /withdrawn$/],
    ['kz-enveloped-b.xml', '2026-05-20T00:00:00Z', 'NOT_RECOGNIZED', 'validation-time', /withdrawn$/],
  ])('%s, service withdrawn at %s: %s', async (file, withdrawn, status, source, serviceStatus) => {
    const s = await run(file, withdrawn);
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(s.times.bestSignatureTimeSource).toBe(source);
    expect(s.recognition!.time).toBe(s.times.bestSignatureTime);
    expect(s.recognition!.status).toBe(status);
    expect(s.recognition!.service!.status).toMatch(serviceStatus);
    if (status === 'NOT_RECOGNIZED') expect(s.recognition!.reasons.join(' ')).toMatch(/withdrawn at the best-signature-time/);
    else expect(s.recognition!.basis!.kind).toBe('national');
  });
});

describe('reports', () => {
  it('the text report shows the trust configuration, TEST markers and the recognition section', async () => {
    const { report } = await recognition('kg', {
      trustLists: [lotl(), national('kg'), national('kz')],
      agreements: [{ data: read('trust-lists/agreements/kg-kz-ended.json') }],
      relyingParty: 'KZ',
      validationTime: MANIFEST_TIME,
    });
    const out = formatText(report);
    expect(out).toMatch(/Trust: relying party KZ/);
    expect(out).toMatch(/list KG:TL seq 7 v6 .* via OTS:LOTL seq 3; .*\[TEST LIST\]/);
    expect(out).toMatch(/agreement OTS-TEST-BA-KG-KZ-2024 \(KG <-> KZ\) 2024-01-01 \.\. 2026-01-01 \[TEST\]/);
    expect(out).toMatch(/Recognition: +NOT_RECOGNIZED in KZ \[TEST LISTS - NOT FOR PRODUCTION\]/);
    expect(out).toMatch(/Status then: +http:\/\/uri.etsi.org\/TrstSvc\/TrustedList\/Svcstatus\/withdrawn since 2026-03-01/);
    expect(out).toMatch(/withdrawn at the best-signature-time/);
    expect(out).toMatch(/outside it/);
  });
});

describe('CLI', () => {
  beforeAll(() => ensureBuilt());
  const common = ['--trust-list', 'trust-lists/ots-lotl.xml', '--trust-list', 'trust-lists/az-tl.xml', '--trust-list', 'trust-lists/tr-tl.xml', '--list-signer', 'fixtures/pki/ots-lotl-operator.pem', ...fixtureCrlArgs()];

  it('prints the recognition and exits 0 when RECOGNIZED', () => {
    const r = runCli(['verify', 'fixtures/cades/az-attached.p7s', ...common, '--relying-party', 'TR', '--at', MANIFEST_TIME.toISOString()]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Recognition: +RECOGNIZED in TR/);
    expect(r.stdout).toMatch(/Basis: +multilateral: list of lists OTS:LOTL seq 3 -> AZ:TL seq 5/);
    expect(r.stdout).toMatch(/TEST LIST in use/);
  });

  it('exits 1 when the signature is valid but not recognized, with the reason in JSON', () => {
    const r = runCli(['verify', 'fixtures/cades/hu-attached.p7s', ...common, '--trust-list', 'trust-lists/json/hu-tl.json', '--relying-party', 'TR', '--at', MANIFEST_TIME.toISOString(), '--format', 'json']);
    expect(r.status).toBe(1);
    const rep = JSON.parse(r.stdout);
    expect(rep.signatures[0].indication).toBe('TOTAL-PASSED');
    expect(rep.signatures[0].recognition.status).toBe('NOT_RECOGNIZED');
    expect(rep.signatures[0].recognition.reasons.join(' ')).toMatch(/TR has no basis to recognize HU/);
    expect(rep.trust.lists.map((l: { id: string }) => l.id)).toEqual(['OTS:LOTL', 'AZ:TL', 'TR:TL', 'HU:TL']);
  });

  it('a batch exits 1 when any signature is not recognized, 0 when all are', () => {
    const files = ['fixtures/cades/az-attached.p7s', 'fixtures/cades/tr-attached.p7s'];
    const lists = ['--trust-list', 'trust-lists/json/az-tl.json', '--trust-list', 'trust-lists/json/tr-tl.json', '--relying-party', 'AZ', '--at', MANIFEST_TIME.toISOString(), '--jobs', '1', ...fixtureCrlArgs()];
    expect(runCli(['verify', ...files, ...lists]).status).toBe(1);
    expect(runCli(['verify', ...files, ...lists, '--agreement', 'trust-lists/agreements/az-tr-mutual.json']).status).toBe(0);
  });

  it('rejects a malformed --relying-party as a usage error (exit 2)', () => {
    const r = runCli(['verify', 'fixtures/cades/az-attached.p7s', ...common, '--relying-party', 'Turkey']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/relyingParty must be an ISO 3166 alpha-2/);
  });
});
