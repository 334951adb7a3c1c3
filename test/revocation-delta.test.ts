import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { fixture, loadManifest } from './helpers/fixtures.js';

const at = new Date(loadManifest().validationTime);
// kz-root's ARL (kz-ca's status, required by the default policy) is passed with every set of kz-ca CRLs below.
const base = { trustAnchors: [fixture('pki/kz-root.pem')], validationTime: at };

describe('delta CRLs through verify()', () => {
  it('a base CRL that does not list the signer plus a delta that revokes it: REVOKED_NO_POE, never good', async () => {
    const r = await verify(fixture('cades/kz-revoked.p7s'), { ...base, crls: [fixture('crl/current/kz-root.crl'), fixture('crl/kz-ca-empty.crl'), fixture('crl/kz-ca-delta.crl')] });
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE' });
    expect(r.signatures[0]!.revocation[0]!.status).toBe('revoked');
  });

  it('the base alone says good, and a delta alone (no base) is not complete revocation data', async () => {
    const baseOnly = await verify(fixture('cades/kz-revoked.p7s'), { ...base, crls: [fixture('crl/current/kz-root.crl'), fixture('crl/kz-ca-empty.crl')] });
    expect(baseOnly.signatures[0]!.indication).toBe('TOTAL-PASSED');
    const deltaOnly = await verify(fixture('cades/kz-attached.p7s'), { ...base, crls: [fixture('crl/current/kz-root.crl'), fixture('crl/kz-ca-delta.crl')] });
    expect(deltaOnly.signatures[0]!.revocation[0]!.status).toBe('unknown');
  });

  it('a delta that does not list the signer leaves the base answer standing', async () => {
    const r = await verify(fixture('cades/kz-attached.p7s'), { ...base, crls: [fixture('crl/current/kz-root.crl'), fixture('crl/kz-ca-empty.crl'), fixture('crl/kz-ca-delta.crl')] });
    expect(r.signatures[0]!.indication).toBe('TOTAL-PASSED');
    expect(r.signatures[0]!.revocation[0]!.status).toBe('good');
  });
});
