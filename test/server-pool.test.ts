// The verification pool's limits, with a worker module of the test's own (no build needed): a task that
// needs more memory than a worker may use is answered 422 and the pool goes on; a finished task leaves
// no timer behind.
import { createHook } from 'node:async_hooks';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HttpError } from '../src/server/errors.js';
import { VerifyPool } from '../src/server/pool.js';
import type { VerifyTask } from '../src/server/task.js';

const dir = mkdtempSync(join(tmpdir(), 'ots-pool-'));
const workerFile = join(dir, 'worker.mjs');
// `grow`: keeps every array it allocates (an input whose verification needs ever more memory).
writeFileSync(
  workerFile,
  `export default async function (task) {
    if (task.grow) { const kept = []; for (;;) kept.push(new Array(1 << 16).fill(kept.length)); }
    return { ok: true, body: new TextEncoder().encode('done'), verdicts: [] };
  }\n`,
);
const task = (grow: boolean) => ({ grow }) as unknown as VerifyTask;
// Timers created and not yet cleared or fired (async_hooks sees unref'd ones too).
const live = new Set<number>();
createHook({
  init: (id, type) => void (type === 'Timeout' && live.add(id)),
  destroy: (id) => void live.delete(id),
}).enable();

describe('verification pool limits', () => {
  const pool = new VerifyPool({ workerFile: pathToFileURL(workerFile), workers: 1, maxQueue: 4, requestTimeoutMs: 20_000, workerHeapMb: 64 });
  afterAll(async () => {
    await pool.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 422 ERR_LIMIT_EXCEEDED when a task outgrows the worker heap, then verifies the next task', async () => {
    const err = await pool.run(task(true)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 422, code: 'ERR_LIMIT_EXCEEDED' });
    const next = await pool.run(task(false));
    expect(next.ok && new TextDecoder().decode(next.body)).toBe('done');
  }, 60_000);

  it('leaves no timer running once a task is answered (the time limit is cleared, not left to a GC)', async () => {
    await pool.run(task(false)); // the worker is up
    const before = live.size;
    for (let i = 0; i < 20; i++) await pool.run(task(false));
    await new Promise((r) => setImmediate(r)); // destroy hooks are emitted asynchronously
    expect(live.size).toBeLessThanOrEqual(before);
  });
});
