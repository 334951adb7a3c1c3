/**
 * The CLI for people (#21): --help for every command, the nearest flag for a
 * typo, file errors in words, a relying party in any case, lint through a
 * list of lists, the batch JSON shape with skipped files, progress lines for
 * CI logs, unreadable entries as per-file errors.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERIFY_FLAGS } from '../src/cli/verify-options.js';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { FIXTURES, fixtureCrlArgs, loadManifest } from './helpers/fixtures.js';

const m = loadManifest();
const at = ['--at', m.validationTime];
const anchor = ['--trust-anchor', 'fixtures/pki/kz-root.pem', ...at, ...fixtureCrlArgs()];
const recognition = [
  '--trust-list', 'trust-lists/ots-lotl.xml', '--trust-list', 'trust-lists/kz-tl.xml',
  '--list-signer', 'fixtures/pki/ots-lotl-operator.pem', ...at, ...fixtureCrlArgs(),
];
let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ots-cli-usability-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ots-esig <command> --help', () => {
  const commands = ['verify', 'regress', 'trust-list', 'trust-list lint', 'trust-list diff', 'trust-list from-certs', 'policy'];
  for (const c of commands) {
    it(`${c} --help prints its usage and exits 0`, () => {
      const r = runCli([...c.split(' '), '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout.startsWith(`Usage: ots-esig ${c}`)).toBe(true);
      expect(r.stderr).toBe('');
    });
  }
  it('-h works too, after other arguments; policy show --help answers with the policy help', () => {
    expect(runCli(['trust-list', 'lint', 'x.xml', '-h']).stdout).toMatch(/^Usage: ots-esig trust-list lint/);
    expect(runCli(['policy', 'show', '--help']).stdout).toMatch(/^Usage: ots-esig policy show/);
  });
  it('verify --help names every verify flag', () => {
    const text = runCli(['verify', '--help']).stdout;
    const missing = [...Object.keys(VERIFY_FLAGS), 'format', 'jobs', 'progress'].filter((f) => !text.includes(`--${f}`));
    expect(missing).toEqual([]);
  });
  it('the general help lists every command', () => {
    const text = runCli(['--help']).stdout;
    for (const c of ['verify', 'regress', 'trust-list', 'policy']) expect(text).toMatch(new RegExp(`^  ${c} `, 'm'));
  });
});

describe('unknown flags and commands', () => {
  it('answers a mistyped flag with the nearest one of that command', () => {
    const cases: [string[], string][] = [
      [['verify', 'a.p7s', '--trust-lst', 'x'], '--trust-list'],
      [['verify', 'a.p7s', '--relyingparty', 'TR'], '--relying-party'],
      [['regress', 'corpus', '--baselin', 'x'], '--baseline'],
      [['trust-list', 'lint', 'x.xml', '--pn', 'c.pem'], '--pin'],
      [['trust-list', 'diff', 'a', 'b', '--frmat', 'json'], '--format'],
      [['trust-list', 'from-certs', '--teritory', 'KZ'], '--territory'],
    ];
    for (const [args, near] of cases) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`did you mean ${near}?`);
      expect(r.stderr).toContain(`--help`);
    }
  });
  it('does not guess for a flag near nothing', () => {
    const r = runCli(['verify', 'a.p7s', '--zzzzzzzzzz']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown flag --zzzzzzzzzz/);
    expect(r.stderr).not.toMatch(/did you mean/);
  });
  it('answers a mistyped command with the nearest one', () => {
    const r = runCli(['verfy', 'a.p7s']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command "verfy"; did you mean verify\?/);
    expect(runCli(['trust-list', 'lnt']).stderr).toMatch(/unknown trust-list command "lnt" \(lint, diff, from-certs/);
  });
});

describe('file errors name the file and the reason in words', () => {
  it('a missing signature file', () => {
    const r = runCli(['verify', 'no/such.p7s', ...anchor]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read signature file no\/such\.p7s: no such file or folder/);
  });
  it('a folder given as a certificate', () => {
    const r = runCli(['verify', 'fixtures/cades/kz-attached.p7s', '--trust-anchor', 'fixtures/pki']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read trust anchor fixtures\/pki: is a folder, not a file/);
  });
  it('a dangling link given as a trust list', () => {
    const link = join(dir, 'gone-list.xml');
    symlinkSync(join(dir, 'nothing-here.xml'), link);
    const r = runCli(['verify', 'fixtures/cades/kz-attached.p7s', '--trust-list', link]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`cannot read trust list ${link}: a symbolic link whose target does not exist`);
  });
});

describe('--relying-party in any case', () => {
  it('tr gives the same recognition as TR (the CLI normalises; the library keeps upper case)', () => {
    const upper = runCli(['verify', 'fixtures/cades/kz-attached.p7s', ...recognition, '--relying-party', 'TR', '--format', 'json']);
    const lower = runCli(['verify', 'fixtures/cades/kz-attached.p7s', ...recognition, '--relying-party', 'tr', '--format', 'json']);
    expect(upper.status).toBe(0);
    expect(lower.status).toBe(0);
    const rec = (s: string) => (JSON.parse(s) as { signatures: { recognition: { status: string; relyingParty: string } }[] }).signatures[0]!.recognition;
    expect(rec(lower.stdout)).toMatchObject({ status: 'RECOGNIZED', relyingParty: 'TR' });
    expect(rec(lower.stdout)).toEqual(rec(upper.stdout));
  });
});

describe('trust-list lint --trust-list LOTL --list-signer PIN', () => {
  const lint = (...extra: string[]) => runCli(['trust-list', 'lint', 'trust-lists/kz-tl.xml', ...at, '--format', 'json', ...extra]);
  it('verifies the national list with the signer the list of lists announces', () => {
    const r = lint('--trust-list', 'trust-lists/ots-lotl.xml', '--list-signer', 'fixtures/pki/ots-lotl-operator.pem');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { errors: number; findings: { rule: string }[] };
    expect(out.errors).toBe(0);
    expect(out.findings.map((f) => f.rule)).toContain('signature.valid');
  });
  it('without a pin or a list of lists the signature cannot be checked', () => {
    const r = lint();
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule)).toContain('signature.no-pin');
  });
  it('a list of lists signed by someone else than the pinned signer does not vouch for the list', () => {
    const r = lint('--trust-list', 'trust-lists/ots-lotl.xml', '--list-signer', 'fixtures/pki/kz-root.pem');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { findings: { rule: string; message: string }[] };
    expect(out.findings.map((f) => f.rule)).not.toContain('signature.valid');
    expect(out.findings.some((f) => /signer not found: the list of lists is not usable/.test(f.message))).toBe(true);
  });
  it('a list of lists that does not point to the list does not vouch for it', () => {
    const r = runCli(['trust-list', 'lint', 'trust-lists/kz-tl.xml', ...at, '--format', 'json', '--trust-list', 'trust-lists/kz-tl.xml', '--list-signer', 'fixtures/pki/ots-lotl-operator.pem']);
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule)).not.toContain('signature.valid');
  });
  it('--list-signer alone is a usage error', () => {
    const r = lint('--list-signer', 'fixtures/pki/ots-lotl-operator.pem');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--list-signer pins the signer of a list of lists/);
  });
});

interface BatchJson {
  files: { file: string; report?: { signatures: { indication: string }[] }; error?: { code: string; message: string } }[];
  skipped: { file: string; reason: string }[];
  summary: { files: number; errors: number; passed: number; skipped: number };
}

describe('batch output', () => {
  let folder: string;
  beforeAll(() => {
    folder = join(dir, 'batch');
    mkdirSync(folder);
    copyFileSync(join(FIXTURES, 'cades/kz-attached.p7s'), join(folder, 'a.p7s'));
    writeFileSync(join(folder, 'notes.txt'), 'not a signature');
    writeFileSync(join(folder, '.hidden.p7s'), 'x');
  });

  it('a folder of one file is a batch: {files, skipped, summary}, skipped files with the reason', () => {
    const r = runCli(['verify', folder, ...anchor, '--format', 'json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as BatchJson;
    expect(Object.keys(out)).toEqual(['files', 'skipped', 'summary']);
    expect(out.files.map((f) => f.file)).toEqual([join(folder, 'a.p7s')]);
    expect(out.skipped).toEqual([
      { file: join(folder, '.hidden.p7s'), reason: expect.stringMatching(/hidden/) },
      { file: join(folder, 'notes.txt'), reason: expect.stringMatching(/not a signature file name/) },
    ]);
    expect(out.summary).toMatchObject({ files: 1, passed: 1, errors: 0, skipped: 2 });
  });

  it('one file named alone prints its report (the shape of the library ValidationReport)', () => {
    const r = runCli(['verify', join(folder, 'a.p7s'), ...anchor, '--format', 'json']);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out.signatures).toBeDefined();
    expect(out.files).toBeUndefined();
  });

  it('the text summary counts and lists skipped files', () => {
    const r = runCli(['verify', folder, ...anchor]);
    expect(r.stdout).toMatch(/; 2 skipped/);
    expect(r.stdout).toContain(`skipped ${join(folder, 'notes.txt')}: not a signature file name`);
  });

  it('a missing path among several is a per-file error, the rest is verified', () => {
    const missing = join(dir, 'missing.p7s');
    const r = runCli(['verify', join(folder, 'a.p7s'), missing, ...anchor, '--format', 'json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as BatchJson;
    expect(out.files[0]!.report!.signatures[0]!.indication).toBe('TOTAL-PASSED');
    expect(out.files[1]).toEqual({ file: missing, error: { code: 'ERR_READ', message: expect.stringMatching(/no such file or folder/) } });
  });

  it('a file that is not readable is a per-file error', () => {
    // As root every file is readable: then the locked file is read and is simply not a signature (still per file).
    const sub = join(dir, 'unreadable');
    mkdirSync(sub);
    copyFileSync(join(FIXTURES, 'cades/kz-attached.p7s'), join(sub, 'ok.p7s'));
    const locked = join(sub, 'locked.p7s');
    writeFileSync(locked, 'x');
    chmodSync(locked, 0);
    const r = runCli(['verify', sub, ...anchor, '--format', 'json']);
    const out = JSON.parse(r.stdout) as BatchJson;
    const entry = out.files.find((f) => f.file === locked)!;
    if (process.getuid?.() === 0) expect(entry.error!.code).not.toBe('ERR_READ');
    else expect(entry.error).toEqual({ code: 'ERR_READ', message: expect.stringMatching(/permission denied/) });
    expect(out.files.find((f) => f.file.endsWith('ok.p7s'))!.report!.signatures[0]!.indication).toBe('TOTAL-PASSED');
  });

  it('prints progress lines with an ETA on stderr when it is not a terminal', () => {
    const file = join(folder, 'a.p7s');
    const r = runCli(['verify', ...Array(6).fill(file), ...anchor, '--format', 'json', '--jobs', '1', '--progress', '0']);
    expect(r.status).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(lines[0]).toMatch(/^ots-esig: 1\/6 files \(16%\), [\d.]+ files\/s, \d+s elapsed, ETA /);
    expect(lines.at(-1)).toMatch(/^ots-esig: 6\/6 files \(100%\), .*, done$/);
  });

  it('prints no progress line before the interval, and none with --progress off', () => {
    const file = join(folder, 'a.p7s');
    expect(runCli(['verify', file, file, ...anchor, '--format', 'json']).stderr).toBe('');
    expect(runCli(['verify', file, file, ...anchor, '--format', 'json', '--progress', 'off']).stderr).toBe('');
    expect(runCli(['verify', file, file, ...anchor, '--progress', 'soon']).stderr).toMatch(/--progress must be a number of seconds/);
  });
});
