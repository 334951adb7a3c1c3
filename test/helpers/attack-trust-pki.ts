/**
 * Minting hostile inputs at test time from the fixture test PKI (fixtures/keys, fixtures/pki):
 * certificates issued by a fixture CA's key (with chosen SKI, EKU, policies), CAdES signatures
 * (fixtures/lib/cms.ts), RFC 3161 tokens and signature time-stamps, and caller-trusted JSON
 * trusted lists. Nothing is written to disk.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { buildSignedData } from '../../fixtures/lib/cms.js';
import { loadOrCreateKey, P256, RSA2048, RSA3072, type KeyAlg, type TestKey } from '../../fixtures/lib/keys.js';
import type { CertSpec, IssuedCert } from '../../fixtures/lib/pki.js';
import { fixture } from './fixtures.js';

x509.cryptoProvider.set(globalThis.crypto);

const subtle = globalThis.crypto.subtle;
const ab = (u: Uint8Array): ArrayBuffer => u.slice().buffer;
const sha256 = async (b: Uint8Array) => new Uint8Array(await subtle.digest('SHA-256', b.slice()));

/** Key algorithms of the fixture keys used here (fixtures/lib/pki.ts COUNTRIES). */
const KEY_ALG: Record<string, KeyAlg> = {
  'kz-root': RSA3072,
  'kz-ca': RSA2048,
  'kz-signer': RSA2048,
  'kz-signer-revoked': RSA2048,
  'kz-tsa': RSA2048,
  'untrusted-tsa': RSA2048,
  'az-root': RSA2048,
  'az-ca': RSA2048,
  'az-signer': RSA2048,
  'kg-root': P256,
  'kg-ca': P256,
  'kg-signer': P256,
  'uz-ca': RSA2048,
};

async function key(name: string): Promise<TestKey> {
  const alg = KEY_ALG[name];
  if (!alg) throw new Error(`attack-pki: no key algorithm recorded for ${name}`);
  return loadOrCreateKey(name, alg);
}

function issued(der: Uint8Array, k: TestKey): IssuedCert {
  const cert = new x509.X509Certificate(ab(der));
  const spec = { name: k.name, key: k.alg, subject: cert.subject, serial: cert.serialNumber, notBefore: cert.notBefore, notAfter: cert.notAfter, profile: 'signer' } as CertSpec;
  return { spec, key: k, cert, der, pkijs: pkijs.Certificate.fromBER(ab(der)) };
}

/** A committed fixture certificate (fixtures/<path>) with its fixture key. */
export async function fixtureCert(path: string, keyName: string): Promise<IssuedCert> {
  const pem = new TextDecoder().decode(fixture(path));
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return issued(new Uint8Array(Buffer.from(b64, 'base64')), await key(keyName));
}

export interface MintOptions {
  readonly subject: string;
  readonly issuer: IssuedCert;
  /** Fixture key the new certificate carries (the attacker holds it). */
  readonly keyOf: string;
  readonly serial: string;
  readonly ca?: boolean;
  readonly timeStamping?: boolean;
  /** SubjectKeyIdentifier to write instead of the key's own (hex). */
  readonly ski?: string;
  readonly extensions?: readonly x509.Extension[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/** A certificate signed by `issuer`'s fixture key. */
export async function mint(o: MintOptions): Promise<IssuedCert> {
  const k = await key(o.keyOf);
  const exts: x509.Extension[] = [];
  if (o.ca) {
    exts.push(new x509.BasicConstraintsExtension(true, undefined, true));
    exts.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true));
  } else {
    exts.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true));
  }
  if (o.timeStamping) exts.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.timeStamping], true));
  exts.push(o.ski ? new x509.SubjectKeyIdentifierExtension(o.ski) : await x509.SubjectKeyIdentifierExtension.create(k.publicKey));
  exts.push(await x509.AuthorityKeyIdentifierExtension.create(o.issuer.key.publicKey));
  exts.push(...(o.extensions ?? []));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: o.serial,
    subject: o.subject,
    issuer: o.issuer.cert.subject,
    notBefore: o.notBefore ?? new Date('2025-01-01T00:00:00Z'),
    notAfter: o.notAfter ?? new Date('2029-01-01T00:00:00Z'),
    publicKey: k.publicKey,
    signingKey: await o.issuer.key.signingKey('SHA-256'),
    signingAlgorithm: o.issuer.key.signingAlgorithm('SHA-256'),
    extensions: exts,
  });
  return issued(new Uint8Array(cert.rawData), k);
}

/** The hex SKI of a certificate. */
export function skiOf(c: IssuedCert): string {
  const e = c.cert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (!e) throw new Error(`${c.cert.subject} has no SKI`);
  return e.keyId;
}

export const CONTENT = new TextEncoder().encode('attack test document\n');

/** CAdES-B (attached) by `signer`, embedding `certs`. */
export function cades(signer: IssuedCert, certs: readonly IssuedCert[], signingTime = new Date('2026-01-10T10:00:00Z')): Promise<Uint8Array> {
  return buildSignedData({ content: CONTENT, signers: [{ signer, signingTime }], certs: [signer, ...certs] });
}

const OID_TST_INFO = '1.2.840.113549.1.9.16.1.4';
const OID_SIGNATURE_TIME_STAMP = '1.2.840.113549.1.9.16.2.14';

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** An RFC 3161 TimeStampToken by `tsa` over `data` at `genTime`, carrying `certs` (the TSA's first). */
export async function timestampToken(tsa: IssuedCert, data: Uint8Array, genTime: Date, certs: readonly IssuedCert[] = []): Promise<Uint8Array> {
  const tst = new pkijs.TSTInfo({
    version: 1,
    policy: '1.3.6.1.4.1.99999.2.99',
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.1' }),
      hashedMessage: new asn1js.OctetString({ valueHex: ab(await sha256(data)) }),
    }),
    serialNumber: new asn1js.Integer({ value: Math.floor(genTime.getTime() / 1000) % 1_000_000 }),
    genTime,
  });
  const tstDer = new Uint8Array(tst.toSchema().toBER(false));
  const issuerSerial = new pkijs.IssuerSerial({
    issuer: new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: tsa.pkijs.issuer })] }),
    serialNumber: tsa.pkijs.serialNumber,
  });
  const essCertId = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: ab(await sha256(tsa.der)) }), issuerSerial.toSchema()] });
  const attrs = [
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: OID_TST_INFO })] }),
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: ab(await sha256(tstDer)) })] }),
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.16.2.47', values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] })] }),
  ]
    .map((a) => ({ a, der: new Uint8Array(a.toSchema().toBER()) }))
    .sort((x, y) => compare(x.der, y.der))
    .map((x) => x.a);
  const sd = new pkijs.SignedData({
    version: 3,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID_TST_INFO, eContent: new asn1js.OctetString({ valueHex: ab(tstDer) }) }),
    certificates: [tsa.pkijs, ...certs.map((c) => c.pkijs)],
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: tsa.pkijs.issuer, serialNumber: tsa.pkijs.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs }),
      }),
    ],
  });
  await sd.sign(await tsa.key.signingKey('SHA-256'), 0, 'SHA-256');
  return new Uint8Array(new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: sd.toSchema(true) }).toSchema().toBER(false));
}

/** Adds a signature time-stamp by `tsa` at `genTime` to the first SignerInfo of a CAdES signature. */
export async function withSignatureTimestamp(cms: Uint8Array, tsa: IssuedCert, genTime: Date, tsaCerts: readonly IssuedCert[] = []): Promise<Uint8Array> {
  const ci = pkijs.ContentInfo.fromBER(ab(cms));
  const sd = new pkijs.SignedData({ schema: ci.content });
  const si = sd.signerInfos[0]!;
  const token = await timestampToken(tsa, new Uint8Array(si.signature.valueBlock.valueHexView), genTime, tsaCerts);
  si.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 1,
    attributes: [new pkijs.Attribute({ type: OID_SIGNATURE_TIME_STAMP, values: [asn1js.fromBER(ab(token)).result] })],
  });
  return new Uint8Array(new pkijs.ContentInfo({ contentType: ci.contentType, content: sd.toSchema(true) }).toSchema().toBER(false));
}

const SVC = 'http://uri.etsi.org/TrstSvc/Svctype/';
const STATUS = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/';

export interface ServiceSpec {
  readonly name: string;
  /** Short type, e.g. `CA/QC`, `TSA/QTST`. */
  readonly type: string;
  /** Short status, e.g. `granted`, `withdrawn`. */
  readonly status: string;
  readonly since?: string;
  readonly certificates?: readonly IssuedCert[];
  readonly skis?: readonly string[];
  readonly subjectNames?: readonly string[];
  /** Older statuses, newest first. */
  readonly history?: readonly { readonly type?: string; readonly status: string; readonly since: string }[];
}

/** A caller-trusted JSON trusted list (trust-list.schema.json) of `territory` with one provider. */
export function jsonList(territory: string, services: readonly ServiceSpec[], o: { readonly nextUpdate?: string; readonly seq?: number } = {}): string {
  const asService = (s: ServiceSpec) => ({
    type: `${SVC}${s.type}`,
    name: s.name,
    identity: {
      certificates: (s.certificates ?? []).map((c) => Buffer.from(c.der).toString('base64')),
      subjectNames: s.subjectNames ?? [],
      skis: s.skis ?? [],
    },
    status: `${STATUS}${s.status}`,
    statusStartingTime: s.since ?? '2024-01-01T00:00:00Z',
    additionalServiceInformation: [],
    qualifiers: [],
    history: (s.history ?? []).map((h) => ({
      type: `${SVC}${h.type ?? s.type}`,
      name: s.name,
      status: `${STATUS}${h.status}`,
      statusStartingTime: h.since,
      additionalServiceInformation: [],
      qualifiers: [],
    })),
  });
  return JSON.stringify({
    kind: 'ots-esig/trusted-list',
    jsonVersion: 1,
    id: `${territory}:ATTACK`,
    test: true,
    scheme: {
      version: 6,
      sequenceNumber: o.seq ?? 1,
      type: `http://uri.etsi.org/TrstSvc/TrustedList/TSLType/${territory}list`,
      operatorName: `${territory} attack test operator`,
      territory,
      issueDate: '2026-04-01T00:00:00Z',
      nextUpdate: o.nextUpdate ?? '2027-10-01T00:00:00Z',
    },
    providers: [{ name: `${territory} attack test TSP`, services: services.map(asService) }],
  });
}

/**
 * An empty CRL of `issuer` (a CA minted at test time), current from 2026-05-01 to 2039-06-01: the status the
 * default policy requires for the certificates it issued.
 */
export async function emptyCrl(issuer: IssuedCert): Promise<Uint8Array> {
  const c = await x509.X509CrlGenerator.create({
    issuer: issuer.cert.subject,
    thisUpdate: new Date('2026-05-01T00:00:00Z'),
    nextUpdate: new Date('2039-06-01T00:00:00Z'),
    signingKey: await issuer.key.signingKey('SHA-256'),
    signingAlgorithm: issuer.key.signingAlgorithm('SHA-256'),
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(issuer.key.publicKey), new x509.Extension('2.5.29.20', false, new Uint8Array([0x02, 0x01, 0x01]))],
  });
  return new Uint8Array(c.rawData);
}
