/**
 * "Signed bytes intact": the fuzz oracle's definition of when a mutated input
 * may still legitimately be TOTAL-PASSED. It is computed from the *mutated*
 * input, independently of the validator's verdict, and compared with the
 * tuples of the unmutated valid samples.
 *
 * CAdES (per SignerInfo): the DER of the signed attributes (or none), the
 *   signature value, the signed content (eContent, else the detached content),
 *   and the DER of the signing certificate the report names — which must be
 *   present in the mutated SignedData or the caller's certificates. Everything
 *   else (unsigned attributes, unused certificates, algorithm identifiers that
 *   the signature does not cover, BER/DER framing of unsigned parts) may change.
 * XAdES (per ds:Signature): the canonical ds:SignedInfo octets, the decoded
 *   SignatureValue, the signing certificate, and for every ds:Reference the
 *   octets it digests *and where they come from* (the XPath of the covered
 *   element — relative to the ds:Signature when inside it, since moving the
 *   whole enveloped signature elsewhere changes nothing signed — or the
 *   detached name), so a moved/wrapped signed element is never "intact" even
 *   though its digest still matches.
 */
import { createPublicKey, verify as nodeVerify, X509Certificate } from 'node:crypto';
import { parseCades } from '../../src/cades/parse.js';
import { DIGEST_OIDS } from '../../src/crypto/algorithms.js';
import { detectInput } from '../../src/detect.js';
import type { SignatureReport, VerifyOptions } from '../../src/index.js';
import { loadCertificates } from '../../src/validation/options.js';
import { toBytes, toHex } from '../../src/util/bytes.js';
import { parseXml } from '../../src/xml/parse.js';
import { findSignatures } from '../../src/xades/validate.js';
import { canonicalSignedInfo, verifyXmlSignature, keyInfoCertificates } from '../../src/xades/xmldsig.js';
import { xpathOf, DSIG_NS, child } from '../../src/xades/dom.js';
import type { ParsedCertificate } from '../../src/pki/certificate.js';
import { allNodes, parseTlv, serialize } from './tlv.js';
import { embeddedCertificates } from './seeds-extra.js';

async function sha256(b: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>)));
}

/** The signed tuple of one signature report's signature in `input`, or undefined when it cannot be established. */
export async function signedTupleKey(input: Uint8Array, report: SignatureReport, options: VerifyOptions): Promise<string | undefined> {
  if (!report.signer) return undefined;
  try {
    const detected = detectInput(input);
    if (detected.kind === 'cms') return await cadesTuple(detected.der, report, options);
    return await xadesTuple(detected.bytes, report, options);
  } catch (e) {
    if (process.env.OTS_FUZZ_DEBUG) console.error('oracle:', e);
    return undefined;
  }
}

function callerCertificates(options: VerifyOptions): ParsedCertificate[] {
  return [...(options.trustAnchors ?? []), ...(options.intermediates ?? [])].flatMap((c) => loadCertificates(c));
}

async function cadesTuple(der: Uint8Array, report: SignatureReport, options: VerifyOptions): Promise<string | undefined> {
  const m = /^signerInfo\[(\d+)\]$/.exec(report.id);
  if (!m) return undefined;
  const sig = parseCades(der);
  const si = sig.signers[Number(m[1])];
  if (!si) return undefined;
  const certs = [...sig.certificates, ...callerCertificates(options)];
  let signerDer: Uint8Array | undefined;
  for (const c of certs) if ((await sha256(c.der)) === report.signer!.sha256) signerDer = c.der;
  // Or anywhere else in the input (CAdES-LT certValues, a time-stamp token's certificates).
  if (!signerDer) signerDer = await findEmbedded(der, report.signer!.sha256);
  if (!signerDer) return undefined;
  const content = sig.eContent ?? (options.detachedContent ? toBytes(options.detachedContent) : new Uint8Array());
  return [
    'cades',
    await sha256(si.signedAttributesDer ?? new Uint8Array()),
    await sha256(si.signatureValue),
    await sha256(content),
    await sha256(signerDer),
  ].join(':');
}

async function xadesTuple(xml: Uint8Array, report: SignatureReport, options: VerifyOptions): Promise<string | undefined> {
  const doc = parseXml(xml);
  const sigs = findSignatures(doc);
  const byId = /^Signature\[@Id='(.*)'\]$/.exec(report.id);
  const byIndex = /^Signature\[(\d+)\]$/.exec(report.id);
  const matches = byId ? sigs.filter((s) => s.getAttribute('Id') === byId[1]) : byIndex ? [sigs[Number(byIndex[1])]] : [];
  if (matches.length !== 1 || !matches[0]) return undefined;
  const sigEl = matches[0];
  const problems: string[] = [];
  const certs = [...keyInfoCertificates(child(sigEl, DSIG_NS, 'KeyInfo'), problems), ...callerCertificates(options)];
  let signer: ParsedCertificate | undefined;
  for (const c of certs) if ((await sha256(c.der)) === report.signer!.sha256) signer = c;
  // The validator identifies the signer by the signed SigningCertificate digest among every certificate the
  // document carries (CertificateValues too, or wherever a mutation moved KeyInfo's X509Data): so does the oracle.
  if (!signer) {
    for (const der of embeddedCertificates(xml, true)) {
      if ((await sha256(der)) !== report.signer!.sha256) continue;
      try {
        signer = loadCertificates(der)[0];
      } catch {
        /* unreadable copy */
      }
    }
  }
  if (!signer) return undefined;
  const detached = (options as { detachedFiles?: Record<string, Uint8Array> }).detachedFiles;
  const res = await verifyXmlSignature(doc, sigEl, {
    key: signer,
    detachedContent: detached ? new Map(Object.entries(detached)) : options.detachedContent ? toBytes(options.detachedContent) : undefined,
  });
  // Compared decoded: base64 spelling (whitespace, padding) is not signed and not part of the value.
  const sv = Buffer.from(child(sigEl, DSIG_NS, 'SignatureValue')?.textContent ?? '', 'base64');
  const parts = ['xades', await sha256(canonicalSignedInfo(sigEl)), await sha256(sv), await sha256(signer.der)];
  for (const r of res.references) {
    if (!r.digestInput) return undefined;
    const where = r.covered.element ? locate(sigEl, r.covered.element) : `${r.covered.kind}:${r.uri ?? ''}`;
    parts.push(`${where}=${await sha256(r.digestInput)}`);
  }
  return parts.join(':');
}

/** Where a covered element is: an element-only path from the signature when inside it, else its document XPath. */
function locate(signature: Element, el: Element): string {
  // An enveloping ds:Object of this very signature, referenced by its Id: which place it has among the
  // signature's Objects is not signed and not what a consumer resolves (the report names it by Id).
  if (el.parentNode === signature && el.namespaceURI === DSIG_NS && el.localName === 'Object' && el.getAttribute('Id')) return `signature:ds:Object#${el.getAttribute('Id')}`;
  const steps: string[] = [];
  for (let n: Node | null = el; n; n = n.parentNode) {
    if (n === signature) return `signature:/${steps.join('/')}`;
    if (n.nodeType !== 1) break;
    const e = n as Element;
    let k = 1;
    for (let c = e.previousSibling; c; c = c.previousSibling) if (c.nodeType === 1 && (c as Element).localName === e.localName && (c as Element).namespaceURI === e.namespaceURI) k++;
    // Likewise the order of the signature's own ds:Objects (e.g. the one holding QualifyingProperties) is not signed.
    const anyObject = e.parentNode === signature && e.namespaceURI === DSIG_NS && e.localName === 'Object';
    steps.unshift(`{${e.namespaceURI ?? ''}}${e.localName}[${anyObject ? '*' : k}]`);
  }
  return xpathOf(el);
}

/** A DER element of `der` whose SHA-256 is `sha256Hex` (certificates are SEQUENCEs of a few hundred bytes or more). */
async function findEmbedded(der: Uint8Array, sha256Hex: string): Promise<Uint8Array | undefined> {
  const root = parseTlv(der);
  if (root) {
    for (const { node } of allNodes(root)) {
      if (node.tag[0] !== 0x30 || !node.children || node.children.length < 3) continue;
      const bytes = serialize(node);
      if (bytes.length >= 200 && (await sha256(bytes)) === sha256Hex) return bytes;
    }
  }
  // The outer structure may be broken while a certificate inside is intact: try every `30 82 LL LL`.
  for (let i = 0; i + 4 < der.length; i++) {
    if (der[i] !== 0x30 || der[i + 1] !== 0x82) continue;
    const end = i + 4 + ((der[i + 2]! << 8) | der[i + 3]!);
    if (end > der.length) continue;
    const bytes = der.subarray(i, end);
    if ((await sha256(bytes)) === sha256Hex) return bytes;
  }
  return undefined;
}

/**
 * The signed data of a CAdES signer *without* its signature value: signed
 * attributes, content and signing certificate. A mutation can produce a
 * genuine signature that is no valid sample's: it flips back the bit that made
 * a negative fixture (two-signers-one-bad), or grafts a fixture's SignerInfo
 * that failed only under its own options (a revoking CRL) into a seed whose
 * options accept it. Such an input passes legitimately. It is accepted by the
 * harness only when (a) its signed data equals that of a fixture signer and
 * (b) the signature value verifies under the signer's key with Node's own
 * crypto — code independent of the library's verification path.
 */
export async function cadesSignedDataKey(input: Uint8Array, report: SignatureReport, options: VerifyOptions): Promise<string | undefined> {
  const k = await signedTupleKey(input, report, options);
  if (!k?.startsWith('cades:')) return undefined;
  const [, attrs, , content, cert] = k.split(':');
  return `cades-data:${attrs}:${content}:${cert}`;
}

export async function independentlyVerified(input: Uint8Array, report: SignatureReport, options: VerifyOptions): Promise<boolean> {
  try {
    const detected = detectInput(input);
    if (detected.kind !== 'cms' || !report.signer) return false;
    const m = /^signerInfo\[(\d+)\]$/.exec(report.id);
    const sig = parseCades(detected.der);
    const si = m ? sig.signers[Number(m[1])] : undefined;
    if (!si?.signedAttributesDer) return false;
    const certDer = [...sig.certificates.map((c) => c.der), ...callerCertificates(options).map((c) => c.der)];
    let signer: Uint8Array | undefined;
    for (const c of certDer) if ((await sha256(c)) === report.signer.sha256) signer = c;
    signer ??= await findEmbedded(detected.der, report.signer.sha256);
    if (!signer) return false;
    const hash = DIGEST_OIDS[si.digestAlgorithm.oid];
    if (!hash) return false;
    const key = createPublicKey(new X509Certificate(signer).publicKey.export({ type: 'spki', format: 'pem' }));
    return nodeVerify(hash.replace('-', '').toLowerCase(), si.signedAttributesDer, key, si.signatureValue);
  } catch {
    return false;
  }
}
