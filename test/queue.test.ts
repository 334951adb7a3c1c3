import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { queueReport } from '../src/server/queue.js';
import { CLI, ROOT, ensureBuilt } from './helpers/cli.js';
import { FIXTURES, fixtureCrlArgs } from './helpers/fixtures.js';
import { describeIf } from './helpers/skip.js';

// A Redis to run against: .ci/run starts a throw-away redis-server on a free loopback port and exports its URL.
const REDIS = process.env.OTS_REDIS_URL;
const AT = '2026-06-01T00:00:00Z';
const TRUST = ['--trust-list', 'trust-lists/ots-lotl.xml', '--trust-list', 'trust-lists/kz-tl.xml', '--list-signer', 'fixtures/pki/ots-lotl-operator.pem', ...fixtureCrlArgs(), '--crl', 'fixtures/crl/kz-ca.crl', '--relying-party', 'TR'];

const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describeIf(!!REDIS, 'no OTS_REDIS_URL (.ci/run starts redis-server and sets it)')(`queue on Redis`, () => {
  const queue = `ots-test-${process.pid}-${Date.now()}`;
  const dir = mkdtempSync(join(tmpdir(), 'ots-queue-'));
  const expected = new Map<string, string>();
  const kinds: [string, string, number][] = [
    ['cades/kz-attached.p7s', 'TOTAL-PASSED RECOGNIZED', 8],
    ['cades/kz-bad-signature.p7s', 'TOTAL-FAILED INVALID', 6],
    ['cades/kz-revoked.p7s', 'INDETERMINATE INVALID', 4],
    ['cades/garbage.p7s', 'ERR_INPUT_FORMAT', 4],
  ];
  for (const [src, verdict, n] of kinds) {
    for (let i = 0; i < n; i++) {
      const name = join(dir, `${src.split('/')[1]!.replace('.p7s', '')}-${i}.p7s`);
      copyFileSync(join(FIXTURES, src), name);
      expected.set(name, verdict);
    }
  }
  const children: ReturnType<typeof spawn>[] = [];

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    const q = new Queue(queue, { connection: { url: REDIS! } });
    await q.obliterate({ force: true }).catch(() => undefined);
    await q.close();
    const redis = new Redis(REDIS!);
    const keys = await redis.keys(`ots-esig:${queue}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const startWorker = (env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [CLI, 'queue', 'work', '--redis', REDIS!, '--queue', queue, '--concurrency', '2', '--lock-ms', '2000'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    return { child, exit };
  };

  const until = async (what: string, pred: () => Promise<boolean>, ms = 60_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await pred()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  it('two workers, one killed mid-job: every job completes exactly once with its verdict', async () => {
    ensureBuilt();
    const add = cli(['queue', 'add', '--redis', REDIS!, '--queue', queue, '--at', AT, ...TRUST, dir]);
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    expect(add.stdout).toMatch(new RegExp(`${expected.size} job\\(s\\) in queue ${queue}, trust snapshot [0-9a-f]{16}, validation time 2026-06-01T00:00:00.000Z`));
    // Adding the same documents under the same snapshot and time adds nothing.
    expect(cli(['queue', 'add', '--redis', REDIS!, '--queue', queue, '--at', AT, ...TRUST, dir]).status).toBe(0);
    expect((await queueReport(REDIS!, queue)).counts.waiting).toBe(expected.size);

    // Worker A holds each job 1.5 s: it is killed (SIGKILL, no clean-up) while jobs are active.
    const a = startWorker({ OTS_ESIG_QUEUE_SLOW_MS: '1500' });
    await until('worker A to take jobs', async () => (await queueReport(REDIS!, queue)).counts.active! > 0);
    a.child.kill('SIGKILL');
    expect(await a.exit).toBe(null);
    const b = startWorker();
    await until('all jobs to complete', async () => (await queueReport(REDIS!, queue)).counts.completed === expected.size);

    const report = await queueReport(REDIS!, queue);
    expect(report.failed).toEqual([]);
    expect(report.counts).toMatchObject({ completed: expected.size, active: 0, waiting: 0, failed: 0 });
    expect(report.results).toHaveLength(expected.size);
    expect(new Set(report.results.map((r) => r.name)).size).toBe(expected.size);
    for (const r of report.results) {
      const got = r.error ? r.error.code : `${r.signatures![0]!.indication} ${r.signatures![0]!.recognition}`;
      expect([r.name, got]).toEqual([r.name, expected.get(r.name)]);
      expect(r.validationTime).toBe('2026-06-01T00:00:00.000Z');
    }
    // The jobs A had in hand were taken again (stalled) and finished by B, once each.
    const q = new Queue(queue, { connection: { url: REDIS! } });
    const jobs = await q.getJobs(['completed']);
    await q.close();
    const retaken = jobs.filter((j) => j.attemptsStarted > 1 || j.stalledCounter > 0);
    expect(retaken.length).toBeGreaterThan(0);
    expect(retaken.every((j) => !(j.returnvalue as { worker: string }).worker.endsWith(`:${a.child.pid}`))).toBe(true);

    const text = cli(['queue', 'report', '--redis', REDIS!, '--queue', queue]);
    expect(text.status).toBe(1); // bad and revoked signatures are in the batch
    expect(text.stdout).toContain(`queue ${queue}: ${expected.size} completed, 0 failed, 0 waiting, 0 active`);
    const junit = cli(['queue', 'report', '--redis', REDIS!, '--queue', queue, '--format', 'junit']);
    expect(junit.stdout).toContain(`tests="${expected.size}"`);

    b.child.kill('SIGTERM');
    expect(await b.exit).toBe(0);
  }, 120_000);
});
