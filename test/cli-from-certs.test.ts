/**
 * `ots-esig trust-list from-certs` (#21): a JSON trusted list from pinned roots
 * that the loader, the JSON Schema and verify accept; a signer under another
 * member's root is not trusted by it; end-entity certificates are refused as CA services.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { fixtureCrlArgs, loadManifest } from './helpers/fixtures.js';

const m = loadManifest();
let dir: string;
const dates = ['--issued', '2026-01-01T00:00:00Z', '--next-update', '2027-01-01T00:00:00Z'];

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ots-from-certs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function build(...args: string[]) {
  return runCli(['trust-list', 'from-certs', ...dates, ...args]);
}

function verifyWith(list: string, file = 'fixtures/cades/kz-attached.p7s') {
  const r = runCli(['verify', file, '--trust-list', list, '--at', m.validationTime, ...fixtureCrlArgs(), '--format', 'json']);
  return { status: r.status, report: JSON.parse(r.stdout) as { signatures: { indication: string; subIndication?: string }[] } };
}

describe('trust-list from-certs', () => {
  it('builds a KZ CA/QC list from the KZ root that verify trusts (territory in any case)', () => {
    const out = join(dir, 'kz.json');
    const r = build('--territory', 'kz', '--service-type', 'CA/QC', 'fixtures/pki/kz-root.pem', '-o', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote .*kz\.json: KZ:TL #1, 1 service\(s\)/);
    const list = JSON.parse(readFileSync(out, 'utf8'));
    expect(list).toMatchObject({
      kind: 'ots-esig/trusted-list',
      id: 'KZ:TL',
      scheme: { territory: 'KZ', type: 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/KZlist', issueDate: '2026-01-01T00:00:00.000Z', nextUpdate: '2027-01-01T00:00:00.000Z' },
    });
    const service = list.providers[0].services[0];
    expect(service).toMatchObject({
      type: 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC',
      name: 'KZ Test Root CA',
      status: 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted',
      additionalServiceInformation: ['http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures'],
    });
    expect(verifyWith(out).report.signatures[0]!.indication).toBe('TOTAL-PASSED');
  });

  it('writes what the JSON Schema of lists accepts', () => {
    const r = build('--territory', 'TR', '--service-type', 'CA/QC', '--test', 'fixtures/pki/tr-root.pem', 'fixtures/pki/tr-root.pem');
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.providers.flatMap((p: { services: unknown[] }) => p.services)).toHaveLength(1); // the same certificate twice: listed once
    expect(list.test).toBe(true);
    const schema = JSON.parse(readFileSync('trust-lists/trust-list.schema.json', 'utf8'));
    const Ajv = ((Ajv2020Module as unknown as { default?: typeof Ajv2020Module }).default ?? Ajv2020Module) as unknown as typeof Ajv2020Module.default;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(list), JSON.stringify(validate.errors)).toBe(true);
  });

  it("a list of another member's root does not make a KZ signature pass", () => {
    const out = join(dir, 'tr.json');
    expect(build('--territory', 'TR', '--service-type', 'CA/QC', 'fixtures/pki/tr-root.pem', '-o', out).status).toBe(0);
    const v = verifyWith(out);
    expect(v.status).toBe(1);
    expect(v.report.signatures[0]!.indication).not.toBe('TOTAL-PASSED');
  });

  it('a TSA service type does not make a signer CA trusted for signatures', () => {
    const out = join(dir, 'kz-tsa.json');
    expect(build('--territory', 'KZ', '--service-type', 'TSA/QTST', 'fixtures/pki/kz-root.pem', '-o', out).status).toBe(0);
    expect(verifyWith(out).report.signatures[0]!.indication).not.toBe('TOTAL-PASSED');
  });

  it('refuses an end-entity certificate as a CA service, and bad options', () => {
    const ee = build('--territory', 'KZ', '--service-type', 'CA/QC', 'fixtures/pki/kz-signer.pem');
    expect(ee.status).toBe(2);
    expect(ee.stderr).toMatch(/is not a CA certificate/);
    expect(ee.stdout).toBe('');
    expect(build('--territory', 'Kazakhstan', '--service-type', 'CA/QC', 'fixtures/pki/kz-root.pem').stderr).toMatch(/ISO 3166-1 alpha-2/);
    expect(build('--service-type', 'CA/QC', 'fixtures/pki/kz-root.pem').stderr).toMatch(/needs --territory/);
    expect(build('--territory', 'KZ', 'fixtures/pki/kz-root.pem').stderr).toMatch(/needs --service-type/);
    expect(runCli(['trust-list', 'from-certs', '--territory', 'KZ', '--service-type', 'CA/QC', '--issued', '2026-01-01T00:00:00Z', '--next-update', '2025-01-01T00:00:00Z', 'fixtures/pki/kz-root.pem']).stderr).toMatch(/nextUpdate must be after issueDate/);
    expect(build('--territory', 'KZ', '--service-type', 'CA/QC', 'fixtures/pki/nope.pem').stderr).toMatch(/cannot read certificate fixtures\/pki\/nope\.pem: no such file/);
  });

  it('lint accepts the list it wrote (JSON: no signature, a warning, no error)', () => {
    const out = join(dir, 'kz-lint.json');
    expect(build('--territory', 'KZ', '--service-type', 'CA/QC', 'fixtures/pki/kz-root.pem', '-o', out).status).toBe(0);
    const r = runCli(['trust-list', 'lint', out, '--at', m.validationTime, '--format', 'json']);
    const lint = JSON.parse(r.stdout) as { errors: number; findings: { rule: string; severity: string }[] };
    expect(lint.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('the guide\'s flow (docs/national-roots.md): a list from pinned KZ roots plus a KZ-TR agreement → RECOGNIZED in TR; without the agreement NOT_RECOGNIZED', () => {
    const out = join(dir, 'kz-guide.json');
    expect(build('--territory', 'KZ', '--service-type', 'CA/QC', 'fixtures/pki/kz-root.pem', '-o', out).status).toBe(0);
    const agreement = JSON.parse(readFileSync('trust-lists/agreements/az-tr-mutual.json', 'utf8'));
    const kzTr = join(dir, 'kz-tr.json');
    writeFileSync(kzTr, JSON.stringify({ ...agreement, id: 'GUIDE-KZ-TR', title: 'guide example', parties: ['KZ', 'TR'] }));
    const run = (...extra: string[]) => {
      const r = runCli(['verify', 'fixtures/cades/kz-attached.p7s', '--trust-list', out, ...extra, '--relying-party', 'tr', '--at', m.validationTime, ...fixtureCrlArgs(), '--format', 'json']);
      return { status: r.status, sig: (JSON.parse(r.stdout) as { signatures: { indication: string; recognition: { status: string; basis: { kind: string } | null } }[] }).signatures[0]! };
    };
    const withAgreement = run('--agreement', kzTr);
    expect(withAgreement.status).toBe(0);
    expect(withAgreement.sig.recognition).toMatchObject({ status: 'RECOGNIZED', basis: { kind: 'bilateral' } });
    const without = run();
    expect(without.status).toBe(1);
    expect(without.sig.indication).toBe('TOTAL-PASSED');
    expect(without.sig.recognition.status).toBe('NOT_RECOGNIZED');
  });
});
