import { beforeAll, describe, expect, it } from 'vitest';
import { jsonBatchWriter, renderFile, type BatchFormat } from '../src/cli/batch-output.js';
import type { FileOutcome } from '../src/cli/batch-types.js';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { fixtureCrlArgs, loadManifest } from './helpers/fixtures.js';

const m = loadManifest();
// Passed, failed, indeterminate, not-a-signature, XAdES and a path that does not exist (a per-file error in its place).
const inputs = ['fixtures/cades', 'fixtures/xades', 'fixtures/no-such-file.p7s', 'fixtures/asic'];
const common = ['--trust-anchor', 'fixtures/pki/kz-root.pem', '--trust-anchor', 'fixtures/pki/tr-root.pem', '--at', m.validationTime, '--progress', 'off', ...fixtureCrlArgs()];

beforeAll(() => ensureBuilt());

describe('a batch written as it runs', () => {
  it('prints byte for byte the same JSON with --jobs 2 (and 3) as with --jobs 1', () => {
    const one = runCli(['verify', ...inputs, ...common, '--jobs', '1', '--format', 'json']);
    const two = runCli(['verify', ...inputs, ...common, '--jobs', '2', '--format', 'json']);
    const three = runCli(['verify', ...inputs, ...common, '--jobs', '3', '--format', 'json']);
    expect(one.status).toBe(1);
    expect(two.status).toBe(1);
    const doc = JSON.parse(one.stdout) as { files: FileOutcome[]; summary: { files: number; errors: number } };
    expect(doc.files.length).toBeGreaterThan(20);
    expect(doc.summary.files).toBe(doc.files.length);
    expect(doc.files.find((f) => f.file === 'fixtures/no-such-file.p7s')!.error!.code).toBe('ERR_READ');
    expect(two.stdout).toBe(one.stdout);
    expect(three.stdout).toBe(one.stdout);
  });

  it.each([['text'], ['junit']])('prints the same %s with --jobs 2 as with --jobs 1', (format) => {
    const one = runCli(['verify', ...inputs, ...common, '--jobs', '1', '--format', format]);
    const two = runCli(['verify', ...inputs, ...common, '--jobs', '2', '--format', format]);
    expect(one.status).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stdout.length).toBeGreaterThan(1000);
  });

  it('writes JSON incrementally that is exactly JSON.stringify of the whole document', () => {
    const outcomes: FileOutcome[] = [
      { file: 'a "quoted"\nname.p7s', error: { code: 'ERR_INPUT_FORMAT', message: 'not a signature: "x"\n' } },
      { file: 'b.p7s', error: { code: 'ERR_READ', message: 'cannot read' } },
    ];
    const format: BatchFormat = { kind: 'json' };
    for (const [files, skipped] of [
      [outcomes, [{ file: '.hidden', reason: 'hidden' }]],
      [outcomes.slice(0, 1), []],
      [[], [{ file: 'x.txt', reason: 'not a signature file name' }]],
      [[], []],
    ] as const) {
      let out = '';
      const w = jsonBatchWriter((s) => (out += s), skipped);
      for (const o of files) w.add(renderFile(o, format));
      const totals = w.end();
      const summary = { files: files.length, signatures: 0, passed: 0, failed: 0, indeterminate: 0, errors: files.length, skipped: skipped.length };
      expect(out).toBe(JSON.stringify({ files, skipped, summary }, null, 2) + '\n');
      expect(totals.allPassed).toBe(files.length === 0);
    }
  });
});
