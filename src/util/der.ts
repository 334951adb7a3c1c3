import * as asn1js from 'asn1js';
import { InputFormatError, LimitExceededError } from '../errors.js';
import { concatBytes, copyBytes } from './bytes.js';
import { BytesCache } from './bytes-cache.js';
import { decodeWhole, tlvAt, tlvChildren, type Asn1Node, type TlvRange } from './asn1-tree.js';
import { mapped } from './list.js';

/**
 * One element of a BER/DER structure, wherever it came from: located in the
 * input by reading tag and length headers (`TlvElement`, the fast path that
 * decodes nothing), or a node asn1js has already decoded (`Asn1Element`, for
 * input the header walk does not follow, such as BER indefinite lengths).
 * Readers of CMS and X.509 structures are written once against this view.
 *
 * Values are never decoded by hand: primitive contents that are plain bytes
 * (OCTET STRING, INTEGER magnitude, BIT STRING) are taken as they are, and
 * everything else (OIDs, times, strings, Names) is decoded by asn1js from the
 * element's exact encoding, through a `DecodeMemo` where the same encodings
 * recur (a signer's issuer name, algorithm identifiers, attribute types).
 */
export interface DerElement {
  /** 1 universal, 2 application, 3 context-specific, 4 private (asn1js's numbering). */
  readonly tagClass: number;
  readonly tagNumber: number;
  readonly constructed: boolean;
  /** The exact bytes of the element (identifier, length, contents), never re-encoded. */
  readonly encoding: Uint8Array;
  /** The elements inside a constructed element; throws InputFormatError naming `what` otherwise. */
  children(what: string): readonly DerElement[];
  /** The content octets of a primitive element; throws InputFormatError naming `what` otherwise. */
  content(what: string): Uint8Array;
}

export const UNIVERSAL = 1;
export const CONTEXT = 3;
export const TAG = { boolean: 1, integer: 2, bitString: 3, octetString: 4, null: 5, oid: 6, utcTime: 23, generalizedTime: 24, sequence: 16, set: 17 } as const;

const fail = (what: string, detail: string): never => {
  throw new InputFormatError(`${what}: ${detail}`);
};

/**
 * How many elements a walk may still visit; shared by every element of one
 * walk and charged per element located, so the same input meets the same
 * limit whatever the caches (certificates, DecodeMemo) already hold.
 */
export class ElementBudget {
  constructor(
    private remaining: number,
    readonly limitName: string,
    readonly limit: number = remaining,
  ) {}

  charge(n: number): void {
    this.remaining -= n;
    if (this.remaining < 0) throw new LimitExceededError(this.limitName, this.limit);
  }

  get left(): number {
    return Math.max(this.remaining, 0);
  }
}

/** An element located by header walking in `bytes`; children are located (and charged) when asked for. */
export class TlvElement implements DerElement {
  private kids?: readonly TlvElement[];

  private constructor(
    private readonly bytes: Uint8Array,
    readonly range: TlvRange,
    private readonly budget: ElementBudget,
  ) {}

  /** `bytes` as exactly one element, or undefined when the header walk cannot follow it (the caller decodes it instead). */
  static of(bytes: Uint8Array, budget: ElementBudget): TlvElement | undefined {
    const r = tlvAt(bytes, 0, bytes.length);
    if (!r || r.end !== bytes.length || !identifierAllowed(r.tag)) return undefined;
    budget.charge(1);
    return new TlvElement(bytes, r, budget);
  }

  get tagClass(): number {
    return (this.range.tag >> 6) + 1;
  }
  get tagNumber(): number {
    return this.range.tag & 0x1f;
  }
  get constructed(): boolean {
    return (this.range.tag & 0x20) !== 0;
  }
  get encoding(): Uint8Array {
    return this.bytes.subarray(this.range.start, this.range.end);
  }

  children(what: string): readonly TlvElement[] {
    if (this.kids) return this.kids;
    if (!this.constructed) return fail(what, 'expected a constructed element');
    const ranges = tlvChildren(this.bytes, this.range, this.budget.left + 1);
    // Not tiling its contents with definite-length elements, or an identifier X.690 forbids: the caller's full decode reports it.
    if (!ranges || !ranges.every((r) => identifierAllowed(r.tag))) throw new NotWalkable(what);
    this.budget.charge(ranges.length);
    return (this.kids = mapped(ranges, (r) => new TlvElement(this.bytes, r, this.budget)));
  }

  content(what: string): Uint8Array {
    if (this.constructed) return fail(what, 'expected a primitive element');
    return this.bytes.subarray(this.range.contentStart, this.range.end);
  }
}

/**
 * X.690 rules on the identifier octet alone, which asn1js enforces while
 * decoding and so must the walk: universal 0 (end-of-contents) has no place in
 * a definite-length encoding, universal 15 is reserved, and BOOLEAN, INTEGER,
 * NULL, OBJECT IDENTIFIER, REAL, RELATIVE-OID, TIME, UTCTime and
 * GeneralizedTime are primitive only (8.2-8.6, 8.19-8.20, 8.25).
 */
function identifierAllowed(tag: number): boolean {
  if (tag >> 6 !== 0) return true;
  const n = tag & 0x1f;
  if (n === 0 || n === 15) return false;
  return !(tag & 0x20) || !PRIMITIVE_ONLY.has(n);
}
const PRIMITIVE_ONLY = new Set([1, 2, 5, 6, 9, 13, 14, 23, 24]);

/** The header walk met a form it does not follow (indefinite length, high tag number, a forbidden identifier): decode the input instead. */
export class NotWalkable extends InputFormatError {
  constructor(what: string) {
    super(`${what}: an encoding the header walk does not follow`);
  }
}

/** A node asn1js decoded, seen through DerElement. */
export class Asn1Element implements DerElement {
  constructor(readonly node: Asn1Node) {}

  get tagClass(): number {
    return this.node.idBlock.tagClass;
  }
  get tagNumber(): number {
    return this.node.idBlock.tagNumber;
  }
  get constructed(): boolean {
    return this.node.idBlock.isConstructed;
  }
  get encoding(): Uint8Array {
    return this.node.valueBeforeDecodeView;
  }
  children(what: string): readonly DerElement[] {
    const v = this.constructed ? (this.node.valueBlock as unknown as { value?: Asn1Node[] }).value : undefined;
    return Array.isArray(v) ? mapped(v, (n) => new Asn1Element(n)) : fail(what, 'expected a constructed element');
  }
  /** The content octets as encoded, as TlvElement gives them (asn1js's valueHexView drops a BIT STRING's first octet). */
  content(what: string): Uint8Array {
    if (this.constructed) return fail(what, 'expected a primitive element');
    return this.node.valueBeforeDecodeView.subarray(this.node.idBlock.blockLength + this.node.lenBlock.blockLength);
  }
}

export function isUniversal(el: DerElement | undefined, tagNumber: number): el is DerElement {
  return el !== undefined && el.tagClass === UNIVERSAL && el.tagNumber === tagNumber;
}

/** True when `el` carries context-specific tag [n] (EXPLICIT or IMPLICIT). */
export function isContextTag(el: DerElement | undefined, n: number): el is DerElement {
  return el !== undefined && el.tagClass === CONTEXT && el.tagNumber === n;
}

const NAMES: Record<number, string> = { 1: 'a BOOLEAN', 2: 'an INTEGER', 3: 'a BIT STRING', 4: 'an OCTET STRING', 5: 'a NULL', 6: 'an OBJECT IDENTIFIER', 16: 'a SEQUENCE', 17: 'a SET' };

/** The elements of a universal SEQUENCE or SET. */
export function elementsTagged(el: DerElement | undefined, tagNumber: typeof TAG.sequence | typeof TAG.set, what: string): readonly DerElement[] {
  if (!isUniversal(el, tagNumber) || !el.constructed) return fail(what, `expected ${NAMES[tagNumber]}`);
  return el.children(what);
}

export const seqOf = (el: DerElement | undefined, what: string) => elementsTagged(el, TAG.sequence, what);
export const setOf = (el: DerElement | undefined, what: string) => elementsTagged(el, TAG.set, what);

/** The content octets of a primitive universal element of `tagNumber`. */
export function primitiveOf(el: DerElement | undefined, tagNumber: number, what: string): Uint8Array {
  if (!isUniversal(el, tagNumber) || el.constructed) return fail(what, `expected a primitive ${(NAMES[tagNumber] ?? 'element').replace(/^an? /, '')}`);
  return el.content(what);
}

/** The single element inside an EXPLICIT [n] tag. */
export function explicitOf(el: DerElement | undefined, n: number, what: string): DerElement {
  if (!isContextTag(el, n)) return fail(what, `expected [${n}]`);
  const inner = el.children(what);
  if (inner.length !== 1) fail(what, `expected one element inside [${n}]`);
  return inner[0]!;
}

/**
 * The bytes a hash or digest held in an OCTET STRING is compared with: a primitive one's contents, and
 * nothing for the constructed form (BER only, which asn1js's valueHexView also leaves empty): such a
 * value never equals a digest, so it fails the comparison rather than being reassembled.
 */
export function octetStringBytes(el: DerElement | undefined, what: string): Uint8Array {
  if (!isUniversal(el, TAG.octetString)) return fail(what, 'expected an OCTET STRING');
  return el.constructed ? new Uint8Array(0) : el.content(what);
}

/**
 * An OCTET STRING's value: the contents of the primitive form, or the
 * concatenated segments of BER's constructed form (each segment itself an
 * OCTET STRING, X.690 8.7.3).
 */
export function octetsOf(el: DerElement | undefined, what: string): Uint8Array {
  if (!isUniversal(el, TAG.octetString)) return fail(what, 'expected an OCTET STRING');
  if (!el.constructed) return el.content(what);
  const parts: Uint8Array[] = [];
  const collect = (e: DerElement) => {
    if (!isUniversal(e, TAG.octetString)) fail(what, 'a segment of a constructed OCTET STRING is not an OCTET STRING');
    if (e.constructed) for (const c of e.children(what)) collect(c);
    else parts.push(e.content(what));
  };
  collect(el);
  return concatBytes(parts);
}

/**
 * Decoded values by exact encoding, for encodings that recur across inputs.
 * A miss decodes a private copy of the bytes (so no result pins the caller's
 * buffer); decoding errors are not remembered. Values are shared between
 * callers and must be treated as immutable. Limits are not charged here: a
 * header walk (`locateAll`) counts the elements of what it located, and
 * asn1js's own bounds cap what one decode may build.
 */
export class DecodeMemo<V> {
  private readonly cache: BytesCache<{ readonly value: V }>;

  constructor(
    private readonly decode: (node: Asn1Node, what: string) => V,
    capacity = 4096,
    /** Longer encodings are decoded every time (they rarely recur and would make large keys). */
    maxKeyBytes = 1024,
  ) {
    this.cache = new BytesCache(capacity, maxKeyBytes);
  }

  /** `privateNode`: `el` as asn1js already decoded it from a private copy of its bytes (asn1Of's), saving a second decode. */
  get(el: DerElement, what: string, privateNode?: Asn1Node): V {
    const bytes = el.encoding;
    if (!this.cache.holds(bytes)) return this.decode(el instanceof Asn1Element ? el.node : (privateNode ?? decodeWhole(copyBytes(bytes), what)), what);
    const hit = this.cache.get(bytes);
    if (hit) return hit.value;
    // Decoded from a private copy even when asn1js already decoded it: what is remembered must not pin the caller's buffer.
    const value = this.decode(privateNode ?? decodeWhole(copyBytes(bytes), what), what);
    this.cache.set(bytes, { value });
    return value;
  }
}

const oidMemo = new DecodeMemo((node, what) => {
  if (!(node instanceof asn1js.ObjectIdentifier) || node.idBlock.isConstructed) return fail(what, 'expected an OBJECT IDENTIFIER');
  return node.valueBlock.toString();
});

/** An OBJECT IDENTIFIER in dotted form (each distinct encoding decoded once). */
export function oidOf(el: DerElement | undefined, what: string): string {
  if (!isUniversal(el, TAG.oid) || el.constructed) return fail(what, 'expected an OBJECT IDENTIFIER');
  return (el instanceof TlvElement ? derOidText(el.content(what)) : undefined) ?? oidMemo.get(el, what);
}

/**
 * The dotted form of OBJECT IDENTIFIER contents in DER (every arc in its shortest form, the last one complete),
 * with arcs below 2^40, as asn1js writes it (the first subidentifier split into 0.x, 1.x or 2.x); undefined for
 * anything else, which asn1js then decodes. A certificate's OIDs were most of asn1js's work in a one-file CLI verify,
 * and decoding them compiled its OID classes on every start (#19 cliStart). test/der-oid-fast.test.ts compares both.
 */
export function derOidText(c: Uint8Array): string | undefined {
  if (c.length === 0 || c.length > 128) return undefined;
  let text = '';
  let arc = 0;
  let atStart = true;
  for (let i = 0; i < c.length; i++) {
    const b = c[i]!;
    if (atStart && b === 0x80) return undefined; // a leading 0x80: not the shortest form
    arc = arc * 128 + (b & 0x7f);
    if (arc >= 2 ** 40) return undefined;
    atStart = (b & 0x80) === 0;
    if (!atStart) continue;
    text += text === '' ? (arc < 40 ? `0.${arc}` : arc < 80 ? `1.${arc - 40}` : `2.${arc - 80}`) : `.${arc}`;
    arc = 0;
  }
  return atStart ? text : undefined;
}

const smallIntMemo = new DecodeMemo((node, what) => {
  if (!(node instanceof asn1js.Integer) || node.idBlock.isConstructed) return fail(what, 'expected an INTEGER');
  return node.valueBlock.valueDec;
});

/** An INTEGER that fits a JS number (versions, small counts). */
export function smallIntegerOf(el: DerElement | undefined, what: string): number {
  if (!isUniversal(el, TAG.integer) || el.constructed) return fail(what, 'expected an INTEGER');
  // One content octet (versions): its two's-complement value, as asn1js reads it.
  const one = el instanceof TlvElement ? el.content(what) : undefined;
  if (one?.length === 1) return one[0]! < 0x80 ? one[0]! : one[0]! - 0x100;
  return smallIntMemo.get(el, what);
}

/**
 * UTCTime or GeneralizedTime as asn1js reads it (times rarely recur, so no memo). The DER forms
 * RFC 5280 4.1.2.5 prescribes (YYMMDDHHMMSSZ, YYYYMMDDHHMMSSZ) are read from the located bytes with
 * the same arithmetic as asn1js (two-digit years 50-99 in the 1900s, fields passed to Date.UTC as
 * written, out-of-range fields rolling over as they do there); anything else is decoded by asn1js.
 * Decoding two times per certificate was ~11% of loading a 5,000-certificate list (#19).
 */
export function timeOf(el: DerElement | undefined, what: string): Date {
  if (el && el.tagClass === UNIVERSAL && (el.tagNumber === TAG.utcTime || el.tagNumber === TAG.generalizedTime) && !el.constructed) {
    if (!(el instanceof Asn1Element)) {
      const fast = derTime(el.content(what), el.tagNumber === TAG.utcTime);
      if (fast) return fast;
    }
    const node = el instanceof Asn1Element ? el.node : decodeWhole(el.encoding, what);
    return (node as asn1js.UTCTime | asn1js.GeneralizedTime).toDate();
  }
  return fail(what, 'expected UTCTime or GeneralizedTime');
}

/** The value of a UTCTime (13 octets) or GeneralizedTime (15 octets) of digits ending in Z, else undefined. */
function derTime(c: Uint8Array, utc: boolean): Date | undefined {
  const digits = utc ? 12 : 14;
  if (c.length !== digits + 1 || c[digits] !== 0x5a) return undefined;
  for (let i = 0; i < digits; i++) if (c[i]! < 0x30 || c[i]! > 0x39) return undefined;
  const o = utc ? 0 : 2;
  const year = utc ? (twoDigits(c, 0) >= 50 ? 1900 + twoDigits(c, 0) : 2000 + twoDigits(c, 0)) : twoDigits(c, 0) * 100 + twoDigits(c, 2);
  return new Date(Date.UTC(year, twoDigits(c, o + 2) - 1, twoDigits(c, o + 4), twoDigits(c, o + 6), twoDigits(c, o + 8), twoDigits(c, o + 10)));
}

/** Two ASCII digits at `i` as a number (a module function: a closure per call showed in the profile). */
function twoDigits(c: Uint8Array, i: number): number {
  return (c[i]! - 0x30) * 10 + (c[i + 1]! - 0x30);
}

// Signed attribute values: a few recur per signer, two per signature (digest, time) never do; 1,024 keeps the
// recurring ones (each use moves them to the young generation) while bounding asn1js trees held to ~2 MB.
const nodeMemo = new DecodeMemo((node) => node, 1024);

/**
 * Located elements asn1js was found to accept, by exact encoding (string
 * attribute values of an issuer's Name recur); the value is only the verdict.
 */
const acceptedMemo = new DecodeMemo(() => true, 4096, 256);

/**
 * Throws InputFormatError exactly when asn1js would refuse to decode `el`, without building its tree for the
 * common cases: framing was checked when the walk located `el` (every element inside was located, as locateAll
 * does), and asn1js adds no check of its own for SEQUENCE, SET, tagged elements, or the bytes of a primitive
 * OCTET STRING or INTEGER (it keeps them as they are; a failed look for BER inside an OCTET STRING is
 * swallowed). An OBJECT IDENTIFIER is decoded by asn1js through the OID memo, a DER time in the form timeOf
 * reads is accepted, and every other element (strings, BOOLEAN, NULL, BIT STRING, constructed strings) is
 * decoded by asn1js alone, once per distinct encoding. An element asn1js already decoded passes.
 */
export function checkDecodable(el: DerElement, what: string): void {
  if (!(el instanceof TlvElement)) return;
  if (el.constructed) {
    if (el.tagClass !== UNIVERSAL || el.tagNumber === TAG.sequence || el.tagNumber === TAG.set) {
      for (const c of el.children(what)) checkDecodable(c, what);
      return;
    }
  } else if (el.tagClass !== UNIVERSAL) {
    return;
  } else {
    switch (el.tagNumber) {
      case TAG.octetString:
      case TAG.integer:
        return;
      case TAG.oid:
        oidOf(el, what);
        return;
      case TAG.utcTime:
      case TAG.generalizedTime:
        if (derTime(el.content(what), el.tagNumber === TAG.utcTime)) return;
        break;
    }
  }
  acceptedMemo.get(el, what);
}

/**
 * The asn1js node for `el`: the decoded node itself, or the element's
 * encoding decoded by asn1js (once per distinct small encoding). Throws
 * InputFormatError when asn1js refuses the encoding.
 */
export function asn1Of(el: DerElement, what: string): Asn1Node {
  return el instanceof Asn1Element ? el.node : nodeMemo.get(el, what);
}

/** asn1Of's node when it is a private decode (not a view of the caller's buffer), for DecodeMemo.get's `privateNode`. */
export function privateAsn1Of(el: DerElement, what: string): Asn1Node | undefined {
  return el instanceof Asn1Element ? undefined : nodeMemo.get(el, what);
}

/**
 * Locates every element inside `el` (header walk only), charging each to the
 * walk's budget and allowing at most `depthLeft` levels of nesting below `el`
 * (as asn1js's maxDepth does for a root): after this, reading any part of
 * `el` can no longer meet a limit or a framing error. Elements asn1js decoded
 * were bounded when they were decoded.
 */
export function locateAll(el: DerElement, depthLeft: number, depthLimit: { readonly name: string; readonly max: number }): void {
  if (!(el instanceof TlvElement) || !el.constructed) return;
  if (depthLeft <= 0) throw new LimitExceededError(depthLimit.name, depthLimit.max);
  for (const c of el.children('element')) locateAll(c, depthLeft - 1, depthLimit);
}

/**
 * Elements and nesting depth (root = 1) of the single element filling
 * `bytes`, by header walk; undefined when the walk cannot follow it or it
 * exceeds `maxElements` / `maxDepth` levels (the caller then decodes it, which
 * reports the problem). By default it counts structure only, so the figure
 * never depends on guesses. With `countEmbedded` it also counts, as asn1js's
 * embedded parsing does, the elements inside a primitive OCTET STRING, or a
 * BIT STRING with no unused bits, whose contents are exactly one walkable
 * element (a lower bound of asn1js's count, which adds its failed attempts).
 */
export function measureTlv(bytes: Uint8Array, maxElements: number, maxDepth: number, countEmbedded = false): { readonly nodes: number; readonly depth: number } | undefined {
  let nodes = 0;
  let depth = 0;
  let over = false;
  const visit = (r: TlvRange, d: number): boolean => {
    if (++nodes > maxElements || d > maxDepth) {
      over = true;
      return false;
    }
    if (d > depth) depth = d;
    if (r.tag & 0x20) {
      const kids = tlvChildren(bytes, r, bytes.length);
      return kids !== undefined && kids.every((k) => visit(k, d + 1));
    }
    if (!countEmbedded) return true;
    let at = r.contentStart;
    if (r.tag === 0x03 && r.end - at >= 2 && bytes[at] === 0) at++;
    else if (r.tag !== 0x04 || r.end === at) return true;
    const inner = tlvAt(bytes, at, r.end);
    if (inner && inner.end === r.end) {
      const before = nodes;
      // Contents that are not one walkable element are not counted: asn1js keeps them as bytes.
      if (!visit(inner, d + 1)) {
        if (over) return false;
        nodes = before;
      }
    }
    return true;
  };
  const root = tlvAt(bytes, 0, bytes.length);
  return root && root.end === bytes.length && visit(root, 1) ? { nodes, depth } : undefined;
}
