import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './helpers/cli.js';

beforeAll(() => ensureBuilt());

// kz-root's ARL gives kz-ca's status, which the default policy requires and the samples do not carry.
const AT = ['--at', '2026-06-01T00:00:00Z', '--trust-anchor', 'fixtures/pki/kz-root.pem', '--tsa-anchor', 'fixtures/pki/kz-root.pem', '--crl', 'fixtures/crl/current/kz-root.crl'];

describe('CLI: time-stamps and revocation data in the report', () => {
  it('text report shows the claimed signing time, the best-signature-time and the revocation data used', () => {
    const r = runCli(['verify', 'fixtures/ltv/revoked-after-ts.p7s', ...AT, '--crl', 'fixtures/crl/kz-ca.crl', '--format', 'text']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Claimed time:\s+2026-01-15T10:00:00.000Z/);
    expect(r.stdout).toMatch(/Best sig. time: 2026-01-15T10:00:05.000Z \(signature-timestamp\)/);
    expect(r.stdout).toMatch(/Time-stamp:.*KZ Test TSA.*PASSED \(proof of existence\)/);
    expect(r.stdout).toMatch(/Revocation:\n.*Revoked Signer TEST.*revoked since 2026-02-01T00:00:00.000Z — supplied: CRL CN=KZ Test Issuing CA/);
    expect(r.stdout).toMatch(/CAdES-BASELINE-T/);
  });

  it('--ocsp supplies OCSP responses; JSON carries kind and origin', () => {
    const r = runCli(['verify', 'fixtures/cades/kz-attached.p7s', ...AT, '--ocsp', 'fixtures/ltv/ocsp/kz-signer-good.der', '--format', 'json']);
    expect(r.status).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.signatures[0].revocation[0]).toMatchObject({ status: 'good', kind: 'ocsp', origin: 'supplied' });
  });

  it('without --tsa-anchor the TSA (under a --trust-anchor only) is not trusted: no proof of existence', () => {
    const r = runCli(['verify', 'fixtures/ltv/revoked-after-ts.p7s', '--at', '2026-06-01T00:00:00Z', '--trust-anchor', 'fixtures/pki/kz-root.pem', '--crl', 'fixtures/crl/kz-ca.crl', '--format', 'json']);
    expect(r.status).toBe(1);
    const s = JSON.parse(r.stdout).signatures[0];
    expect([s.indication, s.subIndication, s.times.bestSignatureTimeSource]).toEqual(['INDETERMINATE', 'REVOKED_NO_POE', 'validation-time']);
    expect(s.warnings.join('\n')).toMatch(/not trusted as a time-stamping authority/);
  });

  it('revoked before the time-stamp → exit 1, TOTAL-FAILED / REVOKED', () => {
    const r = runCli(['verify', 'fixtures/ltv/revoked-before-ts.p7s', ...AT, '--crl', 'fixtures/crl/kz-ca.crl', '--format', 'text']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Verdict:\s+TOTAL-FAILED \/ REVOKED/);
  });

  it('--online with a certificate naming an unreachable responder → INDETERMINATE / TRY_LATER, exit 1', () => {
    // ocsp.kz.test / crl.kz.test do not resolve (.test is reserved): the fetch fails, never a pass.
    const r = runCli(['verify', 'fixtures/ltv/aia-good.p7s', '--trust-anchor', 'fixtures/pki/kz-root.pem', '--online', '--format', 'json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  });
});
