// Checks the package as a consumer gets it (`npm run package-check`; CI runs it after the tests):
//   1. `npm pack` from an empty dist/, so the `prepare` build is what is tested, into a temp dir;
//   2. the tarball's file list: dist/ entry points, legal files, no source maps, no sources;
//      node-gost-crypto's licence notices in every dist file that bundles it;
//   3. publint --strict and @arethetypeswrong/cli on the tarball (devDependencies);
//   4. a scratch consumer project (outside the repo) that installs the tarball from the registry
//      like a user would, runs it as ESM and as CommonJS (main, /gost, /node, the CLI) on the
//      test PKI fixtures, type-checks TypeScript sources against it with module node16, nodenext,
//      moduleResolution bundler and node10, and holds exactly one pkijs and one asn1js.
// Every check runs; the summary lists the failures and the exit status is 1 if there is any.
// Options: --keep (leave the temp dir), --tarball FILE (check that tarball instead of packing),
// OTS_ESIG_PKG_TOOLS=<dir with the publint and attw bins> (default node_modules/.bin).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installConsumer, packTarball, root, run } from './consumer.mjs';

const keep = process.argv.includes('--keep');
const given = process.argv.includes('--tarball') ? resolve(process.argv[process.argv.indexOf('--tarball') + 1]) : undefined;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'ots-esig-pkg-'));
const failures = [];
const started = Date.now();

let last = started;
function check(name, ok, detail = '') {
  const secs = `(${((Date.now() - last) / 1000).toFixed(1)}s)`;
  last = Date.now();
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} ${secs}${detail ? `\n${detail.replace(/^/gm, '     ')}` : ''}`);
  if (!ok) failures.push(name);
  return ok;
}
const indent = (s, n = 40) => s.trim().split('\n').slice(-n).join('\n');

// 1. Pack from an empty dist/: `prepare` must build it (a clean clone has none).
let tgz = given;
if (!tgz) {
  const packed = packTarball(work);
  if (!check('npm pack (prepare builds dist/)', packed.ok, packed.ok ? '' : indent(packed.out))) finish();
  tgz = packed.tarball;
}

// 2. What the tarball holds.
const files = run('tar', ['-tzf', tgz]).out.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
const required = [
  'package.json', 'README.md', 'LICENSE', 'NOTICE', 'CHANGELOG.md', 'SECURITY.md',
  'dist/cli.js', 'dist/browser/index.js',
  ...['index', 'gost', 'node'].flatMap((e) => [`dist/${e}.js`, `dist/${e}.cjs`, `dist/${e}.d.ts`, `dist/${e}.d.cts`]),
];
const missing = required.filter((f) => !files.includes(f));
check('tarball has the entry points, types and legal files', missing.length === 0, missing.length ? `missing: ${missing.join(', ')}` : '');
const maps = files.filter((f) => f.endsWith('.map'));
check('tarball has no source maps', maps.length === 0 || process.env.OTS_ESIG_SOURCEMAP === '1', maps.slice(0, 5).join('\n'));
const sources = files.filter((f) => /^(src|test|fixtures|scripts|bench|node_modules)\//.test(f));
check('tarball has no sources, tests or fixtures', sources.length === 0, sources.slice(0, 5).join('\n'));

const unpacked = join(work, 'unpacked');
mkdirSync(unpacked);
run('tar', ['-xzf', tgz, '-C', unpacked]);
const notices = ['Permission is hereby granted', 'Rudolf Nickolaev', 'Alexey Degtyarev', 'Tom Wu'];
const bundling = files.filter((f) => /^dist\/.*\.c?js$/.test(f) && readFileSync(join(unpacked, 'package', f), 'utf8').includes('node-gost-crypto/lib/'));
const lacking = bundling.flatMap((f) => {
  const text = readFileSync(join(unpacked, 'package', f), 'utf8');
  return notices.filter((n) => !text.includes(n)).map((n) => `${f}: no "${n}"`);
});
check(
  `node-gost-crypto notices kept in the ${bundling.length} dist files that bundle it`,
  bundling.includes('dist/gost.js') && bundling.includes('dist/gost.cjs') && lacking.length === 0,
  lacking.join('\n') || (bundling.includes('dist/gost.js') ? '' : 'dist/gost.js does not bundle node-gost-crypto?'),
);

// 3. publint and arethetypeswrong on the tarball.
const toolDir = process.env.OTS_ESIG_PKG_TOOLS ?? join(root, 'node_modules', '.bin');
for (const [tool, args] of [
  ['publint', ['run', '--strict', tgz]],
  ['attw', [tgz, '--no-emoji', '--no-color', '--format', 'table']],
]) {
  const bin = join(toolDir, tool);
  if (!existsSync(bin)) {
    check(tool, false, `${bin} not found: npm install (publint and @arethetypeswrong/cli are devDependencies)`);
    continue;
  }
  const r = run(bin, args, { env: { FORCE_COLOR: '0', NO_COLOR: '1' } });
  check(tool, r.ok, indent(r.out));
}

// 4. A consumer project: CommonJS by default (no "type"), with .mjs/.mts for ESM.
const consumer = join(work, 'consumer');
const typesNode = pkg.devDependencies?.['@types/node'] ?? '*';
const install = installConsumer(consumer, tgz, [`@types/node@${typesNode}`]);
mkdirSync(join(consumer, 'ts'), { recursive: true });
if (!check('consumer: npm install <tarball>', install.ok, install.ok ? '' : indent(install.out))) finish();

// Runtime, ESM and CJS: real verifications of the test PKI fixtures, one of them a negative.
const fx = (p) => JSON.stringify(join(root, 'fixtures', p));
const body = (load) => `${load}
const fs = FS;
const assert = (c, m) => { if (!c) { console.error('assertion failed: ' + m); process.exit(1); } };
const file = (p) => new Uint8Array(fs.readFileSync(p));
const at = new Date('2026-06-01T00:00:00Z');
const kzRoot = file(${fx('pki/kz-root.pem')});
// The default policy requires revocation status for the signer and its CA: the test PKI's current CRLs.
const kzCrls = [file(${fx('crl/current/kz-root.crl')}), file(${fx('crl/current/kz-ca.crl')})];
(async () => {
  const one = async (p, o) => (await main.verify(file(p), { validationTime: at, ...o })).signatures[0];
  assert((await one(${fx('cades/kz-attached.p7s')}, { trustAnchors: [kzRoot], crls: kzCrls })).indication === 'TOTAL-PASSED', 'CAdES kz-attached');
  assert((await one(${fx('cades/kz-bad-signature.p7s')}, { trustAnchors: [kzRoot] })).indication === 'TOTAL-FAILED', 'CAdES kz-bad-signature must fail');
  assert((await one(${fx('xades/kz-enveloped-b.xml')}, { trustAnchors: [kzRoot], crls: kzCrls })).indication === 'TOTAL-PASSED', 'XAdES kz-enveloped-b');
  assert((await one(${fx('cades/kz-attached.p7s')}, { trustAnchors: [kzRoot], crls: kzCrls, registry: node.nodeRegistry() })).indication === 'TOTAL-PASSED', 'ots-esig/node registry');
  const gostOpts = {
    trustAnchors: [file(${fx('gost/gost-root.pem')})], crls: [file(${fx('gost/gost-root-empty.crl')})],
    registry: new main.AlgorithmRegistry().register(new gost.GostProvider()), algorithmPolicy: gost.GOST_ALGORITHM_POLICY,
  };
  assert((await one(${fx('gost/gost-attached.p7s')}, gostOpts)).indication === 'TOTAL-PASSED', 'ots-esig/gost');
  assert(main.VERSION === ${JSON.stringify(pkg.version)}, 'VERSION');
  console.log('consumer ok');
})().catch((e) => { console.error(e); process.exit(1); });
`;
writeFileSync(
  join(consumer, 'esm.mjs'),
  body(`import * as FS from 'node:fs';\nimport * as main from 'ots-esig';\nimport * as gost from 'ots-esig/gost';\nimport * as node from 'ots-esig/node';`),
);
writeFileSync(
  join(consumer, 'cjs.cjs'),
  body(`const FS = require('node:fs');\nconst main = require('ots-esig');\nconst gost = require('ots-esig/gost');\nconst node = require('ots-esig/node');`),
);
for (const f of ['esm.mjs', 'cjs.cjs']) {
  const r = run(process.execPath, [f], { cwd: consumer });
  check(`consumer: node ${f} (main, /gost, /node: CAdES, XAdES, GOST verdicts)`, r.ok, indent(r.out));
}
const cli = run(process.execPath, [join(consumer, 'node_modules/.bin/ots-esig'), 'verify', join(root, 'fixtures/cades/kz-attached.p7s'),
  '--trust-anchor', join(root, 'fixtures/pki/kz-root.pem'), '--crl', join(root, 'fixtures/crl/current/kz-root.crl'), '--crl', join(root, 'fixtures/crl/current/kz-ca.crl'),
  '--at', '2026-06-01T00:00:00Z', '--format', 'json'], { cwd: consumer });
check('consumer: ots-esig verify (the bin)', cli.ok && cli.out.includes('TOTAL-PASSED'), cli.ok ? '' : indent(cli.out));

// Types: the same program, written as a CommonJS (.cts), ESM (.mts) and plain (.ts) module.
// `@ts-expect-error` lines make sure the declarations were found and are not `any`.
const tsBody = `import { verify, AlgorithmRegistry, formatText, type ValidationReport, type Indication } from 'ots-esig';
import { GostProvider, GOST_ALGORITHM_POLICY } from 'ots-esig/gost';
import { nodeRegistry, NodeCryptoProvider } from 'ots-esig/node';

export async function indication(bytes: Uint8Array, gost: boolean): Promise<Indication | undefined> {
  const registry: AlgorithmRegistry = gost ? new AlgorithmRegistry().register(new GostProvider()) : nodeRegistry();
  const report: ValidationReport = await verify(bytes, { registry, algorithmPolicy: gost ? GOST_ALGORITHM_POLICY : undefined });
  const text: string = formatText(report);
  void text;
  void new NodeCryptoProvider();
  // @ts-expect-error validationTime is a Date
  void verify(bytes, { validationTime: 'yesterday' });
  // @ts-expect-error not an export
  void (await import('ots-esig')).noSuchExport;
  return report.signatures[0]?.indication;
}
`;
writeFileSync(join(consumer, 'ts/use.cts'), tsBody);
writeFileSync(join(consumer, 'ts/use.mts'), tsBody);
writeFileSync(join(consumer, 'ts/use.ts'), tsBody);
// node16 models Node before 20.19, where CommonJS cannot require() an ES module: pkijs and asn1js 4
// are ESM-only, so TypeScript flags our .d.cts's type imports of them (TS1479) unless
// skipLibCheck (tsc --init's default). The consumer's own files are still fully checked, and the
// same sources are checked with skipLibCheck off under node20/nodenext, which model the Node
// versions package.json `engines` admits (>= 20.19, require(esm)).
const tsconfigs = {
  node16: { module: 'node16', moduleResolution: 'node16', skipLibCheck: true, files: ['ts/use.cts', 'ts/use.mts', 'ts/use.ts'] },
  node20: { module: 'node20', moduleResolution: 'node16', files: ['ts/use.cts', 'ts/use.mts', 'ts/use.ts'] },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext', files: ['ts/use.cts', 'ts/use.mts', 'ts/use.ts'] },
  bundler: { module: 'esnext', moduleResolution: 'bundler', files: ['ts/use.ts', 'ts/use.mts'] },
  node10: { module: 'commonjs', moduleResolution: 'node10', files: ['ts/use.ts'] },
};
const tsc = join(root, 'node_modules/typescript/bin/tsc');
for (const [name, { files: tsFiles, ...opts }] of Object.entries(tsconfigs)) {
  const config = {
    // lib "dom": pkijs's declarations name WebCrypto types (CryptoKey, BufferSource) that
    // @types/node does not declare globally; ours need nothing else.
    compilerOptions: { target: 'es2022', lib: ['es2022', 'dom'], types: ['node'], strict: true, noEmit: true, skipLibCheck: false, ...opts },
    files: tsFiles,
  };
  writeFileSync(join(consumer, `tsconfig.${name}.json`), JSON.stringify(config, null, 2));
  const r = run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], { cwd: consumer });
  check(`consumer: tsc ${name} (${tsFiles.join(', ')})`, r.ok, indent(r.out, 20));
}

// One pkijs and one asn1js in the consumer's tree (two copies: two ASN.1 class worlds, instanceof
// failing across them, and twice the bundle).
const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8'));
for (const name of ['pkijs', 'asn1js']) {
  const copies = Object.entries(lock.packages ?? {})
    .filter(([path]) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`))
    .map(([path, meta]) => `${meta.version}  ${path}`);
  const why = copies.length === 1 ? '' : `${copies.join('\n')}\n${run('npm', ['ls', name, '--all'], { cwd: consumer }).out.trim()}`;
  check(`consumer: exactly one ${name} (found ${copies.length})`, copies.length === 1, why);
}

finish();

function finish() {
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
  console.log(failures.length ? `package-check: ${failures.length} failed (${failures.join('; ')}) in ${secs}s` : `package-check: all passed in ${secs}s`);
  process.exit(failures.length ? 1 : 0);
}
