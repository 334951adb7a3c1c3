import { availableParallelism } from 'node:os';
import { Worker, type MessagePort } from 'node:worker_threads';
import { OtsEsigError } from '../errors.js';
import type { ValidationReport } from '../report/model.js';
import type { VerifyOptions } from '../validation/options.js';
import { collect, evaluate, type EvaluateOptions } from '../validation/verify.js';
import { UsageError } from './errors.js';
import { WORKER_ROLE } from './worker-role.js';
import { readFile } from './io.js';
import { BatchTotals, ENGLISH_ROW_WORDS, renderFile, tallyOf, type BatchFormat, type BatchSummary } from './batch-output.js';
import type { FileOutcome } from './batch-types.js';
import { buildVerifyOptions, loadTrustListFlags, type VerifyFlagValues } from './verify-options.js';

export type { FileOutcome };

/**
 * Another trust-list set to judge every file under as well (e.g. regress --baseline): the file is parsed and its
 * signatures verified once (collect), then evaluated under the batch's options and under each alternative.
 */
export interface BatchAlternative {
  readonly trustLists: readonly string[];
}

export type { BatchSummary };

export { WORKER_ROLE };

interface Task {
  readonly index: number;
  readonly file: string;
}

/** What a batch (or each of its workers) prepares once: the verify options and each alternative's loaded lists. */
interface Prepared {
  readonly options: VerifyOptions;
  readonly alternatives: readonly EvaluateOptions[];
}

async function prepare(values: VerifyFlagValues, alternatives: readonly BatchAlternative[]): Promise<Prepared> {
  const options = await buildVerifyOptions(values);
  const evaluations: EvaluateOptions[] = [];
  // An empty set still replaces the batch's lists (judged with no list at all).
  for (const a of alternatives) evaluations.push({ trustLists: (await loadTrustListFlags(a.trustLists, values)) ?? [] });
  return { options, alternatives: evaluations };
}

/** Verifies one file; typed library errors become a per-file error, anything else propagates. */
async function verifyFile(file: string, prepared: Prepared): Promise<FileOutcome> {
  try {
    const facts = await collect(readFile(file, 'signature file'), prepared.options);
    const report = await evaluate(facts);
    if (!prepared.alternatives.length) return { file, report };
    const alternatives: ValidationReport[] = [];
    for (const a of prepared.alternatives) alternatives.push(await evaluate(facts, a));
    return { file, report, alternatives };
  } catch (e) {
    if (e instanceof OtsEsigError) return { file, error: { code: e.code, message: e.message } };
    if (e instanceof UsageError) return { file, error: { code: 'ERR_READ', message: e.message } };
    throw e;
  }
}

/** What each file becomes where it is verified: its outcome (regress compares reports) or its piece of the output (verify). */
export type ResultSpec = { readonly kind: 'outcome' } | { readonly kind: 'render'; readonly format: BatchFormat };

/** What a worker thread is started with (workerData, besides its role). */
export interface WorkerSetup {
  readonly values: VerifyFlagValues;
  readonly alternatives?: readonly BatchAlternative[];
  readonly result: ResultSpec;
}

async function resultFunction(spec: ResultSpec): Promise<(o: FileOutcome) => unknown> {
  if (spec.kind === 'outcome') return (o) => o;
  const { format } = spec;
  // The nine catalogues are loaded only for text in another language than English.
  const words = format.kind === 'text' && format.lang !== 'en' ? (await import('./batch-text-i18n.js')).rowWordsIn(format.lang) : ENGLISH_ROW_WORDS;
  return (o) => renderFile(o, format, words);
}

/** A file whose verification threw something other than a typed library error (a bug): reported, the batch goes on. */
const internalError = (file: string, e: unknown): FileOutcome => ({ file, error: { code: 'ERR_INTERNAL', message: (e as Error).message } });

/** What a worker posts: the results of consecutive files of its queue, and its mean time per file over them. */
interface ResultBatch {
  readonly results: readonly { readonly index: number; readonly result: unknown }[];
  readonly ms: number;
}

/**
 * A worker posts its results in batches rather than one message per file (each message is a structured clone and
 * a wake-up of the main thread's event loop): when it has RESULT_BATCH of them, when RESULT_MS have passed since
 * its last post, or when it has no file left in hand. Smaller than WORKER_DEPTH.max / 2, so that the main thread
 * refills a worker (at half its depth) before the worker runs dry.
 */
const RESULT_BATCH = 16;
const RESULT_MS = 20;

/**
 * Entry point of a worker thread: prepares the options once, then verifies the files it is sent, one after another,
 * in the order sent; results are posted in batches (ResultBatch) as they are ready.
 */
export async function runBatchWorker(port: MessagePort, setup: WorkerSetup): Promise<void> {
  const prepared = await prepare(setup.values, setup.alternatives ?? []);
  const result = await resultFunction(setup.result);
  const queue: Task[] = [];
  let head = 0;
  let running = false;
  let closing = false;
  let out: { index: number; result: unknown }[] = [];
  let outMs = 0;
  let posted = performance.now();
  const post = () => {
    if (!out.length) return;
    const batch: ResultBatch = { results: out, ms: outMs / out.length };
    port.postMessage(batch);
    out = [];
    outMs = 0;
    posted = performance.now();
  };
  const pump = async () => {
    running = true;
    while (head < queue.length) {
      const task = queue[head++]!;
      let r: unknown;
      const start = performance.now();
      try {
        r = result(await verifyFile(task.file, prepared));
      } catch (e) {
        r = result(internalError(task.file, e));
      }
      const end = performance.now();
      out.push({ index: task.index, result: r });
      outMs += end - start;
      if (out.length >= RESULT_BATCH || end - posted >= RESULT_MS) post();
    }
    post();
    queue.length = head = 0;
    running = false;
    if (closing) port.close();
  };
  port.on('message', (tasks: Task[] | null) => {
    if (tasks === null) closing = true;
    else queue.push(...tasks);
    if (!running) {
      if (closing && head >= queue.length) port.close();
      else void pump();
    }
  });
}

/**
 * Files sent to a worker ahead of its results, so that it does not wait for the main thread between files, nor run
 * dry while the main thread verifies a slow file of its own (it reads messages only between its files): about
 * AHEAD_MS of the worker's recent per-file time, within these bounds. More would leave the main thread idle at the
 * end while a worker still holds files.
 */
const WORKER_DEPTH = { min: 4, max: 64 } as const;
const AHEAD_MS = 100;
/**
 * This thread, verifying files of its own, lets the workers' result messages in (and refills them) at least this
 * often, rather than after every file: a turn of the event loop per file costs a system call for nothing while
 * the workers still hold AHEAD_MS of work.
 */
const YIELD_MS = 5;

/**
 * A worker's young generation, in MiB (V8's default on 64-bit is 48: 3 x a 16 MiB semi-space). A worker holds
 * nothing between files (its live heap stays ~9 MB over 10,000 files), but V8 grows the young generation of a
 * busy isolate to its maximum: 20-30 MiB of the 60-80 MiB a --jobs 2 batch's peak RSS gained from 1,000 to 10,000
 * files (#19; the rest is the main thread's heap, sized the same way). Objects that outlive it are promoted as
 * usual: this bounds memory, not what a file may use.
 */
const WORKER_YOUNG_GENERATION_MB = 16;
/**
 * At most this many files (and at least twice what the workers may hold) are started past the first file whose
 * result has not come back: the results waiting to be written in input order (small: each is the file's piece of
 * the output) stay bounded behind a slow file.
 */
const ORDER_WINDOW = 256;

export interface PoolOptions<R> {
  readonly jobs: number;
  readonly workerUrl: URL;
  readonly alternatives?: readonly BatchAlternative[];
  readonly result: ResultSpec;
  /** The verify options already built from `values` (this thread uses them instead of building them again). */
  readonly options?: VerifyOptions;
  /** Called once per file, in input order, as soon as that file and all before it are done. */
  readonly onResult: (index: number, result: R) => void;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Verifies files on `jobs` threads: this one and jobs - 1 workers (each started with the options, preparing them
 * once), taking files from one queue as they become free. Each result is handed to onResult in input order whatever
 * order the threads finish in.
 */
export async function runBatchPool<R>(files: readonly string[], values: VerifyFlagValues, opts: PoolOptions<R>): Promise<void> {
  const threads = Math.max(1, Math.min(opts.jobs, files.length));
  const alternatives = opts.alternatives ?? [];
  const waiting = new Map<number, R>();
  let written = 0;
  let next = 0;
  let done = 0;
  let wake: (() => void) | undefined;
  // Set when a thread failed: nothing more is written or started (what was written stays a prefix in input order).
  let failed = false;
  const deliver = (index: number, r: R) => {
    if (failed) return;
    waiting.set(index, r);
    opts.onProgress?.(++done, files.length);
    while (waiting.has(written)) {
      const w = waiting.get(written)!;
      waiting.delete(written);
      opts.onResult(written++, w);
    }
    wake?.();
  };
  const window = Math.max(ORDER_WINDOW, 2 * WORKER_DEPTH.max * threads);
  const mayStart = () => next < files.length && next < written + window;

  const workers: Promise<void>[] = [];
  const started: Worker[] = [];
  const refills: (() => void)[] = [];
  for (let k = 1; k < threads; k++) {
    workers.push(
      new Promise<void>((resolve, reject) => {
        const setup: WorkerSetup = { values, alternatives, result: opts.result };
        const worker = new Worker(opts.workerUrl, { argv: [WORKER_ROLE], workerData: { role: WORKER_ROLE, ...setup }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
        started.push(worker);
        let outstanding = 0;
        let stopped = false;
        let depth: number = WORKER_DEPTH.min * 2;
        const refill = () => {
          if (stopped || failed || outstanding > depth / 2) return;
          const tasks: Task[] = [];
          while (outstanding + tasks.length < depth && mayStart()) tasks.push({ index: next, file: files[next++]! });
          if (tasks.length) {
            outstanding += tasks.length;
            worker.postMessage(tasks);
          } else if (outstanding === 0 && next >= files.length) {
            stopped = true;
            worker.postMessage(null);
          }
        };
        refills.push(refill);
        let perFileMs: number | undefined;
        worker.on('message', (m: ResultBatch) => {
          outstanding -= m.results.length;
          perFileMs = perFileMs === undefined ? m.ms : 0.8 * perFileMs + 0.2 * m.ms;
          depth = Math.min(WORKER_DEPTH.max, Math.max(WORKER_DEPTH.min, Math.ceil(AHEAD_MS / Math.max(perFileMs, 0.01))));
          for (const { index, result } of m.results) deliver(index, result as R);
          for (const r of refills) r();
        });
        worker.on('error', reject);
        worker.on('exit', (code) => (code === 0 && stopped ? resolve() : reject(new Error(`worker exited with code ${code}`))));
        refill();
      }),
    );
  }

  // This thread verifies too: between its files it hands out work and writes results.
  const mine = async () => {
    const prepared = opts.options && !alternatives.length ? { options: opts.options, alternatives: [] } : await prepare(values, alternatives);
    const result = (await resultFunction(opts.result)) as (o: FileOutcome) => R;
    let yielded = performance.now();
    for (;;) {
      if (failed) return;
      if (mayStart()) {
        const index = next++;
        const file = files[index]!;
        let outcome: FileOutcome;
        try {
          outcome = await verifyFile(file, prepared);
        } catch (e) {
          // Alone, an internal error stops the batch (exit 3); beside workers it is reported like theirs.
          if (threads === 1) throw e;
          outcome = internalError(file, e);
        }
        deliver(index, result(outcome));
        // Let the workers' messages in now and then: verification may finish without ever leaving the microtask queue.
        if (threads > 1 && performance.now() - yielded >= YIELD_MS) {
          for (const r of refills) r();
          await new Promise<void>((r) => setImmediate(r));
          yielded = performance.now();
        }
      } else if (next >= files.length) {
        return;
      } else {
        // Ahead of the window: wait for a worker's result to move it.
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    }
  };
  try {
    await Promise.all([mine(), ...workers]);
  } catch (e) {
    // A worker that failed, or this thread's own failure: the others are stopped so that the process can exit.
    failed = true;
    wake?.();
    await Promise.all(started.map((w) => w.terminate()));
    throw e;
  }
}

export interface BatchRun {
  readonly outcomes: FileOutcome[];
  readonly summary: BatchSummary;
}

/** Verifies many files (runBatchPool) and keeps every outcome, in input order: for callers that compare reports. */
export async function runBatch(
  files: readonly string[],
  values: VerifyFlagValues,
  opts: { jobs: number; workerUrl: URL; onProgress?: (done: number, total: number) => void; alternatives?: readonly BatchAlternative[] },
): Promise<BatchRun> {
  const outcomes: FileOutcome[] = new Array(files.length);
  await runBatchPool<FileOutcome>(files, values, { ...opts, result: { kind: 'outcome' }, onResult: (i, o) => (outcomes[i] = o) });
  return { outcomes, summary: summarize(outcomes) };
}

/** The summary counts of outcomes. */
export function summarize(outcomes: readonly FileOutcome[]): BatchSummary {
  const totals = new BatchTotals();
  for (const o of outcomes) totals.add(tallyOf(o));
  return totals.summary();
}

export function defaultJobs(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** A one-line progress bar redrawn in place; only used when stderr is a terminal. */
export function progressBar(stream: NodeJS.WriteStream): (done: number, total: number) => void {
  return (done, total) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    if (done === total) stream.write('\n');
  };
}
