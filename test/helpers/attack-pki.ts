/**
 * Attack inputs minted at test time from the committed test PKI (fixtures/pki, fixtures/ltv/pki and their
 * private keys in fixtures/keys, which are public): certificates, OCSP responses, CRLs, CAdES signatures
 * and RFC 3161 time-stamp tokens with every knob an attacker controls (times, hashes, which key signs).
 * Nothing is written to disk. Every fixture key used here is RSA (RSASSA-PKCS1-v1_5).
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { fixture } from './fixtures.js';

x509.cryptoProvider.set(globalThis.crypto);
const subtle = globalThis.crypto.subtle;

export type Hash = 'SHA-1' | 'SHA-256';
const HASH_OID: Record<Hash, string> = { 'SHA-1': '1.3.14.3.2.26', 'SHA-256': '2.16.840.1.101.3.4.2.1' };
const RSA_WITH: Record<Hash, string> = { 'SHA-1': '1.2.840.113549.1.1.5', 'SHA-256': '1.2.840.113549.1.1.11' };

export const OIDS = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStamp: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  kpOcspSigning: '1.3.6.1.5.5.7.3.9',
} as const;

const ab = (u: Uint8Array): ArrayBuffer => u.slice().buffer as ArrayBuffer;
const pemBody = (pem: string, label: string) =>
  Uint8Array.from(Buffer.from(pem.split(`-----BEGIN ${label}-----`)[1]!.split(`-----END ${label}-----`)[0]!.replace(/\s+/g, ''), 'base64'));

/** A certificate together with the private key of its subject. */
export interface Actor {
  readonly der: Uint8Array;
  readonly pem: string;
  readonly x: x509.X509Certificate;
  readonly pkijs: pkijs.Certificate;
  readonly pkcs8: Uint8Array;
  readonly publicKey: CryptoKey;
}

export function signingKey(a: Pick<Actor, 'pkcs8'>, hash: Hash = 'SHA-256'): Promise<CryptoKey> {
  return subtle.importKey('pkcs8', a.pkcs8.slice(), { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['sign']);
}

async function sign(a: Pick<Actor, 'pkcs8'>, hash: Hash, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle.sign('RSASSA-PKCS1-v1_5', await signingKey(a, hash), data.slice()));
}

export async function digest(hash: Hash, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle.digest(hash, data.slice()));
}

function actorOf(der: Uint8Array, pkcs8: Uint8Array, publicKey: CryptoKey): Actor {
  const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----\n`;
  return { der, pem, x: new x509.X509Certificate(ab(der)), pkijs: pkijs.Certificate.fromBER(ab(der)), pkcs8, publicKey };
}

/** A fixture certificate (`pki/kz-ca.pem`, `ltv/pki/kz-ocsp.pem`) with its key `keys/<keyName>.key.pem`. */
export async function fixtureActor(certPath: string, keyName: string): Promise<Actor> {
  const der = pemBody(new TextDecoder().decode(fixture(certPath)), 'CERTIFICATE');
  const pkcs8 = pemBody(new TextDecoder().decode(fixture(`keys/${keyName}.key.pem`)), 'PRIVATE KEY');
  const x = new x509.X509Certificate(ab(der));
  const publicKey = await x.publicKey.export({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, ['verify']);
  return actorOf(der, pkcs8, publicKey);
}

export interface MintOptions {
  readonly subject: string;
  readonly issuer: Actor;
  /** Whose key the certificate certifies (an existing fixture key: no key generation). */
  readonly keyOf: Actor;
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly ca?: boolean;
  readonly keyUsage?: number;
  readonly eku?: readonly string[];
  /** Mark the extendedKeyUsage critical (RFC 3161 requires it of a TSA certificate). */
  readonly ekuCritical?: boolean;
  readonly nocheck?: boolean;
  readonly hash?: Hash;
}

/** A certificate issued by a fixture CA with the attacker's chosen contents. */
export async function mint(o: MintOptions): Promise<Actor> {
  const KU = x509.KeyUsageFlags;
  const exts: x509.Extension[] = [
    new x509.BasicConstraintsExtension(o.ca ?? false, undefined, true),
    new x509.KeyUsagesExtension(o.keyUsage ?? (o.ca ? KU.keyCertSign | KU.cRLSign : KU.digitalSignature | KU.nonRepudiation), true),
    await x509.SubjectKeyIdentifierExtension.create(o.keyOf.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(o.issuer.publicKey),
  ];
  if (o.eku) exts.push(new x509.ExtendedKeyUsageExtension([...o.eku], o.ekuCritical ?? false));
  if (o.nocheck) exts.push(new x509.Extension(OIDS.ocspNoCheck, false, new Uint8Array([0x05, 0x00])));
  const hash = o.hash ?? 'SHA-256';
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: o.serial,
    subject: o.subject,
    issuer: o.issuer.x.subject,
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    publicKey: o.keyOf.publicKey,
    signingKey: await signingKey(o.issuer, hash),
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash } as Algorithm,
    extensions: exts,
  });
  return actorOf(new Uint8Array(cert.rawData), o.keyOf.pkcs8, o.keyOf.publicKey);
}

export interface OcspEntry {
  readonly cert: Actor;
  readonly status: 'good' | 'revoked';
  readonly revocationTime?: Date;
}

export interface OcspOptions {
  /** Whose key signs; with `forge` the signature is garbage (no key needed). */
  readonly signer: Actor;
  /** The CA the CertIDs name. */
  readonly issuer: Actor;
  readonly entries: readonly OcspEntry[];
  readonly producedAt: Date;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly embed?: readonly Actor[];
  readonly hash?: Hash;
  /** Replace the signature by random bytes: a response anyone can make. */
  readonly forge?: boolean;
}

/** An OCSPResponse (successful, basic), responder named by the signer's subject. */
export async function ocspResponse(o: OcspOptions): Promise<Uint8Array> {
  const responses: pkijs.SingleResponse[] = [];
  for (const e of o.entries) {
    const certID = new pkijs.CertID();
    await certID.createForCertificate(e.cert.pkijs, { hashAlgorithm: 'SHA-1', issuerCertificate: o.issuer.pkijs });
    const certStatus =
      e.status === 'good'
        ? new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } })
        : new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: [new asn1js.GeneralizedTime({ valueDate: e.revocationTime! })] });
    responses.push(new pkijs.SingleResponse({ certID, certStatus, thisUpdate: o.thisUpdate, ...(o.nextUpdate ? { nextUpdate: o.nextUpdate } : {}) }));
  }
  const basic = new pkijs.BasicOCSPResponse({
    tbsResponseData: new pkijs.ResponseData({ responderID: o.signer.pkijs.subject, producedAt: o.producedAt, responses }),
    certs: (o.embed ?? [o.signer]).map((c) => c.pkijs),
  });
  const hash = o.hash ?? 'SHA-256';
  if (o.forge) {
    basic.signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: RSA_WITH[hash], algorithmParams: new asn1js.Null() });
    basic.signature = new asn1js.BitString({ valueHex: ab(globalThis.crypto.getRandomValues(new Uint8Array(256))) });
    basic.tbsResponseData.tbsView = new Uint8Array(basic.tbsResponseData.toSchema(true).toBER(false));
  } else {
    await basic.sign(await signingKey(o.signer, hash), hash);
  }
  const resp = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({ responseType: OIDS.ocspBasic, response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }) }),
  });
  return new Uint8Array(resp.toSchema().toBER(false));
}

export interface CrlOptions {
  readonly issuer: Actor;
  readonly revoked: readonly { readonly cert: Actor; readonly date: Date }[];
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly number: number;
  readonly hash?: Hash;
}

export async function crl(o: CrlOptions): Promise<Uint8Array> {
  const hash = o.hash ?? 'SHA-256';
  const c = await x509.X509CrlGenerator.create({
    issuer: o.issuer.x.subject,
    thisUpdate: o.thisUpdate,
    nextUpdate: o.nextUpdate,
    signingKey: await signingKey(o.issuer, hash),
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash } as Algorithm,
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(o.issuer.publicKey), new x509.Extension('2.5.29.20', false, new Uint8Array([0x02, 0x01, o.number]))],
    entries: o.revoked.map((r) => ({ serialNumber: r.cert.x.serialNumber, revocationDate: r.date, reason: x509.X509CrlReason.keyCompromise })),
  });
  return new Uint8Array(c.rawData);
}

function derSorted(attrs: pkijs.Attribute[]): pkijs.Attribute[] {
  const cmp = (a: Uint8Array, b: Uint8Array) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  };
  return attrs
    .map((a) => ({ a, der: new Uint8Array(a.toSchema().toBER(false)) }))
    .sort((x, y) => cmp(x.der, y.der))
    .map((e) => e.a);
}

/** ESS signing-certificate-v2 (SHA-256, with issuer/serial) naming `cert`. */
export async function essV2(cert: Actor): Promise<pkijs.Attribute> {
  const issuerSerial = new pkijs.IssuerSerial({
    issuer: new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: cert.pkijs.issuer })] }),
    serialNumber: cert.pkijs.serialNumber,
  });
  const certId = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: ab(await digest('SHA-256', cert.der)) }), issuerSerial.toSchema()] });
  return new pkijs.Attribute({ type: OIDS.signingCertificateV2, values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [certId] })] })] });
}

interface SignOptions {
  readonly signer: Actor;
  /** SignerInfo digestAlgorithm: the hash of the content in message-digest. */
  readonly digestHash?: Hash;
  /** The hash of the signature algorithm (sha256WithRSAEncryption …). */
  readonly signatureHash?: Hash;
  readonly extraAttributes?: readonly pkijs.Attribute[];
  readonly signingTime?: Date;
  readonly unsigned?: (signatureValue: Uint8Array) => Promise<pkijs.Attribute[]>;
  readonly certs: readonly Actor[];
  readonly content: Uint8Array;
  readonly eContentType?: string;
}

/** SignedData with one SignerInfo built field by field (so digest and signature hashes may differ). */
async function signedData(o: SignOptions): Promise<pkijs.SignedData> {
  const dHash = o.digestHash ?? 'SHA-256';
  const sHash = o.signatureHash ?? 'SHA-256';
  const attrs = derSorted([
    new pkijs.Attribute({ type: OIDS.contentType, values: [new asn1js.ObjectIdentifier({ value: o.eContentType ?? OIDS.data })] }),
    ...(o.signingTime ? [new pkijs.Attribute({ type: OIDS.signingTime, values: [new asn1js.UTCTime({ valueDate: o.signingTime })] })] : []),
    new pkijs.Attribute({ type: OIDS.messageDigest, values: [new asn1js.OctetString({ valueHex: ab(await digest(dHash, o.content)) })] }),
    await essV2(o.signer),
    ...(o.extraAttributes ?? []),
  ]);
  const signedAttrs = new asn1js.Set({ value: attrs.map((a) => a.toSchema()) });
  const signature = await sign(o.signer, sHash, new Uint8Array(signedAttrs.toBER(false)));
  const si = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: o.signer.pkijs.issuer, serialNumber: o.signer.pkijs.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[dHash], algorithmParams: new asn1js.Null() }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: RSA_WITH[sHash], algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: ab(signature) }),
  });
  if (o.unsigned) {
    const u = await o.unsigned(signature);
    if (u.length) si.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: u });
  }
  return new pkijs.SignedData({
    version: 3,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[dHash], algorithmParams: new asn1js.Null() })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: o.eContentType ?? OIDS.data, eContent: new asn1js.OctetString({ valueHex: ab(o.content) }) }),
    certificates: o.certs.map((c) => c.pkijs),
    signerInfos: [si],
  });
}

const contentInfo = (sd: pkijs.SignedData) =>
  new Uint8Array(new pkijs.ContentInfo({ contentType: OIDS.signedData, content: sd.toSchema(true) }).toSchema().toBER(false));

export interface TimestampOptions {
  readonly tsa: Actor;
  readonly genTime: Date;
  /** Hash of the message imprint. */
  readonly imprintHash?: Hash;
  /** Hash of the token's SignerInfo (digestAlgorithm and signature). */
  readonly tokenHash?: Hash;
  /** Only the token's SignerInfo digestAlgorithm (message-digest over the TSTInfo), when it differs. */
  readonly tokenDigestHash?: Hash;
  readonly serial?: number;
}

/** An RFC 3161 TimeStampToken over `data`. */
export async function timestampToken(data: Uint8Array, o: TimestampOptions): Promise<Uint8Array> {
  const iHash = o.imprintHash ?? 'SHA-256';
  const tst = new pkijs.TSTInfo({
    version: 1,
    policy: '1.3.6.1.4.1.99999.2.1',
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[iHash] }),
      hashedMessage: new asn1js.OctetString({ valueHex: ab(await digest(iHash, data)) }),
    }),
    serialNumber: new asn1js.Integer({ value: o.serial ?? 4242 }),
    genTime: o.genTime,
    accuracy: new pkijs.Accuracy({ seconds: 1 }),
  });
  const tstDer = new Uint8Array(tst.toSchema().toBER(false));
  const hash = o.tokenHash ?? 'SHA-256';
  return contentInfo(await signedData({ signer: o.tsa, digestHash: o.tokenDigestHash ?? hash, signatureHash: hash, certs: [o.tsa], content: tstDer, eContentType: OIDS.tstInfo }));
}

export interface CadesOptions {
  readonly signer: Actor;
  readonly certs: readonly Actor[];
  readonly content?: Uint8Array;
  readonly signingTime?: Date;
  readonly digestHash?: Hash;
  readonly signatureHash?: Hash;
  /** A signature time-stamp over the SignatureValue. */
  readonly timestamp?: TimestampOptions;
}

export const CONTENT = new TextEncoder().encode('Contract no. 15: the parties agree to pay 1 000 units.\n');

/** A CAdES-B (or -T with `timestamp`) attached signature. */
export async function cades(o: CadesOptions): Promise<Uint8Array> {
  const sd = await signedData({
    signer: o.signer,
    certs: o.certs,
    content: o.content ?? CONTENT,
    signingTime: o.signingTime,
    digestHash: o.digestHash,
    signatureHash: o.signatureHash,
    unsigned: o.timestamp
      ? async (sv) => {
          const token = await timestampToken(sv, o.timestamp!);
          return [new pkijs.Attribute({ type: OIDS.signatureTimeStamp, values: [asn1js.fromBER(ab(token)).result] })];
        }
      : undefined,
  });
  return contentInfo(sd);
}
