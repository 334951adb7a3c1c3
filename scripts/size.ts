/**
 * Bundle budget (`npm run size`): what a browser portal pays for ots-esig.
 * Bundles the library's browser entry with esbuild exactly as an application
 * bundler would (bundle, minify, platform browser, ESM; `@xmldom/xmldom`
 * replaced by the no-polyfill stub the browser build uses) for
 *   (a) a CAdES-only import: `import { verify, formatText } from 'ots-esig'`
 *   (b) CAdES + XAdES: the same plus the XAdES validator and XML parser,
 * prints minified and gzip sizes, and fails when (a) is over budget or pulls in
 * any XML library (tree-shaking must leave XAdES out of a CAdES-only portal).
 * Node built-ins cannot sneak in: esbuild refuses them on platform "browser".
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CADES_BUDGET_GZIP = 150 * 1024;
/** Packages that only XML signatures need; none may appear in a CAdES-only bundle. */
const XML_PACKAGES = ['xadesjs', 'xmldsigjs', 'xml-core', '@xmldom/xmldom', 'xpath'];

/** The browser build's substitution: native DOMParser only, no xmldom. */
export const xmldomAbsent: Plugin = {
  name: 'xmldom-absent',
  setup(b) {
    b.onResolve({ filter: /^@xmldom\/xmldom$/ }, () => ({ path: resolve(root, 'src/xml/xmldom-absent.ts') }));
  },
};

export interface Measured {
  readonly label: string;
  /** Code loaded when the entry is imported: the entry chunk and the chunks it imports statically. */
  readonly minified: number;
  readonly gzip: number;
  /** Everything including lazily imported chunks (e.g. XAdES, loaded on the first XML input). */
  readonly totalMinified: number;
  readonly totalGzip: number;
  /** XML packages in the eagerly loaded code. */
  readonly xmlPackages: string[];
}

/** Bundles one entry with code splitting, as Vite/webpack do, so lazy imports become their own chunks. */
export async function measure(label: string, source: string): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'ots-esig-size-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, source);
    const result = await build({
      entryPoints: [entry],
      outdir: join(dir, 'out'),
      bundle: true,
      splitting: true,
      minify: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'error',
      plugins: [xmldomAbsent],
    });
    const bytes = new Map(result.outputFiles.map((f) => [relative(process.cwd(), f.path), f.contents]));
    const outputs = result.metafile.outputs;
    // Dynamic-import targets are entry points in the metafile too: pick the output of our own entry.
    const entryOut = Object.keys(outputs).find((o) => outputs[o]!.entryPoint?.endsWith('entry.ts'));
    if (!entryOut) throw new Error('esbuild produced no entry chunk');
    const eager = new Set<string>();
    const visit = (o: string) => {
      if (eager.has(o)) return;
      eager.add(o);
      for (const imp of outputs[o]!.imports) if (imp.kind === 'import-statement' && outputs[imp.path]) visit(imp.path);
    };
    visit(entryOut);
    const size = (names: Iterable<string>) => {
      const all = [...names].filter((n) => n.endsWith('.js')).map((n) => bytes.get(n)!);
      const joined = Buffer.concat(all.map((b) => Buffer.from(b)));
      return { min: joined.byteLength, gz: all.reduce((t, b) => t + gzipSync(b, { level: 9 }).byteLength, 0) };
    };
    const e = size(eager);
    const t = size(Object.keys(outputs));
    return { label, minified: e.min, gzip: e.gz, totalMinified: t.min, totalGzip: t.gz, xmlPackages: packagesIn(result.metafile, eager) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function packagesIn(meta: Metafile, chunks: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  for (const chunk of chunks) {
    for (const input of Object.keys(meta.outputs[chunk]!.inputs)) {
      for (const p of XML_PACKAGES) if (input.includes(`node_modules/${p}/`)) found.add(p);
    }
  }
  return [...found].sort();
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const src = (p: string) => JSON.stringify(resolve(root, p));
  const cadesOnly = `export { verify, formatText } from ${src('src/index.ts')};`;
  // verify() loads XAdES lazily; (b) also imports the XAdES validator eagerly, as a portal handling XML pays for it up front.
  const xades = `export { validateXadesSignature } from ${src('src/xades/validate.ts')};\nexport { parseXml } from ${src('src/xml/parse.ts')};`;
  const a = await measure('a: CAdES-only import', cadesOnly);
  const b = await measure('b: CAdES + XAdES', `${cadesOnly}\n${xades}`);

  for (const m of [a, b]) {
    const xml = m.xmlPackages.length ? `XML packages: ${m.xmlPackages.join(', ')}` : 'no XML packages';
    console.log(`${m.label.padEnd(22)} ${kb(m.minified).padStart(9)} min ${kb(m.gzip).padStart(9)} gzip  (${xml})`);
  }
  console.log(`(a) + lazy chunks       ${kb(a.totalMinified).padStart(9)} min ${kb(a.totalGzip).padStart(9)} gzip  (after the first XML input)`);
  console.log(`budget (a): ${kb(CADES_BUDGET_GZIP)} gzip`);

  const problems: string[] = [];
  if (a.gzip > CADES_BUDGET_GZIP) problems.push(`(a) is ${kb(a.gzip)} gzip, over the ${kb(CADES_BUDGET_GZIP)} budget`);
  if (a.xmlPackages.length) problems.push(`(a) contains ${a.xmlPackages.join(', ')}: a CAdES-only import must tree-shake XML/XAdES away (load XAdES lazily or from its own entry)`);
  if (problems.length) {
    for (const p of problems) console.error(`size: ${p}`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`size: ${(e as Error).message}`);
    process.exit(1);
  });
}
