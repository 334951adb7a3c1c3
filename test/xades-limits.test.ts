import { describe, expect, it } from 'vitest';
import { LimitExceededError, verify } from '../src/index.js';
import { fixture, loadManifest, optionsFor } from './helpers/fixtures.js';

const m = loadManifest('xades/manifest.json');
const sample = (id: string) => m.samples.find((s) => s.id === id)!;

describe('XAdES work is bounded by the configured limits', () => {
  it('maxXmlReferences: a SignedInfo with more references than allowed does not pass', async () => {
    const s = sample('kz-enveloped-b');
    const ok = await verify(fixture(s.file), optionsFor(m, s));
    expect(ok.signatures[0]!.indication).toBe('TOTAL-PASSED');
    const r = await verify(fixture(s.file), { ...optionsFor(m, s), limits: { maxXmlReferences: 1 } });
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(r.signatures[0]!.checks.map((c) => c.detail).join(' ')).toMatch(/more than 1 references/);
  });

  it('maxCertificates: certificates carried in KeyInfo and CertificateValues are counted', async () => {
    const s = sample('kz-enveloped-lt');
    await expect(verify(fixture(s.file), { ...optionsFor(m, s), limits: { maxCertificates: 1 } })).rejects.toBeInstanceOf(LimitExceededError);
    const ok = await verify(fixture(s.file), optionsFor(m, s));
    expect(ok.signatures[0]!.indication).toBe('TOTAL-PASSED');
  });
});
