/**
 * Algorithm URIs and element names are attacker-chosen strings: looked up in a plain object, "constructor",
 * "toString" or "__proto__" find Object.prototype's members. A CanonicalizationMethod or Transform named so was
 * run as inclusive C14N 1.0 (an unknown algorithm accepted), and a XAdES-namespaced element named so made
 * verify() throw a TypeError instead of reporting. Each input here is signed for real with the test PKI key.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { parseXml } from '../src/xml/parse.js';
import { C14N_METHODS } from '../src/xades/algorithms.js';
import { canonicalize } from '../src/xades/c14n.js';
import { DSIG_NS } from '../src/xades/dom.js';
import { verifyXmlSignature } from '../src/xades/xmldsig.js';

const fx = (p: string) => readFileSync(new URL(`../fixtures/${p}`, import.meta.url), 'utf8');
const C14N_10 = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const signer = ParsedCertificate.fromDer(pemDer(fx('pki/tr-signer.pem')));
const key = createPrivateKey(fx('keys/tr-signer.key.pem'));

function pemDer(pem: string): Uint8Array {
  return Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, '')), (c) => c.charCodeAt(0));
}

/** The TR fixture with `edit` applied, its SignedInfo signed again (C14N 1.0, what the named algorithm used to run as). */
function resigned(edit: (xml: string) => string): { doc: Document; sig: Element } {
  const doc = parseXml(edit(fx('xades/tr-enveloped-b-ecdsa.xml')));
  const sig = doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[0] as Element;
  const signedInfo = sig.getElementsByTagNameNS(DSIG_NS, 'SignedInfo')[0]!;
  const value = sign('sha256', new TextEncoder().encode(canonicalize(signedInfo, signedInfo, C14N_METHODS[C14N_10]!)), { key, dsaEncoding: 'ieee-p1363' });
  sig.getElementsByTagNameNS(DSIG_NS, 'SignatureValue')[0]!.textContent = value.toString('base64');
  return { doc, sig };
}

describe('Object.prototype member names are not algorithms or XAdES elements', () => {
  it('the unmodified fixture, signed again the same way, verifies (the edits below are the only difference)', async () => {
    const { doc, sig } = resigned((x) => x);
    const r = await verifyXmlSignature(doc, sig, { key: signer });
    expect([r.signatureValid, r.referencesValid]).toEqual([true, true]);
  });

  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    it(`CanonicalizationMethod Algorithm="${name}" is an unsupported algorithm, not C14N 1.0`, async () => {
      const { doc, sig } = resigned((x) => x.replace(`<ds:CanonicalizationMethod Algorithm="${C14N_10}"/>`, `<ds:CanonicalizationMethod Algorithm="${name}"/>`));
      const r = await verifyXmlSignature(doc, sig, { key: signer });
      expect(r.signatureValid).toBe(false);
      expect(r.signatureError).toBe(`unsupported CanonicalizationMethod ${name}`);
    });

    it(`Transform Algorithm="${name}" is an unknown transform, not C14N 1.0`, async () => {
      // The SignedProperties reference's only transform; its digest is over the C14N 1.0 form either way.
      const { doc, sig } = resigned((x) => x.replace(`URI="#sig-tr-sp"><ds:Transforms><ds:Transform Algorithm="${C14N_10}"/>`, `URI="#sig-tr-sp"><ds:Transforms><ds:Transform Algorithm="${name}"/>`));
      const r = await verifyXmlSignature(doc, sig, { key: signer });
      expect(r.signatureValid).toBe(true);
      expect(r.references[1]!.digestOk).toBe(false);
      expect(r.references[1]!.error).toBe(`transform failed: unknown transform ${name}`);
    });
  }

  it('a detached reference URI="constructor" is not served by Object.prototype of a detached-content record', async () => {
    const doc = parseXml(fx('xades/kz-detached-b.xml').replace('URI="document.txt"', 'URI="constructor"'));
    const sig = doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[0] as Element;
    const content = { 'document.txt': new TextEncoder().encode(fx('content/document.txt')) };
    // The key is not the signer's: only the references' resolution is asked for (digestUnverified).
    const r = await verifyXmlSignature(doc, sig, { key: signer, detachedContent: content, digestUnverified: true });
    expect(r.references[0]!.covered.kind).toBe('detached');
    expect(r.references[0]!.error).toBe('detached content for "constructor" was not supplied');
  });

  it('a XAdES-namespaced element named "constructor" in the signature gives a report, not a TypeError', async () => {
    const xml = fx('xades/tr-enveloped-b-ecdsa.xml').replace('<xades:SigningTime>', '<xades:constructor/><xades:toString/><xades:SigningTime>');
    const report = await verify(new TextEncoder().encode(xml), { trustAnchors: [fx('pki/tr-root.pem')], validationTime: new Date('2026-06-01T00:00:00Z') });
    // The element sits in the signed properties, so their digest no longer matches.
    expect(report.signatures[0]!.indication).toBe('TOTAL-FAILED');
    expect(report.signatures[0]!.subIndication).toBe('HASH_FAILURE');
  });
});
