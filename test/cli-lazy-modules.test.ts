// #19 cliStart: `ots-esig verify` of one CAdES file loads only the code that input needs. The built CLI runs
// with a module-loader hook (node --import) that records every module Node loads; the dist/ chunks it loaded
// are read back and the source modules bundled into them named by esbuild's `// src/...` headers. Whatever a
// CAdES verify does not need (XML, trusted lists and agreements, ZIP containers, the batch pool, the service,
// the non-English and XML/HTML report renderers) must not be among them; an XAdES file must load the XML stack
// (so the check can fail). The CAdES path runs from dist/cli-verify.js (one file); an input or flag that needs
// code left out of it runs from the split build, directly when the command line says so (an .xml file), else
// after cli-verify.js stops at the first import it lacks. pkijs is not in cli-verify.js either: it is loaded with
// require() from dist/cli-verify-pkijs.cjs when a verify first uses it (time-stamps, OCSP, ...), which the hooks do
// not see; V8's coverage output (NODE_V8_COVERAGE) names every script the process ran, that one included.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, ensureBuilt } from './helpers/cli.js';
import { fixtureCrlArgs, loadManifest } from './helpers/fixtures.js';

const m = loadManifest();
const dir = mkdtempSync(join(tmpdir(), 'ots-cli-lazy-'));

// The hooks run on Node's loader thread: each loaded URL is appended to the file named in their data.
const hooks = join(dir, 'hooks.mjs');
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';
let out;
export function initialize(data) { out = data.out; }
export async function load(url, context, next) {
  appendFileSync(out, url + '\\n');
  return next(url, context);
}
`,
);
const register = join(dir, 'register.mjs');
const loadedList = join(dir, 'loaded.txt');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { out: ${JSON.stringify(loadedList)} } });\n`);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  /** Node's own modules loaded through the ES module loader (node:worker_threads, ...). */
  readonly builtins: Set<string>;
  /** The source modules and packages bundled into the dist/ files loaded: `src/cades/parse.ts`, `pkg:fflate`. */
  readonly sources: Set<string>;
  /** The dist/ files loaded, by name. */
  readonly files: string[];
  /** The dist/ files whose code ran, by name, CommonJS ones (require) included. */
  readonly scripts: Set<string>;
}

function run(args: readonly string[]): Run {
  writeFileSync(loadedList, '');
  const coverage = mkdtempSync(join(dir, 'coverage-'));
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NODE_V8_COVERAGE: coverage },
  });
  const scripts = new Set<string>();
  for (const name of readdirSync(coverage)) {
    for (const { url } of (JSON.parse(readFileSync(join(coverage, name), 'utf8')) as { result: { url: string }[] }).result) {
      if (url.startsWith('file:') && fileURLToPath(url).startsWith(join(ROOT, 'dist'))) scripts.add(fileURLToPath(url).slice(join(ROOT, 'dist').length + 1));
    }
  }
  const urls = readFileSync(loadedList, 'utf8').split('\n').filter(Boolean);
  const sources = new Set<string>();
  const files: string[] = [];
  for (const url of urls.filter((u) => u.startsWith('file:'))) {
    const file = fileURLToPath(url);
    if (!file.startsWith(join(ROOT, 'dist'))) continue;
    files.push(file.slice(join(ROOT, 'dist').length + 1));
    for (const [, path] of readFileSync(file, 'utf8').matchAll(/^\/\/ (\S+)$/gm)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path!);
      sources.add(pkg ? `pkg:${pkg[1]}` : path!.replace(/^.*?(?=src\/)/, ''));
    }
  }
  return { status: r.status, stdout: r.stdout, builtins: new Set(urls.filter((u) => u.startsWith('node:'))), sources, files, scripts };
}

/** What a CAdES verify must not load: each a pattern over the bundled source paths (and packages). */
const NOT_FOR_CADES: readonly [string, RegExp][] = [
  ['XML parsing and XAdES', /^(src\/(xml|xades)\/|pkg:@xmldom\/xmldom$)/],
  ['trusted lists, agreements and recognition', /^src\/trust\/(tsl-xml|xml-read|load|loaded|context|online|online-cache|list-signature|agreements?|agreement-load|agreement-jws|recognize|json|convert)\.ts$/],
  ['ZIP containers (ASiC)', /^(src\/asic\/|pkg:fflate$)/],
  ['the service and queue', /^src\/server\/|^src\/cli\/(serve|queue)-command\.ts$/],
  ['the batch pool and batch output', /^src\/cli\/batch(-output|-text-i18n)?\.ts$/],
  ['other commands', /^src\/cli\/(trust-list|regress|policy|agreement)-command\.ts$|^src\/maintain\//],
  ['XML, HTML and translated reports', /^src\/report\/(etsi-xml|etsi-xml-container|html|text-i18n)\.ts$|^src\/report\/i18n\/messages\//],
  // Certificates, CMS and CRLs (crlExtensions included, src/pki/crl.ts) are header-walked: pkijs is not needed.
  ['pkijs', /^pkg:pkijs$/],
];

beforeAll(() => ensureBuilt());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ots-esig verify loads only what the input needs (#19 cliStart)', () => {
  it('a CAdES-B file with anchor and CRLs: CMS code only, no XML, trust-list, ZIP, batch or service code', () => {
    const r = run(['verify', 'fixtures/cades/kg-attached.p7s', '--trust-anchor', 'fixtures/pki/kg-root.pem', ...fixtureCrlArgs(), '--at', m.validationTime]);
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/Verdict:\s+TOTAL-PASSED/);
    // The hook saw the verify path (else an empty set would pass everything below).
    expect(r.sources).toContain('src/cades/parse.ts');
    expect(r.sources).toContain('src/cli/verify-command.ts');
    const loadedAnyway = Object.fromEntries(NOT_FOR_CADES.map(([what, pattern]) => [what, [...r.sources].filter((s) => pattern.test(s))]).filter(([, found]) => found!.length > 0));
    expect(loadedAnyway).toEqual({});
    // The verify path is the one file dist/cli-verify.js: with cli.js and the few chunks cli.js imports, a handful
    // of modules, not the ~40 of the split build (each costs Node's loader a resolve, a read and a link).
    expect(r.files).toContain('cli-verify.js');
    expect(r.files.length, r.files.join(' ')).toBeLessThanOrEqual(10);
    // Node's worker threads (a batch's pool) and zlib are not loaded either.
    expect([...r.builtins].filter((b) => /^node:(worker_threads|zlib)$/.test(b))).toEqual([]);
    // Nor pkijs, which cli-verify.js loads on first use (tsup.config.ts, lazyPkijs).
    expect(r.scripts).toContain('cli-verify.js');
    expect(r.scripts).not.toContain('cli-verify-pkijs.cjs');
  });

  it('a CAdES-LTA file (time-stamps, archive time-stamp) loads pkijs on first use and gives the report verify() gives', async () => {
    const ltv = JSON.parse(readFileSync(join(ROOT, 'fixtures/ltv/manifest.json'), 'utf8')) as { validationTime: string };
    const flags = ['--trust-anchor', 'fixtures/pki/kz-root.pem', '--tsa-anchor', 'fixtures/pki/kz-root.pem', '--crl', 'fixtures/crl/current/kz-root.crl', '--crl', 'fixtures/crl/kz-ca.crl', '--at', ltv.validationTime];
    const r = run(['verify', 'fixtures/ltv/cades-lta.p7s', ...flags, '--format', 'json']);
    expect(r.files).toContain('cli-verify.js');
    expect(r.scripts).toContain('cli-verify-pkijs.cjs');
    const report = JSON.parse(r.stdout);
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL-PASSED', level: 'CAdES-BASELINE-LTA' });
    const { verify } = await import('../src/index.js');
    const read = (f: string) => new Uint8Array(readFileSync(join(ROOT, f)));
    const inProcess = await verify(read('fixtures/ltv/cades-lta.p7s'), {
      trustAnchors: [read('fixtures/pki/kz-root.pem')],
      timestampAnchors: [read('fixtures/pki/kz-root.pem')],
      crls: [read('fixtures/crl/current/kz-root.crl'), read('fixtures/crl/kz-ca.crl')],
      validationTime: new Date(ltv.validationTime),
    });
    expect(report).toEqual(JSON.parse(JSON.stringify(inProcess)));
  });

  it('without dist/cli-verify-pkijs.cjs an input that needs pkijs ends with exit 3 and no report, not a verdict', () => {
    // A copy of the package's dist/ (and its package.json: ES modules) with the pkijs file removed: a stand-in that
    // cannot load pkijs must not throw where a caller could take the error for malformed input.
    const pkg = mkdtempSync(join(dir, 'pkg-'));
    cpSync(join(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true, filter: (f) => !f.endsWith('.d.ts') && !f.endsWith('.d.cts') });
    copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    rmSync(join(pkg, 'dist', 'cli-verify-pkijs.cjs'));
    const ltv = ['--trust-anchor', 'fixtures/pki/kz-root.pem', '--tsa-anchor', 'fixtures/pki/kz-root.pem', '--crl', 'fixtures/crl/current/kz-root.crl', '--crl', 'fixtures/crl/kz-ca.crl', '--at', m.validationTime];
    const r = spawnSync(process.execPath, [join(pkg, 'dist', 'cli.js'), 'verify', 'fixtures/ltv/cades-lta.p7s', ...ltv], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ots-esig: internal error: .*cli-verify-pkijs\.cjs/);
    // A CAdES-B verify does not need it.
    const b = spawnSync(process.execPath, [join(pkg, 'dist', 'cli.js'), 'verify', 'fixtures/cades/kg-attached.p7s', '--trust-anchor', 'fixtures/pki/kg-root.pem', ...fixtureCrlArgs(), '--at', m.validationTime], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(b.status, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/Verdict:\s+TOTAL-PASSED/);
  });

  it('an XAdES file loads the XML stack (the check above can fail), from the split build without loading cli-verify.js', () => {
    const r = run(['verify', 'fixtures/xades/kz-enveloped-b.xml', '--trust-anchor', 'fixtures/pki/kz-root.pem', ...fixtureCrlArgs(), '--at', m.validationTime]);
    expect(r.status, r.stdout).toBe(0);
    expect(r.sources).toContain('src/xades/validate.ts');
    expect(r.sources).toContain('pkg:@xmldom/xmldom');
    expect(r.files).not.toContain('cli-verify.js');
  });

  it('XAdES under a name that does not say XML: cli-verify.js stops at the XML stack, the split build gives the same report', () => {
    const renamed = join(dir, 'signature.sig');
    copyFileSync(join(ROOT, 'fixtures/xades/kz-enveloped-b.xml'), renamed);
    const flags = ['--trust-anchor', 'fixtures/pki/kz-root.pem', ...fixtureCrlArgs(), '--at', m.validationTime, '--format', 'json'];
    const r = run(['verify', renamed, ...flags]);
    expect(r.status, r.stdout).toBe(0);
    expect(r.files).toContain('cli-verify.js');
    expect(r.sources).toContain('src/xades/validate.ts');
    const direct = run(['verify', 'fixtures/xades/kz-enveloped-b.xml', ...flags]);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(direct.stdout));
    expect(JSON.parse(r.stdout).signatures[0].indication).toBe('TOTAL-PASSED');
  });

  it('a folder (a batch) loads the batch pool and node:worker_threads', () => {
    const r = run(['verify', 'fixtures/cades/kg-attached.p7s', 'fixtures/cades/kz-attached.p7s', '--jobs', '2', '--trust-anchor', 'fixtures/pki/kg-root.pem', '--trust-anchor', 'fixtures/pki/kz-root.pem', ...fixtureCrlArgs(), '--at', m.validationTime, '--format', 'json']);
    expect(r.status, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ files: 2 });
    expect(r.sources).toContain('src/cli/batch.ts');
    expect(r.builtins).toContain('node:worker_threads');
  });
});
