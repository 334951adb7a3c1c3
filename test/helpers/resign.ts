/**
 * Re-signs the first SignerInfo of a committed CMS fixture (a CAdES signature or
 * a time-stamp token) after changing its signed attributes, with the fixture
 * key that made it: attack inputs whose signature is genuinely valid.
 */
import * as asn1js from 'asn1js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './fixtures.js';

export interface ResignOptions {
  /** fixtures/keys/<name>.key.pem (RSA, signed with SHA-256 PKCS #1 v1.5, as the fixtures are). */
  readonly key: string;
  /** Attributes (DER of each Attribute SEQUENCE) added to the signed attributes. */
  readonly add: readonly Uint8Array[];
  /** Order of the signed attributes as sent: DER (sorted) or its reverse. The signature covers the DER form either way. */
  readonly order?: 'der' | 'reversed';
}

const compare = (a: Uint8Array, b: Uint8Array) => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
};

/** An Attribute { type, SET OF values } in DER. */
export function attribute(type: string, ...values: asn1js.BaseBlock[]): Uint8Array {
  return new Uint8Array(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: type }), new asn1js.Set({ value: values })] }).toBER(false));
}

async function signingKey(name: string): Promise<CryptoKey> {
  const pem = readFileSync(join(FIXTURES, 'keys', `${name}.key.pem`), 'utf8');
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return globalThis.crypto.subtle.importKey('pkcs8', new Uint8Array(der), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
}

/** `cms` (a ContentInfo with SignedData) with its first SignerInfo's signed attributes extended and re-signed. */
export async function resign(cms: Uint8Array, o: ResignOptions): Promise<Uint8Array> {
  const root = asn1js.fromBER(cms.slice().buffer).result as asn1js.Sequence;
  const signedData = (root.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
  const signerInfos = signedData.valueBlock.value[signedData.valueBlock.value.length - 1] as asn1js.Set;
  const si = signerInfos.valueBlock.value[0] as asn1js.Sequence;
  const idx = si.valueBlock.value.findIndex((b) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 0);
  const attrs = si.valueBlock.value[idx] as asn1js.Constructed;
  const encodings = [...attrs.valueBlock.value.map((x) => new Uint8Array(x.toBER(false))), ...o.add].sort(compare);
  const set = new Uint8Array(new asn1js.Set({ value: encodings.map((e) => asn1js.fromBER(e.slice().buffer).result) }).toBER(false));
  const signature = new Uint8Array(await globalThis.crypto.subtle.sign('RSASSA-PKCS1-v1_5', await signingKey(o.key), set));
  const sent = o.order === 'reversed' ? [...encodings].reverse() : encodings;
  si.valueBlock.value[idx] = new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: sent.map((e) => asn1js.fromBER(e.slice().buffer).result) });
  const sigIndex = si.valueBlock.value.findIndex((b, i) => i > idx + 1 && b instanceof asn1js.OctetString);
  si.valueBlock.value[sigIndex] = new asn1js.OctetString({ valueHex: signature.buffer });
  return new Uint8Array(root.toBER(false));
}
