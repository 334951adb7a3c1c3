import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { loadManifest } from './helpers/fixtures.js';

// trust-list lint with a list of lists (#22): the national list's actual signer must be one the LOTL's pointer
// announces (ServiceDigitalIdentities), even when the operator pins the key it signed with; and the schema
// structure findings reach the CLI output with their element paths.
const at = ['--at', loadManifest().validationTime];
const LOTL = ['--trust-list', 'trust-lists/ots-lotl.xml', '--list-signer', 'fixtures/pki/ots-lotl-operator.pem'];
type Out = { errors: number; findings: { severity: string; rule: string; message: string; where?: string }[] };
let tmp: string;
let resigned: string;

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'ots-lotl-signer-'));
  // The KZ list as the pilot source gives it, re-signed with another operator's key (TR's): a key rotation the
  // list of lists was not told about, or a list signed by the wrong party.
  const unsigned = join(tmp, 'kz-unsigned.xml');
  const b = runCli(['trust-list', 'build', 'trust-lists/json/kz-tl.json', '-o', unsigned, '--sequence', '9', '--issued', '2026-05-01T00:00:00Z']);
  expect(b.status, b.stderr).toBe(0);
  resigned = join(tmp, 'kz-resigned.xml');
  const s = runCli(['trust-list', 'sign', unsigned, '--key', 'fixtures/keys/tr-tl-operator.key.pem', '--cert', 'fixtures/pki/tr-tl-operator.pem', '--no-tsa', '-o', resigned, '--signing-time', '2026-05-01T00:00:00Z']);
  expect(s.status, s.stderr).toBe(0);
});

describe('trust-list lint: the signer the list of lists announces', () => {
  it('the pilot KZ list is signed by the certificate the OTS list of lists announces for it', () => {
    const r = runCli(['trust-list', 'lint', 'trust-lists/kz-tl.xml', '--pin', 'fixtures/pki/kz-tl-operator.pem', ...LOTL, ...at, '--format', 'json']);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.findings).toContainEqual(expect.objectContaining({ severity: 'info', rule: 'lotl.signer-announced', message: expect.stringMatching(/KZ Test Trusted List Operator/) }));
    expect(out.errors, r.stdout).toBe(0);
    expect(r.status).toBe(0);
  });

  it('every pilot national list matches its pointer', () => {
    for (const cc of ['az', 'kg', 'kz', 'tr', 'uz']) {
      const r = runCli(['trust-list', 'lint', `trust-lists/${cc}-tl.xml`, ...LOTL, ...at, '--format', 'json']);
      const out = JSON.parse(r.stdout) as Out;
      expect(out.findings.filter((f) => f.rule.startsWith('lotl.')).map((f) => f.rule), cc).toEqual(['lotl.signer-announced']);
    }
    // HU is an observer: the OTS list of lists does not point to its list, which lint says (a warning).
    const hu = JSON.parse(runCli(['trust-list', 'lint', 'trust-lists/hu-tl.xml', ...LOTL, ...at, '--format', 'json']).stdout) as Out;
    expect(hu.findings.filter((f) => f.rule.startsWith('lotl.'))).toEqual([expect.objectContaining({ severity: 'warning', rule: 'lotl.no-pointer' })]);
  });

  it('a list re-signed by another key is an error even when that key is pinned', () => {
    const r = runCli(['trust-list', 'lint', resigned, '--pin', 'fixtures/pki/tr-tl-operator.pem', ...LOTL, ...at, '--format', 'json']);
    const out = JSON.parse(r.stdout) as Out;
    // The pin alone would pass it: the signature is sound, by the wrong key.
    expect(out.findings).toContainEqual(expect.objectContaining({ rule: 'signature.valid' }));
    expect(out.findings).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        rule: 'lotl.signer-mismatch',
        message: expect.stringMatching(/announces \(CN=KZ Test Trusted List Operator.*ds:KeyInfo names CN=TR Test Trusted List Operator/),
        where: expect.stringMatching(/^OTS:LOTL #\d+ pointer /),
      }),
    );
    expect(r.status).toBe(1);
    // Without the list of lists, the pinned signature is all lint can judge.
    const pinOnly = runCli(['trust-list', 'lint', resigned, '--pin', 'fixtures/pki/tr-tl-operator.pem', ...at, '--format', 'json']);
    expect((JSON.parse(pinOnly.stdout) as Out).findings.map((f) => f.rule)).not.toContain('lotl.signer-mismatch');
  });

  it('schema structure findings are in the lint output with their element path, also for a list the reader refuses', () => {
    const f = join(tmp, 'kz-no-tsltype.xml');
    writeFileSync(f, readFileSync('trust-lists/kz-tl.xml', 'utf8').replace(/<TSLType>[^<]*<\/TSLType>/, ''));
    const r = runCli(['trust-list', 'lint', f, '--pin', 'fixtures/pki/kz-tl-operator.pem', ...at]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/ERROR\s+structure: .*missing TSLType/);
    expect(r.stdout).toMatch(/ERROR\s+schema\.missing: SchemeInformation has no TSLType \(required\) \(\/TrustServiceStatusList\/SchemeInformation\/TSLType\)/);
    const g = join(tmp, 'kz-seq0.xml');
    writeFileSync(g, readFileSync('trust-lists/kz-tl.xml', 'utf8').replace(/<SchemeName><Name xml:lang="en">/, '<SchemeName><Name>'));
    const j = JSON.parse(runCli(['trust-list', 'lint', g, '--pin', 'fixtures/pki/kz-tl-operator.pem', ...at, '--format', 'json']).stdout) as Out;
    expect(j.findings).toContainEqual(expect.objectContaining({ severity: 'error', rule: 'schema.lang', where: '/TrustServiceStatusList/SchemeInformation/SchemeName/Name[1]' }));
  });
});
