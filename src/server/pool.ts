/**
 * The verification pool: piscina worker threads running worker.ts. The HTTP event loop only
 * parses requests and serialises answers. A full queue is refused at once (503 + Retry-After);
 * a task past its time limit is aborted, which terminates the worker running it (504); piscina
 * starts a fresh one.
 */
import { Piscina } from 'piscina';
import { HttpError } from './errors.js';
import type { VerifyResult, VerifyTask } from './task.js';

/**
 * Each worker's young generation (V8 new space: two semi-spaces of a third of this each, 4 MB here).
 * Left to V8, it grows to 2 x 16 MB per worker while the service runs, which is RSS that keeps rising
 * under load. A verification's objects die young except ~10% that outlive a scavenge (measured on
 * distinct CAdES-B signatures: 9.8% of allocation promoted with 4 MB semi-spaces, 9.6% with 16 MB, 8% with
 * 64 MB), and a scavenge costs in proportion to what survives it: with 4 MB semi-spaces scavenges are four
 * times as frequent and a quarter as long (12 ms against 42 ms per pause on the loaded bench machine),
 * the same total, and a request queued behind one waits a quarter as long (p99).
 */
const WORKER_YOUNG_GENERATION_MB = 12;

/**
 * Each worker's old generation limit. V8 sizes an isolate's heap from its limit: under the default (the
 * process's, 4 GB here) it lets garbage reach about four times the live objects before a full collection,
 * and a worker's old space, ~28 MB live, floated between 35 and 72 MB and climbed as the run went on. Under
 * 512 MB V8 collects sooner (a lower growing factor) and the same verification loop kept its old space
 * at 28-30 MB, at the same cost per verification (0.43-0.53 ms either way). The library's limits keep one
 * verification well below it (src/limits.ts: 200,000 ASN.1 elements, ~200 MB at worst; 250,000 XML nodes);
 * an input that needed more would end its worker, not the process, and is answered 422.
 */
const WORKER_OLD_GENERATION_MB = 512;

export interface PoolOptions {
  /** worker.ts as built (dist/server-worker.js). */
  readonly workerFile: URL | string;
  readonly workers: number;
  readonly maxQueue: number;
  readonly requestTimeoutMs: number;
  /** Each worker's heap limit (V8 old generation), MB; default 512 (tests lower it). */
  readonly workerHeapMb?: number;
}

export class VerifyPool {
  readonly #piscina: Piscina;
  readonly #timeoutMs: number;
  readonly #heapMb: number;

  constructor(options: PoolOptions) {
    this.#timeoutMs = options.requestTimeoutMs;
    this.#heapMb = options.workerHeapMb ?? WORKER_OLD_GENERATION_MB;
    this.#piscina = new Piscina({
      filename: typeof options.workerFile === 'string' ? options.workerFile : options.workerFile.href,
      minThreads: options.workers,
      maxThreads: options.workers,
      maxQueue: options.maxQueue,
      // Threads stay up: starting one costs far more than a CAdES-B verification.
      idleTimeout: 60 * 60 * 1000,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: this.#heapMb },
    });
    // An error outside any task (a worker dying while idle) must not become an uncaught 'error' event:
    // piscina replaces the worker; the process stays up.
    this.#piscina.on('error', (e: Error) => process.emitWarning(`ots-esig verification worker: ${e.message}`));
  }

  get queueSize(): number {
    return this.#piscina.queueSize;
  }

  get threads(): number {
    return this.#piscina.threads.length;
  }

  get completed(): number {
    return this.#piscina.completed;
  }

  async run(task: VerifyTask): Promise<VerifyResult> {
    // One timer per task, cleared when the task settles. Not AbortSignal.timeout: its timer outlives the task
    // (requestTimeoutMs, 10 s by default) and is released only after a full GC collects the signal, so at
    // 1,500 requests/s some 15,000 timers and signals were held on the event loop, and the heap grew with them.
    const controller = new AbortController();
    const signal = controller.signal;
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    try {
      return (await this.#piscina.run(task, { signal })) as VerifyResult;
    } catch (e) {
      const err = e as Error;
      if (/queue is at limit|no task queue available/i.test(err.message)) {
        throw new HttpError(503, 'ERR_BUSY', 'the verification queue is full; retry later', { 'retry-after': '1' });
      }
      if ((err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        // The input, not the service: the worker that ran out is replaced, the others never noticed.
        throw new HttpError(422, 'ERR_LIMIT_EXCEEDED', `verifying this input needs more than the ${this.#heapMb} MB a verification worker may use`);
      }
      if (signal.aborted || err.name === 'AbortError') {
        throw new HttpError(504, 'ERR_TIMEOUT', `verification took longer than ${this.#timeoutMs} ms and was stopped`);
      }
      throw new HttpError(500, 'ERR_INTERNAL', `verification worker failed: ${err.message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for running and queued tasks, then stops the threads. */
  close(): Promise<void> {
    return this.#piscina.close();
  }

  destroy(): Promise<void> {
    return this.#piscina.destroy();
  }
}
