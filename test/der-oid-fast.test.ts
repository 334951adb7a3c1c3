/**
 * OBJECT IDENTIFIERs in DER and one-octet INTEGERs are read from their bytes (src/util/der.ts derOidText,
 * smallIntegerOf), not by asn1js (#19 cliStart). Wherever the byte reader answers it must answer what asn1js does:
 * every OID of the fixtures' and the corpus's certificates and CRLs, random arcs, random bytes, and each INTEGER
 * octet. What it does not take (non-minimal arcs, huge arcs, truncated contents) is left to asn1js.
 */
import * as asn1js from 'asn1js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tlvAt, tlvChildren } from '../src/util/asn1-tree.js';
import { derOidText, ElementBudget, smallIntegerOf, TlvElement } from '../src/util/der.js';
import { FIXTURES } from './helpers/fixtures.js';

const corpus = resolve(__dirname, '..', process.env.OTS_CORPUS ?? '../shared/corpus');

/** asn1js's dotted form of these contents, or undefined when it does not decode them as an OID. */
function byAsn1js(content: Uint8Array): string | undefined {
  if (content.length > 127) return undefined;
  const asn = asn1js.fromBER(new Uint8Array([0x06, content.length, ...content]));
  if (asn.offset === -1 || !(asn.result instanceof asn1js.ObjectIdentifier)) return undefined;
  return asn.result.valueBlock.toString();
}

function derFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(cer|crt|der|crl|p7s|p7m)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** Contents of every OBJECT IDENTIFIER the header walk finds in `der` (DER files only; others are skipped). */
function oidContents(der: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const visit = (r: ReturnType<typeof tlvAt>, depth: number) => {
    if (!r || depth > 40) return;
    if (r.tag === 0x06) out.push(der.subarray(r.contentStart, r.end));
    if (r.tag & 0x20) for (const c of tlvChildren(der, r, 100_000) ?? []) visit(c, depth + 1);
  };
  visit(tlvAt(der, 0, der.length), 0);
  return out;
}

/** A random arc, mostly small, sometimes large. */
function randomArc(rand: () => number): number {
  const r = rand();
  return r < 0.6 ? Math.floor(rand() * 128) : r < 0.9 ? Math.floor(rand() * 2 ** 21) : Math.floor(rand() * 2 ** 45);
}

function base128(v: number): number[] {
  const out = [v % 128];
  for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) out.unshift(0x80 | v % 128);
  return out;
}

/** Deterministic PRNG (mulberry32), so a failure names a reproducible case. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('OBJECT IDENTIFIERs read from their DER bytes equal asn1js', () => {
  it('every OID of the fixtures and the corpus', () => {
    let n = 0;
    for (const file of [...derFiles(FIXTURES), ...derFiles(corpus)]) {
      for (const c of oidContents(new Uint8Array(readFileSync(file)))) {
        const fast = derOidText(c);
        if (fast === undefined) continue;
        n++;
        expect(fast, `${file}: ${Buffer.from(c).toString('hex')}`).toBe(byAsn1js(c));
      }
    }
    expect(n).toBeGreaterThan(500);
  });

  it('random arcs in their shortest form (all read from the bytes below 2^40) and random bytes', () => {
    const rand = prng(19);
    for (let i = 0; i < 20_000; i++) {
      const arcs = Array.from({ length: 1 + Math.floor(rand() * 8) }, () => randomArc(rand));
      const c = new Uint8Array(arcs.flatMap(base128));
      const fast = derOidText(c);
      if (arcs.every((a) => a < 2 ** 40) && c.length <= 128) expect(fast, Buffer.from(c).toString('hex')).toBeDefined();
      if (fast !== undefined) expect(fast, Buffer.from(c).toString('hex')).toBe(byAsn1js(c));
    }
    for (let i = 0; i < 20_000; i++) {
      const c = new Uint8Array(Array.from({ length: 1 + Math.floor(rand() * 10) }, () => Math.floor(rand() * 256)));
      const fast = derOidText(c);
      if (fast !== undefined) expect(fast, Buffer.from(c).toString('hex')).toBe(byAsn1js(c));
    }
  });

  it('left to asn1js: empty, a non-minimal arc, a truncated arc, an arc of 2^40 or more', () => {
    expect(derOidText(new Uint8Array([]))).toBeUndefined();
    expect(derOidText(new Uint8Array([0x2a, 0x80, 0x01]))).toBeUndefined();
    expect(derOidText(new Uint8Array([0x2a, 0x86]))).toBeUndefined();
    expect(derOidText(new Uint8Array([0x2a, ...base128(2 ** 40)]))).toBeUndefined();
    expect(derOidText(new Uint8Array([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]))).toBe('1.2.840.113549');
    expect(derOidText(new Uint8Array([0x88, 0x37]))).toBe('2.999');
  });
});

describe('one-octet INTEGERs read from their byte equal asn1js', () => {
  it('each of the 256 octets', () => {
    for (let b = 0; b < 256; b++) {
      const der = new Uint8Array([0x02, 0x01, b]);
      const el = TlvElement.of(der, new ElementBudget(1, 'test'))!;
      const asn = asn1js.fromBER(der).result as asn1js.Integer;
      expect(smallIntegerOf(el, 'test'), String(b)).toBe(asn.valueBlock.valueDec);
    }
  });
});
