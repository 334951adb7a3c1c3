import type * as pkijs from 'pkijs';
import { toHex } from '../util/bytes.js';
import { InputFormatError } from '../errors.js';
import { decodeWhole, type Asn1Node } from '../util/asn1-tree.js';
import { Asn1Element, DecodeMemo, isUniversal, oidOf, seqOf, setOf, TAG, TlvElement, UNIVERSAL, type DerElement } from '../util/der.js';
import { BytesCache } from '../util/bytes-cache.js';
import { lookupTable } from '../util/table.js';

const SHORT_NAMES: Record<string, string> = lookupTable({
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
});

/** One attribute of a distinguished name, its value decoded to text when it is a string type. */
export interface NameAttribute {
  readonly type: string;
  readonly value: string;
  /**
   * The attribute compared per RFC 5280 7.1 (RFC 4518 case folding and insignificant space handling):
   * `type=prepared text` for a string value, `type#hex` for any other (the two forms cannot collide).
   */
  readonly matchKey: string;
}

/**
 * An X.501 Name as read from a certificate or CRL: its RDNs in encoded order,
 * each the set of its attributes (a multi-valued RDN has several, in encoded
 * order), a printable RFC 4514-style string (multi-valued RDNs joined by `+`),
 * and a comparison key that follows RFC 5280 7.1: the same RDNs in the same
 * order, two RDNs matching when they hold the same attributes in any order.
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

/**
 * A Name held by pkijs. pkijs keeps only a flat list of attributes, so the
 * Name is read from its encoding (the bytes it was parsed from, which pkijs
 * keeps), where the RDN structure is.
 */
export function readName(name: pkijs.RelativeDistinguishedNames): DistinguishedName {
  // Encoded afresh: a Name built in code has no decoded bytes (its schema's valueBeforeDecodeView is empty).
  return readNameNode(decodeWhole(new Uint8Array(name.toSchema().toBER(false)), 'Name'), 'Name');
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

/** asn1js's UTF8String decoder: strict, the BOM kept (a value it cannot decode goes to asn1js itself). */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text asn1js gives a located PrintableString, IA5String (each octet a character: asn1js's
 * simple string block, which refuses none) or UTF8String that decodes strictly; undefined for anything
 * else (asn1js decodes it). A certificate's own subject holds new values (its holder's name and serial
 * number), so decoding them with asn1js was most of reading a new certificate's Name (#19).
 */
function locatedStringText(el: DerElement): AttributeValueText | undefined {
  if (!(el instanceof TlvElement) || el.tagClass !== UNIVERSAL || el.constructed) return undefined;
  const n = el.tagNumber;
  if (n !== PRINTABLE_STRING && n !== IA5_STRING && n !== UTF8_STRING) return undefined;
  const c = el.content('AttributeValue');
  // Longer values (none in a real Name) keep asn1js's handling, errors included.
  if (c.length > 1024) return undefined;
  if (n !== UTF8_STRING) return { text: String.fromCharCode(...c), isString: true };
  try {
    return { text: strictUtf8.decode(c), isString: true };
  } catch {
    return undefined;
  }
}
const UTF8_STRING = 12;
const PRINTABLE_STRING = 19;
const IA5_STRING = 22;

/**
 * A Name from its element, header-walked or decoded (readNameNode's result for
 * the same encoding). A whole Name that recurs (an issuer) is read once.
 */
export function readNameElement(el: DerElement | undefined, what: string): DistinguishedName {
  if (!isUniversal(el, TAG.sequence) || !el.constructed) throw new InputFormatError(`${what}: expected a SEQUENCE`);
  const bytes = el.encoding;
  const hit = nameMemo.get(bytes);
  if (hit) return hit;
  const rdns: AttributeText[][] = [];
  for (const rdn of seqOf(el, what)) {
    const attributes: AttributeText[] = [];
    for (const atv of setOf(rdn, what)) {
      const parts = seqOf(atv, what);
      if (parts.length !== 2) throw new InputFormatError(`${what}: AttributeTypeAndValue must have a type and a value`);
      attributes.push({ type: oidOf(parts[0], what), ...(locatedStringText(parts[1]!) ?? attributeValueMemo.get(parts[1]!, what)) });
    }
    rdns.push(attributes);
  }
  const name = nameFromRdns(rdns);
  nameMemo.set(bytes, name);
  return name;
}

interface AttributeText {
  readonly type: string;
  readonly text: string;
  readonly isString: boolean;
}

function nameFromRdns(input: readonly (readonly AttributeText[])[]): DistinguishedName {
  const rdns = input.map((rdn) => rdn.map(({ type, text, isString }) => ({ type, value: text, matchKey: isString ? `${type}=${normalizeForMatch(text)}` : `${type}#${text.slice(1)}` })));
  const textOut = [...rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${SHORT_NAMES[a.type] ?? a.type}=${escapeRdnValue(a.value)}`).join('+'))
    .join(', ');
  return { rdns, text: textOut, key: JSON.stringify(rdnMatchKeys(rdns)) };
}

function escapeRdnValue(v: string): string {
  return v.replace(/([,+"\\<>;])/g, '\\$1');
}

export function nameAttribute(name: DistinguishedName, type: string): string | undefined {
  for (const rdn of name.rdns) for (const a of rdn) if (a.type === type) return a.value;
  return undefined;
}

/**
 * One comparison key per RDN, in order: the RDN's attribute match keys sorted
 * (RFC 5280 7.1: an RDN matches another with the same attributes in any order)
 * and encoded unambiguously.
 */
function rdnMatchKeys(rdns: readonly (readonly NameAttribute[])[]): string[] {
  return rdns.map((rdn) => JSON.stringify(rdn.map((a) => a.matchKey).sort()));
}

/**
 * RFC 5280 4.2.1.10 directoryName subtree: the RDNs of `base` are the first RDNs
 * of `name`, each matching as a whole (an empty base is everything). A
 * multi-valued RDN in `name` matches only an RDN of `base` with exactly its
 * attributes: `O=Good Org` does not cover `O=Good Org+O=Evil Corp`.
 */
export function isWithinSubtree(name: DistinguishedName, base: DistinguishedName): boolean {
  if (base.rdns.length > name.rdns.length) return false;
  const n = rdnMatchKeys(name.rdns);
  const b = rdnMatchKeys(base.rdns);
  return b.every((k, i) => n[i] === k);
}

export function isEmptyName(name: DistinguishedName): boolean {
  return name.rdns.length === 0;
}
