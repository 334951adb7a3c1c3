import * as asn1js from 'asn1js';
import { XMLSerializer } from '@xmldom/xmldom';
import { ParsedCertificate } from '../pki/certificate.js';
import { TrustListError } from '../trust/errors.js';
import { NS } from '../trust/uris.js';
import { childElements } from '../trust/xml-read.js';
import { copyBytes, fromHex, toBase64 } from '../util/bytes.js';
import { EXC_C14N, ENVELOPED_SIGNATURE } from '../xades/algorithms.js';
import { signatureTimestampInput } from '../xades/timestamps.js';
import { canonicalSignedInfo, referenceDigestInputs } from '../xades/xmldsig.js';
import { parseXml } from '../xml/parse.js';
import type { Timestamper } from './tsa-client.js';

const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/**
 * Whatever holds the operator's private key: a PEM/PKCS#8 file (the CLI's key signer), or a
 * PKCS#11 token or remote signing service behind the same three members. The key never enters
 * this module; it sees only the bytes to sign.
 */
export interface ListSigner {
  /** DER of the operator's signing certificate (the one announced in the list of lists). */
  readonly certificate: Uint8Array;
  /** XML-DSig SignatureMethod URI the signature value is for (e.g. ...xmldsig-more#rsa-sha256). */
  readonly signatureMethod: string;
  /** The SignatureValue over `data` (canonical SignedInfo): PKCS#1 v1.5 bytes, or r||s for ECDSA (RFC 4050). */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export interface SignListOptions {
  /** xades:SigningTime (default: now). */
  readonly signingTime?: Date;
  /** Id of ds:Signature (default `tsl-signature`). */
  readonly id?: string;
  /**
   * XAdES-T: a TSA that time-stamps the signature (EN 319 132-1 5.3 SignatureTimeStamp over ds:SignatureValue,
   * exclusive C14N). Without it the list is XAdES-B.
   */
  readonly timestamp?: Timestamper;
}

/**
 * Signs a TS 119 612 list the way TS 119 612 5.7.1 and Annex B ask (and DSS checks): one enveloped
 * XAdES-B signature (XAdES-T with `timestamp`) as the last child of the root; the list reference `URI=""` with the
 * enveloped-signature and exclusive C14N transforms, SignedInfo in exclusive C14N, SHA-256
 * digests; xades:SigningTime and xades:SigningCertificateV2 (v6 lists; a v5 list's
 * SigningCertificate is not written: such lists are refused), DataObjectFormat text/xml for the
 * list reference; the certificate in ds:KeyInfo for tools, although verifiers must pin it.
 * Digests and SignedInfo go through the library's own reference processing and C14N, the same
 * code that verifies, so what is signed is what is checked. Refuses a list that is already signed.
 */
export async function signTrustListXml(xml: Uint8Array | string, signer: ListSigner, o: SignListOptions = {}): Promise<string> {
  const doc = parseXml(xml);
  const root = doc.documentElement;
  if (root.namespaceURI !== NS.tsl || root.localName !== 'TrustServiceStatusList') throw new TrustListError('not a TS 119 612 list: root is not tsl:TrustServiceStatusList');
  if (childElements(root, NS.ds, 'Signature').length) throw new TrustListError('the list is already signed (a list carries exactly one signature)');
  const si = childElements(root, NS.tsl, 'SchemeInformation')[0];
  const version = si ? childElements(si, NS.tsl, 'TSLVersionIdentifier')[0]?.textContent?.trim() : undefined;
  if (version !== '6') throw new TrustListError(`TSLVersionIdentifier ${version ?? '(none)'}: only v6 lists (SigningCertificateV2) are signed`);
  const cert = ParsedCertificate.fromDer(signer.certificate);
  const id = o.id ?? 'tsl-signature';
  const time = (o.signingTime ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const certDigest = toBase64(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', signer.certificate.slice())));
  const tmpl =
    `<ds:Signature xmlns:ds="${NS.ds}" Id="${id}"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${EXC_C14N}"/><ds:SignatureMethod Algorithm="${signer.signatureMethod}"/>` +
    `<ds:Reference Id="${id}-ref-list" URI=""><ds:Transforms><ds:Transform Algorithm="${ENVELOPED_SIGNATURE}"/><ds:Transform Algorithm="${EXC_C14N}"/></ds:Transforms><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue/></ds:Reference>` +
    `<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#${id}-signedprops"><ds:Transforms><ds:Transform Algorithm="${EXC_C14N}"/></ds:Transforms><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue/></ds:Reference>` +
    `</ds:SignedInfo><ds:SignatureValue/>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${toBase64(signer.certificate)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
    `<ds:Object><xades:QualifyingProperties xmlns:xades="${NS.xades}" Target="#${id}"><xades:SignedProperties Id="${id}-signedprops">` +
    `<xades:SignedSignatureProperties><xades:SigningTime>${time}</xades:SigningTime>` +
    `<xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue>${certDigest}</ds:DigestValue></xades:CertDigest>` +
    `<xades:IssuerSerialV2>${issuerSerialV2(cert)}</xades:IssuerSerialV2></xades:Cert></xades:SigningCertificateV2></xades:SignedSignatureProperties>` +
    `<xades:SignedDataObjectProperties><xades:DataObjectFormat ObjectReference="#${id}-ref-list"><xades:MimeType>text/xml</xades:MimeType></xades:DataObjectFormat></xades:SignedDataObjectProperties>` +
    `</xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature>`;
  const sig = doc.importNode(parseXml(tmpl).documentElement, true) as Element;
  root.appendChild(sig);
  const digestValues = childElements(childElements(sig, NS.ds, 'SignedInfo')[0]!, NS.ds, 'Reference').map((r) => childElements(r, NS.ds, 'DigestValue')[0]!);
  // In order: the list reference first (the enveloped transform leaves the signature out), then SignedProperties.
  for (let i = 0; i < digestValues.length; i++) {
    const input = (await referenceDigestInputs(doc, sig))[i];
    if (!input) throw new TrustListError(`signature reference ${i} does not resolve`);
    digestValues[i]!.textContent = toBase64(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', input.slice())));
  }
  const value = await signer.sign(canonicalSignedInfo(sig));
  childElements(sig, NS.ds, 'SignatureValue')[0]!.textContent = toBase64(value);
  if (o.timestamp) await addSignatureTimestamp(doc, sig, id, o.timestamp);
  return new XMLSerializer().serializeToString(doc as never);
}

/**
 * Adds xades:UnsignedProperties/UnsignedSignatureProperties/SignatureTimeStamp over the final ds:SignatureValue.
 * Its input is computed by the verifier's own function (xades/timestamps.ts) with the method written in the
 * element, so the imprint the TSA signs is the one validators recompute. Unsigned properties sit outside both
 * references (the enveloped transform drops the whole ds:Signature), so adding them leaves the signature intact.
 */
async function addSignatureTimestamp(doc: Document, sig: Element, id: string, timestamp: Timestamper): Promise<void> {
  const qp = sig.getElementsByTagNameNS(NS.xades, 'QualifyingProperties')[0]!;
  const input = signatureTimestampInput({ kind: 'SignatureTimeStamp', element: qp, canonicalizationMethod: EXC_C14N, token: null, namespace: NS.xades }, sig);
  if (!input) throw new TrustListError('internal: the signature value could not be canonicalized for the time-stamp');
  const token = await timestamp(input);
  const tmpl =
    `<xades:UnsignedProperties xmlns:xades="${NS.xades}" xmlns:ds="${NS.ds}"><xades:UnsignedSignatureProperties>` +
    `<xades:SignatureTimeStamp Id="${id}-sigts"><ds:CanonicalizationMethod Algorithm="${EXC_C14N}"/>` +
    `<xades:EncapsulatedTimeStamp>${toBase64(token)}</xades:EncapsulatedTimeStamp></xades:SignatureTimeStamp>` +
    `</xades:UnsignedSignatureProperties></xades:UnsignedProperties>`;
  qp.appendChild(doc.importNode(parseXml(tmpl).documentElement, true));
}

/** RFC 5035 IssuerSerial { issuer GeneralNames (directoryName), serialNumber } in DER, as XAdES 1.4.1 IssuerSerialV2 holds it. */
function issuerSerialV2(c: ParsedCertificate): string {
  const name = asn1js.fromBER(copyBytes(c.issuerDer).buffer).result;
  const seq = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [name] })] }),
      new asn1js.Integer({ valueHex: fromHex(c.serialNumberHex).buffer }),
    ],
  });
  return toBase64(new Uint8Array(seq.toBER(false)));
}
