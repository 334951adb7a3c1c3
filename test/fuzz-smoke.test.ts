/**
 * A short seeded run of the fuzz harness (scripts/fuzz.ts runs the long ones):
 * mutated fixtures must give a typed error or a report, within the per-input
 * timeout, and never TOTAL-PASSED unless the signed bytes are intact.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { loadCorpus, type Corpus } from '../scripts/fuzz/corpus.js';
import { BAD_OUTCOMES, fuzzOne, mutationFor, Tally } from '../scripts/fuzz/engine.js';
import { crossCheck, toolsAvailable } from '../scripts/fuzz/differential.js';
import { checkListProperty, checkProperty, loadListTarget, mutateListXml, passInvariants, tstCorrupt, type OptionMutation } from '../scripts/fuzz/metamorphic.js';
import { donorRoots } from '../scripts/fuzz/seeds-extra.js';
import { rngFor } from '../scripts/fuzz/prng.js';
import type { SignatureReport, ValidationReport } from '../src/index.js';
import { independentlyVerified, signedTupleKey } from '../scripts/fuzz/oracle.js';
import { parseTlv, serialize } from '../scripts/fuzz/tlv.js';
import { FIXTURES, fixture, loadManifest, optionsFor } from './helpers/fixtures.js';
import { describeIf } from './helpers/skip.js';

let corpus: Corpus;
beforeAll(async () => {
  // The shared corpus (DSS samples) is left to `npm run fuzz`: loading it takes longer than this test may.
  corpus = await loadCorpus(FIXTURES, { external: false });
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

  it('200 seeded mutants of the fixture signatures: no crash, no timeout, no false accept, no broken property', async () => {
    const tally = new Tally();
    const bad: string[] = [];
    // The structural families on the manifest fixtures (the scenario seeds and the differential oracle are exercised below).
    const fixtures = { ...corpus, seeds: corpus.seeds.filter((s) => s.origin === 'fixture'), listSeeds: [] };
    for (let i = 0; i < 200; i++) {
      const r = await fuzzOne(fixtures, 'smoke-2026', i, 5_000, { differential: false });
      tally.add(r.family, r.outcome);
      if (BAD_OUTCOMES.has(r.outcome)) bad.push(`#${i} ${r.seed} ${r.family} → ${r.outcome}: ${r.detail}`);
    }
    expect(bad).toEqual([]);
    // The run exercised both decoders and reached real verdicts, not only early parse errors.
    const outcomes = tally.byOutcome();
    expect(outcomes.get('error:ERR_INPUT_FORMAT') ?? 0).toBeGreaterThan(0);
    expect((outcomes.get('TOTAL-FAILED') ?? 0) + (outcomes.get('INDETERMINATE') ?? 0)).toBeGreaterThan(30);
  }, 60_000);

  it('each option family (revocation, trust list, agreement, time-stamp, time) and the list loader runs and keeps its property', async () => {
    const want = ['opt-revocation', 'opt-trust-list', 'opt-agreement', 'opt-timestamp', 'opt-time', 'list-load'];
    const seen = new Map<string, number>();
    const bad: string[] = [];
    for (let i = 0; i < 3000 && want.some((f) => (seen.get(f) ?? 0) < 2); i++) {
      const m = mutationFor(corpus, 'smoke-options', i);
      if (!want.includes(m.family) || (seen.get(m.family) ?? 0) >= 2 || !m.bytes) continue;
      const r = await fuzzOne(corpus, 'smoke-options', i, 5_000);
      seen.set(m.family, (seen.get(m.family) ?? 0) + 1);
      if (BAD_OUTCOMES.has(r.outcome)) bad.push(`#${i} ${r.seed} ${r.family} [${r.note}] → ${r.outcome}: ${r.detail}`);
    }
    expect(Object.fromEntries(want.map((f) => [f, seen.get(f) ?? 0]))).toEqual(Object.fromEntries(want.map((f) => [f, 2])));
    expect(bad).toEqual([]);
  }, 60_000);
});

/** A report like `r` with some fields replaced (to feed the properties a known-bad pair). */
function withSig(r: ValidationReport, f: (s: SignatureReport) => Partial<SignatureReport>): ValidationReport {
  return { ...r, signatures: r.signatures.map((s) => ({ ...s, ...f(s) })) };
}

describe('metamorphic properties report a known-bad pair', () => {
  const seed = (id: string) => corpus.seeds.find((s) => s.id === id)!;

  it('revocation: a certificate that becomes "good" after corrupting the data that revoked it', () => {
    const base = seed('rev:kz-revoked+crl').report!;
    expect(base.signatures[0]!.subIndication).toBe('REVOKED_NO_POE');
    const m: OptionMutation = { options: {}, note: 'corrupted crls[0]', property: 'revocation' };
    const forged = withSig(base, (s) => ({ indication: 'TOTAL-PASSED', subIndication: null, revocation: s.revocation.map((x) => ({ ...x, status: 'good' as const, revocationTime: null })) }));
    expect(checkProperty(m, base, forged)).toMatch(/is 'good'/);
    expect(checkProperty(m, base, base)).toBeUndefined();
  });

  it('trust: RECOGNIZED after a list mutation where the unmutated lists did not recognize', () => {
    const base = seed('trust:hu-attached:TR:json').report!;
    expect(base.signatures[0]!.recognition?.status).toBe('NOT_RECOGNIZED');
    const m: OptionMutation = { options: {}, note: 'edit ServiceStatus', property: 'trust' };
    const forged = withSig(base, (s) => ({ recognition: { ...s.recognition!, status: 'RECOGNIZED' } }));
    expect(checkProperty(m, base, forged)).toMatch(/RECOGNIZED/);
  });

  it('time-stamp: a corrupted token moving the best-signature-time earlier; and real corruptions keep it', async () => {
    const s = seed('cades-t');
    const base = s.report!;
    expect(base.signatures[0]!.times.bestSignatureTimeSource).toBe('signature-timestamp');
    const m: OptionMutation = { options: {}, note: 'corrupted token', property: 'timestamp' };
    const earlier = withSig(base, (x) => ({ times: { ...x.times, bestSignatureTime: '2000-01-01T00:00:00.000Z' } }));
    expect(checkProperty(m, base, earlier)).toMatch(/moved earlier/);
    let lost = 0;
    for (let i = 0; i < 6; i++) {
      const mm = tstCorrupt(s, rngFor('smoke-tst', i))!;
      const r = await verify(mm.bytes!, mm.options);
      expect(checkProperty(mm, base, r)).toBeUndefined();
      if (r.signatures[0]!.times.bestSignatureTimeSource === 'validation-time') lost++;
    }
    // The corruption does reach the token: most mutants lose their proof of existence.
    expect(lost).toBeGreaterThan(0);
  });

  it('time: a pass whose best-signature-time is after the revocation, or outside the signer validity', () => {
    const base = seed('revoked-no-ts').report!;
    const rev = base.signatures[0]!.revocation.find((r) => r.status === 'revoked')!;
    expect(rev.revocationTime).toBeTruthy();
    const passAt = (t: string) => withSig(base, (x) => ({ indication: 'TOTAL-PASSED', subIndication: null, revocation: [], times: { ...x.times, bestSignatureTime: t, validationTime: t } }));
    const m: OptionMutation = { options: {}, note: 'validationTime moved', property: 'time' };
    expect(checkProperty(m, base, passAt(new Date(Date.parse(rev.revocationTime!) + 1000).toISOString()))).toMatch(/revoked/);
    expect(checkProperty(m, base, passAt(new Date(Date.parse(rev.revocationTime!) - 1000).toISOString()))).toBeUndefined();
    const signer = base.signatures[0]!.signer!;
    const expired = passAt(new Date(Date.parse(signer.notAfter) + 1000).toISOString()).signatures[0]!;
    expect(passInvariants(expired)).toMatch(/outside the signer's validity/);
  });

  it('trust list: a mutated list still verifying but saying something else; a real injected TSP is refused', async () => {
    const ls = corpus.listSeeds.find((x) => x.id === 'tl:pilot-xml:kz-tl.xml')!;
    const base = await loadListTarget(ls, ls.lists);
    expect(base).toMatchObject({ usable: true, integrity: 'xades-signature' });
    expect(checkListProperty(base, { ...base!, content: `${base!.content} ` }, 'x')).toMatch(/content differs/);
    // Four XSW-style injections of a TSP with a swapped certificate: the list must stop being usable.
    let tried = 0;
    let unusable = 0;
    for (let i = 0; tried < 4 && i < 200; i++) {
      const rng = rngFor('smoke-tl', i);
      if (rng.int(4) !== 3) continue;
      const m = mutateListXml(ls.lists[ls.target]!.data as Uint8Array, rngFor('smoke-tl', i), donorRoots());
      if (!m || !m.note.startsWith('injected')) continue;
      tried++;
      const lists = ls.lists.map((x, k) => (k === ls.target ? { ...x, data: m.data } : x));
      const mutant = await loadListTarget(ls, lists);
      expect(checkListProperty(base, mutant, m.note)).toBeUndefined();
      // Injected among the providers, the list no longer verifies; inside ds:Signature/ds:Object it is unsigned and unread.
      if (m.data.length && mutant?.usable) expect(mutant.content).toBe(base!.content);
      else unusable++;
    }
    expect(tried).toBe(4);
    expect(unusable).toBeGreaterThan(0);
  });
});

describeIf(toolsAvailable.openssl && toolsAvailable.xmlsec1, 'openssl or xmlsec1 not installed')('differential oracle (openssl cms / xmlsec1)', () => {
  const seed = (id: string) => corpus.seeds.find((s) => s.id === id)!;

  it('openssl agrees on a genuine CAdES pass and reports a known-bad pair (tampered content with a passing report)', async () => {
    const good = seed('kz-attached');
    const report = good.report!.signatures[0]!;
    expect(report.indication).toBe('TOTAL-PASSED');
    expect((await crossCheck(good.bytes, report, good.options)).verdict).toBe('pass');
    const bad = seed('kz-tampered-content');
    const d = await crossCheck(bad.bytes, report, bad.options);
    expect(d).toMatchObject({ tool: 'openssl', verdict: 'fail' });
    // And an anchor the signature does not chain to: openssl refuses the chain.
    const untrusted = await crossCheck(good.bytes, report, { ...good.options, trustAnchors: [fixture('pki/tr-root.pem')] });
    expect(untrusted.verdict).toBe('fail');
  }, 20_000);

  it('openssl with the GOST engine agrees on the GOST fixtures', async () => {
    const s = seed('gost:gost-attached.p7s');
    const d = await crossCheck(s.bytes, s.report!.signatures[0]!, s.options);
    expect(d.verdict).toBe(toolsAvailable.gostEngine ? 'pass' : 'unsupported');
  }, 20_000);

  it('xmlsec1 agrees on a genuine XAdES pass and reports a known-bad pair', async () => {
    const good = seed('kz-enveloped-b');
    const report = good.report!.signatures[0]!;
    expect((await crossCheck(good.bytes, report, good.options)).verdict).toBe('pass');
    const bad = seed('kz-enveloped-tampered-content');
    expect(await crossCheck(bad.bytes, report, bad.options)).toMatchObject({ tool: 'xmlsec1', verdict: 'fail' });
    // Anchors from trust lists (recognition scenarios) reach xmlsec1 too.
    const sc = seed('trust:tr-enveloped-b-ecdsa:KZ:xml');
    expect((await crossCheck(sc.bytes, sc.report!.signatures[0]!, sc.options, { extraAnchors: sc.extraAnchors })).verdict).toBe('pass');
  }, 20_000);

  it('the engine turns a disagreement into DIFF-DISAGREE (a pass openssl refuses is a finding)', async () => {
    // A known-bad pair for the engine: the seed tells the differential oracle a wrong anchor (TR root for a KZ
    // signature anchored by the lists), so openssl must refuse what ots-esig passes.
    const s = seed('trust:kz-attached:UZ:xml');
    const rigged = { ...corpus, seeds: [{ ...s, extraAnchors: [fixture('pki/tr-root.pem')] }], listSeeds: [] };
    const outcomes: string[] = [];
    for (let i = 0; i < 12 && !outcomes.includes('DIFF-DISAGREE'); i++) outcomes.push((await fuzzOne(rigged, 'smoke-diff', i, 5_000)).outcome);
    expect(outcomes).toContain('DIFF-DISAGREE');
    // With the right anchors the same inputs agree.
    const honest = { ...corpus, seeds: [s], listSeeds: [] };
    for (let i = 0; i < outcomes.length; i++) expect((await fuzzOne(honest, 'smoke-diff', i, 5_000)).outcome).not.toBe('DIFF-DISAGREE');
  }, 30_000);
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
