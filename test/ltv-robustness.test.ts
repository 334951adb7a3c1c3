import { describe, expect, it } from 'vitest';
import { OtsEsigError, verify } from '../src/index.js';
import { fixture } from './helpers/fixtures.js';

// Corrupted LTV material (time-stamps, OCSP, archive index) must give a report or a typed error, never a crash.
describe('corrupted CAdES-LTA input', () => {
  const base = fixture('ltv/cades-lta.p7s');
  const opts = { trustAnchors: [fixture('pki/kz-root.pem')], validationTime: new Date('2026-06-01T00:00:00Z') };

  it('single-byte corruptions across the unsigned part: report or typed error', async () => {
    let reports = 0;
    let errors = 0;
    // Deterministic positions spread over the last 60 % of the file (certificates, CRLs, OCSP, time-stamps).
    for (let k = 0; k < 60; k++) {
      const pos = Math.floor(base.length * 0.4) + Math.floor(((k * 7919) % 1000) / 1000 * base.length * 0.6);
      const bad = base.slice();
      bad[pos] = bad[pos]! ^ (1 << (k % 8));
      try {
        const r = await verify(bad, opts);
        expect(r.signatures.length).toBeGreaterThan(0);
        reports++;
      } catch (e) {
        expect(e).toBeInstanceOf(OtsEsigError);
        errors++;
      }
    }
    expect(reports + errors).toBe(60);
  }, 60_000);
});
