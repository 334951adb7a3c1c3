import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // `gost` is the optional sub-path export `ots-esig/gost`: a separate bundle, so the main entry
    // (and the browser build) never carries the GOST engine. node-gost-crypto is bundled into it
    // (a build-time dependency); its modules read Node's `global`, mapped to `globalThis` here so
    // the bundle runs in browsers without polyfills.
    entry: { index: 'src/index.ts', gost: 'src/gost.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    splitting: false,
    treeshake: true,
    noExternal: ['node-gost-crypto'],
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
    sourcemap: true,
    splitting: true,
    treeshake: true,
    noExternal: ['@xmldom/xmldom'],
    esbuildPlugins: [
      {
        name: 'xmldom-absent',
        setup(build) {
          build.onResolve({ filter: /^@xmldom\/xmldom$/ }, () => ({ path: fileURLToPath(new URL('./src/xml/xmldom-absent.ts', import.meta.url)) }));
        },
      },
    ],
  },
  {
    // `ots-esig/node`: Node-only adapters (node:crypto provider), never part of the browser build.
    entry: { node: 'src/node.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
