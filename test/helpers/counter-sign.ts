/**
 * CAdES counter-signatures (RFC 5652 11.4) added at test time to a CMS built from the fixture test PKI: a
 * SignerInfo in the countersignature unsigned attribute of a SignerInfo (or of a counter-signature, to any
 * depth), with every knob a forger controls (what its message-digest covers, a content-type attribute).
 * The counter-signer's certificate is added to SignedData.certificates. Nothing is written to disk.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { digest, essV2, OIDS, signingKey, type Actor } from './attack-pki.js';

export const COUNTER_SIGNATURE_OID = '1.2.840.113549.1.9.6';

const ab = (u: Uint8Array): ArrayBuffer => u.slice().buffer as ArrayBuffer;
const der = (b: asn1js.BaseBlock) => new Uint8Array(b.toBER(false));
const cmp = (a: Uint8Array, b: Uint8Array) => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
};
const isContext = (b: asn1js.BaseBlock, n: number) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === n;

export interface CounterSignOptions {
  readonly signer: Actor;
  /** Where to attach: the path of countersignature indexes below signerInfos[0] (default []: signerInfos[0] itself). */
  readonly under?: readonly number[];
  /** The bytes message-digest covers (default: the countersigned SignerInfo's signature value octets, as RFC 5652 11.4 says). */
  readonly over?: Uint8Array;
  /** Add a content-type attribute (forbidden in a counter-signature). */
  readonly contentType?: boolean;
  readonly signingTime?: Date;
  /** How many counter-signatures to add at that place (default 1). */
  readonly count?: number;
}

/** The asn1js SignerInfo SEQUENCE at `under` below signerInfos[0] of `root`. */
function signerInfoAt(root: asn1js.Sequence, under: readonly number[]): asn1js.Sequence {
  const sd = (root.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
  let si = (sd.valueBlock.value[sd.valueBlock.value.length - 1] as asn1js.Set).valueBlock.value[0] as asn1js.Sequence;
  for (const k of under) {
    const attr = counterAttribute(si, false)!;
    si = (attr.valueBlock.value[1] as asn1js.Set).valueBlock.value[k] as asn1js.Sequence;
  }
  return si;
}

/** The countersignature Attribute of a SignerInfo (created, with the [1] unsignedAttrs, when `create`). */
function counterAttribute(si: asn1js.Sequence, create: boolean): asn1js.Sequence | undefined {
  let unsigned = si.valueBlock.value.find((b) => isContext(b, 1)) as asn1js.Constructed | undefined;
  if (!unsigned) {
    if (!create) return undefined;
    unsigned = new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: [] });
    si.valueBlock.value.push(unsigned);
  }
  let attr = unsigned.valueBlock.value.find((a) => ((a as asn1js.Sequence).valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString() === COUNTER_SIGNATURE_OID) as
    | asn1js.Sequence
    | undefined;
  if (!attr && create) {
    attr = new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: COUNTER_SIGNATURE_OID }), new asn1js.Set({ value: [] })] });
    unsigned.valueBlock.value.push(attr);
  }
  return attr;
}

function signatureValueOf(si: asn1js.Sequence): Uint8Array {
  const os = si.valueBlock.value.find((b) => b instanceof asn1js.OctetString) as asn1js.OctetString;
  return new Uint8Array(os.valueBlock.valueHexView);
}

/** A counter-signature SignerInfo (SHA-256, RSA PKCS #1 v1.5) whose message-digest covers `covered`. */
export async function counterSignerInfo(o: CounterSignOptions, covered: Uint8Array): Promise<asn1js.Sequence> {
  const attrs = [
    ...(o.contentType ? [new pkijs.Attribute({ type: OIDS.contentType, values: [new asn1js.ObjectIdentifier({ value: OIDS.data })] })] : []),
    new pkijs.Attribute({ type: OIDS.signingTime, values: [new asn1js.UTCTime({ valueDate: o.signingTime ?? new Date('2026-05-20T00:00:00Z') })] }),
    new pkijs.Attribute({ type: OIDS.messageDigest, values: [new asn1js.OctetString({ valueHex: ab(await digest('SHA-256', covered)) })] }),
    await essV2(o.signer),
  ]
    .map((a) => ({ a, d: der(a.toSchema()) }))
    .sort((x, y) => cmp(x.d, y.d))
    .map((e) => e.a);
  const signedAttrs = der(new asn1js.Set({ value: attrs.map((a) => a.toSchema()) }));
  const signature = new Uint8Array(await globalThis.crypto.subtle.sign('RSASSA-PKCS1-v1_5', await signingKey(o.signer), ab(signedAttrs)));
  const si = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: o.signer.pkijs.issuer, serialNumber: o.signer.pkijs.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.1', algorithmParams: new asn1js.Null() }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.11', algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: ab(signature) }),
  });
  return si.toSchema() as asn1js.Sequence;
}

/** `cms` with counter-signature(s) by `o.signer` added (a new encoding; `cms` is not modified). */
export async function addCounterSignature(cms: Uint8Array, o: CounterSignOptions): Promise<Uint8Array> {
  const root = asn1js.fromBER(ab(cms)).result as asn1js.Sequence;
  const target = signerInfoAt(root, o.under ?? []);
  const covered = o.over ?? signatureValueOf(target);
  const values = (counterAttribute(target, true)!.valueBlock.value[1] as asn1js.Set).valueBlock.value;
  for (let i = 0; i < (o.count ?? 1); i++) values.push(await counterSignerInfo(o, covered));
  // The counter-signer's certificate goes with the others (RFC 5652: SignedData.certificates serves every signer).
  const sd = (root.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
  const certs = sd.valueBlock.value.find((b) => isContext(b, 0)) as asn1js.Constructed;
  const have = certs.valueBlock.value.map((c) => Buffer.from(der(c)).toString('hex'));
  if (!have.includes(Buffer.from(o.signer.der).toString('hex'))) certs.valueBlock.value.push(asn1js.fromBER(ab(o.signer.der)).result);
  return der(root);
}
