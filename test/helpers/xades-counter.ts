/**
 * XAdES counter-signatures (EN 319 132-1 5.4.2) added at test time: a xades:CounterSignature in the
 * UnsignedSignatureProperties of a signature, holding a XAdES-B ds:Signature signed with a fixture key whose
 * data reference points at whatever the test says (by default the countersigned ds:SignatureValue, by Id).
 */
import { DSIG_NS } from '../../src/xades/dom.js';
import { toBase64 } from '../../src/util/bytes.js';
import { parseXml } from '../../src/xml/parse.js';
import { EXC, fillSignature, issuerSerialV2, sha256b64, SHA256, transform, XADES_NS, type Signer } from './xades-sign.js';

export const COUNTERSIGNED_TYPE = 'http://uri.etsi.org/01903#CountersignedSignature';

export interface XadesCounterOptions {
  /** Id of the countersigned ds:Signature. */
  readonly parentId: string;
  readonly signer: Signer;
  /** Id of the counter ds:Signature (default `${parentId}-cs` plus a number). */
  readonly id?: string;
  /** URI of the data reference (default `#<Id of the parent's SignatureValue>`, which is added when missing). */
  readonly uri?: string;
  /** How many CounterSignature elements to add (default 1). */
  readonly count?: number;
}

/** `doc` with counter-signature(s) of the ds:Signature `parentId` added in place. */
export async function addXadesCounterSignature(doc: Document, o: XadesCounterOptions): Promise<void> {
  const parent = Array.from(doc.getElementsByTagNameNS(DSIG_NS, 'Signature')).find((s) => s.getAttribute('Id') === o.parentId)!;
  const sv = Array.from(parent.childNodes).find((n) => (n as Element).localName === 'SignatureValue') as Element;
  // The Id is on ds:SignatureValue, which the parent's SignedInfo does not cover: adding it changes no digest of the parent.
  if (!sv.getAttribute('Id')) sv.setAttribute('Id', `${o.parentId}-sv`);
  const qp = Array.from(parent.getElementsByTagNameNS(XADES_NS, 'QualifyingProperties')).find((q) => q.parentNode?.parentNode === parent)!;
  let up = Array.from(qp.childNodes).find((n) => (n as Element).localName === 'UnsignedProperties') as Element | undefined;
  if (!up) {
    up = doc.createElementNS(XADES_NS, 'xades:UnsignedProperties');
    up.appendChild(doc.createElementNS(XADES_NS, 'xades:UnsignedSignatureProperties'));
    qp.appendChild(up);
  }
  const usp = Array.from(up.childNodes).find((n) => (n as Element).localName === 'UnsignedSignatureProperties') as Element;
  const uri = o.uri ?? `#${sv.getAttribute('Id')}`;
  for (let i = 0; i < (o.count ?? 1); i++) {
    const id = o.id ?? `${o.parentId}-cs${usp.childNodes.length}`;
    const xml =
      `<xades:CounterSignature xmlns:xades="${XADES_NS}"><ds:Signature xmlns:ds="${DSIG_NS}" Id="${id}"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${EXC}"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>` +
      `<ds:Reference Type="${COUNTERSIGNED_TYPE}" URI="${uri}"><ds:Transforms>${transform(EXC)}</ds:Transforms><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue></ds:DigestValue></ds:Reference>` +
      `<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#${id}-sp"><ds:Transforms>${transform(EXC)}</ds:Transforms><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue></ds:DigestValue></ds:Reference>` +
      `</ds:SignedInfo><ds:SignatureValue></ds:SignatureValue>` +
      `<ds:KeyInfo><ds:X509Data>${o.signer.chain.map((c) => `<ds:X509Certificate>${toBase64(c.der)}</ds:X509Certificate>`).join('')}</ds:X509Data></ds:KeyInfo>` +
      `<ds:Object><xades:QualifyingProperties Target="#${id}"><xades:SignedProperties Id="${id}-sp">` +
      `<xades:SignedSignatureProperties><xades:SigningTime>2026-05-16T10:00:00Z</xades:SigningTime>` +
      `<xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue>${await sha256b64(o.signer.cert.der)}</ds:DigestValue></xades:CertDigest>` +
      `<xades:IssuerSerialV2>${issuerSerialV2(o.signer.cert)}</xades:IssuerSerialV2></xades:Cert></xades:SigningCertificateV2></xades:SignedSignatureProperties>` +
      `</xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature></xades:CounterSignature>`;
    const holder = doc.importNode(parseXml(xml).documentElement, true) as Element;
    usp.appendChild(holder);
    const sig = Array.from(holder.childNodes).find((n) => (n as Element).localName === 'Signature') as Element;
    await fillSignature(doc, sig, o.signer);
  }
}
