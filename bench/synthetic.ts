/**
 * Many distinct, correctly signed, self-signed CA certificates, fast: one
 * template made with @peculiar/x509, then per copy its own P-256 key
 * (SubjectPublicKeyInfo patched at its fixed width), its own
 * SubjectKeyIdentifier, its own notBefore/notAfter seconds, a fixed-width
 * serial and CN, and a signature with its own key (node:crypto). Nothing but
 * the issuer-independent boilerplate (C and O, algorithm identifiers,
 * basicConstraints, keyUsage) recurs, as in a real list of CA certificates,
 * so caches of recurring encodings are not flattered. Used for anchor-lookup
 * scaling and for a 5,000-certificate trusted list.
 */
import 'reflect-metadata';
import { createHash, generateKeyPairSync, sign, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { TRUST_LIST_JSON_KIND, trustedListToJson } from '../src/trust/json.js';
import { concatBytes } from '../src/util/bytes.js';
import type { TrustedList, TrustService } from '../src/trust/model.js';

const DIGITS = 8;
const MARK = '9'.repeat(DIGITS);
const NOT_BEFORE = Date.parse('2025-01-01T00:00:00Z');
const NOT_AFTER = Date.parse('2035-01-01T00:00:00Z');

export async function syntheticCaCertificates(count: number): Promise<Uint8Array[]> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const template = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01' + MARK,
    name: `CN=Bench Anchor ${MARK}, O=Bench TSP, C=KZ`,
    notBefore: new Date(NOT_BEFORE),
    notAfter: new Date(NOT_AFTER),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const der = new Uint8Array(template.rawData);
  // Outer SEQUENCE header, then TBS TLV, then signatureAlgorithm TLV.
  const outerHdr = headerLength(der, 0);
  const tbsStart = outerHdr;
  const tbsEnd = tbsStart + headerLength(der, tbsStart) + contentLength(der, tbsStart);
  const algEnd = tbsEnd + headerLength(der, tbsEnd) + contentLength(der, tbsEnd);
  const tbsTemplate = der.slice(tbsStart, tbsEnd);
  const sigAlg = der.slice(tbsEnd, algEnd);
  const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', keys.publicKey));
  const ski = hexBytes(template.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId);
  const at = {
    serial: indexOf(tbsTemplate, hexBytes('01' + MARK), 0),
    cn: [indexOf(tbsTemplate, ascii(MARK), 0)],
    notBefore: indexOf(tbsTemplate, ascii(utcTime(NOT_BEFORE)), 0),
    notAfter: indexOf(tbsTemplate, ascii(utcTime(NOT_AFTER)), 0),
    spki: indexOf(tbsTemplate, spki, 0),
    ski: indexOf(tbsTemplate, ski, 0),
  };
  at.cn.push(indexOf(tbsTemplate, ascii(MARK), at.cn[0]! + 1)); // issuer and subject both carry the CN
  if (Object.values(at).flat().some((i) => i < 0)) throw new Error('template fields not found');

  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const tbs = tbsTemplate.slice();
    const n = String(i).padStart(DIGITS, '0');
    tbs.set(hexBytes('01' + n), at.serial);
    for (const a of at.cn) tbs.set(ascii(n), a);
    // Distinct seconds per certificate; UTCTime keeps its width (13 characters).
    tbs.set(ascii(utcTime(NOT_BEFORE + i * 1000)), at.notBefore);
    tbs.set(ascii(utcTime(NOT_AFTER + i * 7000)), at.notAfter);
    // Its own key: a P-256 SubjectPublicKeyInfo (uncompressed point) is always 91 bytes.
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ownSpki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    if (ownSpki.length !== spki.length) throw new Error('unexpected SubjectPublicKeyInfo width');
    tbs.set(ownSpki, at.spki);
    // RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits (the 65-byte point).
    tbs.set(createHash('sha1').update(ownSpki.subarray(ownSpki.length - 65)).digest(), at.ski);
    const sig = new Uint8Array(sign('sha256', tbs, privateKey));
    const bitString = tlv(0x03, concatBytes([new Uint8Array([0]), sig]));
    out.push(tlv(0x30, concatBytes([tbs, sigAlg, bitString])));
  }
  return out;
}

function utcTime(ms: number): string {
  return new Date(ms).toISOString().replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*$/, '$1$2$3$4$5$6Z');
}

/** A JSON trusted list (the form src/trust/json.ts reads) with one CA/QC service per certificate. */
export function trustedListJson(certs: readonly Uint8Array[]): string {
  const services: TrustService[] = certs.map((c, i) => ({
    type: 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC',
    name: `Bench CA ${i}`,
    identity: { certificates: [Buffer.from(c).toString('base64')], subjectNames: [], skis: [] },
    status: 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted',
    statusStartingTime: '2025-01-01T00:00:00Z',
    additionalServiceInformation: ['http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures'],
    qualifiers: [],
    history: [],
  }));
  const list: TrustedList = {
    id: 'KZ:TL',
    test: true,
    scheme: {
      version: 5,
      sequenceNumber: 1,
      type: 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric',
      operatorName: 'Bench operator',
      schemeName: 'KZ: bench list',
      territory: 'KZ',
      statusDeterminationApproach: 'http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/EUappropriate',
      schemeTypeCommunityRules: ['urn:ots-esig:schemerules:TEST'],
      schemeInformationUris: [],
      policyOrLegalNotice: null,
      historicalInformationPeriod: 65535,
      issueDate: '2026-01-01T00:00:00Z',
      nextUpdate: '2026-12-01T00:00:00Z',
      distributionPoints: [],
      pointers: [],
    },
    providers: [{ name: 'Bench TSP', tradeNames: [], services }],
  };
  const json = trustedListToJson(list);
  if (json.kind !== TRUST_LIST_JSON_KIND) throw new Error('unexpected JSON kind');
  return JSON.stringify(json);
}

// --- DER writing helpers (encoding only; all reading in the library is asn1js) ---

function headerLength(b: Uint8Array, at: number): number {
  const l = b[at + 1]!;
  return l < 0x80 ? 2 : 2 + (l & 0x7f);
}
function contentLength(b: Uint8Array, at: number): number {
  const l = b[at + 1]!;
  if (l < 0x80) return l;
  let n = 0;
  for (let i = 0; i < (l & 0x7f); i++) n = n * 256 + b[at + 2 + i]!;
  return n;
}
function tlv(tag: number, content: Uint8Array): Uint8Array {
  const len = content.length;
  const lenBytes = len < 0x80 ? [len] : len < 0x100 ? [0x81, len] : [0x82, len >> 8, len & 0xff];
  return concatBytes([new Uint8Array([tag, ...lenBytes]), content]);
}
function ascii(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
function hexBytes(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h, 'hex'));
}
function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
