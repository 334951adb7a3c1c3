import { readFileSync } from 'node:fs';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { OtsEsigError, openContainer, verify } from '../src/index.js';
import { FIXTURE_CRL_FILES } from './helpers/fixtures.js';

// A seeded fuzz of the container layer: mutants of the passing fixture containers (bytes of the archive, ZIP
// header fields, entries renamed / duplicated / dropped / changed / added, re-packed). For each: no error but
// our typed ones, and a container that passes carries exactly the original data objects (the signed bytes).
const read = (p: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${p}`, import.meta.url)));
const options = {
  trustAnchors: [read('pki/kz-root.pem')],
  timestampAnchors: [read('pki/kz-root.pem')],
  crls: FIXTURE_CRL_FILES.map(read),
  validationTime: new Date('2026-06-01T00:00:00Z'),
};
const SEEDS = ['kz-asics-cades.asics', 'kz-asics-xades.asics', 'kz-asics-timestamp.asics', 'kz-asice-xades.asice', 'kz-asice-cades.asice'];
const COUNT = Number(process.env.ASIC_FUZZ_COUNT ?? 300);

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// In ASiC-S with CAdES or a time-stamp only the data object's bytes are signed, not its name (the container
// report says so in a warning): there the oracle compares bytes; elsewhere names and bytes.
const NAME_UNSIGNED = new Set(['kz-asics-cades.asics', 'kz-asics-timestamp.asics']);
const dataObjects = async (bytes: Uint8Array, seed: string) =>
  (await openContainer(bytes)).files.filter((f) => f.role === 'data')
    .map((f) => `${NAME_UNSIGNED.has(seed) ? '' : f.name}:${Buffer.from(f.data).toString('base64')}`)
    .sort();

function mutate(original: Uint8Array, r: () => number): { bytes: Uint8Array; how: string } {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const kind = Math.floor(r() * 8);
  const b = original.slice();
  if (kind <= 1) {
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) b[Math.floor(r() * b.length)] ^= 1 << Math.floor(r() * 8);
    return { bytes: b, how: `flip ${n} bit(s)` };
  }
  if (kind === 2) return { bytes: b.subarray(0, Math.floor(r() * b.length)), how: 'truncate' };
  if (kind === 3) {
    // A header field: sizes, offsets, name/extra lengths, counts of a local, central or end record.
    const sigs = [
      [0x50, 0x4b, 0x03, 0x04],
      [0x50, 0x4b, 0x01, 0x02],
      [0x50, 0x4b, 0x05, 0x06],
    ];
    const at: number[] = [];
    for (let i = 0; i + 4 <= b.length; i++) if (sigs.some((s) => s.every((x, k) => b[i + k] === x))) at.push(i);
    const base = pick(at);
    const off = base + 4 + Math.floor(r() * 40);
    const v = pick([0, 1, 0xff, 0xffff, 0xffffffff, Math.floor(r() * 0xffffffff)]);
    if (off + 4 <= b.length) new DataView(b.buffer).setUint32(off, v >>> 0, true);
    return { bytes: b, how: `header field @${off} = ${v}` };
  }
  // Entry-level mutations, re-packed with fflate.
  const files = unzipSync(original);
  const names = Object.keys(files);
  const z: Zippable = {};
  const name = pick(names);
  const how = pick(['rename', 'drop', 'change', 'add', 'duplicate-case', 'move-mimetype-last', 'traversal']);
  const order = how === 'move-mimetype-last' ? [...names.filter((n) => n !== 'mimetype'), 'mimetype'] : names;
  for (const n of order) {
    if (n === name && how === 'drop') continue;
    let data = files[n]!;
    if (n === name && how === 'change') {
      data = data.slice();
      if (data.length) data[Math.floor(r() * data.length)] ^= 0x20;
      else data = new Uint8Array([0x41]);
    }
    const out = n === name && how === 'rename' ? `${n}.renamed` : n === name && how === 'traversal' ? `../${n}` : n;
    z[out] = [data, { level: n === 'mimetype' ? 0 : 6 }];
  }
  if (how === 'add') z['extra.txt'] = new TextEncoder().encode('added');
  if (how === 'duplicate-case') z[name.toUpperCase() === name ? name.toLowerCase() : name.toUpperCase()] = files[name]!;
  return { bytes: zipSync(z), how: `${how} ${name}` };
}

describe('container layer fuzz (seeded)', () => {
  it(`${COUNT} mutants of ${SEEDS.length} passing containers: typed errors only, no pass with other data objects`, async () => {
    const originals = await Promise.all(
      SEEDS.map(async (f) => {
        const bytes = read(`asic/${f}`);
        const r = await verify(bytes, options);
        expect(r.container!.indication, f).toBe('TOTAL-PASSED');
        return { f, bytes, data: await dataObjects(bytes, f) };
      }),
    );
    const r = rng(0x18a51c);
    const tally: Record<string, number> = { error: 0, passed: 0, notPassed: 0 };
    const bad: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const o = originals[i % originals.length]!;
      const m = mutate(o.bytes, r);
      try {
        const rep = await verify(m.bytes, options);
        if (rep.container?.indication === 'TOTAL-PASSED') {
          tally.passed!++;
          const got = await dataObjects(m.bytes, o.f);
          if (JSON.stringify(got) !== JSON.stringify(o.data)) bad.push(`#${i} ${o.f} ${m.how}: TOTAL-PASSED with other data objects`);
        } else tally.notPassed!++;
      } catch (e) {
        if (!(e instanceof OtsEsigError)) bad.push(`#${i} ${o.f} ${m.how}: ${(e as Error).name}: ${(e as Error).message}`);
        tally.error!++;
      }
    }
    console.log(`asic fuzz: ${JSON.stringify(tally)}`);
    expect(bad).toEqual([]);
    // The mutants reach every outcome (the fuzz is not only producing parse errors).
    expect(tally.passed).toBeGreaterThan(0);
    expect(tally.notPassed).toBeGreaterThan(0);
    expect(tally.error).toBeGreaterThan(0);
  }, 120_000);
});
