/** Timing helpers for `npm run bench`: wall-clock per operation, sequential and as a concurrent batch. */

export interface Timing {
  /** Median of per-operation times over the sequential runs, ms. */
  readonly medianMs: number;
  /** Mean per operation over the sequential runs, ms. */
  readonly meanMs: number;
  readonly runs: number;
}

/**
 * Calls `op` sequentially: untimed calls until `warmup` calls and `warmupMs`
 * have passed (the JIT compiles a path only after many calls: measured here,
 * verify() took ~1.5x longer in its first 800 ms than afterwards), then timed
 * calls until `minRuns` calls and `minMs` elapsed.
 */
export async function timeSequential(op: () => unknown, opts: { warmup?: number; warmupMs?: number; minRuns?: number; minMs?: number; maxRuns?: number } = {}): Promise<Timing> {
  const { warmup = 20, warmupMs = 0, minRuns = 50, minMs = 400, maxRuns = 20_000 } = opts;
  const warmStart = performance.now();
  for (let i = 0; i < warmup || performance.now() - warmStart < warmupMs; i++) await op();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < maxRuns && (samples.length < minRuns || performance.now() - start < minMs)) {
    const t = performance.now();
    await op();
    samples.push(performance.now() - t);
  }
  const total = samples.reduce((a, b) => a + b, 0);
  samples.sort((a, b) => a - b);
  return { medianMs: samples[samples.length >> 1]!, meanMs: total / samples.length, runs: samples.length };
}

/** Concurrent operations in a batch: how a batch job (or the CLI's --jobs) keeps the crypto thread pool busy without holding every input in memory at once. */
export const BATCH_CONCURRENCY = 16;

/** Runs `n` operations with at most `concurrency` in flight and returns the wall time per operation, ms. */
export async function timeBatch(op: () => unknown, n: number, concurrency = BATCH_CONCURRENCY): Promise<number> {
  const t = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      await op();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return (performance.now() - t) / n;
}

/** Best of `repeats` batch runs: the least disturbed by other processes on a shared machine. */
export async function bestBatch(op: () => unknown, n: number, repeats = 3): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) best = Math.min(best, await timeBatch(op, n));
  return best;
}

export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

/** The middle value of `xs` (the upper one of an even count), without reordering `xs`. */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
}
