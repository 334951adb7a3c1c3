/**
 * The batch summary of `ots-esig verify FOLDER --format text --lang xx` in other languages: real batch runs
 * over the fixtures (worker threads, the built CLI), the table's words and the counts from the catalogue
 * with Intl plural rules (Russian one/few/many), ETSI codes untouched, English output unchanged.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, ROOT, runCli } from './helpers/cli.js';
import { fixtureCrlArgs, loadManifest } from './helpers/fixtures.js';

const m = loadManifest();
const common = ['--trust-anchor', 'fixtures/pki/kz-root.pem', '--trust-anchor', 'fixtures/pki/tr-root.pem', '--at', m.validationTime, ...fixtureCrlArgs(), '--jobs', '2', '--progress', 'off'];
const recognition = ['--trust-list', 'trust-lists/ots-lotl.xml', '--trust-list', 'trust-lists/kz-tl.xml', '--list-signer', 'fixtures/pki/ots-lotl-operator.pem', '--at', m.validationTime, ...fixtureCrlArgs(), '--jobs', '2'];

/** A folder of five signature files (one valid pair, one tampered, one not a signature, one two-signer) and two entries the walk skips. */
let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ots-batch-i18n-'));
  for (const f of ['kz-attached.p7s', 'tr-attached.p7s', 'kz-tampered-content.p7s', 'garbage.p7s', 'two-signers.p7s']) copyFileSync(join(ROOT, 'fixtures/cades', f), join(dir, f));
  writeFileSync(join(dir, '.hidden.p7s'), 'x');
  writeFileSync(join(dir, 'notes.txt'), 'x');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const folder = (lang: string) => runCli(['verify', dir, ...common, '--format', 'text', '--lang', lang]);

describe('batch text summary in the reader language', () => {
  it('English is unchanged (scripts read it)', () => {
    const r = folder('en');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^file\s+sigs\s+verdict\s+detail\n/);
    expect(r.stdout).toContain('5 file(s), 5 signature(s): 4 TOTAL-PASSED, 1 TOTAL-FAILED, 0 INDETERMINATE, 1 not evaluable; 2 skipped\n');
    expect(r.stdout).toContain('skipped ' + join(dir, 'notes.txt') + ': not a signature file name');
  });

  it('Russian: words and plural forms by Intl (5 файлов, 5 подписей, 1 файл, 2 элемента), codes kept', () => {
    const r = folder('ru');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^файл\s+подписей\s+результат\s+подробности\n/);
    expect(r.stdout).toMatch(/garbage\.p7s\s+-\s+ОШИБКА\s+ERR_INPUT_FORMAT: /);
    expect(r.stdout).toMatch(/kz-tampered-content\.p7s\s+1\s+TOTAL-FAILED\/HASH_FAILURE\s+KZ\n/);
    expect(r.stdout).toContain('5 файлов, 5 подписей: 4 TOTAL-PASSED, 1 TOTAL-FAILED, 0 INDETERMINATE, 1 файл не удалось проверить; 2 элемента пропущено\n');
    expect(r.stdout).toContain(`пропущено ${join(dir, '.hidden.p7s')}: скрытый (имя начинается с ".")`);
    expect(r.stdout).not.toMatch(/file\(s\)|signature\(s\)|not evaluable|skipped/);
  });

  it('Russian "few": two files, three signatures', () => {
    const r = runCli(['verify', 'fixtures/cades/kz-attached.p7s', 'fixtures/cades/two-signers.p7s', ...common, '--lang', 'ru']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2 файла, 3 подписи: 3 TOTAL-PASSED, 0 TOTAL-FAILED, 0 INDETERMINATE, 0 файлов не удалось проверить\n');
  });

  it('Kazakh: the table and the summary, the recognition decision per file in Kazakh', () => {
    const r = folder('kk');
    expect(r.stdout).toMatch(/^файл\s+қолтаңба\s+нәтиже\s+толығырақ\n/);
    expect(r.stdout).toContain('5 файл, 5 қолтаңба: 4 TOTAL-PASSED, 1 TOTAL-FAILED, 0 INDETERMINATE, 1 файлды тексеру мүмкін болмады; 2 жазба өткізіп жіберілді\n');
    expect(r.stdout).toContain(`өткізіп жіберілді: ${join(dir, 'notes.txt')}: қолтаңба файлының атауы емес`);
    const rec = runCli(['verify', 'fixtures/cades/kz-attached.p7s', 'fixtures/cades/tm-attached.p7s', ...recognition, '--relying-party', 'TR', '--lang', 'kk']);
    expect(rec.status).toBe(1);
    expect(rec.stdout).toMatch(/kz-attached\.p7s\s+1\s+TOTAL-PASSED\s+KZ TR үшін RECOGNIZED\n/);
    expect(rec.stdout).toMatch(/; 1 қолтаңба танылады \(RECOGNIZED\)\n$/);
  });

  it('Turkish: the table, the summary and the skipped entries', () => {
    const r = folder('tr');
    expect(r.stdout).toMatch(/^dosya\s+imza\s+sonuç\s+ayrıntı\n/);
    expect(r.stdout).toMatch(/garbage\.p7s\s+-\s+HATA\s+ERR_INPUT_FORMAT/);
    expect(r.stdout).toContain('5 dosya, 5 imza: 4 TOTAL-PASSED, 1 TOTAL-FAILED, 0 INDETERMINATE, 1 dosya değerlendirilemedi; 2 öğe atlandı\n');
    expect(r.stdout).toContain(`atlandı: ${join(dir, '.hidden.p7s')}: gizli (adı "." ile başlamaktadır)`);
  });

  it('takes the language from LANG when --lang is absent', () => {
    const r = spawnSync(process.execPath, [CLI, 'verify', 'fixtures/cades/kz-attached.p7s', 'fixtures/cades/tr-attached.p7s', ...common], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'tr_TR.UTF-8' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2 dosya, 2 imza: 2 TOTAL-PASSED');
  });
});
