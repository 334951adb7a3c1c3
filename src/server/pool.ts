/**
 * The verification pool: piscina worker threads running worker.ts. The HTTP event loop only
 * parses requests and serialises answers. A full queue is refused at once (503 + Retry-After);
 * a task past its time limit is aborted, which terminates the worker running it (504); piscina
 * starts a fresh one.
 */
import { Piscina } from 'piscina';
import { HttpError } from './errors.js';
import type { VerifyResult, VerifyTask } from './task.js';

export interface PoolOptions {
  /** worker.ts as built (dist/server-worker.js). */
  readonly workerFile: URL | string;
  readonly workers: number;
  readonly maxQueue: number;
  readonly requestTimeoutMs: number;
}

export class VerifyPool {
  readonly #piscina: Piscina;
  readonly #timeoutMs: number;

  constructor(options: PoolOptions) {
    this.#timeoutMs = options.requestTimeoutMs;
    this.#piscina = new Piscina({
      filename: typeof options.workerFile === 'string' ? options.workerFile : options.workerFile.href,
      minThreads: options.workers,
      maxThreads: options.workers,
      maxQueue: options.maxQueue,
      // Threads stay up: starting one costs far more than a CAdES-B verification.
      idleTimeout: 60 * 60 * 1000,
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
    const signal = AbortSignal.timeout(this.#timeoutMs);
    try {
      return (await this.#piscina.run(task, { signal })) as VerifyResult;
    } catch (e) {
      const err = e as Error;
      if (/queue is at limit|no task queue available/i.test(err.message)) {
        throw new HttpError(503, 'ERR_BUSY', 'the verification queue is full; retry later', { 'retry-after': '1' });
      }
      if (signal.aborted || err.name === 'AbortError') {
        throw new HttpError(504, 'ERR_TIMEOUT', `verification took longer than ${this.#timeoutMs} ms and was stopped`);
      }
      throw new HttpError(500, 'ERR_INTERNAL', `verification worker failed: ${err.message}`);
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
