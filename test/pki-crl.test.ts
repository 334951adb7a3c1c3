/**
 * CRL processing (RFC 5280 6.3) on NIST PKITS cases from the shared corpus:
 * skipped when the corpus is absent. The full suite runs in `npm run conformance`;
 * these are the CRL features one by one, through the same harness.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPkitsCase, type PkitsCase } from '../scripts/conformance/pkits.js';

const corpus = resolve(__dirname, '..', process.env.OTS_CORPUS ?? '../shared/corpus');
const dir = join(corpus, 'pkits');
const present = existsSync(join(dir, 'pkits.json'));
const cases: PkitsCase[] = present ? JSON.parse(readFileSync(join(dir, 'pkits.json'), 'utf8')) : [];
const byId = (id: string) => cases.find((c) => c.id === id)!;

/** Basic revocation (4.4), distribution points / onlySomeReasons / indirect CRLs (4.14), delta CRLs (4.15). */
const CRL_CASES = ['40401', '40402', '40403', '40404', '40408', '40411', '40419', '40420', '41404', '41408', '41410', '41415', '41420', '41430', '41501', '41505'];

describe.skipIf(!present)('CRL processing on PKITS', () => {
  for (const id of CRL_CASES) {
    it(`${id} ${byId(id)?.name ?? ''}`, async () => {
      const c = byId(id);
      expect(c, `case ${id} in pkits.json`).toBeDefined();
      const r = await runPkitsCase(dir, c);
      expect(r.ok, r.detail).toBe(!c.error);
    });
  }
});
