import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { fixtureCrlArgs, loadManifest } from './helpers/fixtures.js';

const m = loadManifest();
const at = ['--at', m.validationTime];
const kzAnchor = ['--trust-anchor', 'fixtures/pki/kz-root.pem'];
/** The KZ anchor with the test PKI's current CRLs (the default policy requires every chain certificate's status). */
const kz = [...kzAnchor, ...fixtureCrlArgs()];

beforeAll(() => ensureBuilt());

describe('ots-esig verify', () => {
  it('exits 0 and prints TOTAL-PASSED as JSON for a valid signature', () => {
    const r = runCli(['verify', 'fixtures/cades/kz-attached.p7s', ...kz, ...at, '--format', 'json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0].indication).toBe('TOTAL-PASSED');
    expect(report.signatures[0].subIndication).toBeNull();
    expect(report.signatures[0].signer.country).toBe('KZ');
  });

  it('prints a readable text report by default', () => {
    const r = runCli(['verify', 'fixtures/cades/kz-attached.p7s', ...kz, ...at]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Verdict:\s+TOTAL-PASSED/);
    expect(r.stdout).toMatch(/Chain:/);
  });

  it('reads PEM and bare base64 signatures and PEM/DER certificates', () => {
    for (const f of ['fixtures/cades/kz-attached.pem', 'fixtures/cades/kz-attached.b64']) {
      const r = runCli(['verify', f, ...kz, ...at, '--format', 'json']);
      expect(r.status, f).toBe(0);
    }
  });

  it('takes detached content with --content and intermediates/CRLs files', () => {
    const r = runCli([
      'verify', 'fixtures/cades/kz-detached.p7s', '--content', 'fixtures/content/document.txt', ...kz,
      '--intermediates', 'fixtures/pki/kz-ca.pem', '--crl', 'fixtures/crl/kz-ca-empty.crl', '--crl', 'fixtures/crl/current/kz-root.crl', ...at, '--format', 'json',
    ]);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout).signatures[0];
    expect(s.revocation[0].status).toBe('good');
  });

  it('--require-revocation turns a missing revocation status into INDETERMINATE/TRY_LATER (exit 1)', () => {
    const r = runCli(['verify', 'fixtures/cades/kz-attached.p7s', ...kzAnchor, ...at, '--require-revocation', '--format', 'json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  });

  it('exits 1 when a signature is not TOTAL-PASSED', () => {
    const r = runCli(['verify', 'fixtures/cades/kz-tampered-content.p7s', ...kz, ...at, '--format', 'json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('exits 1 when one of several signatures fails', () => {
    const r = runCli(['verify', 'fixtures/cades/two-signers-one-bad.p7s', ...kz, '--trust-anchor', 'fixtures/pki/tr-root.pem', ...at, '--format', 'json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).signatures.map((s: { indication: string }) => s.indication)).toEqual(['TOTAL-PASSED', 'TOTAL-FAILED']);
  });

  it.each([
    ['not a signature', ['verify', 'fixtures/cades/garbage.p7s', ...kz]],
    ['truncated', ['verify', 'fixtures/cades/truncated.p7s', ...kz]],
    ['missing file', ['verify', 'fixtures/cades/does-not-exist.p7s', ...kz]],
    ['bad --at', ['verify', 'fixtures/cades/kz-attached.p7s', ...kz, '--at', 'yesterday']],
    ['bad --format', ['verify', 'fixtures/cades/kz-attached.p7s', ...kz, '--format', 'xml']],
    ['unknown option', ['verify', 'fixtures/cades/kz-attached.p7s', '--frobnicate']],
    ['no file', ['verify']],
    ['unknown command', ['sign', 'x']],
    ['unreadable trust anchor', ['verify', 'fixtures/cades/kz-attached.p7s', '--trust-anchor', 'fixtures/cades/garbage.p7s']],
  ])('exits 2 with one line on stderr: %s', (_name, args) => {
    const r = runCli(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^ots-esig: /);
  });
});
