import * as asn1js from 'asn1js';
import { toArrayBuffer } from '../util/bytes.js';
import { CURVE_OIDS, GOST_KEY_BITS } from './algorithms.js';
import { InputFormatError } from '../errors.js';
import { bitString as bitStringOf, oid, sequence } from '../util/asn1-tree.js';

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
  return readPublicKeyNode(parsed.result, spki);
}

/**
 * The same facts from an already decoded SubjectPublicKeyInfo (e.g. inside a
 * certificate's tree); `spki` is its exact encoding, kept for key import and
 * as the key's identity, so nothing is re-encoded.
 */
export function readPublicKeyNode(node: asn1js.AsnType, spki: Uint8Array): PublicKeyFacts {
  const what = 'SubjectPublicKeyInfo';
  const parts = sequence(node, what);
  const alg = sequence(parts[0], `${what} algorithm`);
  const bitString = bitStringOf(parts[1], `${what} subjectPublicKey`);
  if (parts.length !== 2 || alg.length < 1 || alg.length > 2) throw new InputFormatError(`malformed ${what}`);
  const algorithmOid = oid(alg[0], `${what} algorithm`);
  const paramBlock = alg[1];
  let parameterOid: string | undefined;
  let parametersDer: Uint8Array | undefined;
  if (paramBlock instanceof asn1js.ObjectIdentifier) parameterOid = paramBlock.valueBlock.toString();
  else if (paramBlock && !(paramBlock instanceof asn1js.Null)) {
    parametersDer = paramBlock.valueBeforeDecodeView.slice();
    // GOST keys: parameters are SEQUENCE { publicKeyParamSet, digestParamSet?, ... }; the first names the curve.
    const first = paramBlock instanceof asn1js.Sequence ? paramBlock.valueBlock.value[0] : undefined;
    if (GOST_KEY_BITS[algorithmOid] && first instanceof asn1js.ObjectIdentifier) parameterOid = first.valueBlock.toString();
  }

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
  } else if (GOST_KEY_BITS[algorithmOid]) {
    bits = GOST_KEY_BITS[algorithmOid]!;
  }
  return { algorithmOid, parameterOid, parametersDer, bits, spki };
}
