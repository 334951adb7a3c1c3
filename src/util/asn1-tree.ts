import * as asn1js from 'asn1js';
import { toArrayBuffer, concatBytes } from './bytes.js';
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
  return concatBytes([new Uint8Array([0x31, ...lenBytes]), ...sorted]);
}

/**
 * Where one element sits in a buffer: its first identifier octet and the byte
 * ranges of the whole element and of its contents. Produced by header walking
 * (reading tag and length octets only); nothing inside is decoded.
 */
export interface TlvRange {
  /** The identifier octet (class, constructed bit, low tag number). */
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/**
 * The header of the element at `at`, which must end by `limit`; undefined for
 * every form the walk does not follow (indefinite length, high tag numbers,
 * lengths over 2^32, truncation). Callers then fall back to a full decode,
 * which reports such input properly.
 */
export function tlvAt(bytes: Uint8Array, at: number, limit: number): TlvRange | undefined {
  if (at + 2 > limit) return undefined;
  const tag = bytes[at]!;
  if ((tag & 0x1f) === 0x1f) return undefined;
  let p = at + 1;
  let len = bytes[p++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return undefined;
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + bytes[p++]!;
  }
  if (p + len > limit) return undefined;
  return { tag, start: at, contentStart: p, end: p + len };
}

/**
 * The elements directly inside the constructed element `parent`, which must
 * tile its contents exactly; undefined when they do not or when there are
 * more than `maxElements` of them (the walk is bounded like a decode).
 */
export function tlvChildren(bytes: Uint8Array, parent: TlvRange, maxElements: number): TlvRange[] | undefined {
  if (!(parent.tag & 0x20)) return undefined;
  const out: TlvRange[] = [];
  for (let p = parent.contentStart; p < parent.end; ) {
    if (out.length >= maxElements) return undefined;
    const child = tlvAt(bytes, p, parent.end);
    if (!child) return undefined;
    out.push(child);
    p = child.end;
  }
  return out;
}

/** How many nodes a decoded tree holds (including BER asn1js found inside OCTET/BIT STRINGs) and how deep it goes. */
export function treeSize(node: Asn1Node): { readonly nodes: number; readonly depth: number } {
  let nodes = 0;
  let depth = 0;
  const visit = (n: Asn1Node, d: number) => {
    nodes++;
    if (d > depth) depth = d;
    const v = (n.valueBlock as unknown as { value?: unknown }).value;
    // Other value arrays (an OID's arcs) hold sub-blocks, not nodes.
    if (Array.isArray(v)) for (const c of v) if (c instanceof asn1js.BaseBlock) visit(c, d + 1);
  };
  visit(node, 1);
  return { nodes, depth };
}
