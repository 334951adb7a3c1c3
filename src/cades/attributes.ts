import { asn1Of, isUniversal, oidOf, seqOf, TAG, type DerElement } from '../util/der.js';

/** One CMS Attribute (RFC 5652 5.3): its type and its values as located elements (`asn1Of` decodes one). */
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
 * With `decodeValues` (signed attributes: few, mostly the same encodings
 * signature after signature, and validation reads them all) every value is
 * decoded now, so input asn1js refuses is refused while parsing. Unsigned
 * values (time-stamp tokens, certificate and revocation values) are only
 * located: their consumers read them from their bytes.
 */
export function readAttributes(set: DerElement | undefined, what: string, decodeValues: boolean): AttributeMap {
  const m = new Map<string, CmsAttribute[]>();
  if (!set) return m;
  for (const a of set.children(what)) {
    const parts = seqOf(a, 'Attribute');
    const type = oidOf(parts[0], 'Attribute attrType');
    const valueSet = parts[1];
    const values = parts.length === 2 && isUniversal(valueSet, TAG.set) && valueSet.constructed ? valueSet.children('Attribute attrValues') : [];
    if (decodeValues) for (const v of values) asn1Of(v, `attribute ${type} value`);
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
