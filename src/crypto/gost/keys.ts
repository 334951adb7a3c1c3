import * as asn1js from 'asn1js';
import type { PublicKeyFacts } from '../spki.js';
import { copyBytes, toArrayBuffer } from '../../util/bytes.js';
import { GOST_CURVES, GOST_KEYS, type GostCurveParams, type GostKeySpec } from './oids.js';

/** A GOST public key as the engine needs it. */
export interface GostPublicKey {
  readonly spec: GostKeySpec;
  readonly keyOid: string;
  /** publicKeyParamSet OID (RFC 4491 §2.3.1 / RFC 9215 §3). */
  readonly paramSetOid: string;
  /** node-gost-crypto curve name; undefined when the parameter set is not implemented. */
  readonly curve?: string;
  readonly curveParams?: GostCurveParams;
  /** digestParamSet OID, when the parameters carry one. */
  readonly digestParamOid?: string;
  /** x‖y, little-endian (the encoding inside the OCTET STRING, as RFC 4491 and the KZ NCA both store it). */
  readonly xy: Uint8Array;
}

/** The GOST key parameter OIDs, from PublicKeyFacts (the parameters SEQUENCE, or a bare OID). */
export function gostKeyParameters(key: PublicKeyFacts): { paramSetOid?: string; digestParamOid?: string } {
  if (!key.parametersDer) return { paramSetOid: key.parameterOid };
  const asn = asn1js.fromBER(toArrayBuffer(key.parametersDer));
  if (asn.offset === -1 || !(asn.result instanceof asn1js.Sequence)) return {};
  const [p, d] = asn.result.valueBlock.value;
  return {
    paramSetOid: p instanceof asn1js.ObjectIdentifier ? p.valueBlock.toString() : undefined,
    digestParamOid: d instanceof asn1js.ObjectIdentifier ? d.valueBlock.toString() : undefined,
  };
}

/** Reads a GOST SubjectPublicKeyInfo; undefined when the key is not a GOST key we know or is malformed. */
export function readGostPublicKey(key: PublicKeyFacts): GostPublicKey | undefined {
  const spec = GOST_KEYS[key.algorithmOid];
  if (!spec) return undefined;
  const { paramSetOid, digestParamOid } = gostKeyParameters(key);
  if (!paramSetOid) return undefined;
  const spki = asn1js.fromBER(toArrayBuffer(key.spki));
  if (spki.offset === -1 || !(spki.result instanceof asn1js.Sequence)) return undefined;
  const bitString = spki.result.valueBlock.value[1];
  if (!(bitString instanceof asn1js.BitString)) return undefined;
  const inner = bitString.valueBlock.valueHexView;
  const size = (2 * spec.bits) / 8;
  let xy: Uint8Array | undefined;
  const octets = asn1js.fromBER(toArrayBuffer(inner));
  if (octets.offset === inner.length && octets.result instanceof asn1js.OctetString) xy = copyBytes(octets.result.valueBlock.valueHexView);
  if (!xy || xy.length !== size) return undefined;
  return { spec, keyOid: key.algorithmOid, paramSetOid, curve: GOST_CURVES[paramSetOid]?.curve, curveParams: GOST_CURVES[paramSetOid]?.params, digestParamOid, xy };
}
