import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    splitting: false,
    treeshake: true,
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
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
