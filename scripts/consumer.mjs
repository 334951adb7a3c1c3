// A consumer of the package as users get it: the tarball `npm pack` makes (its `prepare` builds
// dist/), installed from the npm registry into a scratch project outside the repo. Shared by
// scripts/package-check.mjs (runs and type-checks it) and scripts/size.ts (bundles it).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Runs a command to completion; `out` is stdout and stderr together. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts, env: { ...process.env, ...opts.env } });
  return { ok: r.status === 0, status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/**
 * `npm pack` of the repo into `dest` from an empty dist/, so the `prepare` build is what gets
 * packed (a clean clone has no dist/). Returns the tarball's path, or the failure output.
 */
export function packTarball(dest) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  const packed = run('npm', ['pack', '--pack-destination', dest, '--loglevel=warn'], { cwd: root });
  const tarball = readdirSync(dest).find((f) => f.endsWith('.tgz'));
  return packed.ok && tarball ? { ok: true, tarball: join(dest, tarball), out: packed.out } : { ok: false, out: packed.out };
}

/**
 * A scratch consumer project in `dir` (CommonJS by default: no "type") with the tarball and
 * `extra` packages installed from the registry, as `npm install ots-esig` would.
 */
export function installConsumer(dir, tarball, extra = []) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '0.0.0', private: true }, null, 2));
  return run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...extra], { cwd: dir });
}

/** Bytes on disk under `dir` (the consumer's node_modules: what `npm install ots-esig` costs). */
export function diskBytes(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += diskBytes(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}
