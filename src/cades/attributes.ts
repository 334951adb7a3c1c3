import { checkDecodable, isUniversal, oidOf, seqOf, TAG, type DerElement } from '../util/der.js';

/** One CMS Attribute (RFC 5652 5.3): its type and its values as located elements (read with der.ts's readers; `asn1Of` decodes one). */
export interface CmsAttribute {
  readonly type: string;
  readonly values: readonly DerElement[];
}

/** Attributes keyed by type OID; a well-formed attribute occurs once (RFC 5652 5.3). */
export type AttributeMap = ReadonlyMap<string, readonly CmsAttribute[]>;

/**
 * SignedAttributes / UnsignedAttributes: SET OF Attribute { attrType, attrValues SET OF ANY }.
 * A malformed attrValues becomes an empty list, which format checking reports
 * (rather than a TypeError later).
 *
 * With `decodeValues` (signed attributes, which validation reads) every value
 * is checked now (der.ts checkDecodable), so input asn1js refuses is refused
 * while parsing; the values are not decoded, their readers take them from the
 * located bytes (message-digest, signing-time and the ESS signing certificate
 * of every new signer are new encodings: decoding them with asn1js was ~40% of
 * parsing a CAdES-B by a signer seen for the first time, #19). Unsigned values
 * (time-stamp tokens, certificate and revocation values) are only located:
 * their consumers read them from their bytes.
 */
export function readAttributes(set: DerElement | undefined, what: string, decodeValues: boolean): AttributeMap {
  const m = new Map<string, CmsAttribute[]>();
  if (!set) return m;
  for (const a of set.children(what)) {
    const parts = seqOf(a, 'Attribute');
    const type = oidOf(parts[0], 'Attribute attrType');
    const valueSet = parts[1];
    const values = parts.length === 2 && isUniversal(valueSet, TAG.set) && valueSet.constructed ? valueSet.children('Attribute attrValues') : [];
    if (decodeValues) for (const v of values) checkDecodable(v, `attribute ${type} value`);
    const attribute: CmsAttribute = { type, values };
    const list = m.get(type);
    if (list) list.push(attribute);
    else m.set(type, [attribute]);
  }
  return m;
}

/** The single value of the attribute `type` when it occurs exactly once with one value. */
export function singleValue(attributes: AttributeMap, type: string): DerElement | undefined {
  const a = attributes.get(type);
  return a?.length === 1 && a[0]!.values.length === 1 ? a[0]!.values[0] : undefined;
}

/**
 * Signed attributes that may occur at most once and then with exactly one
 * AttributeValue: RFC 5652 11.1–11.3 (content-type, message-digest,
 * signing-time), RFC 2634 / RFC 5035 (ESS signing-certificate(-v2),
 * content-hints), RFC 6211 (CMS algorithm protection), EN 319 122-1 5.2
 * (signature-policy-identifier, content-time-stamp, signer-location,
 * signer-attributes-v2, mime-type). Two of them leave the reader to choose one,
 * and the signed bytes do not fix which comes first: the signature covers the
 * DER (sorted) SET, so anyone can reorder the received attributes.
 */
export const SINGLE_VALUED_SIGNED_ATTRIBUTES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.1.9.3', 'content-type'],
  ['1.2.840.113549.1.9.4', 'message-digest'],
  ['1.2.840.113549.1.9.5', 'signing-time'],
  ['1.2.840.113549.1.9.16.2.12', 'signing-certificate'],
  ['1.2.840.113549.1.9.16.2.47', 'signing-certificate-v2'],
  ['1.2.840.113549.1.9.16.2.15', 'signature-policy-identifier'],
  ['1.2.840.113549.1.9.16.2.20', 'content-time-stamp'],
  ['1.2.840.113549.1.9.16.2.4', 'content-hints'],
  ['1.2.840.113549.1.9.16.2.17', 'signer-location'],
  ['0.4.0.19122.1.1', 'signer-attributes-v2'],
  ['0.4.0.1733.2.1', 'mime-type'],
  ['1.2.840.113549.1.9.52', 'cms-algorithm-protection'],
]);

/**
 * What breaks SINGLE_VALUED_SIGNED_ATTRIBUTES in `attributes` (an attribute
 * repeated, or with other than one value); empty when nothing does. Callers make
 * each a FORMAT_FAILURE, for signatures and time-stamp tokens alike. `checkedElsewhere`: OIDs the
 * caller reports itself.
 */
export function singleValuedProblems(attributes: AttributeMap, checkedElsewhere: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const [oid, name] of SINGLE_VALUED_SIGNED_ATTRIBUTES) {
    const a = attributes.get(oid);
    if (!a || checkedElsewhere.includes(oid)) continue;
    if (a.length !== 1) out.push(`signed attribute ${name} occurs ${a.length} times (at most once)`);
    else if (a[0]!.values.length !== 1) out.push(`signed attribute ${name} has ${a[0]!.values.length} values (exactly one)`);
  }
  return out;
}
