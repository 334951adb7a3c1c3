/**
 * #21: importing ots-esig in a page must not touch the page's globals (xmldsigjs used to replace
 * `self.crypto`; pkijs's own build installs a crypto engine on import). The built browser entry
 * (package.json `exports["."].browser`, as a consumer's bundler resolves it) is bundled into one
 * script and run in a fresh Node process; its global names
 * and its `crypto` object are compared before and after, and a CAdES signature is verified so the code
 * that runs on first use (lazy chunks, key import) has run too. (In Node, where `process` exists, pkijs's own
 * build would add a global named by the process id.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from './helpers/cli.js';

describe('the browser build touches no global', () => {
  beforeAll(() => ensureBuilt());

  it('bundled from exports["."].browser: only its own name is added to the globals, crypto stays the same object, after import and a verification', async () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { exports: { '.': { browser: { default: string } } } };
    const out = await build({
      entryPoints: [`${ROOT}${pkg.exports['.'].browser.default.replace(/^\.\//, '')}`],
      bundle: true,
      format: 'iife',
      globalName: 'OtsEsig',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    // Run in a fresh Node process (same realm as its WebCrypto; a vm realm's byte arrays are foreign to Node's
    // WebCrypto): the global names and the crypto object before and after the script and one verification.
    const dir = mkdtempSync(join(tmpdir(), 'ots-globals-'));
    try {
      writeFileSync(join(dir, 'bundle.js'), out.outputFiles[0]!.text);
      const probe = `
        const vm = require('node:vm'), fs = require('node:fs');
        const names = () => Object.getOwnPropertyNames(globalThis).sort();
        const before = names(), pageCrypto = globalThis.crypto;
        vm.runInThisContext(fs.readFileSync(${JSON.stringify(join(dir, 'bundle.js'))}, 'utf8'));
        const f = (p) => new Uint8Array(fs.readFileSync(${JSON.stringify(`${ROOT}fixtures/`)} + p));
        OtsEsig.verify(f('cades/kz-attached.p7s'), { trustAnchors: [f('pki/kz-root.pem')], crls: [f('crl/current/kz-root.crl'), f('crl/current/kz-ca.crl')] }).then((r) => {
          const after = names();
          console.log(JSON.stringify({
            verdicts: r.signatures.map((s) => s.indication),
            added: after.filter((n) => !before.includes(n)),
            removed: before.filter((n) => !after.includes(n)),
            sameCrypto: globalThis.crypto === pageCrypto,
          }));
        });`;
      const run = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ verdicts: ['TOTAL-PASSED'], added: ['OtsEsig'], removed: [], sameCrypto: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
