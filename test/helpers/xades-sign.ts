/**
 * Test-time XAdES-B signing with the fixture test PKI (the private keys in fixtures/keys are public),
 * the way fixtures/gen-xades.ts does it: digests and SignedInfo through the library's own reference
 * processing and C14N, WebCrypto for the signature value. Lets a test build a signed document, alter
 * it and check the verdict without committing new fixtures.
 */
import * as asn1js from 'asn1js';
import { XMLSerializer } from '@xmldom/xmldom';
import { ParsedCertificate } from '../../src/pki/certificate.js';
import { toBase64 } from '../../src/util/bytes.js';
import { derObjectsFrom } from '../../src/util/pem.js';
import { DSIG_NS } from '../../src/xades/dom.js';
import { canonicalSignedInfo, referenceDigestInputs } from '../../src/xades/xmldsig.js';
import { parseXml } from '../../src/xml/parse.js';
import { fixture } from './fixtures.js';

const subtle = globalThis.crypto.subtle;
export const XADES_NS = 'http://uri.etsi.org/01903/v1.3.2#';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const C14N10 = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
export const C14N10_COMMENTS = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments';
export const C14N11 = 'http://www.w3.org/2006/12/xml-c14n11';
export const C14N11_COMMENTS = 'http://www.w3.org/2006/12/xml-c14n11#WithComments';
export const EXC = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const EXC_COMMENTS = 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments';

export interface Signer {
  readonly key: CryptoKey;
  readonly cert: ParsedCertificate;
  readonly chain: readonly ParsedCertificate[];
  /** PEM paths under fixtures/, for xmlsec1. */
  readonly keyPem: string;
  readonly certPem: string;
}

function pem(rel: string): Uint8Array {
  return derObjectsFrom(fixture(rel))[0]!;
}

/** An RSA signer of the fixture PKI (default kz-signer under kz-ca). */
export async function rsaSigner(name = 'kz-signer', ca = 'kz-ca'): Promise<Signer> {
  const cert = ParsedCertificate.fromDer(pem(`pki/${name}.pem`));
  const caCert = ParsedCertificate.fromDer(pem(`pki/${ca}.pem`));
  const key = await subtle.importKey('pkcs8', pem(`keys/${name}.key.pem`).slice(), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  return { key, cert, chain: [cert, caCert], keyPem: `keys/${name}.key.pem`, certPem: `pki/${name}.pem` };
}

/** A transform element, with an InclusiveNamespaces PrefixList for exclusive C14N when given. */
export function transform(alg: string, prefixList?: string): string {
  if (prefixList === undefined) return `<ds:Transform Algorithm="${alg}"/>`;
  return `<ds:Transform Algorithm="${alg}"><ec:InclusiveNamespaces xmlns:ec="${EXC}" PrefixList="${prefixList}"/></ds:Transform>`;
}

export async function sha256b64(data: Uint8Array): Promise<string> {
  return toBase64(new Uint8Array(await subtle.digest('SHA-256', data.slice())));
}

export function issuerSerialV2(c: ParsedCertificate): string {
  const name = asn1js.fromBER(c.issuerDer.slice().buffer).result;
  const seq = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [name] })] }),
      new asn1js.Integer({ valueHex: c.raw.serialNumber.valueBlock.valueHexView.slice().buffer }),
    ],
  });
  return toBase64(new Uint8Array(seq.toBER(false)));
}

export interface EnvelopedOptions {
  /** SignedInfo CanonicalizationMethod (default exclusive C14N). */
  readonly c14n?: string;
  /** Transforms of the URI="" reference after enveloped-signature, as XML (default: one transform of `c14n`). */
  readonly transforms?: string;
  /** SignedInfo CanonicalizationMethod's InclusiveNamespaces PrefixList. */
  readonly signedInfoPrefixList?: string;
  readonly sigId?: string;
}

/**
 * Signs `xml` as XAdES-B enveloped: a ds:Signature appended to the document element, one URI=""
 * reference (enveloped-signature + C14N) and the SignedProperties reference. Returns the signed XML.
 */
export async function signEnveloped(xml: string, signer: Signer, o: EnvelopedOptions = {}): Promise<string> {
  const c14n = o.c14n ?? EXC;
  const id = o.sigId ?? 'sig-c14n';
  const cm = o.signedInfoPrefixList === undefined ? `<ds:CanonicalizationMethod Algorithm="${c14n}"/>` : `<ds:CanonicalizationMethod Algorithm="${c14n}"><ec:InclusiveNamespaces xmlns:ec="${EXC}" PrefixList="${o.signedInfoPrefixList}"/></ds:CanonicalizationMethod>`;
  const tmpl =
    `<ds:Signature xmlns:ds="${DSIG_NS}" Id="${id}"><ds:SignedInfo>${cm}<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>` +
    `<ds:Reference Id="${id}-ref-doc" URI=""><ds:Transforms>${transform(ENVELOPED)}${o.transforms ?? transform(c14n)}</ds:Transforms><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue></ds:DigestValue></ds:Reference>` +
    `<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#${id}-sp"><ds:Transforms>${transform(c14n)}</ds:Transforms><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue></ds:DigestValue></ds:Reference>` +
    `</ds:SignedInfo><ds:SignatureValue></ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data>${signer.chain.map((c) => `<ds:X509Certificate>${toBase64(c.der)}</ds:X509Certificate>`).join('')}</ds:X509Data></ds:KeyInfo>` +
    `<ds:Object><xades:QualifyingProperties xmlns:xades="${XADES_NS}" Target="#${id}"><xades:SignedProperties Id="${id}-sp">` +
    `<xades:SignedSignatureProperties><xades:SigningTime>2026-05-15T10:00:00Z</xades:SigningTime>` +
    `<xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue>${await sha256b64(signer.cert.der)}</ds:DigestValue></xades:CertDigest>` +
    `<xades:IssuerSerialV2>${issuerSerialV2(signer.cert)}</xades:IssuerSerialV2></xades:Cert></xades:SigningCertificateV2></xades:SignedSignatureProperties>` +
    `<xades:SignedDataObjectProperties><xades:DataObjectFormat ObjectReference="#${id}-ref-doc"><xades:MimeType>text/xml</xades:MimeType></xades:DataObjectFormat></xades:SignedDataObjectProperties>` +
    `</xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature>`;
  const close = xml.lastIndexOf('</');
  if (close < 0) throw new Error('signEnveloped needs a document element with an end tag');
  const doc = parseXml(xml.slice(0, close) + tmpl + xml.slice(close));
  const sig = Array.from(doc.getElementsByTagNameNS(DSIG_NS, 'Signature')).find((s) => s.getAttribute('Id') === id)!;
  await fillSignature(doc, sig, signer);
  return new XMLSerializer().serializeToString(doc as never);
}

/** Fills every empty DigestValue of `sig`'s SignedInfo (in order) and then the SignatureValue. */
export async function fillSignature(doc: Document, sig: Element, signer: Signer): Promise<void> {
  const si = sig.getElementsByTagNameNS(DSIG_NS, 'SignedInfo')[0]!;
  const dvs = Array.from(si.getElementsByTagNameNS(DSIG_NS, 'DigestValue'));
  for (let i = 0; i < dvs.length; i++) {
    const input = (await referenceDigestInputs(doc, sig))[i];
    if (!input) throw new Error(`reference ${i} does not resolve`);
    dvs[i]!.textContent = await sha256b64(input);
  }
  const value = new Uint8Array(await subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, signer.key, canonicalSignedInfo(sig).slice()));
  sig.getElementsByTagNameNS(DSIG_NS, 'SignatureValue')[0]!.textContent = toBase64(value);
}

