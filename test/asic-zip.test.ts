import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, InputFormatError, LimitExceededError, openContainer, signedDataObjects, verify } from '../src/index.js';
import { crc32, readZip } from '../src/asic/zip.js';
import { readAsic, unsafeNameReason } from '../src/asic/container.js';
import { FIXTURE_CRL_FILES } from './helpers/fixtures.js';

// The container layer against hostile archives: each attack made here, each refused with a typed error or a
// FAILED container check, never read past a limit.
const enc = (s: string) => new TextEncoder().encode(s);
const ASIC_E = enc('application/vnd.etsi.asic-e+zip');
const fixture = (p: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${p}`, import.meta.url)));
const kzOptions = () => ({
  trustAnchors: [fixture('pki/kz-root.pem')],
  timestampAnchors: [fixture('pki/kz-root.pem')],
  crls: FIXTURE_CRL_FILES.map(fixture),
  validationTime: new Date('2026-06-01T00:00:00Z'),
});
const find = (hay: Uint8Array, needle: Uint8Array, from = 0) => {
  for (let i = from; i + needle.length <= hay.length; i++) if (needle.every((b, k) => hay[i + k] === b)) return i;
  return -1;
};

describe('ZIP reader (asic/zip.ts)', () => {
  it('reads entries in central-directory order with their bytes, method and sizes', () => {
    const z = zipSync({ mimetype: [ASIC_E, { level: 0 }], 'a.txt': [enc('hello hello hello hello'), { level: 9 }] });
    const { entries } = readZip(z, DEFAULT_LIMITS);
    expect(entries.map((e) => [e.name, e.method, e.size, new TextDecoder().decode(e.data)])).toEqual([
      ['mimetype', 0, 31, 'application/vnd.etsi.asic-e+zip'],
      ['a.txt', 8, 23, 'hello hello hello hello'],
    ]);
    expect(crc32(enc('123456789'))).toBe(0xcbf43926);
  });

  it('refuses an entry whose bytes fail its CRC-32 (changed without updating the directory)', () => {
    const z = zipSync({ 'a.txt': [enc('original'), { level: 0 }] });
    const at = find(z, enc('original'));
    z.set(enc('tampered'), at);
    expect(() => readZip(z, DEFAULT_LIMITS)).toThrow(/fails its CRC-32/);
  });

  it('refuses a local header that names another file than the central directory (two readers, two files)', () => {
    const z = zipSync({ 'a.txt': [enc('x'), { level: 0 }] });
    z.set(enc('b'), find(z, enc('a.txt'))); // the first occurrence is the local header's name
    expect(() => readZip(z, DEFAULT_LIMITS)).toThrow(/names another file/);
  });

  it('refuses a deflated entry that inflates past its declared size (a lying directory), holding no more than it declared', () => {
    const data = new Uint8Array(4096).fill(7);
    const z = zipSync({ 'a.bin': [data, { level: 9 }] });
    // Lower the declared uncompressed size in both headers (local at +22, central at +24 from their signatures).
    const cd = find(z, new Uint8Array([0x50, 0x4b, 0x01, 0x02]));
    new DataView(z.buffer).setUint32(cd + 24, 100, true);
    new DataView(z.buffer).setUint32(22, 100, true);
    expect(() => readZip(z, DEFAULT_LIMITS)).toThrow(/inflates to more than/);
  });

  it('refuses encrypted entries and unknown compression methods', () => {
    const z = zipSync({ 'a.txt': [enc('x'), { level: 0 }] });
    const cd = find(z, new Uint8Array([0x50, 0x4b, 0x01, 0x02]));
    const enc1 = z.slice();
    enc1[cd + 8]! |= 1;
    expect(() => readZip(enc1, DEFAULT_LIMITS)).toThrow(/encrypted/);
    const m = z.slice();
    m[cd + 10] = 12; // bzip2
    expect(() => readZip(m, DEFAULT_LIMITS)).toThrow(/compression method 12/);
  });

  it('refuses truncated archives and garbage with InputFormatError', () => {
    const z = zipSync({ 'a.txt': enc('x') });
    for (const cut of [z.subarray(0, 10), z.subarray(0, z.length - 5), enc('PK\x03\x04 not a zip at all')]) {
      expect(() => readZip(cut, DEFAULT_LIMITS)).toThrow(InputFormatError);
    }
  });

  it('limits: entry count, total uncompressed bytes, compression ratio, each a LimitExceededError naming it', () => {
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 11; i++) many[`f${i}`] = enc('x');
    expect(() => readZip(zipSync(many), { ...DEFAULT_LIMITS, maxContainerEntries: 10 })).toThrow(expect.objectContaining({ limit: 'container.entries', max: 10 }));
    const big = zipSync({ a: new Uint8Array(600), b: new Uint8Array(600) });
    expect(() => readZip(big, { ...DEFAULT_LIMITS, maxContainerBytes: 1000 })).toThrow(expect.objectContaining({ limit: 'container.bytes', max: 1000 }));
    const bomb = zipSync({ zeros: [new Uint8Array(4 * 1024 * 1024), { level: 9 }] });
    expect(bomb.length).toBeLessThan(10_000);
    expect(() => readZip(bomb, DEFAULT_LIMITS)).toThrow(expect.objectContaining({ limit: 'container.compressionRatio' }));
    // A real-looking ratio below the limit reads.
    expect(readZip(bomb, { ...DEFAULT_LIMITS, maxCompressionRatio: 10_000 }).entries[0]!.size).toBe(4 * 1024 * 1024);
  });

  it('verify() surfaces the limits with the limits option', async () => {
    const bytes = fixture('asic/kz-asice-xades.asice');
    await expect(verify(bytes, { limits: { maxContainerEntries: 3 } })).rejects.toBeInstanceOf(LimitExceededError);
    await expect(verify(bytes, { limits: { maxContainerBytes: 100 } })).rejects.toMatchObject({ limit: 'container.bytes' });
  });
});

describe('container structure (asic/container.ts)', () => {
  it('unsafe names', () => {
    expect(unsafeNameReason('../x')).toMatch(/traversal/);
    expect(unsafeNameReason('a/../../x')).toMatch(/traversal/);
    expect(unsafeNameReason('/etc/passwd')).toMatch(/absolute/);
    expect(unsafeNameReason('C:evil')).toMatch(/drive/);
    expect(unsafeNameReason('a\\..\\x')).toMatch(/backslash/);
    expect(unsafeNameReason('a//b')).toMatch(/empty/);
    expect(unsafeNameReason('a\u0000b')).toMatch(/control/);
    expect(unsafeNameReason('META-INF/signatures0.xml')).toBeUndefined();
    expect(unsafeNameReason('data/report.csv')).toBeUndefined();
  });

  it('nesting depth: a container in a container in a container ... stops at maxContainerDepth', () => {
    let inner = zipSync({ mimetype: [ASIC_E, { level: 0 }], 'doc.txt': enc('x'), 'META-INF/signatures.xml': enc('<x/>') });
    for (let i = 0; i < 3; i++) inner = zipSync({ mimetype: [enc('application/vnd.etsi.asic-s+zip'), { level: 0 }], [`inner${i}.asice`]: inner, 'META-INF/timestamp.tst': enc('x') });
    expect(() => readAsic(inner, DEFAULT_LIMITS)).toThrow(expect.objectContaining({ limit: 'container.depth', max: 3 }));
    const s = readAsic(inner, { ...DEFAULT_LIMITS, maxContainerDepth: 4 });
    expect(s.dataObjects[0]!.nested).toMatchObject({ kind: 'ASiC-S' });
  });

  it('an unknown mimetype value is a FAILED check; the type then comes from the contents', () => {
    const z = zipSync({ mimetype: [enc('application/zip'), { level: 0 }], 'doc.txt': enc('x'), 'META-INF/signatures.xml': enc('<x/>') });
    const s = readAsic(z, DEFAULT_LIMITS);
    expect(s.type).toBe('ASiC-S');
    expect(s.checks.find((c) => c.id === 'asic.mimetype')).toMatchObject({ status: 'FAILED', subIndication: 'FORMAT_FAILURE' });
  });

  it('ASiC-S with two data objects is a FORMAT_FAILURE', () => {
    const z = zipSync({ mimetype: [enc('application/vnd.etsi.asic-s+zip'), { level: 0 }], 'a.txt': enc('x'), 'b.txt': enc('y'), 'META-INF/signature.p7s': enc('x') });
    expect(readAsic(z, DEFAULT_LIMITS).checks.find((c) => c.id === 'asic.data-objects')).toMatchObject({ status: 'FAILED' });
  });

  it('a container with no signature is TOTAL-FAILED, never passed', async () => {
    const z = zipSync({ mimetype: [ASIC_E, { level: 0 }], 'a.txt': enc('x') });
    const r = await verify(z);
    expect(r.signatures).toEqual([]);
    expect(r.container).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
  });
});

describe('listing and extracting (openContainer, signedDataObjects)', () => {
  it('lists every file with its role; the input is not changed', async () => {
    const bytes = fixture('asic/zip-slip.asice');
    const before = bytes.slice();
    const c = await openContainer(bytes);
    expect(c.type).toBe('ASiC-E');
    expect(c.files.find((f) => f.name === '../evil.txt')).toMatchObject({ role: 'data', unsafeName: expect.stringMatching(/traversal/) });
    expect(bytes).toEqual(before);
  });

  it('returns the signed data objects of a passing container', async () => {
    const bytes = fixture('asic/kz-asice-cades.asice');
    const report = await verify(bytes, kzOptions());
    const signed = await signedDataObjects(bytes, report);
    expect(signed.map((f) => f.name)).toEqual(['document.txt', 'data/report.csv']);
    expect(new TextDecoder().decode(signed[0]!.data)).toBe(new TextDecoder().decode(fixture('content/document.txt')));
  });

  it('returns nothing when the container did not pass (an added file), and refuses a report of other bytes', async () => {
    const added = fixture('asic/kz-asice-xades-entry-added.asice');
    expect(await signedDataObjects(added, await verify(added, kzOptions()))).toEqual([]);
    const good = fixture('asic/kz-asice-xades.asice');
    const changed = fixture('asic/kz-asice-xades-entry-changed.asice');
    await expect(signedDataObjects(changed, await verify(good, kzOptions()))).rejects.toThrow(/does not describe these bytes/);
  });
});
