import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verify, type SignatureReport } from '../src/index.js';
import { FIXTURE_CRL_FILES } from './helpers/fixtures.js';
import { commandAvailable, describeIf } from './helpers/skip.js';

/**
 * Parallel enveloping XAdES (TÜBİTAK MA3 writes `<envelope><data/><signatures>` with one enveloping
 * ds:Signature per signer): each signature's own ds:Object is its signed data when the document holds nothing
 * but signatures in containers without text or attributes (src/xades/enveloping.ts). The wrapping attacks on
 * that layout (fixtures/gen-xades.ts, ids parallel-*) keep the cryptography valid and must stay rejected.
 */
const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));
const read = (p: string) => new Uint8Array(readFileSync(`${dir}${p}`));
const text = (p: string) => readFileSync(`${dir}${p}`, 'utf8');
const manifest = JSON.parse(text('xades/manifest.json')) as { validationTime: string; samples: { id: string; file: string; trustAnchors: string[]; crls: string[] }[] };
const sample = (id: string) => manifest.samples.find((s) => s.id === id)!;

function options(id: string) {
  const s = sample(id);
  return { trustAnchors: s.trustAnchors.map(read), crls: [...s.crls, ...FIXTURE_CRL_FILES].map(read), validationTime: new Date(manifest.validationTime) };
}
const check = (sig: SignatureReport, id: string) => sig.checks.find((c) => c.id === id);
const run = async (id: string, xml?: string) => (await verify(xml !== undefined ? new TextEncoder().encode(xml) : read(sample(id).file), options(id))).signatures;

describe('parallel enveloping XAdES (fixtures)', () => {
  it('both signatures pass, each naming exactly its own ds:Object and the empty containers', async () => {
    const [a, b] = await run('parallel-enveloping-b');
    expect([a!.indication, b!.indication]).toEqual(['TOTAL-PASSED', 'TOTAL-PASSED']);
    expect(check(a!, 'fc.signed-content')!.detail).toBe(
      'signed data is the ds:Object /envelope[1]/signatures[1]/ds:Signature[1]/ds:Object[1] (Id "sig-par-a-doc"), inside this ds:Signature (one of 2 parallel ds:Signature elements; the document holds nothing else: /envelope[1], /envelope[1]/data[1], /envelope[1]/signatures[1] carry no text and no attributes)',
    );
    expect(check(b!, 'fc.signed-content')!.detail).toMatch(/^signed data is the ds:Object \/envelope\[1\]\/signatures\[1\]\/ds:Signature\[2\]\/ds:Object\[1\] \(Id "sig-par-b-doc"\), inside this ds:Signature/);
    expect(check(a!, 'cv.reference[0]')!.detail).toContain('covers /envelope[1]/signatures[1]/ds:Signature[1]/ds:Object[1]');
    for (const s of [a!, b!]) expect(s.warnings.filter((w) => w.includes('not covered'))).toEqual([]);
  });

  // Each attack: the signature value verifies (the attack keeps the cryptography), the signed content is refused.
  const attacks: [string, RegExp, RegExp][] = [
    ['parallel-xsw-content-beside', /covers \/envelope\[1\]\/signatures\[1\]\/ds:Signature\[1\]\/ds:Object\[1\], inside the signature while the document element is envelope and holds more than signatures/, /ds:Signature\[2\]\/ds:Object\[1\], inside the signature .* holds more than signatures/],
    ['parallel-xsw-attribute', /holds more than signatures/, /holds more than signatures/],
    ['parallel-xsw-unreferenced-object', /holds more than signatures/, /holds more than signatures/],
    // Signature A's object sits in signature B and B's in A: the document holds only signatures, yet each covers the other's object.
    ['parallel-xsw-objects-swapped', /reference 0 \(#sig-par-a-doc\) covers \/envelope\[1\]\/signatures\[1\]\/ds:Signature\[2\]\/ds:Object\[1\], inside another ds:Signature \/envelope\[1\]\/signatures\[1\]\/ds:Signature\[2\], not in a ds:Object of this one$/, /reference 0 \(#sig-par-b-doc\) covers \/envelope\[1\]\/signatures\[1\]\/ds:Signature\[1\]\/ds:Object\[1\], inside another ds:Signature/],
    ['parallel-xsw-object-moved-out', /covers \/envelope\[1\]\/data\[1\]\/ds:Object\[1\], not the document element envelope/, /holds more than signatures/],
  ];
  for (const [id, ra, rb] of attacks) {
    it(`${id}: INDETERMINATE / SIGNED_DATA_NOT_FOUND for both, though each SignatureValue verifies`, async () => {
      const sigs = await run(id);
      expect(sigs).toHaveLength(2);
      for (const [i, s] of sigs.entries()) {
        expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'SIGNED_DATA_NOT_FOUND']);
        expect(check(s, 'cv.signature-value')?.status).toBe('PASSED');
        expect(check(s, 'cv.reference[0]')?.status).toBe('PASSED');
        expect(check(s, 'fc.signed-content')?.detail).toMatch(i === 0 ? ra : rb);
      }
    });
  }

  it('a forged ds:Object with the signed object Id is ambiguous: FORMAT_FAILURE, never the forged content', async () => {
    const [a, b] = await run('parallel-xsw-duplicate-id');
    expect([a!.indication, a!.subIndication]).toEqual(['TOTAL-FAILED', 'FORMAT_FAILURE']);
    expect(check(a!, 'fc.unique-ids')?.detail).toMatch(/"sig-par-a-doc" occur on more than one element/);
    expect([b!.indication, b!.subIndication]).toEqual(['INDETERMINATE', 'SIGNED_DATA_NOT_FOUND']);
  });

  it('a signature moved into another signature\'s ds:Object is not a parallel signature; the outer one names the object it does not sign', async () => {
    const [outer, inner] = await run('parallel-xsw-nested-signature');
    expect(outer!.id).toBe("Signature[@Id='sig-par-b']");
    expect(outer!.indication).toBe('TOTAL-PASSED');
    expect(outer!.warnings).toContain('not covered by the signature: ds:Object /envelope[1]/signatures[1]/ds:Signature[1]/ds:Object[2]');
    expect(inner!.id).toBe("Signature[@Id='sig-par-a']");
    expect([inner!.indication, inner!.subIndication]).toEqual(['INDETERMINATE', 'SIGNED_DATA_NOT_FOUND']);
    expect(check(inner!, 'cv.signature-value')?.status).toBe('PASSED');
  });

  it('a signature whose only reference is its SignedProperties signs no data: FORMAT_FAILURE', async () => {
    const [none, b] = await run('parallel-only-signed-properties');
    expect([none!.indication, none!.subIndication]).toEqual(['TOTAL-FAILED', 'FORMAT_FAILURE']);
    expect(check(none!, 'fc.signed-content')?.detail).toBe('no reference signs any data besides the signed properties');
    expect(b!.indication).toBe('TOTAL-PASSED');
  });

  it('a comment or stylesheet PI in the containers is no content, but the report names it', async () => {
    const xml = text(sample('parallel-enveloping-b').file).replace('<data>', '<data><!-- note --><?xml-stylesheet href="evil.xsl"?>');
    const sigs = await run('parallel-enveloping-b', xml);
    for (const s of sigs) {
      expect(check(s, 'fc.signed-content')?.status).toBe('PASSED');
      expect(s.warnings).toContain('not covered by the signature: processing instruction <?xml-stylesheet href="evil.xsl"?> in /envelope[1]/data[1]');
    }
  });

  it('an enveloping signature (document element) names an unreferenced ds:Object it carries', async () => {
    const xml = text('xades/kz-enveloping-b.xml').replace('</ds:Signature>', '<ds:Object Id="extra"><note>pay 1,000,000 KZT to Attacker Ltd</note></ds:Object></ds:Signature>');
    const [sig] = await verify(new TextEncoder().encode(xml), options('kz-enveloping-b')).then((r) => r.signatures);
    expect(check(sig!, 'cv.signature-value')?.status).toBe('PASSED');
    expect(sig!.warnings).toContain('not covered by the signature: ds:Object /ds:Signature[1]/ds:Object[3] (Id "extra")');
  });
});

const xmlsec = commandAvailable('xmlsec1', ['--version'], 'parallel XAdES cross-check skipped', 'apt-get install -y xmlsec1');
describeIf(!!xmlsec, 'xmlsec1 is not installed')('xmlsec1 --verify agrees on the parallel signatures, one by one (--node-id)', () => {
  const args = (file: string, id: string) => [
    '--verify',
    '--id-attr:Id', 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties',
    '--id-attr:Id', 'http://www.w3.org/2000/09/xmldsig#:Signature',
    '--node-id', id,
    '--enabled-key-data', 'x509',
    '--trusted-pem', 'pki/kz-root.pem', '--trusted-pem', 'pki/tr-root.pem',
    '--untrusted-pem', 'pki/kz-ca.pem', '--untrusted-pem', 'pki/tr-ca.pem',
    '--verification-gmt-time', '2026-06-01+00:00:00',
    file,
  ];
  it('verifies each of the two signatures of parallel-enveloping-b', () => {
    for (const id of ['sig-par-a', 'sig-par-b']) expect(() => execFileSync('xmlsec1', args('xades/parallel-enveloping-b.xml', id), { cwd: dir, stdio: 'pipe' })).not.toThrow();
  });
  it('and refuses the swapped objects (it resolves a signature\'s Ids inside that signature only)', () => {
    expect(() => execFileSync('xmlsec1', args('xades/parallel-xsw-objects-swapped.xml', 'sig-par-a'), { cwd: dir, stdio: 'pipe' })).toThrow();
  });
});

/** The MA3 suite's parallel XAdES (../shared/corpus/realworld/TR/ma3-testsuite; not made here). */
const corpus = process.env.OTS_CORPUS ?? fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const MA3 = `${corpus}/realworld/TR/ma3-testsuite`;
const PARALLEL = [
  'validation-xades-bes/enveloping/BES_39_p.xml',
  'validation-xades-est/enveloping/EST_39_p.xml',
  'validation-xades-esxl1/enveloping/ESXL1_39_p.xml',
  'validation-xades-esa/enveloping/ESA_39_p.xml',
  'validation-xades-p4/enveloping/P4_93_p.pdf.xml',
  'validation-xades-p4_a/enveloping/P4_A93_p.pdf.xml',
];
const haveMa3 = existsSync(`${MA3}/${PARALLEL[0]}`);
if (!haveMa3) console.warn(`xades-parallel: MA3 corpus tests skipped — no corpus at ${MA3} (set OTS_CORPUS)`);

describeIf(!!haveMa3, 'the shared corpus (OTS_CORPUS) has no MA3 suite')('MA3 parallel XAdES samples (realworld corpus)', () => {
  const ma3Options = () => ({
    trustAnchors: ['RootA', 'RootB', 'RootC', 'RootD'].map((n) => new Uint8Array(readFileSync(`${MA3}/anchors/${n}.pem`))),
    // The corpus' SubRoot A1 is a 2019 copy, not valid at the 2017 signing time; the verdicts here are not the point.
    intermediates: [new Uint8Array(readFileSync(`${MA3}/intermediates/SubRoot_A1.pem`))],
  });
  for (const f of PARALLEL) {
    it(`${f}: each of the 2 signatures verifies and its signed content is its own ds:Object`, async () => {
      const bytes = new Uint8Array(readFileSync(`${MA3}/${f}`));
      const sigs = (await verify(bytes, ma3Options())).signatures;
      expect(sigs).toHaveLength(2);
      for (const [i, s] of sigs.entries()) {
        expect(check(s, 'cv.signature-value')?.status).toBe('PASSED');
        const data = s.checks.find((c) => c.id.startsWith('cv.reference') && !c.detail.includes('#SignedProperties'))!;
        const objectId = /URI="#([^"]+)"/.exec(data.detail)![1]!;
        expect(check(s, 'fc.signed-content')?.detail).toMatch(
          new RegExp(`^signed data is the ds:Object /envelope\\[1\\]/signatures\\[1\\]/ds:Signature\\[${i + 1}\\]/ds:Object\\[2\\] \\(Id "${objectId}"\\), inside this ds:Signature \\(one of 2 parallel`),
        );
        expect(s.subIndication).not.toBe('SIGNED_DATA_NOT_FOUND');
      }
      // The suite expects these files invalid: the first signer's CA (or certificate) is revoked.
      expect(sigs[0]!.indication).not.toBe('TOTAL-PASSED');
    });
  }

  it('with text put next to the signatures, or their objects swapped, both are SIGNED_DATA_NOT_FOUND again', async () => {
    const xml = readFileSync(`${MA3}/${PARALLEL[0]}`, 'utf8');
    const objects = [...xml.matchAll(/<ds:Object Encoding="[^"]+" Id="[^"]+">[^<]*<\/ds:Object>/g)].map((m) => m[0]);
    expect(objects).toHaveLength(2);
    const beside = xml.replace('<data>\n</data>', '<data>Ödeme: 1.000.000 TL</data>');
    const swapped = xml.replace(objects[0]!, '\u0000').replace(objects[1]!, objects[0]!).replace('\u0000', objects[1]!);
    for (const variant of [beside, swapped]) {
      const sigs = (await verify(new TextEncoder().encode(variant), ma3Options())).signatures;
      for (const s of sigs) {
        expect(check(s, 'cv.signature-value')?.status).toBe('PASSED');
        expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'SIGNED_DATA_NOT_FOUND']);
      }
    }
  });
});
