/**
 * Unsigned validation material that cannot be read (a corrupted EncapsulatedX509Certificate or
 * EncapsulatedCRLValue in CertificateValues / RevocationValues) is a warning about that material,
 * not a FORMAT_FAILURE of the signature (DSS XAdESLTACorruptedCertTest and xmlsec1: the core
 * signature is valid). Built at test time from the committed XAdES-LT fixture.
 */
import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { fixture, loadManifest, optionsFor } from './helpers/fixtures.js';

const m = loadManifest('xades/manifest.json');
const sample = m.samples.find((s) => s.id === 'kz-enveloped-lt')!;
// The lenient preset, so that only the finding under test can change the verdict.
const options = { ...optionsFor(m, sample), policy: 'lenient' };
const original = new TextDecoder().decode(fixture(sample.file));

function corrupt(element: string): Uint8Array {
  const re = new RegExp(`(<xades:${element}[^>]*>)([A-Za-z0-9+/=\\s]+)(</xades:${element}>)`);
  expect(re.test(original), `${element} in the fixture`).toBe(true);
  // Drop one base64 character: invalid length, unreadable.
  return new TextEncoder().encode(original.replace(re, (_, open: string, body: string, close: string) => `${open}${body.replace(/\s+/g, '').slice(1)}${close}`));
}

describe('unreadable unsigned validation material', () => {
  it('control: the fixture passes', async () => {
    const r = await verify(new TextEncoder().encode(original), options);
    expect(r.signatures[0]!.indication).toBe('TOTAL-PASSED');
  });

  for (const element of ['EncapsulatedX509Certificate', 'EncapsulatedCRLValue']) {
    it(`a corrupted ${element} is a warning, not FORMAT_FAILURE`, async () => {
      const r = await verify(corrupt(element), options);
      const s = r.signatures[0]!;
      expect(s.checks.filter((c) => c.block === 'FC' && c.status === 'FAILED')).toEqual([]);
      expect(s.subIndication).not.toBe('FORMAT_FAILURE');
      expect(s.checks.find((c) => c.id === 'cv.signature-value')?.status).toBe('PASSED');
      expect(s.warnings.some((w) => w.includes(element))).toBe(true);
    });
  }
});
