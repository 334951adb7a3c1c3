import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { fixtureCrlArgs, loadManifest } from './helpers/fixtures.js';

const at = loadManifest().validationTime;
const LOTL_PIN = ['--pin', 'fixtures/pki/ots-lotl-operator.pem'];
const KZ_PIN = ['--pin', 'fixtures/pki/kz-tl-operator.pem'];
let tmp: string;

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'ots-maint-'));
});

/** The pilot KZ list as JSON with the root CA service withdrawn from `since` (old status kept in the history). */
function withdrawnKzList(since: string, keepHistory = true): string {
  const list = JSON.parse(readFileSync('trust-lists/json/kz-tl.json', 'utf8'));
  const svc = list.providers[0].services[0];
  if (keepHistory) {
    svc.history = [{ type: svc.type, name: svc.name, status: svc.status, statusStartingTime: svc.statusStartingTime, additionalServiceInformation: svc.additionalServiceInformation, qualifiers: svc.qualifiers }, ...svc.history];
  }
  svc.status = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn';
  svc.statusStartingTime = since;
  list.scheme.sequenceNumber += 1;
  const f = join(tmp, `kz-withdrawn-${since.slice(0, 10)}-${keepHistory}.json`);
  writeFileSync(f, JSON.stringify(list, null, 2));
  return f;
}

describe('ots-esig trust-list lint', () => {
  it('passes the signed pilot list with its pinned operator certificate', () => {
    const r = runCli(['trust-list', 'lint', 'trust-lists/kz-tl.xml', ...KZ_PIN, '--at', at, '--format', 'json']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.errors).toBe(0);
    expect(out.findings.map((f: { rule: string }) => f.rule)).toContain('signature.valid');
  });

  it('fails a list signed by someone else than the pinned operator', () => {
    const r = runCli(['trust-list', 'lint', 'trust-lists/kz-tl.xml', '--pin', 'fixtures/pki/tr-tl-operator.pem', '--at', at]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/ERROR\s+signature\.invalid/);
  });

  it('fails a tampered list, an expired list, and a list that does not parse', () => {
    const xml = readFileSync('trust-lists/kz-tl.xml', 'utf8');
    const tampered = join(tmp, 'kz-tampered.xml');
    writeFileSync(tampered, xml.replace(/Svcstatus\/granted/, 'Svcstatus/withdrawn'));
    const t = runCli(['trust-list', 'lint', tampered, ...KZ_PIN, '--at', at, '--format', 'json']);
    expect(t.status).toBe(1);
    expect(JSON.parse(t.stdout).findings.some((f: { rule: string; severity: string }) => f.rule === 'signature.invalid' && f.severity === 'error')).toBe(true);

    const late = runCli(['trust-list', 'lint', 'trust-lists/kz-tl.xml', ...KZ_PIN, '--at', '2045-01-01T00:00:00Z', '--format', 'json']);
    expect(late.status).toBe(1);
    const findings = JSON.parse(late.stdout).findings as { rule: string; severity: string }[];
    expect(findings.map((f) => f.rule)).toContain('next-update.past');
    // The KZ root (valid to 2044) is still listed as granted: an error, not a warning.
    expect(findings.find((f) => f.rule === 'certificate.expired')?.severity).toBe('error');
    const soon = runCli(['trust-list', 'lint', 'trust-lists/kz-tl.xml', ...KZ_PIN, '--at', '2043-12-15T00:00:00Z', '--format', 'json']);
    expect(JSON.parse(soon.stdout).findings.map((f: { rule: string }) => f.rule)).toContain('certificate.expiring');
    const broken = join(tmp, 'broken.xml');
    writeFileSync(broken, xml.slice(0, 500));
    const b = runCli(['trust-list', 'lint', broken, ...KZ_PIN]);
    expect(b.status).toBe(1);
    expect(b.stdout).toMatch(/ERROR\s+structure/);
  });

  it('warns when NextUpdate is near, and reports inconsistent history as an error (JUnit)', () => {
    const list = JSON.parse(readFileSync('trust-lists/json/kz-tl.json', 'utf8'));
    const svc = list.providers[0].services[0];
    svc.history = [{ ...svc, history: undefined, identity: undefined, statusStartingTime: '2030-01-01T00:00:00.000Z' }].map(({ history: _h, identity: _i, ...h }) => h);
    const f = join(tmp, 'bad-history.json');
    writeFileSync(f, JSON.stringify(list));
    const r = runCli(['trust-list', 'lint', f, '--at', '2027-09-15T00:00:00Z', '--warn-days', '30', '--format', 'junit']);
    expect(r.status).toBe(1);
    const doc = new DOMParser().parseFromString(r.stdout, 'application/xml') as unknown as Document;
    const names = Array.from(doc.getElementsByTagName('testcase')).map((c) => (c as Element).getAttribute('name'));
    expect(names.some((n) => n!.startsWith('error history.order'))).toBe(true);
    expect(names.some((n) => n!.startsWith('warning next-update.soon'))).toBe(true);
  });
});

describe('ots-esig trust-list diff', () => {
  it('shows a status change with its dates and accepts an increasing sequence number', () => {
    const r = runCli(['trust-list', 'diff', 'trust-lists/json/kz-tl.json', withdrawnKzList('2026-05-01T00:00:00.000Z'), '--format', 'json']);
    expect(r.status, r.stdout).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.sequenceMonotonic).toBe(true);
    expect(d.statusChanges).toHaveLength(1);
    expect(d.statusChanges[0]).toMatchObject({ status: expect.stringMatching(/withdrawn$/), previousStatus: expect.stringMatching(/granted$/), statusStartingTime: '2026-05-01T00:00:00.000Z' });
    expect(d.servicesAdded).toEqual([]);
  });

  it('fails when the sequence number does not increase or the old status is dropped from history', () => {
    const same = runCli(['trust-list', 'diff', 'trust-lists/json/kz-tl.json', 'trust-lists/kz-tl.xml']);
    expect(same.status).toBe(1);
    expect(same.stdout).toMatch(/sequence-number: TSLSequenceNumber did not increase/);
    const lost = runCli(['trust-list', 'diff', 'trust-lists/json/kz-tl.json', withdrawnKzList('2026-05-01T00:00:00.000Z', false)]);
    expect(lost.status).toBe(1);
    expect(lost.stdout).toMatch(/history\.lost/);
  });

  it('lists services and certificates added and removed between different lists', () => {
    const r = runCli(['trust-list', 'diff', 'trust-lists/json/kz-tl.json', 'trust-lists/json/tr-tl.json', '--format', 'json']);
    const d = JSON.parse(r.stdout);
    expect(d.servicesAdded.length).toBeGreaterThan(0);
    expect(d.servicesRemoved.length).toBeGreaterThan(0);
    expect(d.certificatesAdded.some((c: { subject: string }) => /TR Test Root CA/.test(c.subject))).toBe(true);
    expect(d.findings.map((f: { rule: string }) => f.rule)).toContain('territory');
  });
});

describe('ots-esig regress', () => {
  const corpus = () => {
    const dir = join(tmp, 'corpus');
    mkdirSync(dir, { recursive: true });
    for (const f of ['kz-attached.p7s', 'kz-detached.p7s', 'tr-attached.p7s', 'kz-tampered-content.p7s', 'garbage.p7s']) cpSync(`fixtures/cades/${f}`, join(dir, f));
    return dir;
  };
  const lists = (kz: string) => ['--trust-list', 'trust-lists/json/ots-lotl.json', '--trust-list', kz, '--trust-list', 'trust-lists/json/tr-tl.json'];
  const common = ['--relying-party', 'TR', '--at', at, '--jobs', '2', ...fixtureCrlArgs()];

  it('reports no change against itself and exits 0', () => {
    const r = runCli(['regress', ...lists('trust-lists/json/kz-tl.json'), '--baseline', 'trust-lists/json/ots-lotl.json', '--baseline', 'trust-lists/json/kz-tl.json', '--baseline', 'trust-lists/json/tr-tl.json', ...common, corpus()]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/5 file\(s\) re-verified against baseline .*: 0 change\(s\)/);
  });

  it('shows whose recognition changes when a service is withdrawn before the signing time, and exits 1', () => {
    const newKz = withdrawnKzList('2026-01-01T00:00:00.000Z');
    const r = runCli(['regress', ...lists(newKz), '--baseline', 'trust-lists/json/ots-lotl.json', '--baseline', 'trust-lists/json/kz-tl.json', '--baseline', 'trust-lists/json/tr-tl.json', ...common, '--format', 'json', corpus()]);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    const files = out.changes.map((c: { file: string }) => c.file).sort();
    // Only the valid KZ signatures change: TR's do not, and invalid ones stay INVALID.
    expect(files).toEqual(['kz-attached.p7s']);
    expect(out.changes[0].before.recognition).toBe('RECOGNIZED');
    expect(out.changes[0].after.recognition).toBe('NOT_RECOGNIZED');
  });

  it('checks a corpus against a written manifest of expectations', () => {
    const dir = corpus();
    const manifest = join(tmp, 'expect.json');
    const w = runCli(['regress', ...lists('trust-lists/json/kz-tl.json'), ...common, '--write-expect', manifest, dir]);
    expect(w.status, w.stderr).toBe(0);
    const ok = runCli(['regress', ...lists('trust-lists/json/kz-tl.json'), ...common, '--expect', manifest, dir]);
    expect(ok.status).toBe(0);
    const bad = runCli(['regress', ...lists(withdrawnKzList('2026-01-01T00:00:00.000Z')), ...common, '--expect', manifest, '--format', 'junit', dir]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/<testcase classname="regress" name="kz-attached.p7s">\s*<failure/);
  });

  it('a manifest records the validation time it was made at, and a later run without --at judges at that time', () => {
    const dir = corpus();
    const manifest = join(tmp, 'expect-time.json');
    const noAt = common.filter((a, i) => a !== '--at' && common[i - 1] !== '--at');
    const w = runCli(['regress', ...lists('trust-lists/json/kz-tl.json'), ...common, '--write-expect', manifest, dir]);
    expect(w.status, w.stderr).toBe(0);
    const written = JSON.parse(readFileSync(manifest, 'utf8')) as { validationTime: string };
    expect(written.validationTime).toBe(new Date(at).toISOString());
    // No --at: the manifest's time is used (today the fixtures' certificates would judge differently).
    const again = runCli(['regress', ...lists('trust-lists/json/kz-tl.json'), ...noAt, '--expect', manifest, dir]);
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain(`at ${new Date(at).toISOString()}`);
    writeFileSync(manifest, JSON.stringify({ ...written, validationTime: 17 }));
    expect(runCli(['regress', ...lists('trust-lists/json/kz-tl.json'), ...noAt, '--expect', manifest, dir]).status).toBe(2);
  });

  it('rejects a call without a baseline or manifest (exit 2)', () => {
    const r = runCli(['regress', ...lists('trust-lists/json/kz-tl.json'), ...common, corpus()]);
    expect(r.status).toBe(2);
  });
});
