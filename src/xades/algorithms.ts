import * as asn1js from 'asn1js';
import type { AlgorithmId } from '../crypto/algorithms.js';
import type { AlgorithmRegistry } from '../crypto/registry.js';
import { copyBytes } from '../util/bytes.js';
import { lookupTable } from '../util/table.js';

/** XML-DSig DigestMethod URIs (RFC 3275, RFC 6931) → digest OIDs. */
export const XML_DIGEST_OIDS: Readonly<Record<string, string>> = lookupTable({
  'http://www.w3.org/2001/04/xmldsig-more#md5': '1.2.840.113549.2.5',
  'http://www.w3.org/2000/09/xmldsig#sha1': '1.3.14.3.2.26',
  'http://www.w3.org/2001/04/xmldsig-more#sha224': '2.16.840.1.101.3.4.2.4',
  'http://www.w3.org/2001/04/xmlenc#sha256': '2.16.840.1.101.3.4.2.1',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': '2.16.840.1.101.3.4.2.2',
  'http://www.w3.org/2001/04/xmlenc#sha512': '2.16.840.1.101.3.4.2.3',
});

export interface XmlSignatureMethod {
  readonly oid: string;
  /** XML-DSig carries ECDSA as fixed-width r||s; the registry expects the DER Ecdsa-Sig-Value. */
  readonly ecdsaRaw?: boolean;
  /** RSASSA-PSS with MGF1 of the same hash (RFC 6931 2.3.10): parameters are built from these. */
  readonly pss?: { readonly hashOid: string; readonly saltLength: number };
}

const PKCS1 = '1.2.840.113549.1.1.';
const ECDSA = '1.2.840.10045.4.';
const PSS = '1.2.840.113549.1.1.10';

/** SignatureMethod URIs → what the AlgorithmRegistry verifies. HMAC is absent on purpose: it proves nothing about a signer. */
export const XML_SIGNATURE_METHODS: Readonly<Record<string, XmlSignatureMethod>> = lookupTable({
  'http://www.w3.org/2001/04/xmldsig-more#rsa-md5': { oid: PKCS1 + '4' },
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': { oid: PKCS1 + '5' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha224': { oid: PKCS1 + '14' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { oid: PKCS1 + '11' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { oid: PKCS1 + '12' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { oid: PKCS1 + '13' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1': { oid: ECDSA + '1', ecdsaRaw: true },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224': { oid: ECDSA + '3.1', ecdsaRaw: true },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': { oid: ECDSA + '3.2', ecdsaRaw: true },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': { oid: ECDSA + '3.3', ecdsaRaw: true },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': { oid: ECDSA + '3.4', ecdsaRaw: true },
  'http://www.w3.org/2007/05/xmldsig-more#sha1-rsa-MGF1': { oid: PSS, pss: { hashOid: '1.3.14.3.2.26', saltLength: 20 } },
  'http://www.w3.org/2007/05/xmldsig-more#sha224-rsa-MGF1': { oid: PSS, pss: { hashOid: '2.16.840.1.101.3.4.2.4', saltLength: 28 } },
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1': { oid: PSS, pss: { hashOid: '2.16.840.1.101.3.4.2.1', saltLength: 32 } },
  'http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1': { oid: PSS, pss: { hashOid: '2.16.840.1.101.3.4.2.2', saltLength: 48 } },
  'http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1': { oid: PSS, pss: { hashOid: '2.16.840.1.101.3.4.2.3', saltLength: 64 } },
  'http://www.w3.org/2021/04/xmldsig-more#eddsa-ed25519': { oid: '1.3.101.112' },
});

/**
 * What a SignatureMethod URI means: this table first, then the registry's providers (an optional provider,
 * e.g. GOST, names its own URIs). Undefined: nothing registered implements it. The table has no prototype
 * (lookupTable): a URI such as "constructor" finds nothing in it.
 */
export function xmlSignatureMethod(uri: string, registry: AlgorithmRegistry): XmlSignatureMethod | undefined {
  const known = XML_SIGNATURE_METHODS[uri];
  if (known) return known;
  const oid = registry.xmlSignatureMethod(uri);
  return oid ? { oid } : undefined;
}

/** The digest OID of a DigestMethod URI: this table first, then the registry's providers. */
export function xmlDigestOid(uri: string, registry: AlgorithmRegistry): string | undefined {
  return XML_DIGEST_OIDS[uri] ?? registry.xmlDigestMethod(uri);
}

/** Why a SignatureMethod / DigestMethod URI cannot be used: names the URI and what was consulted. */
export function unsupportedXmlAlgorithm(kind: 'SignatureMethod' | 'DigestMethod', uri: string, registry: AlgorithmRegistry): string {
  return `unsupported algorithm: ${kind} ${uri || '(no Algorithm)'}: no provider implements it (registered: ${registry.providerNames.join(', ')})`;
}

/** The AlgorithmIdentifier the registry understands for an XML SignatureMethod. */
export function signatureAlgorithmId(m: XmlSignatureMethod): AlgorithmId {
  if (!m.pss) return { oid: m.oid };
  const hashAlg = () => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: m.pss!.hashOid })] });
  const params = new asn1js.Sequence({
    value: [
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [hashAlg()] }),
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 1 },
        value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.1.8' }), hashAlg()] })],
      }),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 2 }, value: [new asn1js.Integer({ value: m.pss.saltLength })] }),
    ],
  });
  return { oid: m.oid, params: new Uint8Array(params.toBER(false)) };
}

/**
 * Fixed-width r||s (XML-DSig ECDSA) to a DER Ecdsa-Sig-Value; undefined when the length is odd.
 * Written directly (SEQUENCE of two minimal INTEGERs): on every XML signature verified, building
 * asn1js objects for it cost 15-30 us (the encoding is checked against asn1js's in test/xades-xmldsig.test.ts).
 */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array | undefined {
  if (raw.length === 0 || raw.length % 2 !== 0) return undefined;
  const half = raw.length / 2;
  // Each half as a minimal two's-complement positive INTEGER: leading zero octets dropped (one kept
  // for zero), one 0x00 put back when the first remaining octet has its high bit set.
  const bounds = (from: number, to: number) => {
    let i = from;
    while (i < to - 1 && raw[i] === 0) i++;
    return { start: i, end: to, pad: raw[i]! & 0x80 ? 1 : 0 };
  };
  const r = bounds(0, half);
  const s = bounds(half, raw.length);
  const intLength = (x: { start: number; end: number; pad: number }) => x.end - x.start + x.pad;
  const lengthOctets = (n: number) => (n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff]);
  const header = (n: number) => lengthOctets(n).length + 1;
  const rLen = intLength(r);
  const sLen = intLength(s);
  const body = header(rLen) + rLen + header(sLen) + sLen;
  const out = new Uint8Array(header(body) + body);
  let o = 0;
  const put = (octets: readonly number[]) => {
    for (const b of octets) out[o++] = b;
  };
  put([0x30, ...lengthOctets(body)]);
  for (const x of [r, s]) {
    put([0x02, ...lengthOctets(intLength(x))]);
    if (x.pad) out[o++] = 0;
    out.set(raw.subarray(x.start, x.end), o);
    o += x.end - x.start;
  }
  return out;
}

export const C14N_10 = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
export const C14N_10_COMMENTS = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments';
export const C14N_11 = 'http://www.w3.org/2006/12/xml-c14n11';
export const C14N_11_COMMENTS = 'http://www.w3.org/2006/12/xml-c14n11#WithComments';
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const EXC_C14N_COMMENTS = 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments';
export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const BASE64_TRANSFORM = 'http://www.w3.org/2000/09/xmldsig#base64';
export const XPATH_TRANSFORM = 'http://www.w3.org/TR/1999/REC-xpath-19991116';
export const XPATH_FILTER2 = 'http://www.w3.org/2002/06/xmldsig-filter2';

export interface C14nMethod {
  readonly exclusive: boolean;
  readonly withComments: boolean;
  /** C14N 1.1: xml:id not inherited by a subtree apex, only xml:lang/xml:space; under an inherited xml:base refused (src/xades/c14n.ts). */
  readonly v11: boolean;
}

/**
 * Canonicalization algorithm URI → method. Without a prototype: the URI is the signer's string, and in a plain
 * object "constructor", "toString" or "__proto__" would find Object.prototype's members (run as C14N 1.0).
 */
export const C14N_METHODS: Readonly<Record<string, C14nMethod>> = lookupTable({
  [C14N_10]: { exclusive: false, withComments: false, v11: false },
  [C14N_10_COMMENTS]: { exclusive: false, withComments: true, v11: false },
  [C14N_11]: { exclusive: false, withComments: false, v11: true },
  [C14N_11_COMMENTS]: { exclusive: false, withComments: true, v11: true },
  [EXC_C14N]: { exclusive: true, withComments: false, v11: false },
  [EXC_C14N_COMMENTS]: { exclusive: true, withComments: true, v11: false },
});
