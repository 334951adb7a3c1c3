import * as asn1js from 'asn1js';
import { toArrayBuffer } from './bytes.js';
import { InputFormatError } from '../errors.js';

/**
 * Typed steps over a tree asn1js has already decoded. Validation reads the
 * few fields it needs this way instead of building pkijs objects, whose
 * schema comparison re-creates and compares a whole schema tree per object
 * (the dominant cost of pkijs parsing). asn1js remains the only BER decoder.
 * Every step checks the universal type or context tag and throws
 * InputFormatError naming `what` on a mismatch.
 */
export type Asn1Node = asn1js.AsnType;

const fail = (what: string, detail: string): never => {
  throw new InputFormatError(`${what}: ${detail}`);
};

/** The elements of a constructed node (SEQUENCE, SET or a constructed tagged node). */
export function elementsOf(node: Asn1Node | undefined, what: string): Asn1Node[] {
  if (!node || !node.idBlock.isConstructed) return fail(what, 'expected a constructed element');
  const v = (node.valueBlock as unknown as { value?: Asn1Node[] }).value;
  return Array.isArray(v) ? v : fail(what, 'expected a constructed element');
}

export function sequence(node: Asn1Node | undefined, what: string): Asn1Node[] {
  if (!(node instanceof asn1js.Sequence) || !node.idBlock.isConstructed) return fail(what, 'expected a SEQUENCE');
  return node.valueBlock.value;
}

export function set(node: Asn1Node | undefined, what: string): Asn1Node[] {
  if (!(node instanceof asn1js.Set) || !node.idBlock.isConstructed) return fail(what, 'expected a SET');
  return node.valueBlock.value;
}

export function oid(node: Asn1Node | undefined, what: string): string {
  if (!(node instanceof asn1js.ObjectIdentifier) || node.idBlock.isConstructed) return fail(what, 'expected an OBJECT IDENTIFIER');
  return node.valueBlock.toString();
}

export function integer(node: Asn1Node | undefined, what: string): asn1js.Integer {
  if (!(node instanceof asn1js.Integer) || node.idBlock.isConstructed) return fail(what, 'expected an INTEGER');
  return node;
}

export function octetString(node: Asn1Node | undefined, what: string): asn1js.OctetString {
  if (!(node instanceof asn1js.OctetString) || node.idBlock.isConstructed) return fail(what, 'expected a primitive OCTET STRING');
  return node;
}

export function bitString(node: Asn1Node | undefined, what: string): asn1js.BitString {
  if (!(node instanceof asn1js.BitString) || node.idBlock.isConstructed) return fail(what, 'expected a primitive BIT STRING');
  return node;
}

export function time(node: Asn1Node | undefined, what: string): Date {
  if ((node instanceof asn1js.UTCTime || node instanceof asn1js.GeneralizedTime) && !node.idBlock.isConstructed) return node.toDate();
  return fail(what, 'expected UTCTime or GeneralizedTime');
}

/** A primitive BOOLEAN's value, or undefined when `node` is not a BOOLEAN (for DEFAULT FALSE fields). */
export function optionalBoolean(node: Asn1Node | undefined, what: string): boolean | undefined {
  if (!(node instanceof asn1js.Boolean)) return undefined;
  if (node.idBlock.isConstructed) return fail(what, 'expected a primitive BOOLEAN');
  return node.getValue();
}

/** True when `node` carries context-specific tag [n] (EXPLICIT or IMPLICIT). */
export function isContext(node: Asn1Node | undefined, n: number): boolean {
  return node !== undefined && node.idBlock.tagClass === 3 && node.idBlock.tagNumber === n;
}

/** The single element inside an EXPLICIT [n] tag. */
export function explicit(node: Asn1Node | undefined, n: number, what: string): Asn1Node {
  if (!isContext(node, n)) return fail(what, `expected [${n}]`);
  const inner = elementsOf(node, what);
  if (inner.length !== 1) fail(what, `expected one element inside [${n}]`);
  return inner[0]!;
}

/** The content octets of a primitive node (e.g. an IMPLICIT [n] OCTET STRING). */
export function primitiveContent(node: Asn1Node | undefined, what: string): Uint8Array {
  if (!node || node.idBlock.isConstructed) return fail(what, 'expected a primitive element');
  const v = (node.valueBlock as unknown as { valueHexView?: Uint8Array }).valueHexView;
  return v ?? fail(what, 'expected a primitive element');
}

/** The exact encoding of `node` as it was decoded (a view into the decoded buffer; never re-encoded). */
export function encodingOf(node: Asn1Node): Uint8Array {
  return node.valueBeforeDecodeView;
}

/** Decodes a complete DER/BER value held in `bytes` (no trailing data) or throws InputFormatError. */
export function decodeWhole(bytes: Uint8Array, what: string): Asn1Node {
  const asn = asn1js.fromBER(toArrayBuffer(bytes));
  if (asn.offset === -1) return fail(what, asn.result.error || 'not BER/DER');
  if (asn.offset !== bytes.byteLength) fail(what, `${bytes.byteLength - asn.offset} bytes of trailing data`);
  return asn.result;
}

/** DER of a SET OF with these element encodings: elements sorted as octet strings (X.690 11.6), definite length. */
export function derSetOf(elements: readonly Uint8Array[]): Uint8Array {
  const sorted = [...elements].sort((a, b) => {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  });
  const len = sorted.reduce((s, e) => s + e.length, 0);
  const lenBytes: number[] = [];
  if (len < 0x80) lenBytes.push(len);
  else {
    for (let v = len; v > 0; v = Math.floor(v / 256)) lenBytes.unshift(v & 0xff);
    lenBytes.unshift(0x80 | lenBytes.length);
  }
  const out = new Uint8Array(1 + lenBytes.length + len);
  out[0] = 0x31;
  out.set(lenBytes, 1);
  let o = 1 + lenBytes.length;
  for (const e of sorted) {
    out.set(e, o);
    o += e.length;
  }
  return out;
}
