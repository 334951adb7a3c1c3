/**
 * #16 verdict precedence (EN 319 102-1 5.3): a TOTAL-FAILED finding about the signature outranks the
 * INDETERMINATE ones. A signer that signed before its certificate existed is NOT_YET_VALID whatever
 * revocation data may later turn up: the verdict must not be INDETERMINATE / TRY_LATER ("try later").
 */
import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { decide } from '../src/validation/verdict.js';
import { cades, fixtureActor } from './helpers/attack-pki.js';
import { fixture } from './helpers/fixtures.js';

describe('#16 verdict: TOTAL-FAILED outranks INDETERMINATE', () => {
  it('a claimed signing-time before the signer certificate (PSV NOT_YET_VALID) outranks missing revocation data (XCV TRY_LATER)', async () => {
    const signer = await fixtureActor('pki/kz-signer.pem', 'kz-signer');
    const ca = await fixtureActor('pki/kz-ca.pem', 'kz-ca');
    // kz-signer is valid from 2025-01-01: a signature claiming 2024-06-01 was made with a certificate not yet issued.
    const cms = await cades({ signer, certs: [signer, ca], signingTime: new Date('2024-06-01T00:00:00Z') });
    const [s] = (await verify(cms, { trustAnchors: [fixture('pki/kz-root.pem')], policy: 'lenient', requireRevocation: true, validationTime: new Date('2026-06-01T00:00:00Z') })).signatures;
    expect(s!.checks.some((c) => c.block === 'XCV' && c.status === 'INDETERMINATE' && c.subIndication === 'TRY_LATER')).toBe(true);
    expect(s!.checks.some((c) => c.block === 'PSV' && c.status === 'FAILED' && c.subIndication === 'NOT_YET_VALID')).toBe(true);
    expect([s!.indication, s!.subIndication]).toEqual(['TOTAL-FAILED', 'NOT_YET_VALID']);
  });

  it('decide(): a later TOTAL-FAILED block wins over an earlier INDETERMINATE one; INDETERMINATE order is kept otherwise', () => {
    expect(
      decide([
        { id: 'xcv.revocation', block: 'XCV', status: 'INDETERMINATE', detail: '', subIndication: 'TRY_LATER' },
        { id: 'psv.x', block: 'PSV', status: 'FAILED', detail: '', subIndication: 'REVOKED' },
      ]),
    ).toEqual({ indication: 'TOTAL-FAILED', subIndication: 'REVOKED' });
    expect(
      decide([
        { id: 'sav.x', block: 'SAV', status: 'INDETERMINATE', detail: '', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE' },
        { id: 'xcv.revocation', block: 'XCV', status: 'INDETERMINATE', detail: '', subIndication: 'TRY_LATER' },
      ]),
    ).toEqual({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  });
});
