/**
 * looksLikePem reads the PEM header from the bytes instead of from their UTF-8 decoding (#19: decoding 4 KiB of
 * every CRL and anchor on every verify was ~4% of a batch's CPU). It must answer exactly what the decoded-text
 * definition answered: a `-----BEGIN LABEL-----` (LABEL of A-Z, 0-9 and spaces) within the first 4096 bytes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { looksLikePem } from '../src/util/pem.js';

/** The earlier definition, on the decoded text. */
const byText = (bytes: Uint8Array) => /-----BEGIN [A-Z0-9 ]+-----/.test(new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 4096))));
const enc = new TextEncoder();
const ROOT = new URL('../', import.meta.url).pathname;

function files(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    const s = statSync(p);
    if (s.isDirectory()) files(p, out);
    else if (s.size < 5_000_000) out.push(p);
  }
  return out;
}

describe('looksLikePem', () => {
  it('answers as the decoded-text definition on every fixture and trusted list (PEM, DER, XML, JSON)', () => {
    const all = [...files(join(ROOT, 'fixtures')), ...files(join(ROOT, 'trust-lists'))];
    let pem = 0;
    for (const p of all) {
      const b = new Uint8Array(readFileSync(p));
      expect(looksLikePem(b), p).toBe(byText(b));
      if (byText(b)) pem++;
    }
    expect(pem).toBeGreaterThan(10);
    expect(all.length - pem).toBeGreaterThan(10);
  });

  it('answers as the decoded-text definition at the edges', () => {
    const cases: Uint8Array[] = [
      ...['-----BEGIN CERTIFICATE-----', '-----BEGIN -----', '-----BEGIN X-----', '------BEGIN X-----', '-----BEGIN x-----', '-----BEGIN X----', '-----BEGIN X--', 'junk\u00e9-----BEGIN A B 1-----', '-----BEGIN X-----tail', '', '-'].map((s) => enc.encode(s)),
      // An invalid UTF-8 lead byte before the dashes: the decoder passes the ASCII bytes through.
      new Uint8Array([0xc0, ...enc.encode('-----BEGIN X-----')]),
      new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('-----BEGIN X-----')]),
    ];
    // A header ending exactly at byte 4096, and one cut by it.
    for (const at of [4079, 4080, 4085]) {
      const b = new Uint8Array(5000).fill(0x41);
      b.set(enc.encode('-----BEGIN X-----'), at);
      cases.push(b);
    }
    for (const b of cases) expect(looksLikePem(b), JSON.stringify(Array.from(b.subarray(0, 40)))).toBe(byText(b));
    expect(looksLikePem(cases[0]!)).toBe(true);
    expect(looksLikePem(cases[1]!)).toBe(false);
  });

  it('answers as the decoded-text definition on mutated headers', () => {
    const alphabet = [0x2d, 0x42, 0x45, 0x47, 0x49, 0x4e, 0x20, 0x58, 0x30, 0xc3, 0x61, 0x0a];
    let seed = 19;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let positive = 0;
    for (let t = 0; t < 20_000; t++) {
      const base = Array.from(enc.encode(['x', '', '--'][t % 3] + '-----BEGIN AB C-----' + ['', '-----BEGIN Q-----', 'z'][t % 3]));
      for (let m = 0; m <= t % 3; m++) {
        const pos = rnd(base.length + 1);
        const ch = alphabet[rnd(alphabet.length)]!;
        const op = rnd(3);
        if (op === 0) base[pos] = ch;
        else if (op === 1) base.splice(pos, 0, ch);
        else base.splice(pos, 1);
      }
      const b = new Uint8Array(base);
      if (byText(b)) positive++;
      expect(looksLikePem(b)).toBe(byText(b));
    }
    expect(positive).toBeGreaterThan(1000);
    expect(positive).toBeLessThan(19_000);
  });
});
