/**
 * Structure-aware mutations of BER/DER: length-field corruption, re-nesting
 * (wrap/unwrap a TLV), duplication, deletion, moves, tag changes, and grafts of
 * whole elements from other fixtures (certificate / signature substitution).
 */
import type { Rng } from './prng.js';
import { allNodes, cloneTree, concat, encodeLength, parseTlv, serialize, touch, type TlvNode } from './tlv.js';

type Picked = { node: TlvNode; ancestors: TlvNode[] };

function pickNode(root: TlvNode, rng: Rng, filter: (p: Picked) => boolean = () => true): Picked | undefined {
  const nodes = allNodes(root).filter(filter);
  return nodes.length ? rng.pick(nodes) : undefined;
}

/** Rewrites one node's length octets in place (no re-encoding of ancestors): the classic length-field attack. */
export function corruptLength(input: Uint8Array, rng: Rng): Uint8Array | undefined {
  // Find header offsets by walking the original encoding.
  const offsets: { lenAt: number; lenBytes: number; value: number }[] = [];
  const walk = (b: Uint8Array, off: number, end: number, depth: number) => {
    while (off < end && offsets.length < 5000 && depth < 60) {
      const first = b[off++]!;
      if ((first & 0x1f) === 0x1f) {
        while (off < end && b[off]! & 0x80) off++;
        off++;
      }
      if (off >= end) return;
      const lenAt = off;
      const l0 = b[off++]!;
      let len = l0;
      let lenBytes = 1;
      if (l0 === 0x80) {
        offsets.push({ lenAt, lenBytes, value: -1 });
        return; // indefinite: stop descending this branch
      }
      if (l0 > 0x80) {
        const n = l0 & 0x7f;
        if (n > 4) return;
        len = 0;
        for (let i = 0; i < n; i++) len = len * 256 + (b[off++] ?? 0);
        lenBytes = 1 + n;
      }
      offsets.push({ lenAt, lenBytes, value: len });
      if (first & 0x20) walk(b, off, Math.min(end, off + len), depth + 1);
      off += len;
    }
  };
  walk(input, 0, input.length, 0);
  if (!offsets.length) return undefined;
  const t = rng.pick(offsets);
  const choices: number[][] = [
    [...encodeLength(Math.max(0, t.value + 1))],
    [...encodeLength(Math.max(0, t.value - 1))],
    [0x00],
    [0x80],
    [0x84, 0xff, 0xff, 0xff, 0xff],
    [0x84, 0x7f, 0xff, 0xff, 0xff],
    [0x82, 0x00, Math.max(0, t.value) & 0xff], // non-minimal long form
    [0x81, rng.int(256)],
    [rng.int(256)],
  ];
  const repl = Uint8Array.from(rng.pick(choices));
  return concat([input.subarray(0, t.lenAt), repl, input.subarray(t.lenAt + t.lenBytes)]);
}

const WRAP_TAGS = [[0x30], [0x31], [0xa0], [0xa1], [0x04], [0xa3]];

export function wrap(root: TlvNode, rng: Rng): boolean {
  const p = pickNode(root, rng, (x) => x.ancestors.length > 0);
  if (!p) return false;
  const parent = p.ancestors[p.ancestors.length - 1]!;
  const i = parent.children!.indexOf(p.node);
  const tag = Uint8Array.from(rng.pick(WRAP_TAGS));
  const wrapper: TlvNode = { tag, constructed: (tag[0]! & 0x20) !== 0, content: new Uint8Array(), children: [p.node], original: null };
  parent.children![i] = wrapper;
  touch(parent, p.ancestors.slice(0, -1));
  return true;
}

export function unwrap(root: TlvNode, rng: Rng): boolean {
  const p = pickNode(root, rng, (x) => x.ancestors.length > 0 && !!x.node.children?.length);
  if (!p) return false;
  const parent = p.ancestors[p.ancestors.length - 1]!;
  const i = parent.children!.indexOf(p.node);
  parent.children!.splice(i, 1, ...p.node.children!);
  touch(parent, p.ancestors.slice(0, -1));
  return true;
}

export function duplicate(root: TlvNode, rng: Rng): boolean {
  const p = pickNode(root, rng, (x) => x.ancestors.length > 0);
  if (!p) return false;
  const parent = p.ancestors[p.ancestors.length - 1]!;
  const i = parent.children!.indexOf(p.node);
  parent.children!.splice(rng.chance(0.5) ? i : i + 1, 0, cloneTree(p.node));
  touch(parent, p.ancestors.slice(0, -1));
  return true;
}

export function remove(root: TlvNode, rng: Rng): boolean {
  const p = pickNode(root, rng, (x) => x.ancestors.length > 0);
  if (!p) return false;
  const parent = p.ancestors[p.ancestors.length - 1]!;
  parent.children!.splice(parent.children!.indexOf(p.node), 1);
  touch(parent, p.ancestors.slice(0, -1));
  return true;
}

/** Moves an element to a different place: a sibling swap, or into another constructed node. */
export function move(root: TlvNode, rng: Rng): boolean {
  const p = pickNode(root, rng, (x) => x.ancestors.length > 0);
  if (!p) return false;
  const parent = p.ancestors[p.ancestors.length - 1]!;
  const kids = parent.children!;
  const i = kids.indexOf(p.node);
  if (rng.chance(0.5) && kids.length > 1) {
    const j = rng.int(kids.length);
    [kids[i], kids[j]] = [kids[j]!, kids[i]!];
    touch(parent, p.ancestors.slice(0, -1));
    return true;
  }
  const target = pickNode(root, rng, (x) => !!x.node.children && x.node !== p.node && !x.ancestors.includes(p.node));
  if (!target) return false;
  kids.splice(i, 1);
  touch(parent, p.ancestors.slice(0, -1));
  target.node.children!.splice(rng.int(target.node.children!.length + 1), 0, p.node);
  touch(target.node, target.ancestors);
  return true;
}

/** Changes an element's tag: SET↔SEQUENCE, context tag numbers, primitive/constructed, universal types. */
export function retag(root: TlvNode, rng: Rng): boolean {
  const p = pickNode(root, rng, (x) => x.node.tag.length === 1);
  if (!p) return false;
  const t = p.node.tag[0]!;
  const options = [t ^ 0x01, t ^ 0x02, t ^ 0x20, t ^ 0x80, t ^ 0x40, 0x30, 0x31, 0x04, 0x02, 0x05, 0x0c];
  const nt = rng.pick(options);
  const cons = (nt & 0x20) !== 0;
  const n = p.node;
  if (cons && !n.children) {
    n.children = [];
    n.content = new Uint8Array();
  }
  if (!cons && n.children && n.constructed) {
    n.content = concat(n.children.map(serialize));
    n.children = null;
  }
  n.tag = Uint8Array.of(nt);
  n.constructed = cons;
  touch(n, p.ancestors);
  return true;
}

/** Changes primitive content: a bit of an INTEGER/OID/string/time, or its length. */
export function editPrimitive(root: TlvNode, rng: Rng): boolean {
  const p = pickNode(root, rng, (x) => !x.node.children && x.node.content.length > 0);
  if (!p) return false;
  const c = p.node.content.slice();
  const r = rng.int(4);
  if (r === 0) c[rng.int(c.length)]! ^= 1 << rng.int(8);
  else if (r === 1) p.node.content = c.subarray(0, rng.int(c.length));
  else if (r === 2) p.node.content = concat([c, Uint8Array.of(rng.int(256))]);
  else c[c.length - 1]! ^= 0x01;
  if (r === 0 || r === 3) p.node.content = c;
  touch(p.node, p.ancestors);
  return true;
}

/**
 * Replaces an element by an element of the same tag from another fixture
 * (another signer's certificate, signature value, attributes, digest ...):
 * the substitution attacks.
 */
export function graft(root: TlvNode, rng: Rng, donors: readonly TlvNode[]): boolean {
  const p = pickNode(root, rng, (x) => x.ancestors.length > 0);
  if (!p || !donors.length) return false;
  const key = p.node.tag[0];
  const same = donors.filter((d) => d.tag[0] === key);
  if (!same.length) return false;
  const donor = cloneTree(rng.pick(same));
  const parent = p.ancestors[p.ancestors.length - 1]!;
  parent.children![parent.children!.indexOf(p.node)] = donor;
  touch(parent, p.ancestors.slice(0, -1));
  return true;
}

/** Elements of a fixture worth grafting elsewhere (bounded sample). */
export function donorNodes(der: Uint8Array, max = 400): TlvNode[] {
  const root = parseTlv(der);
  if (!root) return [];
  const nodes = allNodes(root).map((x) => x.node);
  const step = Math.max(1, Math.floor(nodes.length / max));
  return nodes.filter((_, i) => i % step === 0);
}

export const ASN1_MUTATIONS = { wrap, unwrap, duplicate, remove, move, retag, editPrimitive } as const;
