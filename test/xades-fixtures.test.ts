import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { FIXTURE_CRL_FILES } from './helpers/fixtures.js';

interface Sample {
  id: string;
  file: string;
  description: string;
  detached: Record<string, string> | null;
  trustAnchors: string[];
  timestampAnchors?: string[];
  crls: string[];
  error?: string;
  expect: { indication: string; subIndication: string | null; level?: string; bestSignatureTimeSource?: string }[];
}
const dir = new URL('../fixtures/', import.meta.url);
const read = (p: string) => new Uint8Array(readFileSync(new URL(p, dir)));
const manifest = JSON.parse(readFileSync(new URL('xades/manifest.json', dir), 'utf8')) as { validationTime: string; samples: Sample[] };

function options(s: Sample) {
  return {
    trustAnchors: s.trustAnchors.map(read),
    timestampAnchors: (s.timestampAnchors ?? []).map(read),
    // The sample's CRLs, then the current CRLs of the fixture PKI (the default policy wants every CA's status).
    crls: [...s.crls, ...FIXTURE_CRL_FILES].map(read),
    validationTime: new Date(manifest.validationTime),
    detachedFiles: s.detached ? Object.fromEntries(Object.entries(s.detached).map(([k, v]) => [k, read(v)])) : undefined,
  };
}

describe('XAdES fixtures (fixtures/xades/manifest.json)', () => {
  for (const s of manifest.samples) {
    it(`${s.id}: ${s.description}`, async () => {
      if (s.error) {
        await expect(verify(read(s.file), options(s))).rejects.toMatchObject({ code: s.error });
        return;
      }
      const r = await verify(read(s.file), options(s));
      expect(
        r.signatures.map((x, i) => ({
          indication: x.indication,
          subIndication: x.subIndication,
          ...(s.expect[i]?.level ? { level: x.level } : {}),
          ...(s.expect[i]?.bestSignatureTimeSource ? { bestSignatureTimeSource: x.times.bestSignatureTimeSource } : {}),
        })),
      ).toEqual(s.expect);
      for (const sig of r.signatures) expect(sig.format).toBe('XAdES');
    });
  }

  it('reports the level, the claimed signing time and what each reference covers', async () => {
    const s = manifest.samples.find((x) => x.id === 'kz-enveloped-b')!;
    const [sig] = (await verify(read(s.file), options(s))).signatures;
    expect(sig!.level).toBe('XAdES-BASELINE-B');
    expect(sig!.times.claimedSigningTime).toBe('2026-05-15T10:00:00.000Z');
    expect(sig!.signer?.subject).toContain('C=KZ');
    const refs = sig!.checks.filter((c) => c.id.startsWith('cv.reference'));
    expect(refs.map((c) => c.detail)).toEqual([
      expect.stringContaining('covers /inv:Invoice[1] minus the enveloped signature'),
      expect.stringContaining('xades:SignedProperties[1]'),
    ]);
  });

  it('a detached signature without its content is INDETERMINATE / SIGNED_DATA_NOT_FOUND', async () => {
    const s = manifest.samples.find((x) => x.id === 'kz-detached-b')!;
    const r = await verify(read(s.file), { ...options(s), detachedFiles: undefined });
    expect([r.signatures[0]!.indication, r.signatures[0]!.subIndication]).toEqual(['INDETERMINATE', 'SIGNED_DATA_NOT_FOUND']);
  });

  it('a single detachedContent blob serves the one detached reference', async () => {
    const s = manifest.samples.find((x) => x.id === 'kz-detached-b')!;
    const r = await verify(read(s.file), { ...options(s), detachedFiles: undefined, detachedContent: read('content/document.txt') });
    expect(r.signatures[0]!.indication).toBe('TOTAL-PASSED');
  });

  it('a time-stamp over other data is ignored with a warning, never used as proof of existence', async () => {
    const s = manifest.samples.find((x) => x.id === 'kz-enveloped-t-wrong-imprint')!;
    const [sig] = (await verify(read(s.file), options(s))).signatures;
    expect(sig!.times.bestSignatureTime).toBe(new Date(manifest.validationTime).toISOString());
    expect(sig!.checks.find((c) => c.id === 'tst.SignatureTimeStamp[0]')?.detail).toMatch(/message-imprint/);
    expect(sig!.warnings.join('\n')).toMatch(/SignatureTimeStamp 0 ignored: failed validation \(HASH_FAILURE\)/);
  });

  it('XAdES-T: the signature time-stamp genTime becomes the best-signature-time', async () => {
    const s = manifest.samples.find((x) => x.id === 'kz-enveloped-t')!;
    const [sig] = (await verify(read(s.file), options(s))).signatures;
    expect(sig!.times.bestSignatureTime).toBe('2026-05-15T10:05:00.000Z');
  });

  it('without a trust anchor a valid signature is INDETERMINATE, never passed', async () => {
    const s = manifest.samples.find((x) => x.id === 'kz-enveloped-b')!;
    const r = await verify(read(s.file), { ...options(s), trustAnchors: [] });
    expect(r.signatures[0]!.indication).toBe('INDETERMINATE');
  });

  it('wrapping attacks that keep the cryptography valid still do not pass, and say why', async () => {
    for (const id of ['xsw-wrapped-in-object', 'xsw-moved-element']) {
      const s = manifest.samples.find((x) => x.id === id)!;
      const [sig] = (await verify(read(s.file), options(s))).signatures;
      expect(sig!.checks.find((c) => c.id === 'cv.signature-value')?.status).toBe('PASSED');
      expect(sig!.checks.find((c) => c.id === 'cv.reference[0]')?.status).toBe('PASSED');
      expect(sig!.checks.find((c) => c.id === 'fc.signed-content')?.detail).toMatch(/not the document the caller has/);
    }
  });
});
