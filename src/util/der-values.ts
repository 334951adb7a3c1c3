import * as asn1js from 'asn1js';
import { InputFormatError } from '../errors.js';
import { decodeWhole } from './asn1-tree.js';
import { Asn1Element, DecodeMemo, TAG, TlvElement, isUniversal, measureTlv, primitiveOf, type DerElement, type ElementBudget } from './der.js';

/**
 * The X.509 side of the DerElement readers (src/util/der.ts has the element
 * views and the readers CMS shares): BOOLEAN and BIT STRING values, the choice
 * between the two element views for nested encodings (an extension's
 * extnValue, a key inside a BIT STRING) and asn1js-compatible size checks.
 * Same rule as der.ts: contents that are plain bytes are taken as located,
 * anything with structure is decoded by asn1js.
 */

const fail = (what: string, detail: string): never => {
  throw new InputFormatError(`${what}: ${detail}`);
};

/**
 * `bytes` (one complete element) as a DerElement: located by header walking
 * and charged to `budget`, or, when there is no budget (the caller is on the
 * decoded path) or the walk cannot follow the header, decoded by asn1js,
 * which reports malformed input and trailing data.
 */
export function elementOf(bytes: Uint8Array, what: string, budget: ElementBudget | undefined): DerElement {
  const walked = budget && TlvElement.of(bytes, budget);
  return walked ?? new Asn1Element(decodeWhole(bytes, what));
}

const booleanMemo = new DecodeMemo((node, what) => {
  if (!(node instanceof asn1js.Boolean) || node.idBlock.isConstructed) return fail(what, 'expected a primitive BOOLEAN');
  return node.getValue();
}, 16);

/** A BOOLEAN's value as asn1js reads it (any non-zero octet is TRUE). */
export function booleanOf(el: DerElement | undefined, what: string): boolean {
  if (!isUniversal(el, TAG.boolean) || el.constructed) return fail(what, 'expected a primitive BOOLEAN');
  return booleanMemo.get(el, what);
}

/**
 * A primitive BIT STRING's bits, without the leading unused-bits octet (as
 * asn1js's valueHexView). The unused-bits count is checked as asn1js checks it
 * (0..7); an empty encoding is an empty value, as asn1js reads it.
 */
export function bitStringOf(el: DerElement | undefined, what: string): Uint8Array {
  const content = primitiveOf(el, TAG.bitString, what);
  if (content.length === 0) return content;
  if (content[0]! > 7) fail(what, 'Unused bits for BitString must be in range 0-7');
  return content.subarray(1);
}

/**
 * Decodes `el` with asn1js only to refuse what a full decode would refuse, for
 * elements that are present but not read (a decoded element was checked already).
 */
export function checkDecodes(el: DerElement, what: string): void {
  if (!(el instanceof Asn1Element)) decodeWhole(el.encoding, what);
}

/**
 * Whether `bytes` (one element) stays within `maxNodes` elements and
 * `maxDepth` levels as asn1js would count them, judged by header walking
 * (measureTlv counting embedded encodings: a lower bound of asn1js's count),
 * so callers pass limits well below asn1js's and let asn1js decide whatever
 * does not fit. False also when the walk cannot follow `bytes`.
 */
export function fitsDecodeLimits(bytes: Uint8Array, maxNodes: number, maxDepth: number): boolean {
  return measureTlv(bytes, maxNodes, maxDepth, true) !== undefined;
}
