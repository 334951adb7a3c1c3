/**
 * Fuzz worker (a child process of scripts/fuzz.ts): runs inputs [start, end)
 * of a seeded run until its deadline and reports each one over IPC. The parent
 * watches for hangs (a synchronous loop cannot be interrupted from inside) and
 * restarts a worker past the input that hung.
 */
import { fileURLToPath } from 'node:url';
import { loadCorpus } from './corpus.js';
import { fuzzOne } from './engine.js';

export interface WorkerConfig {
  readonly seed: string;
  readonly start: number;
  readonly end: number;
  /** Epoch ms after which no new input is started. */
  readonly deadline: number;
  readonly timeoutMs: number;
  /** Parallel shards: this worker runs the inputs i ≡ start (mod stride). */
  readonly stride?: number;
  /** Re-check passes with openssl / xmlsec1. */
  readonly differential?: boolean;
}

export type WorkerMessage =
  | { readonly t: 'ready'; readonly seeds: number; readonly valid: number }
  | { readonly t: 'start'; readonly i: number }
  | {
      readonly t: 'done';
      readonly i: number;
      readonly f: string;
      readonly s: string;
      readonly o: string;
      readonly ms: number;
      readonly d?: string;
      readonly b?: string;
      /** Differential results (tool:verdict[:why]). */
      readonly x?: readonly string[];
      /** What an option/list mutation did. */
      readonly n?: string;
      /** Mutated option files of a bad outcome, base64 by name. */
      readonly a?: Readonly<Record<string, string>>;
    }
  | { readonly t: 'end'; readonly next: number };

const send = (m: WorkerMessage) => new Promise<void>((res) => process.send!(m, () => res()));

async function main(): Promise<void> {
  const cfg = JSON.parse(process.env.OTS_FUZZ_CONFIG ?? '{}') as WorkerConfig;
  const corpus = await loadCorpus(fileURLToPath(new URL('../../fixtures/', import.meta.url)));
  await send({ t: 'ready', seeds: corpus.seeds.length, valid: corpus.validTuples.size });
  let i = cfg.start;
  const stride = cfg.stride ?? 1;
  for (; i < cfg.end && Date.now() < cfg.deadline; i += stride) {
    process.send!({ t: 'start', i } satisfies WorkerMessage);
    const r = await fuzzOne(corpus, cfg.seed, i, cfg.timeoutMs, { differential: cfg.differential });
    process.send!({
      t: 'done',
      i,
      f: r.family,
      s: r.seed,
      o: r.outcome,
      ms: Math.round(r.ms),
      d: r.detail,
      b: r.input ? Buffer.from(r.input).toString('base64') : undefined,
      x: r.diff,
      n: r.note,
      a: r.artifacts ? Object.fromEntries(Object.entries(r.artifacts).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) : undefined,
    } satisfies WorkerMessage);
  }
  await send({ t: 'end', next: i });
  process.disconnect();
}

void main();
