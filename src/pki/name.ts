import type * as pkijs from 'pkijs';
import { toHex } from '../util/bytes.js';
import { InputFormatError } from '../errors.js';
import type { Asn1Node } from '../util/asn1-tree.js';
import { Asn1Element, DecodeMemo, isUniversal, oidOf, seqOf, setOf, TAG, type DerElement } from '../util/der.js';
import { BytesCache } from '../util/bytes-cache.js';

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '2.5.4.97': 'organizationIdentifier',
  '2.5.4.4': 'SN',
  '2.5.4.42': 'GN',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

/** One attribute of a distinguished name, its value decoded to text when it is a string type. */
export interface NameAttribute {
  readonly type: string;
  readonly value: string;
  /** `type=value` compared per RFC 5280 7.1 (RFC 4518 case folding and insignificant space handling). */
  readonly matchKey: string;
}

/**
 * An X.501 Name as read from a certificate or CRL: the attributes in order, a
 * printable RFC 4514-style string, and a comparison key that follows RFC 5280
 * 7.1 closely enough for chaining (case-folded, whitespace-collapsed strings).
 */
export interface DistinguishedName {
  readonly rdns: readonly (readonly NameAttribute[])[];
  readonly text: string;
  /** Equal keys mean the names match for path building and CRL issuer matching. */
  readonly key: string;
}

interface AttributeValueText {
  readonly text: string;
  readonly isString: boolean;
}

function attributeValueText(value: unknown): AttributeValueText {
  const v = value as { valueBlock?: { value?: unknown; valueHexView?: Uint8Array } };
  const inner = v?.valueBlock?.value;
  if (typeof inner === 'string') return { text: inner, isString: true };
  const hex = v?.valueBlock?.valueHexView;
  return { text: hex ? '#' + toHex(hex) : '', isString: false };
}

/**
 * RFC 4518 string preparation, the part that matters for real names: Unicode
 * NFKC, case folding, and insignificant space handling (leading/trailing
 * space dropped, inner runs collapsed to one space).
 */
export function normalizeForMatch(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function readName(name: pkijs.RelativeDistinguishedNames): DistinguishedName {
  return nameFromAttributes(name.typesAndValues.map((tv) => ({ type: tv.type, ...attributeValueText(tv.value) })));
}

/**
 * The same DistinguishedName read straight from a decoded Name (SEQUENCE OF
 * SET OF AttributeTypeAndValue), without building pkijs objects; throws
 * InputFormatError when the structure is not a Name.
 */
export function readNameNode(node: Asn1Node, what: string): DistinguishedName {
  return readNameElement(new Asn1Element(node), what);
}

/**
 * Names by exact encoding (an issuer's Name recurs across the certificates it
 * issued), keyed by a hash of the encoding and confirmed byte for byte.
 */
const nameMemo = new BytesCache<DistinguishedName>(2048, 1024);

/**
 * Attribute values by exact encoding (`C=KZ`, an organization recur across
 * certificates; common names mostly do not): asn1js decodes each distinct
 * string once. Attribute types go through der.ts's OID memo.
 */
const attributeValueMemo = new DecodeMemo<AttributeValueText>((node) => attributeValueText(node), 8192, 512);

/**
 * A Name from its element, header-walked or decoded (readNameNode's result for
 * the same encoding). A whole Name that recurs (an issuer) is read once.
 */
export function readNameElement(el: DerElement | undefined, what: string): DistinguishedName {
  if (!isUniversal(el, TAG.sequence) || !el.constructed) throw new InputFormatError(`${what}: expected a SEQUENCE`);
  const bytes = el.encoding;
  const hit = nameMemo.get(bytes);
  if (hit) return hit;
  const attributes: { type: string; text: string; isString: boolean }[] = [];
  for (const rdn of seqOf(el, what)) {
    for (const atv of setOf(rdn, what)) {
      const parts = seqOf(atv, what);
      if (parts.length !== 2) throw new InputFormatError(`${what}: AttributeTypeAndValue must have a type and a value`);
      attributes.push({ type: oidOf(parts[0], what), ...attributeValueMemo.get(parts[1]!, what) });
    }
  }
  const name = nameFromAttributes(attributes);
  nameMemo.set(bytes, name);
  return name;
}

function nameFromAttributes(attributes: readonly { readonly type: string; readonly text: string; readonly isString: boolean }[]): DistinguishedName {
  // Multi-valued RDNs are flattened (as pkijs does); they are rare in this domain and kept as separate attributes.
  const rdns: NameAttribute[][] = [];
  const keyParts: string[] = [];
  for (const { type, text, isString } of attributes) {
    const matchKey = `${type}=${isString ? normalizeForMatch(text) : text}`;
    rdns.push([{ type, value: text, matchKey }]);
    keyParts.push(matchKey);
  }
  const textOut = [...rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${SHORT_NAMES[a.type] ?? a.type}=${escapeRdnValue(a.value)}`).join('+'))
    .join(', ');
  return { rdns, text: textOut, key: keyParts.join('/') };
}

function escapeRdnValue(v: string): string {
  return v.replace(/([,+"\\<>;])/g, '\\$1');
}

export function nameAttribute(name: DistinguishedName, type: string): string | undefined {
  for (const rdn of name.rdns) for (const a of rdn) if (a.type === type) return a.value;
  return undefined;
}

/** Attributes in order (the RDN sequence flattened), as match keys. */
export function nameMatchKeys(name: DistinguishedName): string[] {
  return name.rdns.flatMap((rdn) => rdn.map((a) => a.matchKey));
}

/** RFC 5280 4.2.1.10 directoryName subtree: `base` is a prefix of `name` (an empty base is everything). */
export function isWithinSubtree(name: DistinguishedName, base: DistinguishedName): boolean {
  const n = nameMatchKeys(name);
  const b = nameMatchKeys(base);
  if (b.length > n.length) return false;
  return b.every((k, i) => n[i] === k);
}

export function isEmptyName(name: DistinguishedName): boolean {
  return name.rdns.length === 0;
}
