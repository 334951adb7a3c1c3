/**
 * #18: the ETSI TS 119 102-2 report (`--format etsi-xml`) carries the container section through the ots-esig
 * extension (report/etsi-xml-container.ts: a container validation object with ots:Container in vr:direct,
 * signedData objects per data object, ots:ContainerCoverage in each signature's vr:OtherInformation) and
 * counter-signatures under the signature they counter-sign. Every assertion reads the parsed XML.
 */
import { readFileSync } from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { ETSI_VR_NS, formatEtsiXml } from '../src/report/etsi-xml.js';
import { CONTAINER_OBJECT_TYPE, OTS_XML_NS } from '../src/report/etsi-xml-container.js';
import { addCounterSignature } from './helpers/counter-sign.js';
import { cades, fixtureActor } from './helpers/attack-pki.js';
import { structuralProblems } from './helpers/etsi-structure.js';
import { fixture, FIXTURE_CRL_FILES } from './helpers/fixtures.js';

const dir = new URL('../fixtures/', import.meta.url);
const read = (p: string) => new Uint8Array(readFileSync(new URL(p, dir)));
const manifest = JSON.parse(readFileSync(new URL('asic/manifest.json', dir), 'utf8')) as { validationTime: string; samples: { id: string; file: string; trustAnchors: string[]; timestampAnchors: string[] }[] };
const sample = (id: string) => manifest.samples.find((s) => s.id === id)!;
const run = async (id: string) => {
  const s = sample(id);
  return verify(read(s.file), { trustAnchors: s.trustAnchors.map(read), timestampAnchors: s.timestampAnchors.map(read), crls: FIXTURE_CRL_FILES.map(read), validationTime: new Date(manifest.validationTime) });
};

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'application/xml') as unknown as Document;
const all = (n: Document | Element, ns: string, name: string) => Array.from(n.getElementsByTagNameNS(ns, name)) as Element[];
const kids = (el: Element, ns: string, name: string) => Array.from(el.childNodes).filter((k): k is Element => k.nodeType === 1 && (k as Element).namespaceURI === ns && (k as Element).localName === name);
const text = (el: Element | undefined) => el?.textContent ?? null;

/** The container validation object's ots:Container, and the data objects by id. */
function containerOf(doc: Document): { container: Element; objects: Map<string, Element> } {
  const objects = new Map<string, Element>();
  let container: Element | undefined;
  for (const vo of all(doc, ETSI_VR_NS, 'ValidationObject')) {
    objects.set(vo.getAttribute('id')!, vo);
    if (text(kids(vo, ETSI_VR_NS, 'ObjectType')[0]) === CONTAINER_OBJECT_TYPE) container = all(vo, OTS_XML_NS, 'Container')[0];
  }
  return { container: container!, objects };
}

describe('ETSI XML report: the container section (ots-esig extension)', () => {
  it('ASiC-E XAdES: type, entries with their digests as signedData objects, and what the signature covers', async () => {
    const r = await run('kz-asice-xades');
    const xml = formatEtsiXml(r);
    expect(structuralProblems(xml)).toEqual([]);
    const doc = parse(xml);
    const { container, objects } = containerOf(doc);
    expect(container.getAttribute('type')).toBe('ASiC-E');
    expect(container.getAttribute('mimetype')).toBe('application/vnd.etsi.asic-e+zip');
    expect(text(kids(container, OTS_XML_NS, 'MainIndication')[0])).toBe('urn:etsi:019102:mainindication:total-passed');
    const entries = kids(container, OTS_XML_NS, 'Entry');
    expect(entries.map((e) => [e.getAttribute('name'), e.getAttribute('role')])).toEqual(r.container!.entries.map((e) => [e.name, e.role]));
    // A data object's VOReference resolves to a signedData object carrying its SHA-256.
    const docEntry = entries.find((e) => e.getAttribute('name') === 'document.txt')!;
    const vo = objects.get(docEntry.getAttribute('VOReference')!)!;
    expect(text(kids(vo, ETSI_VR_NS, 'ObjectType')[0])).toBe('urn:etsi:019102:validationObject:signedData');
    const sha = r.container!.entries.find((e) => e.name === 'document.txt')!.sha256;
    expect(text(all(vo, 'http://www.w3.org/2000/09/xmldsig#', 'DigestValue')[0])).toBe(Buffer.from(sha, 'hex').toString('base64'));
    // The container lists the signature by its DAIdentifier; the signature's OtherInformation names what it covers.
    const sig = kids(container, OTS_XML_NS, 'Signature')[0]!;
    expect(sig.getAttribute('ref')).toBe(r.signatures[0]!.id);
    expect(text(all(doc, ETSI_VR_NS, 'DAIdentifier')[0])).toBe(r.signatures[0]!.id);
    const report = all(doc, ETSI_VR_NS, 'SignatureValidationReport')[0]!;
    const cov = all(kids(report, ETSI_VR_NS, 'OtherInformation')[0]!, OTS_XML_NS, 'ContainerCoverage')[0]!;
    expect(cov.getAttribute('file')).toBe('META-INF/signatures0.xml');
    expect(kids(cov, OTS_XML_NS, 'Covers').map((c) => c.textContent)).toEqual(['document.txt', 'data/report.csv']);
    expect(kids(cov, OTS_XML_NS, 'Covers').every((c) => objects.has(c.getAttribute('VOReference')!))).toBe(true);
    expect(kids(container, OTS_XML_NS, 'NotCovered')).toEqual([]);
  });

  it('an added entry: the container is total-failed with a FORMAT_FAILURE finding and the entry listed as not covered', async () => {
    const xml = formatEtsiXml(await run('kz-asice-xades-entry-added'));
    expect(structuralProblems(xml)).toEqual([]);
    const { container } = containerOf(parse(xml));
    expect(text(kids(container, OTS_XML_NS, 'MainIndication')[0])).toBe('urn:etsi:019102:mainindication:total-failed');
    expect(text(kids(container, OTS_XML_NS, 'SubIndication')[0])).toBe('urn:etsi:019102:subindication:FORMAT_FAILURE');
    expect(kids(container, OTS_XML_NS, 'NotCovered').map((e) => e.textContent)).toEqual(['added.txt']);
    const finding = kids(container, OTS_XML_NS, 'Finding').find((f) => f.getAttribute('id') === 'asic.coverage')!;
    expect(finding.getAttribute('status')).toBe('urn:etsi:019102:mainindication:failed');
    expect(finding.textContent).toContain('added.txt');
  });

  it('ASiC-E CAdES with a wrong manifest digest: the manifest mismatch and the manifest the signature signs', async () => {
    const xml = formatEtsiXml(await run('kz-asice-cades-manifest-digest-wrong'));
    expect(structuralProblems(xml)).toEqual([]);
    const doc = parse(xml);
    const { container } = containerOf(doc);
    const mm = kids(container, OTS_XML_NS, 'ManifestMismatch');
    expect(mm.map((m) => [m.getAttribute('manifest'), m.getAttribute('entry')])).toEqual([['META-INF/ASiCManifest.xml', 'data/report.csv']]);
    const cov = all(doc, OTS_XML_NS, 'ContainerCoverage')[0]!;
    expect(cov.getAttribute('manifest')).toBe('META-INF/ASiCManifest.xml');
    expect(kids(cov, OTS_XML_NS, 'Covers').map((c) => c.textContent)).toEqual(['document.txt']);
  });

  it('ASiC-S time-stamp: reported with its genTime, TSA, result and the entry it covers', async () => {
    const xml = formatEtsiXml(await run('kz-asics-timestamp'));
    const { container } = containerOf(parse(xml));
    const ts = kids(container, OTS_XML_NS, 'TimeStamp')[0]!;
    expect(ts.getAttribute('file')).toBe('META-INF/timestamp.tst');
    expect(ts.getAttribute('genTime')).toBe('2026-05-15T10:05:00.000Z');
    expect(ts.getAttribute('tsa')).toContain('KZ Test TSA');
    expect(text(kids(ts, OTS_XML_NS, 'MainIndication')[0])).toBe('urn:etsi:019102:mainindication:passed');
    expect(kids(ts, OTS_XML_NS, 'Covers').map((c) => c.textContent)).toEqual(['document.txt']);
  });

  it('a time-stamp-only container still has the vr:SignatureValidationReport TS 119 102-2 requires: the time-stamp, with its own status', async () => {
    for (const [id, main] of [
      ['kz-asics-timestamp', 'passed'],
      ['kz-asics-timestamp-other-data', 'failed'],
    ] as const) {
      const xml = formatEtsiXml(await run(id));
      expect(structuralProblems(xml), id).toEqual([]);
      const reports = all(parse(xml), ETSI_VR_NS, 'SignatureValidationReport');
      expect(reports, id).toHaveLength(1);
      expect(text(all(reports[0]!, ETSI_VR_NS, 'DAIdentifier')[0])).toBe('META-INF/timestamp.tst');
      const status = all(reports[0]!, ETSI_VR_NS, 'SignatureValidationStatus')[0]!;
      expect(text(kids(status, ETSI_VR_NS, 'MainIndication')[0]), id).toBe(`urn:etsi:019102:mainindication:${main}`);
    }
  });

  it('a nested container: ots:InnerContainer under the outer one, the inner signature a top-level report with its coverage in the inner container', async () => {
    const r = await run('nested-asics-timestamp');
    const xml = formatEtsiXml(r);
    expect(structuralProblems(xml)).toEqual([]);
    const doc = parse(xml);
    const { container, objects } = containerOf(doc);
    const inner = kids(container, OTS_XML_NS, 'InnerContainer')[0]!;
    expect(inner.getAttribute('entry')).toBe('inner.asice');
    expect(objects.has(inner.getAttribute('VOReference')!)).toBe(true);
    const innerContainer = kids(inner, OTS_XML_NS, 'Container')[0]!;
    expect(innerContainer.getAttribute('type')).toBe('ASiC-E');
    expect(kids(innerContainer, OTS_XML_NS, 'Signature')[0]!.getAttribute('ref')).toBe("inner.asice!/META-INF/signatures0.xml#Signature[@Id='S0']");
    expect(kids(kids(container, OTS_XML_NS, 'TimeStamp')[0]!, OTS_XML_NS, 'Covers').map((c) => c.textContent)).toEqual(['inner.asice']);
    const cov = all(doc, OTS_XML_NS, 'ContainerCoverage')[0]!;
    expect(cov.getAttribute('container')).toBe('inner.asice');
    // The inner entries have objects of their own (distinct ids from the outer ones).
    const covered = kids(cov, OTS_XML_NS, 'Covers').map((c) => c.getAttribute('VOReference')!);
    expect(new Set(covered).size).toBe(2);
    expect(covered).not.toContain(inner.getAttribute('VOReference'));
  });

  it('a bare signature has no container object and no ots element', async () => {
    const xml = formatEtsiXml(await verify(fixture('cades/kz-attached.p7s'), { trustAnchors: [fixture('pki/kz-root.pem')], validationTime: new Date(manifest.validationTime) }));
    expect(xml).not.toContain(OTS_XML_NS);
  });
});

describe('ETSI XML report: counter-signatures under the signature they counter-sign', () => {
  it('a CAdES counter-signature is a vr:SignatureValidationReport in its parent report, its signer among the validation objects', async () => {
    const signer = await fixtureActor('pki/kz-signer.pem', 'kz-signer');
    const kzCa = await fixtureActor('pki/kz-ca.pem', 'kz-ca');
    const hu = await fixtureActor('pki/hu-signer.pem', 'hu-signer');
    const huCa = await fixtureActor('pki/hu-ca.pem', 'hu-ca');
    const parent = await cades({ signer, certs: [signer, kzCa], signingTime: new Date('2026-05-20T00:00:00Z') });
    const cms = await addCounterSignature(parent, { signer: hu, over: new TextEncoder().encode('not the signature value') });
    const r = await verify(cms, { trustAnchors: [fixture('pki/kz-root.pem'), fixture('pki/hu-root.pem')], intermediates: [huCa.der], policy: 'lenient', validationTime: new Date(manifest.validationTime) });
    const c = r.signatures[0]!.counterSignatures![0]!;
    expect(c.indication).toBe('TOTAL-FAILED');
    const xml = formatEtsiXml(r);
    expect(structuralProblems(xml)).toEqual([]);
    const doc = parse(xml);
    const top = kids(doc.documentElement!, ETSI_VR_NS, 'SignatureValidationReport');
    expect(top).toHaveLength(1);
    const nested = all(kids(kids(top[0]!, ETSI_VR_NS, 'OtherInformation')[0]!, OTS_XML_NS, 'CounterSignatures')[0]!, ETSI_VR_NS, 'SignatureValidationReport');
    expect(nested).toHaveLength(1);
    expect(text(all(nested[0]!, ETSI_VR_NS, 'DAIdentifier')[0])).toBe(c.id);
    const status = kids(nested[0]!, ETSI_VR_NS, 'SignatureValidationStatus')[0]!;
    expect(text(kids(status, ETSI_VR_NS, 'MainIndication')[0])).toBe('urn:etsi:019102:mainindication:total-failed');
    expect(text(kids(status, ETSI_VR_NS, 'SubIndication')[0])).toBe(`urn:etsi:019102:subindication:${c.subIndication}`);
    // The parent's own status is its own.
    expect(text(kids(kids(top[0]!, ETSI_VR_NS, 'SignatureValidationStatus')[0]!, ETSI_VR_NS, 'MainIndication')[0])).toBe(`urn:etsi:019102:mainindication:${r.signatures[0]!.indication.toLowerCase()}`);
    // The counter-signer's certificate is a validation object its SignerCertificate reference resolves to.
    const ref = all(nested[0]!, ETSI_VR_NS, 'SignerCertificate')[0]!.getAttribute('VOReference')!;
    expect(ref).toBe(`C-${c.signer!.sha256.toUpperCase()}`);
    expect(all(doc, ETSI_VR_NS, 'ValidationObject').some((v) => v.getAttribute('id') === ref)).toBe(true);
  });
});
