/**
 * Many distinct, correctly signed CA certificates, fast: one template made
 * with @peculiar/x509, then per copy a fixed-width serial and CN patched into
 * the TBS bytes and a fresh ECDSA signature over them (node:crypto). Used for
 * anchor-lookup scaling and for a 5,000-certificate trusted list.
 */
import 'reflect-metadata';
import { sign, type KeyObject } from 'node:crypto';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { KeyObject as KO } from 'node:crypto';
import { TRUST_LIST_JSON_KIND, trustedListToJson } from '../src/trust/json.js';
import type { TrustedList, TrustService } from '../src/trust/model.js';

const DIGITS = 8;
const MARK = '9'.repeat(DIGITS);

export async function syntheticCaCertificates(count: number): Promise<Uint8Array[]> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const template = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01' + MARK,
    name: `CN=Bench Anchor ${MARK}, O=Bench TSP, C=KZ`,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2035-01-01T00:00:00Z'),
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  const der = new Uint8Array(template.rawData);
  const privateKey: KeyObject = KO.from(keys.privateKey as unknown as webcrypto.CryptoKey);
  // Outer SEQUENCE header, then TBS TLV, then signatureAlgorithm TLV.
  const outerHdr = headerLength(der, 0);
  const tbsStart = outerHdr;
  const tbsEnd = tbsStart + headerLength(der, tbsStart) + contentLength(der, tbsStart);
  const algEnd = tbsEnd + headerLength(der, tbsEnd) + contentLength(der, tbsEnd);
  const tbsTemplate = der.slice(tbsStart, tbsEnd);
  const sigAlg = der.slice(tbsEnd, algEnd);
  const serialAt = indexOf(tbsTemplate, hexBytes('01' + MARK), 0);
  const cnAt = [indexOf(tbsTemplate, ascii(MARK), 0)];
  cnAt.push(indexOf(tbsTemplate, ascii(MARK), cnAt[0]! + 1)); // issuer and subject both carry the CN
  if (serialAt < 0 || cnAt.some((i) => i < 0)) throw new Error('template fields not found');

  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const tbs = tbsTemplate.slice();
    const n = String(i).padStart(DIGITS, '0');
    tbs.set(hexBytes('01' + n), serialAt);
    for (const at of cnAt) tbs.set(ascii(n), at);
    const sig = new Uint8Array(sign('sha256', tbs, privateKey));
    const bitString = tlv(0x03, concat(new Uint8Array([0]), sig));
    out.push(tlv(0x30, concat(tbs, sigAlg, bitString)));
  }
  return out;
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
  return concat(new Uint8Array([tag, ...lenBytes]), content);
}
function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
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
