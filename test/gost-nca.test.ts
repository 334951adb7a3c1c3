import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runOtsRoots } from '../scripts/conformance/ots-roots.js';
import { describeIf } from './helpers/skip.js';

/**
 * Real Kazakhstan NCA certificates and CRLs (../shared/corpus/ots-roots, not made here):
 * GOST 34.310-2004 (KZ arc, r‖s little-endian) and GOST 34.10-2015-512 signatures must
 * verify with the GOST provider, fail when tampered, and be unsupported without it.
 */
const corpus = process.env.OTS_CORPUS ?? fileURLToPath(new URL('../../shared/corpus', import.meta.url));

describeIf(existsSync(`${corpus}/ots-roots`), 'no corpus (set OTS_CORPUS=/path/to/corpus): ots-roots/')('KZ NCA certificates and CRLs (ots-roots corpus)', () => {
  it('every certificate and CRL signature with its issuer in the corpus verifies; tampered ones and provider-less GOST do not', async () => {
    const r = (await runOtsRoots(corpus))!;
    expect(r.cases.filter((c) => c.result === 'FALSE_ACCEPT' || c.result === 'FALSE_REJECT')).toEqual([]);
    // 12 certificate signatures (5 KZ GOST/RSA chain links + 2 KZ self-signed roots + 5 TR roots), 3 CRLs (2 GOST),
    // 5 RFC 5280 paths, a tamper case for each of the 15 signatures, 5 GOST signatures refused without the provider.
    expect(r.counts).toEqual({
      sig: { passed: 12, failed: 0 },
      tamper: { passed: 15, failed: 0 },
      'no-provider': { passed: 5, failed: 0 },
      crl: { passed: 3, failed: 0 },
      path: { passed: 5, failed: 0 },
    });
    expect(r.lines.filter((l) => /^ok {3}(sig|crl) .*GOST/.test(l))).toHaveLength(5);
    expect(r.lines.some((l) => /crl_nca_gost2022_test.*GOST 34\.10-2015-512 .*512-bit/.test(l))).toBe(true);
  }, 120_000);
});
