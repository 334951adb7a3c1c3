import { describe, expect, it } from 'vitest';
import { verify, OtsEsigError } from '../src/index.js';
import { fixture, loadManifest, optionsFor } from './helpers/fixtures.js';

const manifest = loadManifest();

describe('CAdES fixtures give the expected ETSI EN 319 102-1 verdicts', () => {
  for (const sample of manifest.samples) {
    it(`${sample.id}: ${sample.description}`, async () => {
      const run = verify(fixture(sample.file), optionsFor(manifest, sample));
      if ('error' in sample.expect) {
        const err = await run.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(OtsEsigError);
        expect((err as OtsEsigError).code).toBe(sample.expect.error);
        return;
      }
      const report = await run;
      expect(report.signatures.map((s) => ({ indication: s.indication, subIndication: s.subIndication }))).toEqual(sample.expect);
      for (const s of report.signatures) {
        // A verdict that is not TOTAL-PASSED must say why, in a check carrying that sub-indication.
        if (s.indication !== 'TOTAL-PASSED') {
          expect(s.checks.some((c) => c.status !== 'PASSED' && c.subIndication === s.subIndication)).toBe(true);
        } else {
          expect(s.checks.every((c) => c.status === 'PASSED' || c.status === 'SKIPPED')).toBe(true);
          expect(s.chain.length).toBeGreaterThanOrEqual(2);
          expect(s.signer?.sha256).toMatch(/^[0-9a-f]{64}$/);
        }
      }
    });
  }
});
