/**
 * The HTML report as people get it: opened in headless Chromium with JavaScript off (nothing in it needs
 * a script), printed to PDF (page.pdf, the engine behind --print-to-pdf), the PDF read back with
 * poppler (pdfinfo, pdftotext) and its first page turned into an image (pdftoppm). A signer whose
 * certificate subject holds <script> stays text. Also the CLI's --format html / --lang / LANG.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHtml, verify, type ValidationReport } from '../src/index.js';
import { translator } from '../src/report/i18n/translate.js';
import { loadTrustLists } from '../src/trust/load.js';
import { CLI, ensureBuilt, ROOT } from './helpers/cli.js';
import { fixture, fixtureCrlArgs, fixtureCrls, loadManifest, optionsFor } from './helpers/fixtures.js';
import { describeIf } from './helpers/skip.js';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const havePdfTools = which('pdftoppm') && which('pdftotext') && which('pdfinfo');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium || !havePdfTools) console.warn('report-html-pdf: skipped — needs Chromium and poppler-utils (apt-get install -y chromium poppler-utils)');

const manifest = loadManifest();
const T = new Date(manifest.validationTime);
const SCRIPT_NAME = '<script>alert(1)</script> "Ltd" & Co<img src=x onerror=alert(2)>';

async function sample(id: string): Promise<ValidationReport> {
  const s = manifest.samples.find((x) => x.id === id)!;
  return verify(fixture(s.file), optionsFor(manifest, s));
}

function scriptSigner(): Promise<ValidationReport> {
  return verify(fixture('report/script-signer.p7s'), { trustAnchors: [fixture('pki/kz-root.pem')], crls: fixtureCrls(), validationTime: T });
}

async function recognizedWithLists(relyingParty: string): Promise<ValidationReport> {
  const read = (p: string) => new Uint8Array(readFileSync(join(root, p)));
  const trustLists = await loadTrustLists(
    [
      { data: read('trust-lists/ots-lotl.xml'), name: 'ots-lotl.xml', signingCertificates: [read('fixtures/pki/ots-lotl-operator.pem')] },
      { data: read('trust-lists/kz-tl.xml'), name: 'kz-tl.xml' },
    ],
    { time: T },
  );
  return verify(fixture('cades/kz-attached.p7s'), { trustLists, crls: fixtureCrls(), validationTime: T, relyingParty });
}

const squash = (s: string) => s.replace(/\s+/g, ' ');

describe('the generated signer name with markup', () => {
  it('really holds markup and validates TOTAL-PASSED (so a renderer meets it in the headline)', async () => {
    const r = await scriptSigner();
    expect(r.signatures[0]!.indication).toBe('TOTAL-PASSED');
    expect(r.signatures[0]!.signer!.subject).toContain(SCRIPT_NAME.replace(/"/g, '\\"').replace(/</g, '\\<').replace(/>/g, '\\>'));
    const html = formatHtml(r, { lang: 'kk' });
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describeIf(!!haveChromium && !!havePdfTools, 'Chromium or poppler-utils (pdfinfo, pdftotext, pdftoppm) is not installed')('HTML report in headless Chromium, printed to PDF', () => {
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    mkdirSync(out, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    // JavaScript off: the report must be readable without any script, and no script in it could run anyway.
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 1300 } });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Loads the report, prints it, and reads the PDF back: page count, the text of page 1 and of all pages, the image of page 1. */
  async function print(name: string, html: string): Promise<{ pages: number; first: string; all: string; png: string }> {
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = join(out, `report-${name}.pdf`);
    await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
    const first = squash(execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', pdf, '-'], { encoding: 'utf8' }));
    const all = squash(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }));
    const prefix = join(out, `report-${name}`);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, prefix]);
    return { pages, first, all, png: `${prefix}.png` };
  }

  const cases: { name: string; lang: string; report: () => Promise<ValidationReport>; pages: [number, number] }[] = [
    { name: 'kz-valid-tr', lang: 'tr', report: () => sample('kz-attached'), pages: [2, 4] },
    { name: 'kz-tampered-kk', lang: 'kk', report: () => sample('kz-tampered-content'), pages: [2, 4] },
    { name: 'kz-revoked-ru', lang: 'ru', report: () => sample('kz-revoked'), pages: [2, 4] },
    { name: 'two-signers-one-bad-az', lang: 'az', report: () => sample('two-signers-one-bad'), pages: [2, 6] },
    { name: 'untrusted-uz', lang: 'uz', report: () => sample('untrusted'), pages: [2, 4] },
    { name: 'kz-recognized-hu', lang: 'hu', report: () => recognizedWithLists('AZ'), pages: [2, 5] },
    { name: 'kz-not-recognized-tk', lang: 'tk', report: () => recognizedWithLists('TM'), pages: [2, 5] },
    { name: 'kz-expired-ky', lang: 'ky', report: () => sample('kz-expired'), pages: [2, 4] },
  ];

  for (const c of cases) {
    it(`${c.name}: the verdict on page 1 in ${c.lang}, ${c.pages[0]}–${c.pages[1]} A4 pages, an image of page 1`, async () => {
      const report = await c.report();
      const t = translator(c.lang as 'en');
      const r = await print(c.name, formatHtml(report, { lang: c.lang }));
      expect(r.pages).toBeGreaterThanOrEqual(c.pages[0]);
      expect(r.pages).toBeLessThanOrEqual(c.pages[1]);
      // The summary comes first: every verdict and recognition status is on the first page, in words and as the ETSI code.
      for (const s of report.signatures) {
        expect(r.first).toContain(squash(t.indication(s.indication)));
        expect(r.first).toContain(s.indication);
        if (s.recognition) expect(r.first).toContain(squash(t.recognition(s.recognition.status)));
      }
      if (report.trust?.lists.some((l) => l.test)) expect(r.first).toContain(squash(t.t('report.testBanner')));
      expect(r.all).toContain(squash(t.t('report.details')));
      expect(statSync(r.png).size).toBeGreaterThan(10_000);
    }, 60_000);
  }

  it('shows the <script> signer name as text: no element made from it, the name readable in the PDF', async () => {
    const report = await scriptSigner();
    const html = formatHtml(report, { lang: 'en' });
    await page.setContent(html, { waitUntil: 'load' });
    expect(await page.evaluate(() => document.querySelectorAll('script, img, iframe, object, embed, [onerror]').length)).toBe(0);
    expect(await page.textContent('[data-testid=signer]')).toBe(SCRIPT_NAME);
    expect(await page.getAttribute('[data-testid=verdict]', 'class')).toBe('verdict ok');
    const r = await print('script-signer-en', html);
    expect(r.first).toContain(squash(SCRIPT_NAME));
    expect(r.first).toContain('The signature is valid');
  }, 60_000);

  it('loaded nothing from anywhere and raised no errors', () => {
    expect(requests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

describe('CLI: --format html, --lang, and the language of the environment', () => {
  beforeAll(() => ensureBuilt(), 240_000);
  const run = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, [CLI, 'verify', 'fixtures/cades/kz-tampered-content.p7s', '--trust-anchor', 'fixtures/pki/kz-root.pem', ...fixtureCrlArgs(), '--at', manifest.validationTime, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'C.UTF-8', ...env },
    });

  it('--format html --lang kk writes a Kazakh HTML report; the exit status still says "not valid"', () => {
    const r = run(['--format', 'html', '--lang', 'kk'], {});
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^<!doctype html>\n<html lang="kk">/);
    expect(r.stdout).toContain('Қолтаңба ЖАРАМСЫЗ');
    expect(r.stdout).toContain('HASH_FAILURE');
  });

  it('takes the language from LANG (and LC_ALL over LANG) when --lang is absent; English for an unknown locale', () => {
    expect(run(['--format', 'html'], { LANG: 'tr_TR.UTF-8' }).stdout).toContain('İmza geçerli DEĞİLDİR');
    expect(run([], { LANG: 'tr_TR.UTF-8', LC_ALL: 'ru_RU.UTF-8' }).stdout).toContain('Подпись НЕДЕЙСТВИТЕЛЬНА');
    const de = run([], { LANG: 'de_DE.UTF-8' });
    expect(de.stdout).toMatch(/^ {2}Verdict: {8}TOTAL-FAILED \/ HASH_FAILURE$/m);
  });

  it('refuses an unknown --lang and HTML for a batch', () => {
    const bad = run(['--lang', 'xx'], {});
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--lang must be one of en, az, kk, ky, tr, uz, tk, hu, ru/);
    const batch = spawnSync(process.execPath, [CLI, 'verify', 'fixtures/cades/kz-attached.p7s', 'fixtures/cades/kg-attached.p7s', '--format', 'html'], { cwd: ROOT, encoding: 'utf8' });
    expect(batch.stderr).toMatch(/--format html reports one signature file/);
  });
});
