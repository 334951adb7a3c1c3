import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { fixtureCrlArgs } from './helpers/fixtures.js';

// `ots-esig verify` on ASiC containers: one container like any signature file; folders include container endings.
const common = ['--trust-anchor', 'fixtures/pki/kz-root.pem', '--tsa-anchor', 'fixtures/pki/kz-root.pem', '--at', '2026-06-01T00:00:00Z', ...fixtureCrlArgs()];

beforeAll(() => ensureBuilt());

describe('ots-esig verify on containers', () => {
  it('one ASiC-E: text report with the container section, exit 0', () => {
    const r = runCli(['verify', 'fixtures/asic/kz-asice-xades.asice', ...common]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Container ASiC-E (mimetype application/vnd.etsi.asic-e+zip)');
    expect(r.stdout).toContain("Signature META-INF/signatures0.xml#Signature[@Id='S0'] covers: document.txt, data/report.csv");
    expect(r.stdout).toContain('1 of 1 signature(s) TOTAL-PASSED; container TOTAL-PASSED');
    expect(r.status).toBe(0);
  });

  it('an added unsigned entry: the signature passes but the container does not, exit 1', () => {
    const r = runCli(['verify', 'fixtures/asic/kz-asice-xades-entry-added.asice', ...common, '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report.signatures.map((s: { indication: string }) => s.indication)).toEqual(['TOTAL-PASSED']);
    expect(report.container).toMatchObject({ indication: 'TOTAL-FAILED', notCovered: ['added.txt'] });
    expect(r.status).toBe(1);
  });

  it('a time-stamp-only ASiC-S (no signature) exits 0 only because its container passes', () => {
    expect(runCli(['verify', 'fixtures/asic/kz-asics-timestamp.asics', ...common]).status).toBe(0);
    expect(runCli(['verify', 'fixtures/asic/kz-asics-timestamp-other-data.asics', ...common]).status).toBe(1);
  });

  it('a folder batch picks up .asice/.asics, reports the container verdict and fails on a failing container', async () => {
    const r = runCli(['verify', 'fixtures/asic', ...common, '--jobs', '2']);
    expect(r.stdout).toMatch(/kz-asice-xades-entry-added\.asice\s+1\s+TOTAL-PASSED, container TOTAL-FAILED\/FORMAT_FAILURE/);
    expect(r.stdout).toMatch(/zip-bomb\.asice\s+-\s+ERROR\s+ERR_LIMIT_EXCEEDED/);
    const { readdirSync } = await import('node:fs');
    const containers = readdirSync('fixtures/asic').filter((f) => /\.(asic[se]|bdoc)$/.test(f)).length;
    expect(r.stdout).toMatch(new RegExp(`^${containers} file\\(s\\)`, 'm'));
    expect(r.status).toBe(1);
    const junit = runCli(['verify', 'fixtures/asic/kz-asice-cades.asice', 'fixtures/asic/kz-asice-mimetype-missing.asice', ...common, '--format', 'junit']);
    expect(junit.stdout).toContain('name="container ASiC-E"');
    expect(junit.stdout).toMatch(/asic\.mimetype: no &quot;mimetype&quot; entry|asic\.mimetype: no "mimetype" entry/);
  });
});

describe('ots-esig verify --content NAME=FILE (detached XAdES over several files, outside a container)', () => {
  it('resolves each reference by name; swapping the files fails; a repeated plain --content is a usage error', async () => {
    const { mkdtempSync, writeFileSync, readFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { unzipSync } = await import('fflate');
    const dir = mkdtempSync(join(tmpdir(), 'ots-content-'));
    try {
      const files = unzipSync(new Uint8Array(readFileSync('fixtures/asic/kz-asice-xades.asice')));
      writeFileSync(join(dir, 'signatures0.xml'), files['META-INF/signatures0.xml']!);
      writeFileSync(join(dir, 'report.csv'), files['data/report.csv']!);
      const sig = join(dir, 'signatures0.xml');
      const ok = runCli(['verify', sig, '--content', 'document.txt=fixtures/content/document.txt', '--content', `data/report.csv=${join(dir, 'report.csv')}`, ...common, '--format', 'json']);
      expect(JSON.parse(ok.stdout).signatures.map((s: { indication: string }) => s.indication)).toEqual(['TOTAL-PASSED']);
      expect(ok.status).toBe(0);
      const swapped = runCli(['verify', sig, '--content', `document.txt=${join(dir, 'report.csv')}`, '--content', 'data/report.csv=fixtures/content/document.txt', ...common, '--format', 'json']);
      expect(JSON.parse(swapped.stdout).signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' });
      expect(swapped.status).toBe(1);
      const twice = runCli(['verify', sig, '--content', 'fixtures/content/document.txt', '--content', join(dir, 'report.csv'), ...common]);
      expect(twice.stderr).toMatch(/--content FILE is given twice/);
      expect(twice.status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
