import * as asn1js from 'asn1js';
import { toArrayBuffer } from '../util/bytes.js';
import { CURVE_OIDS } from './algorithms.js';
import { InputFormatError } from '../errors.js';

/** The facts about a public key that policy and providers need, read once from SubjectPublicKeyInfo DER. */
export interface PublicKeyFacts {
  readonly algorithmOid: string;
  /** Named curve / parameter-set OID for EC-like keys. */
  readonly parameterOid?: string;
  /** DER of the AlgorithmIdentifier parameters, when not an OID or NULL (e.g. GOST parameter sequences). */
  readonly parametersDer?: Uint8Array;
  /** RSA modulus bits or curve size; 0 when unknown. */
  readonly bits: number;
  readonly spki: Uint8Array;
}

export function readPublicKey(spki: Uint8Array): PublicKeyFacts {
  const parsed = asn1js.fromBER(toArrayBuffer(spki));
  if (parsed.offset === -1) throw new InputFormatError('unparsable SubjectPublicKeyInfo');
  const seq = parsed.result as asn1js.Sequence;
  const alg = seq.valueBlock.value[0] as asn1js.Sequence | undefined;
  const bitString = seq.valueBlock.value[1] as asn1js.BitString | undefined;
  const oidBlock = alg?.valueBlock?.value?.[0];
  if (!(oidBlock instanceof asn1js.ObjectIdentifier) || !(bitString instanceof asn1js.BitString)) {
    throw new InputFormatError('malformed SubjectPublicKeyInfo');
  }
  const algorithmOid = oidBlock.valueBlock.toString();
  const paramBlock = alg!.valueBlock.value[1];
  let parameterOid: string | undefined;
  let parametersDer: Uint8Array | undefined;
  if (paramBlock instanceof asn1js.ObjectIdentifier) parameterOid = paramBlock.valueBlock.toString();
  else if (paramBlock && !(paramBlock instanceof asn1js.Null)) parametersDer = new Uint8Array(paramBlock.toBER());

  let bits = 0;
  if (algorithmOid === '1.2.840.113549.1.1.1' || algorithmOid === '1.2.840.113549.1.1.10') {
    const key = asn1js.fromBER(bitString.valueBlock.valueHexView.slice().buffer as ArrayBuffer);
    const modulus = (key.result as asn1js.Sequence).valueBlock?.value?.[0];
    if (modulus instanceof asn1js.Integer) {
      const m = modulus.valueBlock.valueHexView;
      let i = 0;
      while (i < m.length && m[i] === 0) i++;
      bits = (m.length - i) * 8 - (i < m.length ? Math.clz32(m[i]!) - 24 : 0);
    }
  } else if (parameterOid && CURVE_OIDS[parameterOid]) {
    bits = CURVE_OIDS[parameterOid]!.bits;
  } else if (algorithmOid === '1.3.101.112') {
    bits = 256;
  }
  return { algorithmOid, parameterOid, parametersDer, bits, spki };
}
