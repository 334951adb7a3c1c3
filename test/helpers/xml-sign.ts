/**
 * Builds and signs XML-DSig documents at test time with the fixture test-PKI keys
 * (fixtures/keys/*.key.pem are public test keys). Digest inputs and the canonical
 * SignedInfo come from the library's own reference resolution, so a document signed
 * here verifies exactly when the library's references resolve as the signer meant.
 */
import { webcrypto } from 'node:crypto';
import { XMLSerializer } from '@xmldom/xmldom';
import { derObjectsFrom } from '../../src/util/pem.js';
import { toBase64 } from '../../src/util/bytes.js';
import { DSIG_NS } from '../../src/xades/dom.js';
import { canonicalSignedInfo, referenceDigestInputs } from '../../src/xades/xmldsig.js';
import { parseXml } from '../../src/xml/parse.js';
import { WorkBudget } from '../../src/util/work-budget.js';
import { fixture } from './fixtures.js';

export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** The base64 body of a fixture PEM certificate. */
export function certB64(name: string): string {
  return toBase64(derObjectsFrom(fixture(`pki/${name}.pem`), ['CERTIFICATE'])[0]!);
}

/** A ds:Reference with an empty DigestValue (filled by `signXml`). */
export function reference(uri: string, transforms: readonly string[], attrs = ''): string {
  const t = transforms.length ? `<ds:Transforms>${transforms.join('')}</ds:Transforms>` : '';
  return `<ds:Reference${attrs} URI="${uri}">${t}<ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue></ds:DigestValue></ds:Reference>`;
}

export const envelopedTransform = `<ds:Transform Algorithm="${ENVELOPED}"/>`;
export const excC14nTransform = (prefixList?: string) =>
  prefixList === undefined
    ? `<ds:Transform Algorithm="${EXC_C14N}"/>`
    : `<ds:Transform Algorithm="${EXC_C14N}"><ec:InclusiveNamespaces xmlns:ec="${EXC_C14N}" PrefixList="${prefixList}"/></ds:Transform>`;

/** A ds:Signature element (text) with the given references, KeyInfo certificates and ds:Object contents. */
export function signatureXml(opts: { readonly id?: string; readonly references: readonly string[]; readonly keyInfoCerts?: readonly string[]; readonly objects?: readonly string[] }): string {
  const ki = opts.keyInfoCerts?.length ? `<ds:KeyInfo><ds:X509Data>${opts.keyInfoCerts.map((c) => `<ds:X509Certificate>${c}</ds:X509Certificate>`).join('')}</ds:X509Data></ds:KeyInfo>` : '';
  return (
    `<ds:Signature xmlns:ds="${DSIG_NS}"${opts.id ? ` Id="${opts.id}"` : ''}><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${EXC_C14N}"/>` +
    `<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>${opts.references.join('')}</ds:SignedInfo>` +
    `<ds:SignatureValue></ds:SignatureValue>${ki}${(opts.objects ?? []).map((o) => `<ds:Object${o.startsWith(' ') ? '' : '>'}${o}</ds:Object>`).join('')}</ds:Signature>`
  );
}

/**
 * Fills every DigestValue of the (first) ds:Signature and its SignatureValue with the RSA key
 * of `keyName` (default kz-signer), and returns the serialized document. `detachedContent` serves
 * detached references while signing.
 */
export async function signXml(xml: string, opts: { readonly keyName?: string; readonly detachedContent?: Uint8Array; readonly signatureIndex?: number } = {}): Promise<string> {
  const doc = parseXml(xml);
  const sig = doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[opts.signatureIndex ?? 0]!;
  // The signer is not under attack: no work budget while signing.
  const inputs = await referenceDigestInputs(doc, sig, { detachedContent: opts.detachedContent, budget: new WorkBudget(Number.MAX_SAFE_INTEGER) });
  const si = sig.getElementsByTagNameNS(DSIG_NS, 'SignedInfo')[0]!;
  const dvs = Array.from(si.getElementsByTagNameNS(DSIG_NS, 'DigestValue'));
  for (let i = 0; i < dvs.length; i++) {
    if (!inputs[i]) throw new Error(`reference ${i} does not resolve while signing`);
    dvs[i]!.textContent = toBase64(new Uint8Array(await webcrypto.subtle.digest('SHA-256', inputs[i]!.slice())));
  }
  const pkcs8 = derObjectsFrom(fixture(`keys/${opts.keyName ?? 'kz-signer'}.key.pem`), ['PRIVATE KEY'])[0]!;
  const key = await webcrypto.subtle.importKey('pkcs8', pkcs8.slice(), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  const value = new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', key, canonicalSignedInfo(sig).slice()));
  sig.getElementsByTagNameNS(DSIG_NS, 'SignatureValue')[0]!.textContent = toBase64(value);
  return new XMLSerializer().serializeToString(doc as never);
}

/** ~`kb` KB of element content (items of ~100 bytes each). */
export function bulk(kb: number): string {
  const item = '<item n="x">Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</item>';
  return item.repeat(Math.ceil((kb * 1024) / item.length));
}
