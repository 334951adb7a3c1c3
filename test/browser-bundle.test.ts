/**
 * The browser path, checked structurally: what a bundler pulls in for a
 * CAdES-only portal (no XML stack, no Node built-ins, no xmldom), and that the
 * package's `exports` send browser bundlers to the browser build. Sizes are
 * `npm run size`'s job; here only what must never be in the bundle.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { measure } from '../scripts/size.js';
import { itIf } from './helpers/skip.js';

const root = resolve(import.meta.dirname, '..');
const src = (p: string) => JSON.stringify(resolve(root, p));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('browser bundle', () => {
  it('src/ outside src/cli/, src/server/ (ots-esig/server) and the explicit Node adapters (ots-esig/node) imports no Node built-ins and uses no Buffer', () => {
    // net/https-get and trust/online-cache: the online trusted lists' transport and folder cache, loaded on first use by
    // trust/online.ts, which only ots-esig/node, the CLI and the service import.
    const nodeAdapters = ['src/node.ts', 'src/crypto/node-provider.ts', 'src/net/https-get.ts', 'src/trust/online-cache.ts'];
    const offenders = sourceFiles(join(root, 'src'))
      .filter((f) => !/^src\/(cli|server)\//.test(relative(root, f)) && !nodeAdapters.includes(relative(root, f)))
      .filter((f) => /from\s+['"]node:|require\(|\bBuffer\b|\bprocess\./.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it('a CAdES-only import carries no XML library; XAdES comes in only when imported, and never xmldom', async () => {
    const cades = await measure('cades', `export { verify, formatText } from ${src('src/index.ts')};`);
    expect(cades.xmlPackages).toEqual([]);
    // The lazily loaded chunks (first XML input) do hold the XML-DSig stack.
    expect(cades.totalGzip).toBeGreaterThan(cades.gzip);
    const both = await measure('cades+xades', `export { verify } from ${src('src/index.ts')};\nexport { validateXadesSignature } from ${src('src/xades/validate.ts')};`);
    // XML-DSig and C14N are our own code (src/xades/c14n.ts): no third-party XML signature package, and never xmldom.
    expect(both.xmlPackages).toEqual([]);
    expect(both.gzip).toBeGreaterThan(cades.gzip);
  });

  it('src/ imports no third-party XML-DSig/C14N/XPath package (they are dev tools for fixture generators only)', () => {
    const offenders = sourceFiles(join(root, 'src')).filter((f) => /from\s+['"](xmldsigjs|xadesjs|xml-core|xpath)['"]|import\(\s*['"](xmldsigjs|xadesjs|xml-core|xpath)['"]/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).filter((d) => ['xmldsigjs', 'xadesjs', 'xml-core', 'xpath'].includes(d))).toEqual([]);
  });

  it('package.json exports put "browser" before "import"/"require", each with its own types first', () => {
    type Target = { types: string; default: string };
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, Target>> };
    const keys = Object.keys(pkg.exports['.']!);
    expect(keys).toEqual(['browser', 'import', 'require']);
    for (const entry of ['.', './gost', './node']) {
      const conditions = pkg.exports[entry]!;
      for (const [condition, target] of Object.entries(conditions)) {
        expect(Object.keys(target), `${entry} ${condition}`).toEqual(['types', 'default']);
        // CommonJS gets .d.cts beside .cjs, ESM .d.ts beside .js (publint / arethetypeswrong).
        expect(target.types, `${entry} ${condition}`).toMatch(condition === 'require' ? /\.d\.cts$/ : /\.d\.ts$/);
        expect(target.default, `${entry} ${condition}`).toMatch(condition === 'require' ? /\.cjs$/ : /\.js$/);
      }
    }
  });

  // Needs `npm run build` (npm test runs it before vitest).
  itIf(existsSync(join(root, 'dist/browser/index.js')), 'dist/browser not built (npm run build)')('esbuild resolves `ots-esig` to dist/browser for the browser and to dist/index.js for Node', async () => {
    const inputsFor = async (platform: 'browser' | 'node') => {
      const r = await build({
        stdin: { contents: `export { verify } from 'ots-esig';`, resolveDir: root },
        bundle: true,
        write: false,
        metafile: true,
        platform,
        format: 'esm',
        logLevel: 'error',
        external: ['pkijs', 'asn1js', ...(platform === 'node' ? ['@xmldom/xmldom'] : [])],
      });
      return Object.keys(r.metafile.inputs);
    };
    const browser = await inputsFor('browser');
    expect(browser.some((i) => i.startsWith('dist/browser/'))).toBe(true);
    expect(browser.some((i) => i.includes('@xmldom'))).toBe(false);
    const node = await inputsFor('node');
    expect(node).toContain('dist/index.js');
  });
});
