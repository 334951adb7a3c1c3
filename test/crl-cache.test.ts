/**
 * Parsed CRLs are cached by exact DER (src/pki/cache.ts crlCache): a CRL
 * passed as bytes with every call is parsed once. The cache may only save
 * parsing: the same bytes under another validation time, or other bytes
 * (another CRL, or the same buffer changed in place), must be judged anew.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { crlCache } from '../src/pki/cache.js';
import { largeCrl } from '../bench/realistic-inputs.js';

const FIX = join(__dirname, '..', 'fixtures');
const read = (rel: string) => new Uint8Array(readFileSync(join(FIX, rel)));
const TIME = new Date('2026-06-01T00:00:00Z');
const sig = read('cades/kg-attached.p7s');
const root = read('pki/kg-root.pem');
const rootCrl = read('crl/current/kg-root.crl');
const run = async (crl: Uint8Array, validationTime = TIME) => (await verify(sig, { trustAnchors: [root], crls: [crl, rootCrl], validationTime })).signatures[0]!;

describe('crlCache', () => {
  const big = largeCrl(2000);

  it('returns the parse of the same bytes, and a fresh parse for bytes differing anywhere', () => {
    const a = crlCache.get(big);
    expect(crlCache.get(big.slice())).toBe(a);
    const middle = big.slice();
    middle[big.length >> 1]! ^= 1; // outside the hashed head and tail: only the full comparison sees it
    expect(crlCache.get(middle)).not.toBe(a);
  });

  it('a 2,000-entry CRL as bytes: the verdict is the same on every call and the entries are found', async () => {
    for (let i = 0; i < 3; i++) expect((await run(big)).indication).toBe('TOTAL-PASSED');
    const crl = crlCache.get(big);
    expect(crl.size).toBe(2000);
    expect(crl.entryFor('100000000000000007')?.revocationDate.toISOString()).toBe('2025-08-08T12:00:00.000Z');
    expect(crl.entryFor('10000000000000000a')?.reason).toBe('keyCompromise'); // every tenth entry carries a reasonCode
    expect(crl.entryFor('100000000000000007', 'other issuer')).toBeUndefined();
    expect(crl.entryFor('1000000000000007d0')).toBeUndefined();
  });

  it('the same cached CRL under a later validation time (after its nextUpdate) is judged again: no longer fresh', async () => {
    expect((await run(big)).indication).toBe('TOTAL-PASSED');
    const later = await run(big, new Date('2026-09-01T00:00:00Z'));
    expect(later.indication).toBe('INDETERMINATE');
  });

  it('a buffer changed in place after a call is not served the earlier parse (its signature now fails)', async () => {
    const shared = big.slice();
    expect((await run(shared)).indication).toBe('TOTAL-PASSED');
    shared[shared.length >> 1]! ^= 1;
    expect((await run(shared)).indication).toBe('INDETERMINATE');
    shared[shared.length >> 1]! ^= 1;
    expect((await run(shared)).indication).toBe('TOTAL-PASSED');
  });

  it('another CRL set is judged anew: the revoking fixture CRL after the empty one', async () => {
    const kz = read('cades/kz-revoked.p7s');
    const kzRoot = read('pki/kz-root.pem');
    const go = async (crl: string) =>
      (await verify(kz, { trustAnchors: [kzRoot], crls: [read(crl), read('crl/current/kz-root.crl')], validationTime: TIME })).signatures[0]!;
    const before = await go('crl/kz-ca-empty.crl');
    const revoked = await go('crl/kz-ca.crl');
    const again = await go('crl/kz-ca-empty.crl');
    expect(revoked.subIndication).toBe('REVOKED_NO_POE');
    expect(before.subIndication).not.toBe('REVOKED_NO_POE');
    expect(again).toEqual(before);
  });
});
