import { LimitExceededError } from '../errors.js';
import { nextInDocumentOrder } from './dom-walk.js';

/**
 * A total work budget for one document (`Limits.maxXmlWork`). Each bounded
 * limit (references, certificates, signatures, bytes) is harmless alone, but
 * their product is not: 32 signatures × 64 references × a 200 KB document is
 * 400 MB of canonicalization. Every costly step charges the budget *before* it
 * runs, so a hostile document fails fast with a LimitExceededError instead of
 * running for minutes. One unit is about one byte of canonical output or
 * digest input (see `XML_WORK` for the per-item charges).
 */
export class WorkBudget {
  #used = 0;
  constructor(
    readonly max: number,
    readonly limit = 'xml.work',
  ) {}

  get used(): number {
    return this.#used;
  }

  /** Adds `units` of work about to be done; throws when the total would exceed the maximum. */
  charge(units: number, what: string): void {
    this.#used += units;
    if (this.#used > this.max) {
      throw new LimitExceededError(this.limit, this.max, `limit ${this.limit} exceeded (max ${this.max} units) while ${what}: the document asks for more XML work than allowed`);
    }
  }
}

/**
 * Per-item charges, in units of about one character canonicalized (xmldsigjs C14N here: ~0.2 µs per
 * character of text, ~8 µs per element of a subtree, ~30x slower than SHA-256 per byte).
 */
export const XML_WORK = {
  /** Each node (element, attribute, text, comment, PI) an operation visits. */
  node: 48,
  /** Bytes digested per unit. */
  digestBytesPerUnit: 4,
  /** Each certificate parsed, on top of its DER length (ASN.1 decoding, name and extension reading). */
  certificate: 4096,
} as const;

/**
 * The work of canonicalizing (or reading the text of) the subtree at `root`,
 * without the subtrees in `exclude`: nodes × `XML_WORK.node` plus the
 * characters of names, text and attribute values. The walk itself is charged as
 * it goes (in chunks), so even estimating a huge subtree stops at the budget.
 */
export function chargeSubtree(budget: WorkBudget, root: Node, what: string, exclude?: ReadonlySet<Node>): void {
  const CHUNK = 65_536;
  let pending = 0;
  // Document order by the DOM's own links (nextInDocumentOrder): no work item per node.
  for (let n: Node | null = root; n; ) {
    const skip = exclude !== undefined && exclude.has(n);
    if (!skip) {
      pending += XML_WORK.node + (n.nodeType === 1 ? (n as Element).nodeName.length : (n.nodeValue?.length ?? 0));
      if (n.nodeType === 1) {
        const attrs = (n as Element).attributes;
        for (let i = 0; i < attrs.length; i++) {
          const a = attrs.item(i)!;
          pending += XML_WORK.node + a.name.length + a.value.length;
        }
      }
      if (pending >= CHUNK) {
        budget.charge(pending, what);
        pending = 0;
      }
    }
    n = nextInDocumentOrder(n, root, !skip);
  }
  budget.charge(pending, what);
}
