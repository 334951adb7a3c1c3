/**
 * A short seeded run of the fuzz harness (scripts/fuzz.ts runs the long ones):
 * mutated fixtures must give a typed error or a report, within the per-input
 * timeout, and never TOTAL-PASSED unless the signed bytes are intact.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { loadCorpus, type Corpus } from '../scripts/fuzz/corpus.js';
import { BAD_OUTCOMES, fuzzOne, mutationFor, Tally } from '../scripts/fuzz/engine.js';
import { independentlyVerified, signedTupleKey } from '../scripts/fuzz/oracle.js';
import { parseTlv, serialize } from '../scripts/fuzz/tlv.js';
import { FIXTURES, fixture, loadManifest, optionsFor } from './helpers/fixtures.js';

let corpus: Corpus;
beforeAll(async () => {
  corpus = await loadCorpus(FIXTURES);
}, 60_000);

describe('fuzz harness', () => {
  it('the corpus covers CAdES and XAdES fixtures and knows their valid signed tuples', () => {
    const kinds = new Set(corpus.seeds.map((s) => s.kind));
    expect(kinds).toContain('cms');
    expect(kinds).toContain('xml');
    const passing = corpus.seeds.filter((s) => s.baseline.split('+').includes('TOTAL-PASSED'));
    expect(passing.length).toBeGreaterThan(10);
    // Fewer tuples than passing seeds: the DER, PEM and base64 forms of one signature share theirs.
    expect(corpus.validTuples.size).toBeGreaterThan(10);
  });

  it('mutations are deterministic in (seed, index)', () => {
    for (const i of [0, 7, 123]) {
      const a = mutationFor(corpus, 'smoke', i);
      const b = mutationFor(corpus, 'smoke', i);
      expect([a.seedId, a.family]).toEqual([b.seedId, b.family]);
      expect(a.bytes && b.bytes && Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    }
  });

  it('the oracle tells a substituted signature value from intact signed bytes', async () => {
    const m = loadManifest();
    const s = m.samples.find((x) => x.id === 'kz-attached')!;
    const bytes = fixture(s.file);
    const report = (await verify(bytes, optionsFor(m, s))).signatures[0]!;
    expect(corpus.validTuples.has((await signedTupleKey(bytes, report, optionsFor(m, s)))!)).toBe(true);
    // Same report, but the SignerInfo's signature value flipped: the tuple is not a valid one.
    const root = parseTlv(bytes)!;
    const sd = root.children![1]!.children![0]!;
    const si = sd.children![sd.children!.length - 1]!.children![0]!;
    const sig = si.children!.find((c) => c.tag[0] === 0x04 && c.content.length >= 256)!;
    sig.content = sig.content.slice();
    sig.content[10]! ^= 1;
    for (const n of [root, root.children![1]!, sd, sd.children![sd.children!.length - 1]!, si, sig]) n.original = null;
    const key = await signedTupleKey(serialize(root), report, optionsFor(m, s));
    expect(key && corpus.validTuples.has(key)).toBeFalsy();
  });

  it('the independent check (Node crypto) rejects a corrupted signature value and accepts a genuine one', async () => {
    const m = loadManifest();
    const s = m.samples.find((x) => x.id === 'two-signers-one-bad')!;
    const bytes = fixture(s.file);
    const r = await verify(bytes, optionsFor(m, s));
    expect(r.signatures.map((x) => x.indication)).toEqual(['TOTAL-PASSED', 'TOTAL-FAILED']);
    expect(await independentlyVerified(bytes, r.signatures[0]!, optionsFor(m, s))).toBe(true);
    expect(await independentlyVerified(bytes, r.signatures[1]!, optionsFor(m, s))).toBe(false);
  });

  it('300 seeded mutants: no crash, no timeout, no false accept', async () => {
    const tally = new Tally();
    const bad: string[] = [];
    for (let i = 0; i < 300; i++) {
      const r = await fuzzOne(corpus, 'smoke-2026', i, 5_000);
      tally.add(r.family, r.outcome);
      if (BAD_OUTCOMES.has(r.outcome)) bad.push(`#${i} ${r.seed} ${r.family} → ${r.outcome}: ${r.detail}`);
    }
    expect(bad).toEqual([]);
    // The run exercised both decoders and reached real verdicts, not only early parse errors.
    const outcomes = tally.byOutcome();
    expect(outcomes.get('error:ERR_INPUT_FORMAT') ?? 0).toBeGreaterThan(0);
    expect((outcomes.get('TOTAL-FAILED') ?? 0) + (outcomes.get('INDETERMINATE') ?? 0)).toBeGreaterThan(50);
  }, 60_000);
});

describe('fuzz findings (regressions)', () => {
  const m = loadManifest();
  it('a PEM signature with broken base64 is an InputFormatError, not a TypeError', async () => {
    const pem = new TextDecoder().decode(fixture('cades/kz-attached.pem')).replace(/(\n[A-Za-z0-9+/]{10})[A-Za-z0-9+/]/, '$1*');
    await expect(verify(pem)).rejects.toMatchObject({ code: 'ERR_INPUT_FORMAT' });
  });

  it('eContent whose constructed segments are not OCTET STRINGs is an InputFormatError, not a TypeError', async () => {
    // Indefinite-length constructed OCTET STRING holding a SEQUENCE: ContentInfo{signedData, [0]{SignedData{1, {}, {data, [0]{04 80 (30 00) 00 00}}, {}}}}.
    const der = Uint8Array.from([
      0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x80, 0x06, 0x09, 0x2a,
      0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0, 0x80, 0x24, 0x80, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ]);
    await expect(verify(der)).rejects.toMatchObject({ code: 'ERR_INPUT_FORMAT' });
  });

  it('a signed attribute without its values SET gives a report, not a TypeError', async () => {
    const s = m.samples.find((x) => x.id === 'kz-attached')!;
    const root = parseTlv(fixture(s.file))!;
    const sd = root.children![1]!.children![0]!;
    const si = sd.children![sd.children!.length - 1]!.children![0]!;
    const signedAttrs = si.children!.find((c) => c.tag[0] === 0xa0)!;
    for (const attr of signedAttrs.children!) {
      attr.children = attr.children!.slice(0, 1); // OID only
      attr.original = null;
    }
    for (const n of [root, root.children![1]!, sd, sd.children![sd.children!.length - 1]!, si, signedAttrs]) n.original = null;
    const r = await verify(serialize(root), optionsFor(m, s));
    expect(r.signatures[0]!.indication).not.toBe('TOTAL-PASSED');
  });
});

describe('fuzz findings fixed by their owners (scripts/fuzz/FINDINGS.md)', () => {
  it('XAdES: QualifyingProperties wrapped inside ds:Object are not ignored (a wrong signed SigningCertificateV2 still stops TOTAL-PASSED)', async () => {
    const xm = loadManifest('xades/manifest.json');
    const s = xm.samples.find((x) => x.id === 'kz-enveloped-wrong-signing-cert')!;
    const xml = new TextDecoder().decode(fixture(s.file));
    const wrapped = xml.replace('<xades:QualifyingProperties', '<Wrapper><xades:QualifyingProperties').replace('</xades:QualifyingProperties>', '</xades:QualifyingProperties></Wrapper>');
    expect(wrapped).not.toBe(xml);
    const r = await verify(wrapped, optionsFor(xm, s));
    expect(r.signatures[0]!.indication).not.toBe('TOTAL-PASSED');
  });
});

describe('fuzz findings fixed (see scripts/fuzz/FINDINGS.md)', () => {
  it('ECDSA: a signature value that is not DER (SEQUENCE tag 0x30 → 0x10) does not verify', async () => {
    const m = loadManifest();
    const s = m.samples.find((x) => x.id === 'uz-attached')!;
    const root = parseTlv(fixture(s.file))!;
    const sd = root.children![1]!.children![0]!;
    const si = sd.children![sd.children!.length - 1]!.children![0]!;
    const sig = si.children!.find((c) => c.tag[0] === 0x04 && c.content[0] === 0x30)!;
    sig.content = sig.content.slice();
    sig.content[0] = 0x10; // not DER; a strict verifier (OpenSSL, Node crypto.verify) rejects it
    sig.children = null;
    for (const n of [root, root.children![1]!, sd, sd.children![sd.children!.length - 1]!, si, sig]) n.original = null;
    const r = await verify(serialize(root), optionsFor(m, s));
    expect([r.signatures[0]!.indication, r.signatures[0]!.subIndication]).toEqual(['TOTAL-FAILED', 'SIG_CRYPTO_FAILURE']);
  });
});
