/**
 * Issue #15 class 9: XML-DSig work amplification inside the default limits. 64 references ×
 * 64 KeyInfo certificates × a 200 KB document took ~2.5 min of CPU (every candidate key re-digested
 * every reference, each on a fresh copy of the document); 32 such signatures did not finish in 10 min.
 * The attack documents are built and signed here with the fixture test-PKI key.
 */
import { XMLSerializer } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { LimitExceededError, verify } from '../src/index.js';
import { DEFAULT_LIMITS } from '../src/limits.js';
import { createContext } from '../src/validation/options.js';
import { chargeSubtree, WorkBudget, XML_WORK } from '../src/util/work-budget.js';
import { DSIG_NS } from '../src/xades/dom.js';
import { findSignatures, validateXadesSignature } from '../src/xades/validate.js';
import { verifyXmlSignature } from '../src/xades/xmldsig.js';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { derObjectsFrom } from '../src/util/pem.js';
import { parseXml } from '../src/xml/parse.js';
import { fixture, fixtureCrls } from './helpers/fixtures.js';
import { bulk, certB64, envelopedTransform, excC14nTransform, reference, signatureXml, signXml } from './helpers/xml-sign.js';

const options = { validationTime: new Date('2026-06-01T00:00:00Z'), trustAnchors: [fixture('pki/kz-root.pem')], crls: fixtureCrls() };
/** 63 certificates that are not the signer's, then the signer's: the old code tried each in turn. */
const certs = [...Array<string>(63).fill(certB64('kz-ca')), certB64('kz-signer')];
const HANG_GUARD = 20_000;

/** ~200 KB document, one plain XML-DSig enveloped signature with the given references and 64 KeyInfo certificates. */
async function attack(refs: readonly string[], signatures = 1): Promise<string> {
  const sig = signatureXml({ references: refs, keyInfoCerts: certs });
  let xml = `<root xmlns="urn:x"><data>${bulk(200)}</data>${sig}</root>`;
  if (signatures === 1) return signXml(xml);
  xml = await signXml(xml);
  const one = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(xml)![0];
  // The same (valid) signature repeated: each copy must be verified, each one on its own.
  return xml.replace(one, one.repeat(signatures));
}

/** Validates every signature of `xml` with one shared budget (as verify() does) and returns the budget. */
async function work(xml: string): Promise<{ budget: WorkBudget; indications: string[] }> {
  const doc = parseXml(xml);
  const ctx = createContext(options);
  const budget = new WorkBudget(ctx.limits.maxXmlWork);
  const indications: string[] = [];
  const sigs = findSignatures(doc);
  for (let i = 0; i < sigs.length; i++) indications.push((await validateXadesSignature({ doc, signature: sigs[i]!, index: i, budget }, ctx)).indication);
  return { budget, indications };
}

const identical = Array.from({ length: 64 }, () => reference('', [envelopedTransform, excC14nTransform()]));
/** Distinct PrefixLists: same octets, but nothing tells a verifier so before canonicalizing. */
const distinct = Array.from({ length: 64 }, (_, i) => reference('', [envelopedTransform, excC14nTransform(`p${i}`)]));

describe('XML-DSig work is bounded per document (maxXmlWork)', () => {
  it('64 references × 64 KeyInfo certificates over 200 KB: the signer is found on SignedInfo alone, each reference digested once', { timeout: HANG_GUARD }, async () => {
    const xml = await attack(identical);
    expect(xml.length).toBeGreaterThan(200_000);
    const r = await verify(xml, options);
    expect(r.signatures[0]!.indication).toBe('TOTAL-PASSED');
    expect(r.signatures[0]!.checks.filter((c) => c.id.startsWith('cv.reference[')).every((c) => c.status === 'PASSED')).toBe(true);
    // The real property: the work done is a small multiple of one pass over the document, not 64 × 64 of them.
    const { budget } = await work(xml);
    const onePass = xml.length; // characters; nodes add about as much again
    expect(budget.used).toBeLessThan(8 * onePass);
    expect(budget.used).toBeLessThan(DEFAULT_LIMITS.maxXmlWork / 2);
  });

  it('64 distinct references over 200 KB: LimitExceededError xml.work under the default limits, not minutes of work', { timeout: HANG_GUARD }, async () => {
    const xml = await attack(distinct);
    const e = await verify(xml, options).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(LimitExceededError);
    expect(e).toMatchObject({ limit: 'xml.work', max: DEFAULT_LIMITS.maxXmlWork });
  });

  it('32 signatures × 64 references × 64 certificates: the budget is shared by the whole document', { timeout: HANG_GUARD }, async () => {
    const xml = await attack(identical, 32);
    expect(xml.split('<ds:Signature ').length + xml.split('<ds:Signature>').length - 2).toBe(32);
    const e = await work(xml).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LimitExceededError);
    expect(e).toMatchObject({ limit: 'xml.work' });
    await expect(verify(xml, options)).rejects.toBeInstanceOf(LimitExceededError);
  });

  it('the limit is configurable: a small budget refuses even a small valid signature', async () => {
    const xml = await signXml(`<root xmlns="urn:x"><data>${bulk(2)}</data>${signatureXml({ references: [reference('', [envelopedTransform, excC14nTransform()])], keyInfoCerts: [certB64('kz-signer'), certB64('kz-ca')] })}</root>`);
    expect((await verify(xml, options)).signatures[0]!.indication).toBe('TOTAL-PASSED');
    await expect(verify(xml, { ...options, limits: { maxXmlWork: 1000 } })).rejects.toMatchObject({ limit: 'xml.work', max: 1000 });
  });

  it('a SignatureValue that does not verify: no reference is digested (they are listed as not digested)', async () => {
    const good = await attack(identical);
    const sv = /<ds:SignatureValue>([^<]+)</.exec(good)![1]!;
    const bad = good.replace(sv, (sv[0] === 'A' ? 'B' : 'A') + sv.slice(1));
    const r = await verify(bad, options);
    expect([r.signatures[0]!.indication, r.signatures[0]!.subIndication]).toEqual(['TOTAL-FAILED', 'SIG_CRYPTO_FAILURE']);
    const refs = r.signatures[0]!.checks.filter((c) => c.id.startsWith('cv.reference['));
    expect(refs).toHaveLength(64);
    expect(refs.every((c) => c.status === 'SKIPPED' && /not digested/.test(c.detail))).toBe(true);
    // Certificates and 64 SignedInfo checks only: at least one document's canonicalization less than the valid one.
    const used = (await work(bad)).budget.used;
    expect(used + good.length).toBeLessThan((await work(good)).budget.used);
  });

  it('the enveloped-signature transform leaves the document exactly as it was (no copy, nothing lost)', async () => {
    const xml = await signXml(`<root xmlns="urn:x"><a>1</a>${signatureXml({ references: [reference('', [envelopedTransform, excC14nTransform()])] })}<b>2</b></root>`);
    const doc = parseXml(xml);
    const before = new XMLSerializer().serializeToString(doc as never);
    const sig = doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[0]!;
    const key = ParsedCertificate.fromDer(derObjectsFrom(fixture('pki/kz-signer.pem'), ['CERTIFICATE'])[0]!);
    const r = await verifyXmlSignature(doc, sig, { key });
    expect([r.signatureValid, r.referencesValid, r.references[0]!.covered.excludesSignature]).toEqual([true, true, true]);
    expect(new XMLSerializer().serializeToString(doc as never)).toBe(before);
    expect(doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[0]).toBe(sig);
  });
});

describe('chargeSubtree', () => {
  /** The charge by its definition (XML_WORK.node per node and attribute, plus name, text and value lengths), recursively. */
  function defined(n: Node, exclude: ReadonlySet<Node>): number {
    if (exclude.has(n)) return 0;
    let units = XML_WORK.node + (n.nodeType === 1 ? (n as Element).nodeName.length : (n.nodeValue?.length ?? 0));
    if (n.nodeType === 1) for (const a of Array.from((n as Element).attributes)) units += XML_WORK.node + a.name.length + a.value.length;
    for (let c = n.firstChild; c; c = c.nextSibling) units += defined(c, exclude);
    return units;
  }

  it('charges every node once, in or out of excluded subtrees, as its definition says', () => {
    for (const f of ['xades/kz-enveloped-b.xml', 'xades/kz-enveloped-lta.xml', 'xades/kz-detached-b.xml']) {
      const doc = parseXml(fixture(f));
      const sig = doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[0]!;
      const cases: [Node, ReadonlySet<Node>][] = [
        [doc, new Set()],
        [doc, new Set([sig])],
        [doc.documentElement, new Set([sig, sig.firstChild!])],
        [sig, new Set()],
        [sig, new Set([sig])],
        [sig.firstChild!, new Set()],
      ];
      for (const [root, exclude] of cases) {
        const budget = new WorkBudget(Number.MAX_SAFE_INTEGER);
        chargeSubtree(budget, root, 'test', exclude);
        expect(budget.used, `${f} ${root.nodeName} minus ${exclude.size}`).toBe(defined(root, exclude));
      }
    }
  });
});
