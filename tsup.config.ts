import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';
import { pkijsTreeShakable, xmldomAbsent } from './scripts/browser-plugins.js';

// dist/ is emptied here, once, before the four builds below start. Not with tsup's `clean`: the
// builds run in parallel and a `clean` build's declaration pass deletes every *.d.ts in dist/,
// including dist/node.d.ts when that smaller build has already finished (a race that shipped
// `ots-esig/node` without types).
rmSync(fileURLToPath(new URL('./dist', import.meta.url)), { recursive: true, force: true });

// Source maps are for local debugging (OTS_ESIG_SOURCEMAP=1 npm run build); the published
// package is built without them (they were 5 MB of its 7 MB).
const sourcemap = process.env.OTS_ESIG_SOURCEMAP === '1';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

// node-gost-crypto is bundled into dist/gost.* and the CLI. Its files open with their copyright
// and licence headers (Apache-2.0, R. Nickolaev; Streebog, A. Degtyarev; JSBN, T. Wu), plain
// comments that esbuild would drop: they are turned into legal comments (/*! */), which esbuild
// keeps, and the package's own MIT licence is added beside them.
const keepGostNotices: EsbuildPlugin = {
  name: 'keep-node-gost-crypto-notices',
  setup(build) {
    let mitAdded = false; // the package licence once per output, the file headers per file
    build.onLoad({ filter: /[\\/]node-gost-crypto[\\/]lib[\\/][^\\/]+\.js$/ }, (args) => {
      let rest = readFileSync(args.path, 'utf8');
      let head = '';
      for (let m; (m = /^\s*\/\*\*?(?!!)([\s\S]*?)\*\//.exec(rest)) && /copyright|licen[cs]e/i.test(m[1]!); rest = rest.slice(m[0].length)) {
        head += `/*!${m[1]}*/\n`;
      }
      if (!mitAdded) {
        mitAdded = true;
        const pkgDir = dirname(dirname(args.path));
        const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
        const mit = readFileSync(join(pkgDir, 'LICENSE'), 'utf8').trim();
        head = `/*! node-gost-crypto ${version} (https://github.com/myadzel/node-gost-crypto), Alexander Myadzel:\n${mit}\n*/\n${head}`;
      }
      return { contents: head + rest, loader: 'js' };
    });
  },
};

// The CLI's dynamic import of src/server/index.ts stays an import of the built dist/server.js.
const serverExternal: EsbuildPlugin = {
  name: 'server-module-external',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/server\/index\.js$/ }, () => ({ path: './server.js', external: true }));
  },
};

// The CLI's `import('./verify-fast.js')` stays an import of the built dist/cli-verify.js (the build below it).
const verifyFastExternal: EsbuildPlugin = {
  name: 'verify-fast-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/verify-fast\.js$/ }, () => ({ path: './cli-verify.js', external: true }));
  },
};

// dist/cli-verify.js holds the one-file `verify` path (src/cli/verify-fast.ts). Its dynamic imports (the XML
// stack, trusted lists, containers, batch, other renderers, GOST) are not bundled: each becomes a module that
// throws FAST_PATH_MISS, and main.ts runs the command from the split build instead. The one exception is
// net/address.js (a few lines and ipaddr.js, no state), imported while fetching with --online, where a
// failure would be reported as a fetch error instead of reaching main.ts.
const verifyFastPath: EsbuildPlugin = {
  name: 'verify-fast-path',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind !== 'dynamic-import' || /[\\/]address\.js$/.test(args.path)) return undefined;
      return { path: args.path, namespace: 'fast-path-miss' };
    });
    build.onLoad({ filter: /.*/, namespace: 'fast-path-miss' }, (args) => ({
      contents: `throw Object.assign(new Error(${JSON.stringify(`${args.path} is not part of dist/cli-verify.js`)}), { code: 'OTS_ESIG_FAST_PATH_MISS' });`,
      loader: 'js',
    }));
  },
};

// dist/cli-verify.js leaves pkijs out (src/cli/verify-fast-pkijs.ts says why): `pkijs` resolves there to stand-ins,
// one per class that file exports, each a Proxy that loads dist/cli-verify-pkijs.cjs synchronously (createRequire;
// no require(esm), which warns on some Node versions) the first time it is constructed, called or read, and
// forwards to the real class. That file is a function of cli-verify.js's asn1js (below), so pkijs's
// schema checks see the classes our own decoding built. A class used by cli-verify.js and not exported there fails
// the build (import-is-undefined is an error in that build).
const cliVerifyPkijsNames = [...(/export \{([^}]*)\} from 'pkijs'/.exec(readFileSync(fileURLToPath(new URL('./src/cli/verify-fast-pkijs.ts', import.meta.url)), 'utf8'))?.[1] ?? '').matchAll(/\w+/g)].map((m) => m[0]);
if (cliVerifyPkijsNames.length < 10) throw new Error('tsup.config.ts: no pkijs class list in src/cli/verify-fast-pkijs.ts');
const lazyPkijs: EsbuildPlugin = {
  name: 'lazy-pkijs',
  setup(build) {
    build.onResolve({ filter: /^pkijs$/ }, () => ({ path: 'pkijs', namespace: 'lazy-pkijs' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-pkijs' }, () => ({
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      loader: 'js',
      contents: `import * as asn1js from 'asn1js';
import { createRequire } from 'node:module';
let pkijs;
function real(name) {
  if (!pkijs) {
    try {
      pkijs = createRequire(import.meta.url)('./cli-verify-pkijs.cjs')(asn1js);
    } catch (e) {
      // A broken installation. Not an exception: one thrown here could be taken for malformed input by a caller.
      process.stderr.write('ots-esig: internal error: ' + (e?.stack ?? e) + '\\n');
      process.exit(3);
    }
  }
  return pkijs[name];
}
function standIn(name) {
  const self = new Proxy(function () {}, {
    construct: (_, args, newTarget) => Reflect.construct(real(name), args, newTarget === self ? real(name) : newTarget),
    apply: (_, thisArg, args) => Reflect.apply(real(name), thisArg, args),
    // Before pkijs is loaded no instance of its classes exists: instanceof answers without loading it.
    get: (_, key) => (key === Symbol.hasInstance ? (value) => pkijs !== undefined && value instanceof real(name) : Reflect.get(real(name), key)),
  });
  return self;
}
${cliVerifyPkijsNames.map((n) => `export const ${n} = /* @__PURE__ */ standIn(${JSON.stringify(n)});`).join('\n')}
`,
    }));
  },
};

// dist/cli-verify-pkijs.cjs is `module.exports = function (asn1jsOfCliVerify) { ...pkijs...; return its exports }`:
// its `asn1js` is that argument.
const asn1jsOfCliVerify: EsbuildPlugin = {
  name: 'asn1js-of-cli-verify',
  setup(build) {
    build.onResolve({ filter: /^asn1js$/ }, () => ({ path: 'asn1js', namespace: 'asn1js-of-cli-verify' }));
    build.onLoad({ filter: /.*/, namespace: 'asn1js-of-cli-verify' }, () => ({ contents: 'module.exports = asn1jsOfCliVerify;', loader: 'js' }));
  },
};

export default defineConfig([
  {
    // `gost` is the optional sub-path export `ots-esig/gost`: a separate bundle, so the main entry
    // (and the browser build) never carries the GOST engine. node-gost-crypto is bundled into it
    // (a build-time dependency); its modules read Node's `global`, mapped to `globalThis` here so
    // the bundle runs in browsers without polyfills.
    entry: { index: 'src/index.ts', gost: 'src/gost.ts' },
    format: ['esm', 'cjs'],
    // The declarations of all three public entries come from one pass, so the classes they share
    // (AlgorithmRegistry, ...) are declared once: `verify(x, { registry: nodeRegistry() })` only
    // type-checks when ots-esig/node's AlgorithmRegistry is the main entry's (private members make
    // two declarations of one class incompatible).
    dts: { entry: { index: 'src/index.ts', gost: 'src/gost.ts', node: 'src/node.ts' } },
    sourcemap,
    target: 'es2022',
    platform: 'neutral',
    splitting: false,
    treeshake: true,
    noExternal: ['node-gost-crypto'],
    esbuildPlugins: [keepGostNotices],
    esbuildOptions(options) {
      options.define = { ...options.define, global: 'globalThis' };
    },
  },
  {
    // Browser build (package.json `exports` condition "browser"): WebCrypto and the native
    // DOMParser only. @xmldom/xmldom is swapped for a stub that refuses XML where no DOMParser
    // exists; XAdES and XML trust lists are dynamic imports, split into chunks loaded on first use.
    entry: { index: 'src/index.ts' },
    outDir: 'dist/browser',
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    sourcemap,
    splitting: true,
    treeshake: true,
    // pkijs is bundled in, made tree-shakable (scripts/browser-plugins.ts): as published, a bundler
    // keeps all of it (~300 KB minified) whatever is imported. asn1js stays a shared dependency.
    noExternal: ['@xmldom/xmldom', 'pkijs'],
    esbuildPlugins: [xmldomAbsent, pkijsTreeShakable],
  },
  {
    // `ots-esig/node`: Node-only adapters (node:crypto provider), never part of the browser build.
    entry: { node: 'src/node.ts' },
    format: ['esm', 'cjs'],
    dts: false, // emitted with the main entry's (above)
    platform: 'node',
    target: 'node20',
    sourcemap,
  },
  {
    // `ots-esig/server` (Node only: Fastify, piscina, BullMQ) and the worker module its pool runs.
    // Its own build: neither the browser bundle nor dist/cli.js contains it (`serve` and `queue`
    // load dist/server.js at run time). Those packages are optional peer dependencies: the ES module
    // entry (src/server/entry.ts) checks for them before loading the service (a chunk of this build);
    // the CommonJS one (below) checks in its first module.
    entry: { server: 'src/server/entry.ts' },
    format: ['esm'],
    dts: { entry: { server: 'src/server/index.ts' } },
    platform: 'node',
    target: 'node20',
    sourcemap,
    esbuildPlugins: [keepGostNotices],
  },
  {
    entry: { server: 'src/server/index.ts' },
    format: ['cjs'],
    dts: { entry: { server: 'src/server/index.ts' } },
    platform: 'node',
    target: 'node20',
    sourcemap,
    // import.meta.url (the worker module's location) in the CommonJS build too.
    shims: true,
    esbuildPlugins: [keepGostNotices],
  },
  {
    entry: { 'server-worker': 'src/server/worker.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    sourcemap,
    esbuildPlugins: [keepGostNotices],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    sourcemap,
    banner: { js: '#!/usr/bin/env node' },
    // `verify --gost` loads node-gost-crypto (a devDependency, so bundled here too).
    // `serve` / `queue` import the server module: left as `import('./server.js')`, the build above.
    // The runtime dependencies are bundled too, pkijs made tree-shakable as in the browser build (the CLI never
    // asks pkijs to sign, verify or validate a path either): start-up is what a one-file `verify` costs, and
    // resolving and linking pkijs's and asn1js's ~60 package files and compiling all of pkijs was about a
    // quarter of it (#19 cliStart). Code a command or an input does not need stays in chunks loaded on demand.
    // saxes (two small files with xmlchars, loaded with the XML stack only) is imported from node_modules: its
    // package ships no licence file to carry into NOTICE.
    noExternal: ['pkijs', 'asn1js', '@xmldom/xmldom', 'fflate', 'ipaddr.js'],
    esbuildPlugins: [keepGostNotices, serverExternal, verifyFastExternal, pkijsTreeShakable],
  },
  {
    // `verify` as one file (src/cli/verify-fast.ts; #19 cliStart: one module instead of ~40 is about a fifth of
    // the start-up). Not split: what it would load on demand fails over to the split build above (main.ts).
    entry: { 'cli-verify': 'src/cli/verify-fast.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    sourcemap,
    splitting: false,
    noExternal: ['pkijs', 'asn1js', '@xmldom/xmldom', 'fflate', 'ipaddr.js'],
    esbuildPlugins: [keepGostNotices, verifyFastPath, lazyPkijs],
    esbuildOptions(options) {
      options.logOverride = { ...options.logOverride, 'import-is-undefined': 'error' };
    },
  },
  {
    // The pkijs classes of dist/cli-verify.js, loaded when a verify first uses one (lazyPkijs above).
    entry: { 'cli-verify-pkijs': 'src/cli/verify-fast-pkijs.ts' },
    format: ['cjs'],
    platform: 'node',
    target: 'node20',
    sourcemap,
    splitting: false,
    noExternal: ['pkijs'],
    banner: { js: 'module.exports = function (asn1jsOfCliVerify) {\n"use strict";\nconst module = { exports: {} };\nconst exports = module.exports;' },
    footer: { js: 'return module.exports;\n};' },
    esbuildPlugins: [asn1jsOfCliVerify, pkijsTreeShakable],
  },
]);
