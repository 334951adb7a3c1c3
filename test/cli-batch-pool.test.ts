import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatchPool } from '../src/cli/batch.js';
import { CLI, ensureBuilt, ROOT } from './helpers/cli.js';
import { fixtureCrlArgs, loadManifest } from './helpers/fixtures.js';

const m = loadManifest();
const common = ['--trust-anchor', 'fixtures/pki/kz-root.pem', '--trust-anchor', 'fixtures/pki/tr-root.pem', '--at', m.validationTime, '--progress', 'off', ...fixtureCrlArgs()];

// Copies of every CAdES fixture (passed, failed, indeterminate, not a signature), cycled: enough files that the
// workers' results come back in batches, the main thread's reorder window fills and moves, and workers are
// refilled many times.
const FILES = 600;
let dir: string;
let folder: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ots-batch-pool-'));
  folder = join(dir, 'many');
  mkdirSync(folder);
  const sources = readdirSync(join(ROOT, 'fixtures/cades')).filter((f) => f.endsWith('.p7s')).sort();
  for (let i = 0; i < FILES; i++) copyFileSync(join(ROOT, 'fixtures/cades', sources[i % sources.length]!), join(folder, `f-${String(i).padStart(4, '0')}-${sources[i % sources.length]}`));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** runCli with room for a few MB of output (600 files of JSON reports). */
function runCli(args: readonly string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface BatchJson {
  files: { file: string; report?: { signatures: { indication: string }[] }; error?: { code: string } }[];
  summary: { files: number; errors: number };
}

describe('a batch over many files on several threads', () => {
  it('writes every file once, in input order, byte for byte as one thread does (JSON and text)', () => {
    const one = runCli(['verify', folder, ...common, '--jobs', '1', '--format', 'json']);
    const two = runCli(['verify', folder, ...common, '--jobs', '2', '--format', 'json']);
    const three = runCli(['verify', folder, ...common, '--jobs', '3', '--format', 'json']);
    expect(one.status).toBe(1);
    const doc = JSON.parse(one.stdout) as BatchJson;
    // Written piece by piece, the document is exactly what JSON.stringify of the whole gives (reports included).
    expect(one.stdout).toBe(JSON.stringify(doc, null, 2) + '\n');
    expect(doc.files.map((f) => f.file)).toEqual(readdirSync(folder).sort().map((f) => join(folder, f)));
    expect(doc.summary.files).toBe(FILES);
    // The mix is real: passed, failed and not-a-signature files are all among them.
    expect(doc.files.some((f) => f.report?.signatures[0]?.indication === 'TOTAL-PASSED')).toBe(true);
    expect(doc.files.some((f) => f.report?.signatures[0]?.indication === 'TOTAL-FAILED')).toBe(true);
    expect(doc.summary.errors).toBeGreaterThan(0);
    expect(two.status).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    expect(three.status).toBe(1);
    expect(three.stdout).toBe(one.stdout);
    const text1 = runCli(['verify', folder, ...common, '--jobs', '1']);
    const text2 = runCli(['verify', folder, ...common, '--jobs', '2']);
    expect(text2.status).toBe(text1.status);
    expect(text2.stdout).toBe(text1.stdout);
    expect(text1.stdout.split('\n').filter((l) => l.startsWith(folder))).toHaveLength(FILES);
  });

  it('fails the batch when a worker thread dies, and stops there (nothing more verified, nothing more written)', async () => {
    const crash = join(dir, 'crash-worker.mjs');
    // A worker that takes its first files and dies without answering (as an out-of-memory or native crash would).
    writeFileSync(crash, "import { parentPort } from 'node:worker_threads';\nparentPort.once('message', () => process.exit(7));\n");
    const files = readdirSync(folder).map((f) => join(folder, f));
    const written: number[] = [];
    let done = 0;
    const run = runBatchPool(files, { 'trust-anchor': ['fixtures/pki/kz-root.pem'], at: m.validationTime }, {
      jobs: 2,
      workerUrl: pathToFileURL(crash),
      result: { kind: 'outcome' },
      onResult: (i) => written.push(i),
      onProgress: (d) => (done = d),
    });
    await expect(run).rejects.toThrow(/worker exited with code 7/);
    const atFailure = { written: written.length, done };
    // This thread stops too rather than verifying the rest of the batch before the process may exit.
    await new Promise((r) => setTimeout(r, 500));
    expect({ written: written.length, done }).toEqual(atFailure);
    expect(done).toBeLessThan(files.length);
    // What was written before the failure is in input order with no gap (here nothing: the dead worker held the first files).
    expect(written).toEqual(written.map((_, i) => i));
  });
});
