import type * as pkijs from 'pkijs';
import { toHex } from '../util/bytes.js';

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

function attributeValueText(value: unknown): { text: string; isString: boolean } {
  const v = value as { valueBlock?: { value?: unknown; valueHexView?: Uint8Array } };
  const inner = v?.valueBlock?.value;
  if (typeof inner === 'string') return { text: inner, isString: true };
  const hex = v?.valueBlock?.valueHexView;
  return { text: hex ? '#' + toHex(hex) : '', isString: false };
}

function normalizeForMatch(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function readName(name: pkijs.RelativeDistinguishedNames): DistinguishedName {
  // pkijs flattens RDNs; multi-valued RDNs are rare in this domain and are kept as separate attributes.
  const rdns: NameAttribute[][] = [];
  const keyParts: string[] = [];
  for (const tv of name.typesAndValues) {
    const { text, isString } = attributeValueText(tv.value);
    rdns.push([{ type: tv.type, value: text }]);
    keyParts.push(`${tv.type}=${isString ? normalizeForMatch(text) : text}`);
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
