/**
 * A batch folder with a dangling symbolic link, a link to itself (ELOOP) and a
 * directory link back to an ancestor: each is a per-file error, the batch goes
 * on, loops are never followed. Before: exit 3 and a stack trace (#15 class 11).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { FIXTURES, loadManifest, fixtureCrlArgs } from './helpers/fixtures.js';

const m = loadManifest();
const common = ['--trust-anchor', 'fixtures/pki/kz-root.pem', '--at', m.validationTime, '--format', 'json', ...fixtureCrlArgs()];
let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ots-batch-links-'));
  copyFileSync(join(FIXTURES, 'cades/kz-attached.p7s'), join(dir, 'a-good.p7s'));
  symlinkSync(join(dir, 'does-not-exist.p7s'), join(dir, 'b-dangling.p7s'));
  symlinkSync(join(dir, 'c-self.p7s'), join(dir, 'c-self.p7s'));
  mkdirSync(join(dir, 'd-sub'));
  copyFileSync(join(FIXTURES, 'cades/kz-attached.p7s'), join(dir, 'd-sub', 'inner.p7s'));
  symlinkSync('..', join(dir, 'd-sub', 'up')); // directory loop
  symlinkSync(join(dir, 'd-sub'), join(dir, 'e-again')); // the same folder again: walked once
  symlinkSync(join(dir, 'gone'), join(dir, 'f-dangling-dir'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface BatchJson {
  files: { file: string; report?: { signatures: { indication: string }[] }; error?: { code: string; message: string } }[];
  summary: { files: number; errors: number; passed: number };
}

describe('ots-esig verify on a folder with broken and looping symbolic links', () => {
  for (const jobs of ['1', '2']) {
    it(`reports them per file and verifies the rest (--jobs ${jobs})`, () => {
      const r = runCli(['verify', dir, ...common, '--jobs', jobs]);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.status).toBe(1); // some files not evaluable, none crashed the batch
      const out = JSON.parse(r.stdout) as BatchJson;
      const by = new Map(out.files.map((f) => [f.file.slice(dir.length + 1), f]));
      expect([...by.keys()]).toEqual(['a-good.p7s', 'b-dangling.p7s', 'c-self.p7s', 'd-sub/inner.p7s', 'd-sub/up', 'f-dangling-dir']);
      expect(by.get('a-good.p7s')!.report!.signatures[0]!.indication).toBe('TOTAL-PASSED');
      expect(by.get('d-sub/inner.p7s')!.report!.signatures[0]!.indication).toBe('TOTAL-PASSED');
      expect(by.get('b-dangling.p7s')!.error).toMatchObject({ code: 'ERR_READ', message: expect.stringMatching(/ENOENT/) });
      expect(by.get('c-self.p7s')!.error).toMatchObject({ code: 'ERR_READ', message: expect.stringMatching(/ELOOP/) });
      expect(by.get('d-sub/up')!.error).toMatchObject({ code: 'ERR_READ', message: expect.stringMatching(/loop/) });
      expect(by.get('f-dangling-dir')!.error!.code).toBe('ERR_READ');
      expect(out.summary).toMatchObject({ files: 6, errors: 4, passed: 2 });
    });
  }
});
