// Cross-checks the committed CAdES fixtures with `openssl cms -verify`:
// every sample marked `openssl: true` must verify, and a few known-bad
// samples must not. Node only; skipped when openssl is not on PATH.
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeIf } from './helpers/skip.js';

interface Sample {
  id: string;
  file: string;
  content: string | null;
  trustAnchors: string[];
  intermediates: string[];
  openssl: boolean;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as {
  validationTime: string;
  samples: Sample[];
};
const attime = String(Math.floor(Date.parse(manifest.validationTime) / 1000));

const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const hasOpenssl = !probe.error && probe.status === 0;
if (!hasOpenssl) console.warn('openssl-crosscheck: `openssl` not found on PATH — skipping the openssl cross-check');

const tmp = hasOpenssl ? mkdtempSync(join(tmpdir(), 'ots-esig-openssl-')) : '';
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function concatPem(id: string, kind: string, rels: string[]): string {
  const path = join(tmp, `${id}.${kind}.pem`);
  writeFileSync(path, rels.map((r) => readFileSync(join(FIXTURES, r), 'utf8')).join(''));
  return path;
}

function opensslVerify(s: Sample): { ok: boolean; stderr: string } {
  const args = ['cms', '-verify', '-binary', '-inform', s.file.endsWith('.pem') ? 'PEM' : 'DER', '-in', join(FIXTURES, s.file)];
  if (s.content) args.push('-content', join(FIXTURES, s.content));
  args.push('-CAfile', concatPem(s.id, 'anchors', s.trustAnchors));
  if (s.intermediates.length > 0) args.push('-certfile', concatPem(s.id, 'intermediates', s.intermediates));
  args.push('-purpose', 'any', '-attime', attime, '-out', '/dev/null');
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { ok: r.status === 0 && /Verification successful/.test(r.stderr), stderr: r.stderr };
}

const sample = (id: string): Sample => {
  const s = manifest.samples.find((x) => x.id === id);
  if (!s) throw new Error(`manifest has no sample ${id}`);
  return s;
};

describeIf(hasOpenssl, 'openssl not installed')('openssl cms -verify cross-check of fixtures', () => {
  const positives = manifest.samples.filter((s) => s.openssl);

  it('has samples to check', () => {
    expect(positives.length).toBeGreaterThan(0);
  });

  for (const s of positives) {
    it(`openssl verifies ${s.id}`, () => {
      const r = opensslVerify(s);
      expect(r.ok, r.stderr).toBe(true);
    });
  }

  for (const id of ['kz-tampered-content', 'kz-bad-signature', 'untrusted']) {
    it(`openssl rejects ${id}`, () => {
      const r = opensslVerify(sample(id));
      expect(r.ok, r.stderr).toBe(false);
      expect(r.stderr).toMatch(/Verification failure|verify error|digest failure|signature failure/i);
    });
  }
});
