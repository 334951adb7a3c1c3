// Real ETSI TS 119 612 lists from the EU DSS test resources (../shared/corpus/dss):
// proof that the parser reads the real format and the list signature check works
// on real lists. Skipped when the corpus is not mounted.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTrustLists } from '../src/trust/load.js';
import { verifyListSignature } from '../src/trust/list-signature.js';
import { parseTrustedListXml } from '../src/trust/tsl-xml.js';
import { serviceStatusAt } from '../src/trust/status.js';
import { TrustListError } from '../src/trust/errors.js';
import { nameKeyFromCertificate, nameKeyFromString } from '../src/trust/names.js';
import { loadCertificates } from '../src/validation/options.js';
import { describeIf } from './helpers/skip.js';

// ../shared/corpus next to the repository, or OTS_CORPUS (as scripts/conformance does).
const CORPUS = join(process.env.OTS_CORPUS ?? fileURLToPath(new URL('../../shared/corpus', import.meta.url)), 'dss');
const have = existsSync(join(CORPUS, 'tl', 'eu-lotl-seq248.xml'));
const tl = (f: string): Uint8Array => readFileSync(join(CORPUS, 'tl', f));
const cert = (f: string) => loadCertificates(readFileSync(join(CORPUS, 'certs', f)));
const services = (f: string) => parseTrustedListXml(tl(f)).list.providers.map((p) => p.services.length);

describeIf(have, 'no corpus (set OTS_CORPUS=/path/to/corpus): tl/')('real trusted lists (EU DSS corpus)', () => {
  it('parses the EU LOTL seq 248 (v5): territory, type, 44 pointers of which 32 XML (31 TLs + the LOTL itself with 8 signer certs)', () => {
    const { list, warnings } = parseTrustedListXml(tl('eu-lotl-seq248.xml'));
    expect(warnings).toEqual([]);
    expect(list.scheme.version).toBe(5);
    expect(list.scheme.sequenceNumber).toBe(248);
    expect(list.scheme.territory).toBe('EU');
    expect(list.scheme.type).toBe('http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists');
    expect(list.id).toBe('EU:LOTL');
    expect(list.test).toBe(false);
    expect(list.scheme.nextUpdate).toBe('2020-03-04T00:00:00.000Z');
    const xml = list.scheme.pointers.filter((p) => p.mimeType === 'application/vnd.etsi.tsl+xml');
    expect(list.scheme.pointers).toHaveLength(44);
    expect(xml).toHaveLength(32);
    const self = xml.filter((p) => p.territory === 'EU');
    expect(self).toHaveLength(1);
    expect(self[0]!.signingCertificates).toHaveLength(8);
    expect(xml.filter((p) => p.territory !== 'EU').every((p) => p.signingCertificates.length > 0)).toBe(true);
  });

  it('verifies the LOTL signature with the certificate DSS pins for it, and rejects the wrong one', async () => {
    const doc = parseTrustedListXml(tl('eu-lotl-seq248.xml')).document;
    const ok = await verifyListSignature(doc, cert('eu-lotl-248-signer.pem'));
    expect(ok.status).toBe('VALID');
    expect(ok.signer).toContain('Patrick Kremer');
    const wrong = await verifyListSignature(doc, cert('eu-lotl-248-wrong-cert.pem'));
    expect(wrong.status).toBe('INVALID');
    expect(wrong.detail).toMatch(/does not verify with any pinned certificate/);
    const none = await verifyListSignature(doc, []);
    expect(none.status).toBe('NO_PINNED_CERTIFICATE');
  });

  it('reports the tampered LOTL as INVALID (digest mismatch) and the unsigned one as NOT_SIGNED', async () => {
    const broken = await verifyListSignature(parseTrustedListXml(tl('eu-lotl-seq248-broken-sig.xml')).document, cert('eu-lotl-248-signer.pem'));
    expect(broken.status).toBe('INVALID');
    expect(broken.detail).toMatch(/digest does not match/);
    const unsigned = parseTrustedListXml(tl('eu-lotl-seq248-no-sig.xml'));
    expect(unsigned.warnings).toContain('no ds:Signature element is present');
    expect((await verifyListSignature(unsigned.document, cert('eu-lotl-248-signer.pem'))).status).toBe('NOT_SIGNED');
  });

  it('loads national TLs through the verified LOTL: IE and SK verify with the signers LOTL 248 announces; DK and FI (re-keyed) do not and are not used', async () => {
    const set = await loadTrustLists(
      [
        { data: tl('eu-lotl-seq248.xml'), name: 'lotl', signingCertificates: cert('eu-lotl-248-signer.pem') },
        { data: tl('ie-tl-seq18.xml'), name: 'ie' },
        { data: tl('sk-tl-seq59.xml'), name: 'sk' },
        { data: tl('dk-tl-sn21.xml'), name: 'dk' },
        { data: tl('fi-tl-v6-seq49.xml'), name: 'fi' },
      ],
      { time: new Date('2020-01-01T00:00:00Z') },
    );
    const by = Object.fromEntries(set.lists.map((l) => [l.name, l]));
    expect(by.lotl!.integrity).toBe('xades-signature');
    for (const n of ['ie', 'sk']) {
      expect(by[n]!.signature.status, n).toBe('VALID');
      expect(by[n]!.via?.id).toBe('EU:LOTL');
      expect(by[n]!.usable).toBe(true);
    }
    for (const n of ['dk', 'fi']) {
      expect(by[n]!.signature.status, n).toBe('INVALID');
      expect(by[n]!.usable).toBe(false);
    }
    expect(set.index.anchors.length).toBeGreaterThan(0);
    // Only usable lists contribute anchors.
    expect(set.index.anchors.every((a) => a.source?.startsWith('IE:TL') || a.source?.startsWith('SK:TL'))).toBe(true);
    // Expiry is judged at the load time: LOTL 248's NextUpdate is 2020-03-04.
    const later = await loadTrustLists([{ data: tl('eu-lotl-seq248.xml'), signingCertificates: cert('eu-lotl-248-signer.pem') }], { time: new Date('2021-01-01T00:00:00Z') });
    expect(later.lists[0]!.expired).toBe(true);
    expect(later.lists[0]!.problems.join(' ')).toMatch(/expired/);
  });

  it('indexes real services: every IE service certificate is found by certificate; listed subject names match exactly or not at all', async () => {
    const set = await loadTrustLists(
      [{ data: tl('eu-lotl-seq248.xml'), signingCertificates: cert('eu-lotl-248-signer.pem') }, { data: tl('ie-tl-seq18.xml') }],
      { time: new Date('2020-01-01T00:00:00Z') },
    );
    const ie = set.lists[1]!.list;
    let checked = 0;
    const nameMismatches: string[] = [];
    for (const svc of ie.providers.flatMap((p) => p.services)) {
      for (const b64 of svc.identity.certificates) {
        const c = loadCertificates(`-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`)[0]!;
        const found = await set.index.lookup(c);
        expect(found[0]!.service).toBe(svc);
        expect(found[0]!.matchedBy).toBe('certificate');
        for (const n of svc.identity.subjectNames) if (nameKeyFromString(n) !== nameKeyFromCertificate(c.subject)) nameMismatches.push(n);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
    // Real lists are not always exact: TrustPro's X509SubjectNames leave out the certificates' organizationIdentifier,
    // so names are matched exactly (never by subset) and the certificate identity is what anchors.
    expect(nameMismatches).toEqual([
      'CN=TrustPro Qualified Root CA 1,OU=QTSP,O=TrustPro QTSP Ltd,L=Dublin,C=IE',
      'C=IE, L=Dublin, O=TrustPro QTSP Ltd, OU=QTSP, CN=TrustPro Qualified CA 1',
    ]);
    expect(set.index.problems).toEqual([]);
  });

  it('DK seq 21 verifies with its previous signing certificate (as DSS asserts) and not with the wrong one', async () => {
    const doc = parseTrustedListXml(tl('dk-tl-sn21.xml')).document;
    expect((await verifyListSignature(doc, cert('dk-tl-sn21-PREVIOUS_SIG_CERT.pem'))).status).toBe('VALID');
    expect((await verifyListSignature(doc, cert('dk-tl-sn21-WRONG.pem'))).status).toBe('INVALID');
  });

  it('parses national TLs with the shapes DSS asserts (IE 3 TSPs 1/1/2 services, SK 6 TSPs, FI v5 and v6 19 services)', () => {
    const ie = parseTrustedListXml(tl('ie-tl-seq18.xml')).list;
    expect([ie.scheme.version, ie.scheme.sequenceNumber, ie.scheme.territory]).toEqual([5, 18, 'IE']);
    expect(services('ie-tl-seq18.xml')).toEqual([1, 1, 2]);
    expect(ie.scheme.distributionPoints).toEqual([]);
    const sk = parseTrustedListXml(tl('sk-tl-seq59.xml')).list;
    expect([sk.scheme.sequenceNumber, sk.providers.length]).toEqual([59, 6]);
    const fi6 = parseTrustedListXml(tl('fi-tl-v6-seq49.xml')).list;
    const fi5 = parseTrustedListXml(tl('fi-tl-v5-seq49.xml')).list;
    expect([fi6.scheme.version, fi6.scheme.sequenceNumber]).toEqual([6, 49]);
    expect([fi5.scheme.version, fi5.scheme.sequenceNumber]).toEqual([5, 49]);
    expect(services('fi-tl-v6-seq49.xml')).toEqual([19]);
    expect(services('fi-tl-v5-seq49.xml')).toEqual([19]);
    // Same services in both versions: the model does not depend on the TL version.
    expect(fi6.providers).toEqual(fi5.providers);
    // Extensions: Qualifications qualifiers, AdditionalServiceInformation, SKI (hex) and subject-name identities.
    const fiServices = fi6.providers.flatMap((p) => p.services);
    const q = 'http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/';
    expect(new Set(fiServices.flatMap((x) => [...x.qualifiers, ...x.history.flatMap((h) => h.qualifiers)]))).toEqual(new Set([`${q}QCForESig`, `${q}QCForWSA`]));
    expect(fiServices.some((x) => x.additionalServiceInformation.includes(`${q}ForeSignatures`))).toBe(true);
    expect(fiServices.filter((x) => x.identity.skis.length > 0).every((x) => x.identity.skis.every((k) => /^[0-9a-f]{40}$/.test(k)))).toBe(true);
    expect(fiServices.some((x) => x.identity.subjectNames.some((n) => /C=FI/.test(n)))).toBe(true);
    expect(ie.providers.flatMap((p) => p.services).some((x) => x.qualifiers.includes(`${q}QCWithQSCD`))).toBe(true);
  });

  it('takes a real service status at a time from its ServiceHistory', () => {
    const sk = parseTrustedListXml(tl('sk-tl-seq59.xml')).list;
    const withHistory = sk.providers.flatMap((p) => p.services).find((s) => s.history.length > 0 && s.history.some((h) => h.status !== s.status));
    expect(withHistory).toBeDefined();
    const s = withHistory!;
    expect(serviceStatusAt(s, new Date(Date.parse(s.statusStartingTime) + 1000))!.status).toBe(s.status);
    const older = s.history.find((h) => h.status !== s.status)!;
    expect(serviceStatusAt(s, new Date(Date.parse(older.statusStartingTime) + 1000))!.status).toBe(older.status);
    const oldest = Math.min(...[s, ...s.history].map((h) => Date.parse(h.statusStartingTime)));
    expect(serviceStatusAt(s, new Date(oldest - 1000))).toBeUndefined();
  });

  it('reads the EU MRA pilot form: the third-country pointer carries an enacted QCForESig equivalence with its status mapping', () => {
    const { list } = parseTrustedListXml(tl('mra-lotl.xml'));
    const p = list.scheme.pointers.find((x) => x.mra);
    expect(p).toBeDefined();
    expect(p!.territory).toBe('XX');
    expect(p!.type).toBe('http://uri.etsi.org/TrstSvc/TrustedList/TSLType/ZZlist');
    const eq = p!.mra!.equivalences.find((e) => e.legalIdentifier === 'QCForESig')!;
    expect(eq.status).toBe('enacted');
    expect(eq.statusStartingTime).toBe('2020-05-16T23:59:59.000Z');
    expect(eq.pointedServiceTypes[0]!.type).toBe('http://zz-trusted-list.go.zz/TrstSvc/Svctype/CA/QC/for-eSig');
    expect(eq.pointingServiceTypes[0]).toEqual({
      type: 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC',
      additionalServiceInformation: ['http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures'],
    });
    expect(eq.validStatuses.pointed).toEqual(['http://zz-trusted-list.go.zz/TrstSvc/TrustedList/Svcstatus/granted']);
    expect(eq.invalidStatuses.pointing).toEqual(['http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn']);
  });

  it('checks the signature profile per TL version (v6: SigningCertificateV2, v5: SigningCertificate)', () => {
    for (const f of ['fi-tl-v6-seq49.xml', 'fi-tl-v5-seq49.xml', 'ie-tl-seq18.xml']) expect(parseTrustedListXml(tl(f)).warnings, f).toEqual([]);
    const v6AsV1 = new TextDecoder().decode(tl('fi-tl-v6-seq49.xml')).replace(/SigningCertificateV2/g, 'SigningCertificate');
    expect(parseTrustedListXml(v6AsV1).warnings).toEqual(['TS 119 612 v6 list: its signature has no xades:SigningCertificateV2']);
    const v5AsV2 = new TextDecoder().decode(tl('fi-tl-v5-seq49.xml')).replace(/SigningCertificate>/g, 'SigningCertificateV2>');
    expect(parseTrustedListXml(v5AsV2).warnings).toEqual(['TS 119 612 v5 list: its signature has no xades:SigningCertificate']);
  });

  it('every corpus list parses (the ECDSA-brainpool TL is an older v3 list and says so)', () => {
    for (const f of ['eu-lotl-pivot-341.xml', 'fi-tl-v5-invalid-xml.xml', 'tl-ecdsa-brainpool.xml']) {
      expect(() => parseTrustedListXml(tl(f)), f).not.toThrow();
    }
    expect(parseTrustedListXml(tl('tl-ecdsa-brainpool.xml')).warnings.join(' ')).toMatch(/TSLVersionIdentifier 3/);
  });
});

describe('hostile or wrong list input', () => {
  it('refuses DOCTYPEs, non-TSL roots and missing scheme information with TrustListError (ERR_TRUST_LIST)', () => {
    const bad = [
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"/>',
      '<root xmlns="urn:other"/>',
      '<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#" TSLTag="http://uri.etsi.org/19612/TSLTag"/>',
      '<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"><SchemeInformation><TSLVersionIdentifier>x</TSLVersionIdentifier></SchemeInformation></TrustServiceStatusList>',
      'not xml at all',
    ];
    for (const b of bad) {
      let err: unknown;
      try {
        parseTrustedListXml(b);
      } catch (e) {
        err = e;
      }
      expect(err, b).toBeInstanceOf(TrustListError);
      expect((err as TrustListError).code).toBe('ERR_TRUST_LIST');
    }
  });
});
