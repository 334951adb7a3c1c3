/**
 * A bounded BER/DER TLV tree for *mutating* fixtures (not for validation):
 * each node keeps its original bytes so untouched subtrees re-serialize
 * byte-for-byte, while edited ones get fresh definite lengths up the tree.
 */
export interface TlvNode {
  /** Identifier octets as found. */
  tag: Uint8Array;
  constructed: boolean;
  /** Content octets of a primitive node. */
  content: Uint8Array;
  /** Children of a constructed node (or of a primitive OCTET/BIT STRING whose content parsed as BER). */
  children: TlvNode[] | null;
  /** The original encoding; cleared when the node or a descendant changes. */
  original: Uint8Array | null;
  /** BIT STRING unused-bits octet kept in front of embedded children. */
  prefix?: Uint8Array;
}

const MAX_NODES = 20_000;
const MAX_DEPTH = 60;

interface Cursor {
  nodes: number;
}

/** Parses `bytes` as one TLV (and any embedded BER in OCTET/BIT STRINGs); undefined when it is not BER. */
export function parseTlv(bytes: Uint8Array): TlvNode | undefined {
  const cur: Cursor = { nodes: 0 };
  try {
    const r = readNode(bytes, 0, bytes.length, 0, cur);
    if (!r || r.end !== bytes.length) return undefined;
    return r.node;
  } catch {
    return undefined;
  }
}

function readNode(b: Uint8Array, off: number, limit: number, depth: number, cur: Cursor): { node: TlvNode; end: number } | undefined {
  if (++cur.nodes > MAX_NODES || depth > MAX_DEPTH || off >= limit) return undefined;
  const start = off;
  const first = b[off++]!;
  const constructed = (first & 0x20) !== 0;
  if ((first & 0x1f) === 0x1f) {
    while (off < limit && b[off]! & 0x80) off++;
    off++;
  }
  if (off >= limit) return undefined;
  const tag = b.slice(start, off);
  const l0 = b[off++]!;
  let len = -1;
  if (l0 < 0x80) len = l0;
  else if (l0 > 0x80) {
    const n = l0 & 0x7f;
    if (n > 4 || off + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[off++]!;
  } else if (!constructed) return undefined;
  if (len >= 0) {
    const end = off + len;
    if (end > limit) return undefined;
    const content = b.slice(off, end);
    let children: TlvNode[] | null = null;
    let prefix: Uint8Array | undefined;
    if (constructed) {
      children = readChildren(b, off, end, depth, cur) ?? null;
      if (!children) return undefined;
    } else if (tag.length === 1 && (first === 0x04 || first === 0x03) && len > 2) {
      // Embedded BER (eContent, extension values, public keys): parse it when it parses cleanly.
      const inner = first === 0x03 ? content.subarray(1) : content;
      const kids = tryChildren(inner, depth, cur);
      if (kids) {
        children = kids;
        if (first === 0x03) prefix = content.subarray(0, 1);
      }
    }
    return { node: { tag, constructed, content, children, original: b.slice(start, end), prefix }, end };
  }
  // Indefinite length: children until an end-of-contents.
  const children: TlvNode[] = [];
  while (true) {
    if (off + 2 > limit) return undefined;
    if (b[off] === 0 && b[off + 1] === 0) {
      off += 2;
      break;
    }
    const r = readNode(b, off, limit, depth + 1, cur);
    if (!r) return undefined;
    children.push(r.node);
    off = r.end;
  }
  return { node: { tag, constructed, content: new Uint8Array(), children, original: b.slice(start, off) }, end: off };
}

function readChildren(b: Uint8Array, off: number, end: number, depth: number, cur: Cursor): TlvNode[] | undefined {
  const out: TlvNode[] = [];
  while (off < end) {
    const r = readNode(b, off, end, depth + 1, cur);
    if (!r) return undefined;
    out.push(r.node);
    off = r.end;
  }
  return out;
}

function tryChildren(inner: Uint8Array, depth: number, cur: Cursor): TlvNode[] | undefined {
  if (inner.length < 2 || (inner[0] !== 0x30 && inner[0] !== 0x31)) return undefined;
  const saved = cur.nodes;
  const kids = readChildren(inner, 0, inner.length, depth, cur);
  if (!kids) cur.nodes = saved;
  return kids;
}

export function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

import { concatBytes as concat } from '../../src/util/bytes.js';

export { concat };

export function serialize(n: TlvNode): Uint8Array {
  if (n.original) return n.original;
  let content: Uint8Array;
  if (n.children && (n.constructed || n.children.length || n.prefix)) {
    content = concat([...(n.prefix ? [n.prefix] : []), ...n.children.map(serialize)]);
  } else content = n.content;
  return concat([n.tag, encodeLength(content.length), content]);
}

/** Every node with its parent chain (root first), for picking mutation targets. */
export function allNodes(root: TlvNode): { node: TlvNode; ancestors: TlvNode[] }[] {
  const out: { node: TlvNode; ancestors: TlvNode[] }[] = [];
  const walk = (n: TlvNode, anc: TlvNode[]) => {
    out.push({ node: n, ancestors: anc });
    for (const c of n.children ?? []) walk(c, [...anc, n]);
  };
  walk(root, []);
  return out;
}

/** Marks a node and its ancestors as changed, so they are re-encoded. */
export function touch(node: TlvNode, ancestors: readonly TlvNode[]): void {
  node.original = null;
  for (const a of ancestors) a.original = null;
}

export function cloneTree(n: TlvNode): TlvNode {
  return { ...n, children: n.children ? n.children.map(cloneTree) : null };
}
