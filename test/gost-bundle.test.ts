import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import vm from 'node:vm';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from './helpers/cli.js';

/**
 * `ots-esig/gost` (dist/gost.js) bundles for browsers: esbuild --platform=browser resolves no
 * Node built-in, and the result runs in a bare JS realm (no `global`, `process`, `Buffer`,
 * `require`) with only WebCrypto present — as in a page.
 */
describe('ots-esig/gost browser bundle', () => {
  beforeAll(() => ensureBuilt());

  it('bundles without Node built-ins and computes Streebog-256 in a realm without Node globals', async () => {
    const entry = `${ROOT}dist/gost.js`;
    expect(existsSync(entry)).toBe(true);
    const out = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'iife', globalName: 'OtsGost', platform: 'browser', write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(out.metafile!.inputs);
    expect(inputs.filter((i) => i.startsWith('node:') || /^(crypto|fs|buffer|path)$/.test(i))).toEqual([]);
    const code = out.outputFiles[0]!.text;
    const gz = gzipSync(code, { level: 9 }).length;
    // Measured 2026-11-29: ~157 KB minified / ~62 KB gzip including asn1js. Guard against accidental growth (e.g. pulling in pkijs).
    expect(gz).toBeLessThan(80_000);

    const realm = vm.createContext({ crypto: globalThis.crypto, TextEncoder, TextDecoder });
    vm.runInContext(code, realm);
    const hex = await vm.runInContext(
      `(async () => {
        const p = new OtsGost.GostProvider();
        const d = await p.digest('1.2.643.7.1.1.2.2', new TextEncoder().encode('012345678901234567890123456789012345678901234567890123456789012'));
        return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
      })()`,
      realm,
    );
    expect(hex).toBe('9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500');
    expect(vm.runInContext('typeof global + typeof process + typeof require', realm)).toBe('undefinedundefinedundefined');
  }, 60_000);
});
