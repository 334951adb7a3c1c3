import { generateKeyPairSync, randomBytes, sign, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { parseXml } from '../src/xml/parse.js';
import { DSIG_NS } from '../src/xades/dom.js';
import { canonicalize } from '../src/xades/c14n.js';
import { C14N_METHODS, ecdsaRawToDer } from '../src/xades/algorithms.js';
import { keyInfoCertificates, readSignatureStructure, verifyXmlSignature } from '../src/xades/xmldsig.js';

const fx = (p: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${p}`, import.meta.url)));
const cert = (name: string) => ParsedCertificate.fromDer(pemDer(new TextDecoder().decode(fx(`pki/${name}.pem`))));
function pemDer(pem: string): Uint8Array {
  return Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, '')), (c) => c.charCodeAt(0));
}
function load(file: string): { doc: Document; sig: Element } {
  const doc = parseXml(fx(file));
  return { doc, sig: doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[0] as Element };
}

describe('verifyXmlSignature (XML-DSig core)', () => {
  it('verifies with the caller-given certificate and reports what each reference covers', async () => {
    const { doc, sig } = load('xades/kz-enveloped-b.xml');
    const r = await verifyXmlSignature(doc, sig, { key: cert('kz-signer') });
    expect(r.signatureValid).toBe(true);
    expect(r.referencesValid).toBe(true);
    expect(r.references.map((x) => [x.uri, x.covered.kind, x.covered.isDocumentElement, x.covered.excludesSignature])).toEqual([
      ['', 'document', true, true],
      ['#sig-kz-sp', 'element', false, false],
    ]);
    expect(r.references[1]!.covered.insideSignature).toBe(true);
    expect(r.keyInfoCertificates.map((c) => c.subject.text)).toContain(cert('kz-signer').subject.text);
  });

  it('never trusts KeyInfo: another key (even the CA in KeyInfo) fails, and so does an attacker re-signature', async () => {
    const { doc, sig } = load('xades/kz-enveloped-b.xml');
    expect((await verifyXmlSignature(doc, sig, { key: cert('kz-ca') })).signatureValid).toBe(false);
    const swapped = load('xades/kz-enveloped-keyinfo-swapped.xml');
    const r = await verifyXmlSignature(swapped.doc, swapped.sig, { key: cert('kz-signer') });
    expect(r.signatureValid).toBe(false);
    expect(r.signatureError).toMatch(/does not verify/);
  });

  it('is stateless: verifying twice gives the same answer, and globalThis.crypto is untouched', async () => {
    const { doc, sig } = load('xades/tr-enveloped-b-ecdsa.xml');
    const a = await verifyXmlSignature(doc, sig, { key: cert('tr-signer') });
    const b = await verifyXmlSignature(doc, sig, { key: cert('tr-signer') });
    expect([a.signatureValid, a.referencesValid, b.signatureValid, b.referencesValid]).toEqual([true, true, true, true]);
    expect((globalThis.crypto as unknown as { name?: string }).name).toBeUndefined();
    // xmldsigjs' Application.setEngine is never called, so pkijs 4 keeps its own engine.
    const pkijs = await import('pkijs');
    expect(pkijs.getEngine().crypto).toBeInstanceOf(pkijs.CryptoEngine);
  });

  it('a digest mismatch is a false result, not a throw', async () => {
    const { doc, sig } = load('xades/kz-enveloped-tampered-content.xml');
    const r = await verifyXmlSignature(doc, sig, { key: cert('kz-signer') });
    expect(r.signatureValid).toBe(true);
    expect(r.references[0]!.digestOk).toBe(false);
    expect(r.references[0]!.error).toMatch(/^digest mismatch/);
  });

  it('refuses a reference to a duplicated Id and reports both places', async () => {
    const { doc, sig } = load('xades/xsw-duplicate-id.xml');
    const r = await verifyXmlSignature(doc, sig, { key: cert('kz-signer') });
    expect(r.references[0]!.digestOk).toBe(false);
    expect(r.references[0]!.error).toMatch(/ambiguous reference refused/);
    expect(r.references[0]!.covered.description).toMatch(/inv:Invoice\[1\] and .*ds:Object/);
  });

  it('refuses a comment inside DigestValue and a second SignedInfo', async () => {
    const c = load('xades/xsw-comment-in-digestvalue.xml');
    const r = await verifyXmlSignature(c.doc, c.sig, { key: cert('kz-signer') });
    expect(r.references[0]!.error).toMatch(/malformed DigestValue/);
    const t = load('xades/xsw-two-signedinfo.xml');
    const r2 = await verifyXmlSignature(t.doc, t.sig, { key: cert('kz-signer') });
    expect(r2.signatureValid).toBe(false);
    expect(r2.problems.join()).toMatch(/SignedInfo must be followed by ds:SignatureValue/);
  });

  it('detached references come only from caller-supplied content, by URI', async () => {
    const { doc, sig } = load('xades/kz-detached-b.xml');
    const none = await verifyXmlSignature(doc, sig, { key: cert('kz-signer') });
    expect(none.references[0]!.error).toMatch(/was not supplied/);
    const named = await verifyXmlSignature(doc, sig, { key: cert('kz-signer'), detachedContent: new Map([['document.txt', fx('content/document.txt')]]) });
    expect(named.referencesValid && named.signatureValid).toBe(true);
    expect(named.references[0]!.covered).toMatchObject({ kind: 'detached', description: 'document.txt' });
  });

  it('reads the third-party xmldsigjs vectors (SAML, Maltese TL, Office) with their own certificates', async () => {
    const dir = new URL('../../shared/corpus/xmldsig/xmldsigjs/', import.meta.url);
    let files: string[];
    try {
      files = ['valid_saml.xml', 'tl-mp.xml', 'valid_signature_office.xml'].filter((f) => readFileSync(new URL(f, dir)));
    } catch {
      return; // corpus not present in this checkout
    }
    for (const f of files) {
      const doc = parseXml(new Uint8Array(readFileSync(new URL(f, dir))));
      const sig = doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[0] as Element;
      const [c] = keyInfoCertificates(readSignatureStructure(sig).keyInfo, []);
      const r = await verifyXmlSignature(doc, sig, { key: c! });
      expect([f, r.signatureValid, r.referencesValid]).toEqual([f, true, true]);
    }
  });
});

describe('canonicalize (xmldsigjs C14N with the in-scope context of a subtree)', () => {
  it('renders ancestor namespace declarations on the apex for inclusive C14N only when used or inclusive', () => {
    const doc = parseXml('<r xmlns="urn:d" xmlns:p="urn:p" xmlns:q="urn:q"><a p:x="1"><b/></a></r>');
    const a = doc.getElementsByTagNameNS('urn:d', 'a')[0]!;
    expect(canonicalize(a, a, C14N_METHODS['http://www.w3.org/TR/2001/REC-xml-c14n-20010315']!)).toBe(
      '<a xmlns="urn:d" xmlns:p="urn:p" xmlns:q="urn:q" p:x="1"><b></b></a>',
    );
    expect(canonicalize(a, a, C14N_METHODS['http://www.w3.org/2001/10/xml-exc-c14n#']!)).toBe('<a xmlns="urn:d" xmlns:p="urn:p" p:x="1"><b></b></a>');
  });

  it('refuses C14N 1.1 where it could differ from 1.0 (inherited xml:* attributes)', () => {
    const doc = parseXml('<r xml:base="http://x/"><a/></r>');
    const a = doc.getElementsByTagName('a')[0]!;
    expect(() => canonicalize(a, a, C14N_METHODS['http://www.w3.org/2006/12/xml-c14n11']!)).toThrow(/C14N 1.1/);
    expect(canonicalize(a, a, C14N_METHODS['http://www.w3.org/TR/2001/REC-xml-c14n-20010315']!)).toBe('<a xml:base="http://x/"></a>');
  });
});

describe('ecdsaRawToDer (XML-DSig r||s to the DER Ecdsa-Sig-Value the registry verifies)', () => {
  // The reference encoding: asn1js INTEGERs of the minimal two's-complement octets, in a SEQUENCE.
  const viaAsn1js = (raw: Uint8Array) => {
    const int = (b: Uint8Array) => {
      let i = 0;
      while (i < b.length - 1 && b[i] === 0) i++;
      const v = b[i]! & 0x80 ? Uint8Array.from([0, ...b.subarray(i)]) : b.slice(i);
      return new asn1js.Integer({ valueHex: v.buffer });
    };
    const half = raw.length / 2;
    return new Uint8Array(new asn1js.Sequence({ value: [int(raw.subarray(0, half)), int(raw.subarray(half))] }).toBER(false));
  };

  it('encodes like asn1js for P-256/384/521 widths, leading zeros, high bits and zero halves', () => {
    const cases: Uint8Array[] = [];
    for (const size of [32, 48, 66]) {
      for (let k = 0; k < 40; k++) cases.push(new Uint8Array(randomBytes(2 * size)));
      const hi = new Uint8Array(2 * size).fill(0xff);
      const zeros = new Uint8Array(2 * size);
      const lead = new Uint8Array(randomBytes(2 * size));
      lead.fill(0, 0, 5);
      lead[5] = 0x80; // leading zeros, then a high bit: the 0x00 comes back
      lead.fill(0, size, size + size - 1); // s is a single octet after zeros
      cases.push(hi, zeros, lead);
    }
    for (const raw of cases) expect(Buffer.from(ecdsaRawToDer(raw)!).toString('hex')).toBe(Buffer.from(viaAsn1js(raw)).toString('hex'));
  });

  it('refuses an empty or odd-length value, and a tampered r||s no longer verifies', async () => {
    expect(ecdsaRawToDer(new Uint8Array(0))).toBeUndefined();
    expect(ecdsaRawToDer(new Uint8Array(65))).toBeUndefined();
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const data = Buffer.from('signed info');
    const raw = new Uint8Array(sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
    expect(nodeVerify('sha256', data, publicKey, ecdsaRawToDer(raw)!)).toBe(true);
    raw[40] ^= 1;
    expect(nodeVerify('sha256', data, publicKey, ecdsaRawToDer(raw)!)).toBe(false);
  });
});
