import * as asn1js from 'asn1js';
import { copyBytes, toArrayBuffer } from '../util/bytes.js';
import { CURVE_OIDS, GOST_KEY_BITS } from './algorithms.js';
import { InputFormatError } from '../errors.js';
import { sequence, tlvAt, type Asn1Node } from '../util/asn1-tree.js';
import { Asn1Element, DecodeMemo, ElementBudget, NotWalkable, TAG, TlvElement, isUniversal, seqOf, type DerElement } from '../util/der.js';
import { bitStringOf } from '../util/der-values.js';

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

const WHAT = 'SubjectPublicKeyInfo';

export function readPublicKey(spki: Uint8Array): PublicKeyFacts {
  const walked = TlvElement.of(spki, new ElementBudget(64, 'spki.asn1Elements'));
  if (walked) {
    try {
      return readPublicKeyElement(walked, spki);
    } catch (e) {
      if (!(e instanceof NotWalkable)) throw e;
    }
  }
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
  return readPublicKeyElement(new Asn1Element(node), spki);
}

interface KeyAlgorithm {
  readonly algorithmOid: string;
  readonly parameterOid?: string;
  readonly parametersDer?: Uint8Array;
}

/** Key AlgorithmIdentifiers by exact encoding: a handful of distinct ones (rsaEncryption, ecPublicKey with a curve) cover most keys. */
const keyAlgorithmMemo = new DecodeMemo<KeyAlgorithm>((node: Asn1Node): KeyAlgorithm => {
  const alg = sequence(node, `${WHAT} algorithm`);
  if (alg.length < 1 || alg.length > 2) throw new InputFormatError(`malformed ${WHAT}`);
  const id = alg[0];
  if (!(id instanceof asn1js.ObjectIdentifier) || id.idBlock.isConstructed) throw new InputFormatError(`${WHAT} algorithm: expected an OBJECT IDENTIFIER`);
  const algorithmOid = id.valueBlock.toString();
  const paramBlock = alg[1];
  if (paramBlock instanceof asn1js.ObjectIdentifier) return { algorithmOid, parameterOid: paramBlock.valueBlock.toString() };
  if (!paramBlock || paramBlock instanceof asn1js.Null) return { algorithmOid };
  // GOST keys: parameters are SEQUENCE { publicKeyParamSet, digestParamSet?, ... }; the first names the curve.
  const first = paramBlock instanceof asn1js.Sequence ? paramBlock.valueBlock.value[0] : undefined;
  const parameterOid = GOST_KEY_BITS[algorithmOid] && first instanceof asn1js.ObjectIdentifier ? first.valueBlock.toString() : undefined;
  return { algorithmOid, parameterOid, parametersDer: paramBlock.valueBeforeDecodeView };
}, 256);

/**
 * The facts from a SubjectPublicKeyInfo element, header-walked or decoded;
 * `spki` is its exact encoding (default: the element's own bytes).
 */
export function readPublicKeyElement(el: DerElement | undefined, spki: Uint8Array = el?.encoding ?? new Uint8Array()): PublicKeyFacts {
  const parts = seqOf(el, WHAT);
  if (!isUniversal(parts[0], TAG.sequence) || !parts[0].constructed) throw new InputFormatError(`${WHAT} algorithm: expected a SEQUENCE`);
  const key = bitStringOf(parts[1], `${WHAT} subjectPublicKey`);
  if (parts.length !== 2) throw new InputFormatError(`malformed ${WHAT}`);
  const { algorithmOid, parameterOid, parametersDer } = keyAlgorithmMemo.get(parts[0], WHAT);

  let bits = 0;
  if (algorithmOid === '1.2.840.113549.1.1.1' || algorithmOid === '1.2.840.113549.1.1.10') {
    bits = rsaModulusBits(key);
  } else if (parameterOid && CURVE_OIDS[parameterOid]) {
    bits = CURVE_OIDS[parameterOid]!.bits;
  } else if (algorithmOid === '1.3.101.112') {
    bits = 256;
  } else if (GOST_KEY_BITS[algorithmOid]) {
    bits = GOST_KEY_BITS[algorithmOid]!;
  }
  // A private copy per key: the memo's bytes are shared.
  return { algorithmOid, parameterOid, parametersDer: parametersDer && copyBytes(parametersDer), bits, spki };
}

/**
 * The size of the modulus of an RSAPublicKey (SEQUENCE { modulus INTEGER, ... }):
 * the INTEGER's magnitude is plain bytes, so its length is read where the
 * header walk finds it; a key the walk cannot follow is decoded by asn1js.
 * 0 when the key has no readable modulus (the key import then fails).
 */
function rsaModulusBits(key: Uint8Array): number {
  let m: Uint8Array | undefined;
  const seq = tlvAt(key, 0, key.length);
  const first = seq && seq.tag === 0x30 ? tlvAt(key, seq.contentStart, seq.end) : undefined;
  if (first) {
    if (first.tag === 0x02) m = key.subarray(first.contentStart, first.end);
  } else {
    const decoded = asn1js.fromBER(copyBytes(key).buffer);
    const modulus = (decoded.result as asn1js.Sequence).valueBlock?.value?.[0];
    if (modulus instanceof asn1js.Integer) m = modulus.valueBlock.valueHexView;
  }
  if (!m) return 0;
  let i = 0;
  while (i < m.length && m[i] === 0) i++;
  return (m.length - i) * 8 - (i < m.length ? Math.clz32(m[i]!) - 24 : 0);
}
