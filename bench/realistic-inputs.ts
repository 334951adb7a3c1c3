/**
 * Inputs for the realistic workloads (bench/workloads.ts), generated from the
 * test PKI's keys at bench time, never committed in bulk:
 *
 * - distinct signers: N P-256 signer certificates issued by the KG test
 *   issuing CA (fixtures/keys/kg-ca.key.pem), each with its own key derived
 *   from a fixed seed (so certificates and keys are the same on every run;
 *   ECDSA signature values are not, node:crypto signs with a random k), and
 *   one CAdES-B attached signature by each (fixtures/lib/cms.ts);
 * - large CRLs: the KG issuing CA's CRL with N entries (none of them a bench
 *   signer), written with a minimal DER writer and signed with node:crypto.
 *
 * `tsx bench/realistic-inputs.ts DIR [N]` writes them to DIR to look at.
 */
import 'reflect-metadata';
import { createECDH, createHash, createPrivateKey, sign, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as x509 from '@peculiar/x509';
import * as pkijs from 'pkijs';
import { buildSignedData } from '../fixtures/lib/cms.js';
import { TestKey, P256 } from '../fixtures/lib/keys.js';
import type { IssuedCert } from '../fixtures/lib/pki.js';
import { parseCades } from '../src/cades/parse.js';
import type { VerifyOptions } from '../src/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const read = (rel: string): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(FIXTURES + rel));
const ORG = 'O=OTS Test PKI (NOT FOR PRODUCTION)';
const CA_SUBJECT = `C=KG, ${ORG}, CN=KG Test Issuing CA`;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' };

export function pemToDer(pem: Uint8Array): Uint8Array<ArrayBuffer> {
  const b64 = new TextDecoder().decode(pem).replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

export interface DistinctSigners {
  readonly signatures: Uint8Array[];
  /** The signers' certificates, in the same order. */
  readonly certificates: Uint8Array[];
  readonly rootPem: Uint8Array;
  /** The fixture CRLs of the KG CA and root (no entries): a fresh status for every certificate. */
  readonly caCrl: Uint8Array;
  readonly rootCrl: Uint8Array;
}

/** A P-256 key pair whose private scalar is sha256(seed): the same key on every run. */
async function seededKey(seed: string): Promise<{ pkcs8: Uint8Array; publicKey: CryptoKey; privateKey: CryptoKey }> {
  const d = createHash('sha256').update(seed).digest();
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const pub = ecdh.getPublicKey(); // 04 || x || y
  const jwk = { kty: 'EC', crv: 'P-256', x: pub.subarray(1, 33).toString('base64url'), y: pub.subarray(33).toString('base64url'), d: d.toString('base64url') };
  const privateKey = await webcrypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
  const { d: _d, ...pubJwk } = jwk;
  const publicKey = await webcrypto.subtle.importKey('jwk', pubJwk, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', privateKey));
  return { pkcs8, publicKey: publicKey as CryptoKey, privateKey: privateKey as CryptoKey };
}

/** The KG issuing CA as a signer of bench certificates (its fixture key). */
async function kgIssuer() {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const caPkcs8 = pemToDer(read('keys/kg-ca.key.pem'));
  const caKey = await webcrypto.subtle.importKey('pkcs8', caPkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const caCert = new x509.X509Certificate(pemToDer(read('pki/kg-ca.pem')));
  // The generator encodes the issuer from this string: it must name the fixture CA exactly.
  if (Buffer.compare(Buffer.from(new x509.Name(CA_SUBJECT).toArrayBuffer()), Buffer.from(caCert.subjectName.toArrayBuffer())) !== 0) throw new Error("KG CA subject differs from the generator's");
  const caIssued = { der: pemToDer(read('pki/kg-ca.pem')), pkijs: pkijs.Certificate.fromBER(pemToDer(read('pki/kg-ca.pem'))) } as unknown as IssuedCert;
  const aki = await x509.AuthorityKeyIdentifierExtension.create(await caCert.publicKey.export());
  return { caKey, caIssued, aki };
}

/** A P-256 signer certificate by the KG CA, its key seeded by `seed` (the same certificate on every run). */
async function issueSigner(caKey: CryptoKey, aki: x509.Extension, serial: string, cn: string, serialNumberAttr: string, seed: string) {
  const key = await seededKey(seed);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: `C=KG, ${ORG}, CN=${cn}, 2.5.4.5=${serialNumberAttr}`,
    issuer: CA_SUBJECT,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    publicKey: key.publicKey,
    signingKey: caKey,
    signingAlgorithm: ECDSA_SHA256,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.SubjectKeyIdentifierExtension.create(key.publicKey),
      aki,
    ],
  });
  return { der: new Uint8Array(cert.rawData), key };
}

export async function distinctSigners(count: number): Promise<DistinctSigners> {
  const signatures: Uint8Array[] = [];
  const certificates: Uint8Array[] = [];
  const { caKey, caIssued, aki } = await kgIssuer();
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(8, '0');
    const { der, key } = await issueSigner(caKey, aki, `7${n}`, `Bench Citizen ${n} TEST`, `PNOKG-${n}`, `ots-esig bench signer ${n}`);
    const issued = { der, pkijs: pkijs.Certificate.fromBER(der), key: new TestKey(`bench-${n}`, P256, key.pkcs8, key.publicKey) } as unknown as IssuedCert;
    const doc = new TextEncoder().encode(`bench document ${n}\n`);
    signatures.push(await buildSignedData({ content: doc, signers: [{ signer: issued }], certs: [issued, caIssued] }));
    certificates.push(der);
  }
  return { signatures, certificates, rootPem: read('pki/kg-root.pem'), caCrl: read('crl/current/kg-ca.crl'), rootCrl: read('crl/current/kg-root.crl') };
}

export interface DistinctXadesSigners {
  /** Enveloped XAdES-B documents, one per signer (UTF-8 XML). */
  readonly documents: Uint8Array[];
  readonly rootPem: Uint8Array;
  readonly caCrl: Uint8Array;
  readonly rootCrl: Uint8Array;
}

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const XADES_NS = 'http://uri.etsi.org/01903/v1.3.2#';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const XML_SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/**
 * N enveloped XAdES-BASELINE-B signatures (exclusive C14N, SHA-256, ECDSA P-256, SigningCertificateV2,
 * DataObjectFormat), each by its own KG citizen certificate (serials 8..., keys seeded like
 * distinctSigners') over its own small invoice document. Digests and SignedInfo go through the
 * library's reference processing and C14N (as fixtures/gen-xades.ts and the list signer do);
 * xadesjs, the peer, verifies them independently in the bench.
 */
export async function distinctXadesSigners(count: number): Promise<DistinctXadesSigners> {
  const { parseXml } = await import('../src/xml/parse.js');
  const { canonicalSignedInfo, referenceDigestInputs } = await import('../src/xades/xmldsig.js');
  const { XMLSerializer } = await import('@xmldom/xmldom');
  const { caKey, aki } = await kgIssuer();
  const caDer = pemToDer(read('pki/kg-ca.pem'));
  const caCert = new x509.X509Certificate(caDer);
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('base64');
  const documents: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(8, '0');
    const { der, key } = await issueSigner(caKey, aki, `8${n}`, `Bench XAdES Signer ${n} TEST`, `PNOKG-X${n}`, `ots-esig bench xades signer ${n}`);
    const cert = new x509.X509Certificate(der);
    // RFC 5035 IssuerSerial { GeneralNames [directoryName issuer], serial } for SigningCertificateV2.
    const issuerSerial = seq(seq(tlv(0xa4, [new Uint8Array(caCert.subjectName.toArrayBuffer())])), tlv(0x02, [hex(cert.serialNumber)]));
    const id = `sig-${n}`;
    const lines = Array.from({ length: 8 }, (_, k) => `<Line no="${k + 1}"><Item>Service ${k} for account ${n}</Item><Amount currency="KGS">${(i * 7 + k * 13) % 1000}.00</Amount></Line>`).join('');
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?><Invoice xmlns="urn:ots-esig:bench" Id="inv-${n}"><Number>${n}</Number><Issued>2026-05-15</Issued>` +
      `<Party role="seller"><Name>Bench Seller LLC</Name><TaxId>KG-${n}</TaxId></Party><Lines>${lines}</Lines></Invoice>`;
    const tmpl =
      `<ds:Signature xmlns:ds="${DS}" Id="${id}"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${EXC_C14N}"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>` +
      `<ds:Reference Id="${id}-ref" URI=""><ds:Transforms><ds:Transform Algorithm="${ENVELOPED}"/><ds:Transform Algorithm="${EXC_C14N}"/></ds:Transforms><ds:DigestMethod Algorithm="${XML_SHA256}"/><ds:DigestValue/></ds:Reference>` +
      `<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#${id}-sp"><ds:Transforms><ds:Transform Algorithm="${EXC_C14N}"/></ds:Transforms><ds:DigestMethod Algorithm="${XML_SHA256}"/><ds:DigestValue/></ds:Reference>` +
      `</ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${b64(der)}</ds:X509Certificate><ds:X509Certificate>${b64(caDer)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
      `<ds:Object><xades:QualifyingProperties xmlns:xades="${XADES_NS}" Target="#${id}"><xades:SignedProperties Id="${id}-sp"><xades:SignedSignatureProperties><xades:SigningTime>2026-05-15T10:00:00Z</xades:SigningTime>` +
      `<xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="${XML_SHA256}"/><ds:DigestValue>${sha256(der)}</ds:DigestValue></xades:CertDigest><xades:IssuerSerialV2>${b64(issuerSerial)}</xades:IssuerSerialV2></xades:Cert></xades:SigningCertificateV2></xades:SignedSignatureProperties>` +
      `<xades:SignedDataObjectProperties><xades:DataObjectFormat ObjectReference="#${id}-ref"><xades:MimeType>text/xml</xades:MimeType></xades:DataObjectFormat></xades:SignedDataObjectProperties>` +
      `</xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature>`;
    const doc = parseXml(xml);
    const sig = doc.importNode(parseXml(tmpl).documentElement, true) as Element;
    doc.documentElement.appendChild(sig);
    const digestValues = Array.from(sig.getElementsByTagNameNS(DS, 'DigestValue')).filter((e) => (e.parentNode as Element).localName === 'Reference');
    for (let r = 0; r < digestValues.length; r++) {
      const input = (await referenceDigestInputs(doc, sig))[r];
      if (!input) throw new Error(`bench XAdES reference ${r} does not resolve`);
      digestValues[r]!.textContent = sha256(input);
    }
    const privateKey = createPrivateKey({ key: Buffer.from(key.pkcs8), format: 'der', type: 'pkcs8' });
    const value = sign('sha256', canonicalSignedInfo(sig), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    sig.getElementsByTagNameNS(DS, 'SignatureValue')[0]!.textContent = value.toString('base64');
    documents.push(new TextEncoder().encode(new XMLSerializer().serializeToString(doc as never)));
  }
  return { documents, rootPem: read('pki/kg-root.pem'), caCrl: read('crl/current/kg-ca.crl'), rootCrl: read('crl/current/kg-root.crl') };
}

// --- a minimal DER writer (definite lengths), enough for a CRL of any size ---
function lengthOctets(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}
function tlv(tag: number, parts: readonly Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  return new Uint8Array(Buffer.concat([Uint8Array.from([tag, ...lengthOctets(body.length)]), body]));
}
const seq = (...p: Uint8Array[]) => tlv(0x30, p);
const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

/**
 * The KG issuing CA's CRL listing `entries` serial numbers (9-byte serials
 * 0x10..., none a fixture or bench signer's), every tenth with a reasonCode,
 * valid at the bench's validation time (thisUpdate 2026-05-01).
 */
export function largeCrl(entries: number): Uint8Array {
  const ca = new x509.X509Certificate(pemToDer(read('pki/kg-ca.pem')));
  const issuer = new Uint8Array(ca.subjectName.toArrayBuffer());
  const sigAlg = seq(tlv(0x06, [hex('2a8648ce3d040302')]));
  const list: Uint8Array[] = [];
  for (let i = 0; i < entries; i++) {
    const serial = tlv(0x02, [hex('10' + i.toString(16).padStart(16, '0'))]);
    const date = tlv(0x17, [ascii(`25${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}120000Z`)]);
    const ext = i % 10 === 0 ? [seq(seq(tlv(0x06, [hex('551d15')]), tlv(0x04, [tlv(0x0a, [Uint8Array.of(1)])])))] : [];
    list.push(seq(serial, date, ...ext));
  }
  const crlNumber = seq(tlv(0x06, [hex('551d14')]), tlv(0x04, [tlv(0x02, [Uint8Array.of(0x7f)])]));
  const tbs = seq(
    tlv(0x02, [Uint8Array.of(1)]),
    sigAlg,
    issuer,
    tlv(0x17, [ascii('260501000000Z')]),
    tlv(0x17, [ascii('260801000000Z')]),
    entries > 0 ? tlv(0x30, list) : new Uint8Array(0),
    tlv(0xa0, [seq(crlNumber)]),
  );
  const key = createPrivateKey({ key: Buffer.from(read('keys/kg-ca.key.pem')) });
  const signature = sign('sha256', tbs, { key, dsaEncoding: 'der' });
  return seq(tbs, sigAlg, tlv(0x03, [Uint8Array.of(0), new Uint8Array(signature)]));
}

if (process.argv[1]?.endsWith('realistic-inputs.ts')) {
  const dir = process.argv[2] ?? '.bench/inputs';
  const n = Number(process.argv[3] ?? 500);
  mkdirSync(dir, { recursive: true });
  const d = await distinctSigners(n);
  d.signatures.forEach((s, i) => writeFileSync(`${dir}/signer-${String(i).padStart(5, '0')}.p7s`, s));
  writeFileSync(`${dir}/kg-ca-1000.crl`, largeCrl(1000));
  writeFileSync(`${dir}/kg-ca-100000.crl`, largeCrl(100_000));
  console.log(`wrote ${n} signatures and two CRLs to ${dir}`);
}

/**
 * A CAdES-LT/LTA fixture with what the default policy needs to pass it (fixtures/ltv/manifest.json: anchors,
 * TSA anchors, the sample's CRLs and the root CRL, the manifest's validation time).
 */
export function ltvSample(id: 'cades-lt' | 'cades-lta'): { der: Uint8Array<ArrayBuffer>; options: { trustAnchors: Uint8Array[]; timestampAnchors: Uint8Array[]; crls: Uint8Array[]; validationTime: Date } } {
  const manifest = JSON.parse(readFileSync(FIXTURES + 'ltv/manifest.json', 'utf8')) as { trustAnchors: string[]; timestampAnchors: string[]; validationTime: string; samples: { id: string; file: string; crls: string[] }[] };
  const s = manifest.samples.find((x) => x.id === id)!;
  return {
    der: read(s.file),
    options: {
      trustAnchors: manifest.trustAnchors.map(read),
      timestampAnchors: manifest.timestampAnchors.map(read),
      crls: [...s.crls, 'crl/current/kz-root.crl'].map(read),
      validationTime: new Date(manifest.validationTime),
    },
  };
}

/**
 * DSS's dss916 (a 2 MB detached CAdES-LT with a 57,000-entry CRL) from the corpus, with the options its bench row
 * uses: anchored at its own embedded roots, judged an hour after its claimed signing time under the lenient
 * preset (the sample fails the strict profile for reasons of its own). Undefined when the corpus is absent.
 */
export function dss916Sample(corpus: string): { bytes: Uint8Array<ArrayBuffer>; options: VerifyOptions } | undefined {
  const file = join(corpus, 'dss/cades/dss916-qes-detached.p7s');
  const content = join(corpus, 'dss/detached-content/dss-916-test.txt');
  if (!existsSync(file) || !existsSync(content)) return undefined;
  const bytes = new Uint8Array(readFileSync(file));
  const sig = parseCades(bytes);
  const roots = sig.certificates.filter((c) => c.subject.key === c.issuer.key).map((c) => c.der);
  return {
    bytes,
    options: {
      trustAnchors: roots,
      timestampAnchors: roots,
      detachedContent: new Uint8Array(readFileSync(content)),
      validationTime: new Date(sig.signers[0]!.claimedSigningTime!.getTime() + 3600_000),
      policy: 'lenient',
    },
  };
}
