/**
 * The service's packages (Fastify, piscina, BullMQ, ...) are optional peer dependencies: a library
 * consumer does not get them. Whoever runs the service without them gets one message naming every
 * missing package and how to install them, from the CLI (`serve`, `queue`), `import('ots-esig/server')`
 * and `require('ots-esig/server')`. Checked in child processes on a copy of dist/ whose only
 * node_modules are the library's runtime dependencies, so resolving the service packages really fails.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from './helpers/cli.js';
import { SERVER_PACKAGES } from '../src/server/packages.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
};

describe('service packages are optional peer dependencies', () => {
  it('package.json: each one an optional peer (and a devDependency for our tests), none a dependency', () => {
    for (const name of SERVER_PACKAGES) {
      expect(pkg.dependencies[name], name).toBeUndefined();
      expect(pkg.peerDependencies[name], name).toBeDefined();
      expect(pkg.peerDependenciesMeta[name]?.optional, name).toBe(true);
      expect(pkg.devDependencies[name], name).toBe(pkg.peerDependencies[name]);
    }
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual([...SERVER_PACKAGES].sort());
  });

  it('the ES module entry (src/server/entry.ts) exports what src/server/index.ts does', async () => {
    const [entry, index] = await Promise.all([import('../src/server/entry.js'), import('../src/server/index.js')]);
    expect(Object.keys(entry).sort()).toEqual(Object.keys(index).sort());
    for (const k of Object.keys(index)) expect((entry as Record<string, unknown>)[k], k).toBe((index as Record<string, unknown>)[k]);
  });
});

describe('without them installed', () => {
  let dir: string;
  const run = (args: string[], cwd = dir) => spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  /** A copy of the package (dist/, package.json) with `deps` linked into its node_modules. */
  const install = (name: string, deps: readonly string[]) => {
    const at = join(dir, name);
    cpSync(join(ROOT, 'dist'), join(at, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(at, 'package.json'));
    for (const d of deps) {
      mkdirSync(dirname(join(at, 'node_modules', d)), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', d), join(at, 'node_modules', d), 'dir');
    }
    return at;
  };
  let bare: string;
  let partial: string;

  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'ots-esig-peers-'));
    bare = install('bare', Object.keys(pkg.dependencies));
    partial = install('partial', [...Object.keys(pkg.dependencies), 'fastify', 'piscina']);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const everyName = (text: string, names: readonly string[]) => {
    for (const n of names) expect(text).toContain(n);
    expect(text).toContain(`npm install ${SERVER_PACKAGES.join(' ')}`);
  };

  it('ots-esig serve and queue: exit 2 with one line naming every missing package', () => {
    for (const args of [['serve', '--port', '0'], ['queue', 'status']]) {
      const r = run([join(bare, 'dist/cli.js'), ...args]);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^ots-esig: the ots-esig service .* needs packages that are not installed: /);
      everyName(r.stderr, SERVER_PACKAGES);
      expect(r.stderr).not.toMatch(/Cannot find (package|module)|internal error/);
    }
  });

  it('the library itself still works: verify from the CLI and import of the main entry', () => {
    const r = run([join(bare, 'dist/cli.js'), 'verify', join(ROOT, 'fixtures/cades/kz-attached.p7s'), '--trust-anchor', join(ROOT, 'fixtures/pki/kz-root.pem'), '--at', '2026-06-01T00:00:00Z', '--format', 'json']);
    expect(r.stderr).not.toContain('needs packages');
    expect(r.stdout).toContain('"indication"');
    const m = run(['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(join(bare, 'dist/index.js')).href)}); console.log(typeof m.verify);`]);
    expect(m.stdout.trim(), m.stderr).toBe('function');
  });

  it('import and require of ots-esig/server throw ServerPackagesMissingError naming only what is missing', () => {
    const esm = (at: string) =>
      run(['--input-type=module', '-e', `try { await import(${JSON.stringify(pathToFileURL(join(at, 'dist/server.js')).href)}); console.log('loaded'); } catch (e) { console.log(e.code + ' ' + e.message); }`]);
    const cjs = (at: string) => run(['-e', `try { require(${JSON.stringify(join(at, 'dist/server.cjs'))}); console.log('loaded'); } catch (e) { console.log(e.code + ' ' + e.message); }`]);
    for (const r of [esm(bare), cjs(bare)]) {
      expect(r.stdout, r.stderr).toMatch(/^ERR_SERVER_PACKAGES_MISSING /);
      everyName(r.stdout, SERVER_PACKAGES);
    }
    const present = ['fastify', 'piscina'];
    for (const r of [esm(partial), cjs(partial)]) {
      expect(r.stdout, r.stderr).toMatch(/^ERR_SERVER_PACKAGES_MISSING /);
      const listed = r.stdout.split('not installed: ')[1]!.split(';')[0]!.split(', ');
      expect(listed).toEqual(SERVER_PACKAGES.filter((p) => !present.includes(p)));
    }
    // With all of them (the repo's own dist/), both load.
    expect(esm(ROOT).stdout.trim()).toBe('loaded');
    expect(cjs(ROOT).stdout.trim()).toBe('loaded');
  });
});
