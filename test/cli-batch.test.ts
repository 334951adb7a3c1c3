import { DOMParser } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { loadManifest, fixtureCrlArgs } from './helpers/fixtures.js';
import { progressBar } from '../src/cli/batch.js';

const m = loadManifest();
const common = ['--trust-anchor', 'fixtures/pki/kz-root.pem', '--trust-anchor', 'fixtures/pki/tr-root.pem', '--at', m.validationTime, ...fixtureCrlArgs()];

beforeAll(() => ensureBuilt());

interface BatchJson {
  files: { file: string; report?: { signatures: { indication: string; subIndication: string | null }[] }; error?: { code: string } }[];
  summary: { files: number; signatures: number; passed: number; failed: number; indeterminate: number; errors: number };
}

describe('ots-esig verify on many files', () => {
  it('verifies a folder across worker threads with the same verdicts as one thread, in input order', () => {
    const parallel = runCli(['verify', 'fixtures/cades', ...common, '--jobs', '3', '--format', 'json']);
    const serial = runCli(['verify', 'fixtures/cades', ...common, '--jobs', '1', '--format', 'json']);
    expect(parallel.status).toBe(1);
    expect(parallel.stderr).toBe(''); // no progress bar when stderr is not a terminal
    const p = JSON.parse(parallel.stdout) as BatchJson;
    const s = JSON.parse(serial.stdout) as BatchJson;
    expect(p.files.map((f) => f.file)).toEqual([...p.files.map((f) => f.file)].sort());
    expect(p).toEqual(s); // --at fixes the validation time, so the two runs must agree exactly
    const byName = new Map(p.files.map((f) => [f.file.replace(/^.*\//, ''), f]));
    expect(byName.get('kz-attached.p7s')!.report!.signatures[0]!.indication).toBe('TOTAL-PASSED');
    expect(byName.get('kz-tampered-content.p7s')!.report!.signatures[0]!.subIndication).toBe('HASH_FAILURE');
    expect(byName.get('garbage.p7s')!.error!.code).toBe('ERR_INPUT_FORMAT');
    const sum = p.summary;
    expect(sum.files).toBe(p.files.length);
    expect(sum.passed + sum.failed + sum.indeterminate).toBe(sum.signatures);
    expect(sum.errors).toBe(p.files.filter((f) => f.error).length);
  });

  it('prints a summary table in text and exits 0 when every signature passes', () => {
    const r = runCli(['verify', 'fixtures/cades/kz-attached.p7s', 'fixtures/cades/tr-attached.p7s', 'fixtures/cades/two-signers.p7s', ...common, '--jobs', '2']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/3 file\(s\), 4 signature\(s\): 4 TOTAL-PASSED, 0 TOTAL-FAILED, 0 INDETERMINATE, 0 not evaluable/);
  });

  it('writes JUnit XML with one case per signature, failures and errors counted', () => {
    const r = runCli(['verify', 'fixtures/cades/two-signers-one-bad.p7s', 'fixtures/cades/kz-attached.p7s', 'fixtures/cades/garbage.p7s', ...common, '--format', 'junit']);
    expect(r.status).toBe(1);
    const doc = new DOMParser().parseFromString(r.stdout, 'application/xml') as unknown as Document;
    const suite = doc.getElementsByTagName('testsuite')[0]!;
    expect([suite.getAttribute('tests'), suite.getAttribute('failures'), suite.getAttribute('errors')]).toEqual(['4', '1', '1']);
    const failure = doc.getElementsByTagName('failure')[0]!;
    expect(failure.getAttribute('message')).toBe('TOTAL-FAILED/SIG_CRYPTO_FAILURE');
    expect((failure.parentNode as Element).getAttribute('classname')).toBe('fixtures/cades/two-signers-one-bad.p7s');
  });

  it('shows the recognition decision per file and counts RECOGNIZED signatures', () => {
    const r = runCli([
      'verify', 'fixtures/cades/kz-attached.p7s', 'fixtures/cades/tm-attached.p7s', '--at', m.validationTime, '--jobs', '2',
      '--trust-list', 'trust-lists/ots-lotl.xml', '--trust-list', 'trust-lists/kz-tl.xml', '--list-signer', 'fixtures/pki/ots-lotl-operator.pem', '--relying-party', 'TR',
      ...fixtureCrlArgs(),
    ]);
    expect(r.status).toBe(1); // TM has no list: not trusted, so not every signature passes
    expect(r.stdout).toMatch(/kz-attached\.p7s\s+1\s+TOTAL-PASSED\s+KZ RECOGNIZED in TR/);
    expect(r.stdout).toMatch(/; 1 RECOGNIZED\n$/);
  });

  it('draws a progress bar that ends on a new line', () => {
    let out = '';
    const bar = progressBar({ write: (x: string) => ((out += x), true) } as unknown as NodeJS.WriteStream);
    bar(1, 4);
    bar(4, 4);
    expect(out).toBe('\r[########......................] 1/4\r[##############################] 4/4\n');
  });

  it.each([
    ['--jobs 0', ['--jobs', '0']],
    ['--jobs x', ['--jobs', 'x']],
    ['etsi-xml for a batch', ['--format', 'etsi-xml']],
  ])('rejects %s with exit 2', (_n, extra) => {
    const r = runCli(['verify', 'fixtures/cades/kz-attached.p7s', 'fixtures/cades/tr-attached.p7s', ...common, ...extra]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
