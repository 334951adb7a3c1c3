import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { readName, type DistinguishedName } from './name.js';
import { copyBytes } from '../util/bytes.js';

/** RFC 5280 4.2.1.6 GeneralName, reduced to the forms path validation compares. */
export type GeneralNameValue =
  | { readonly kind: 'rfc822'; readonly value: string }
  | { readonly kind: 'dns'; readonly value: string }
  | { readonly kind: 'uri'; readonly value: string }
  | { readonly kind: 'directory'; readonly value: DistinguishedName }
  | { readonly kind: 'ip'; readonly value: Uint8Array }
  /** otherName, x400Address, ediPartyName, registeredID: carried so constraints on them are never ignored. */
  | { readonly kind: 'other'; readonly tag: number };

export type GeneralNameKind = GeneralNameValue['kind'];

/** Converts a pkijs GeneralName; returns undefined when its value could not be decoded. */
export function readGeneralName(g: pkijs.GeneralName): GeneralNameValue | undefined {
  switch (g.type) {
    case 1:
    case 2:
    case 6: {
      const v = typeof g.value === 'string' ? g.value : (g.value as asn1js.IA5String | undefined)?.valueBlock?.value;
      if (typeof v !== 'string') return undefined;
      return { kind: g.type === 1 ? 'rfc822' : g.type === 2 ? 'dns' : 'uri', value: v };
    }
    case 4:
      if (g.value instanceof pkijs.RelativeDistinguishedNames) return { kind: 'directory', value: readName(g.value) };
      return undefined;
    case 7:
      if (g.value instanceof asn1js.OctetString) return { kind: 'ip', value: new Uint8Array(g.value.valueBlock.valueHexView) };
      return undefined;
    default:
      return { kind: 'other', tag: g.type };
  }
}

export function readGeneralNames(list: readonly pkijs.GeneralName[] | undefined): GeneralNameValue[] {
  const out: GeneralNameValue[] = [];
  for (const g of list ?? []) {
    const v = readGeneralName(g);
    out.push(v ?? { kind: 'other', tag: g.type });
  }
  return out;
}

export function generalNameText(g: GeneralNameValue): string {
  switch (g.kind) {
    case 'directory':
      return `DN:${g.value.text}`;
    case 'ip':
      return `IP:${formatIp(g.value)}`;
    case 'other':
      return `other[${g.tag}]`;
    default:
      return `${g.kind}:${g.value}`;
  }
}

function formatIp(b: Uint8Array): string {
  if (b.length === 4 || b.length === 8) return [...b].join('.');
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * Decodes one extension value with a pkijs class, or undefined when it does
 * not decode. Path validation reads the few extensions it needs this way so
 * certificates never need their full pkijs form (ParsedCertificate.raw).
 */
export function decodeExtension<T>(value: Uint8Array, type: { fromBER(raw: BufferSource): T }): T | undefined {
  try {
    return type.fromBER(copyBytes(value));
  } catch {
    return undefined;
  }
}

/** subjectAltName entries of a certificate's extension value; undefined when malformed. */
export function subjectAltNames(value: Uint8Array): GeneralNameValue[] | undefined {
  const alt = decodeExtension(value, pkijs.AltName as unknown as { fromBER(raw: BufferSource): pkijs.AltName });
  return alt ? readGeneralNames(alt.altNames) : undefined;
}
