import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { OtsEsigError } from '../errors.js';
import type { ValidationReport } from '../report/model.js';
import type { VerifyOptions } from '../validation/options.js';
import { collect, evaluate, type EvaluateOptions } from '../validation/verify.js';
import { UsageError } from './errors.js';
import { WORKER_ROLE } from './worker-role.js';
import { readFile } from './io.js';
import type { JunitCase } from './junit.js';
import { buildVerifyOptions, loadTrustListFlags, type VerifyFlagValues } from './verify-options.js';

export interface FileOutcome {
  readonly file: string;
  readonly report?: ValidationReport;
  /** The same collected facts judged again under each of the batch's alternative trust-list sets, in order. */
  readonly alternatives?: readonly ValidationReport[];
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * Another trust-list set to judge every file under as well (e.g. regress --baseline): the file is parsed and its
 * signatures verified once (collect), then evaluated under the batch's options and under each alternative.
 */
export interface BatchAlternative {
  readonly trustLists: readonly string[];
}

export interface BatchSummary {
  readonly files: number;
  readonly signatures: number;
  readonly passed: number;
  readonly failed: number;
  readonly indeterminate: number;
  /** Files that could not be evaluated at all (not a signature, unreadable). */
  readonly errors: number;
  /** Signatures RECOGNIZED by the relying party; present only when recognition was asked for. */
  readonly recognized?: number;
  /** Entries a folder walk passed over (hidden, not a signature file name, not a regular file); listed with reasons beside the summary. */
  readonly skipped?: number;
}

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

/** Entry point of a worker thread: builds the options once, then verifies the files it is sent. */
export async function runBatchWorker(port: import('node:worker_threads').MessagePort, values: VerifyFlagValues, alternatives: readonly BatchAlternative[] = []): Promise<void> {
  const prepared = await prepare(values, alternatives);
  port.on('message', async (task: Task | null) => {
    if (task === null) {
      port.close();
      return;
    }
    try {
      port.postMessage({ index: task.index, outcome: await verifyFile(task.file, prepared) });
    } catch (e) {
      port.postMessage({ index: task.index, outcome: { file: task.file, error: { code: 'ERR_INTERNAL', message: (e as Error).message } } });
    }
  });
}

export interface BatchRun {
  readonly outcomes: FileOutcome[];
  readonly summary: BatchSummary;
}

/**
 * Verifies many files, in parallel across worker threads when jobs > 1. Results
 * come back in input order whatever order the workers finish in.
 */
export async function runBatch(
  files: readonly string[],
  values: VerifyFlagValues,
  opts: { jobs: number; workerUrl: URL; onProgress?: (done: number, total: number) => void; alternatives?: readonly BatchAlternative[] },
): Promise<BatchRun> {
  const outcomes: FileOutcome[] = new Array(files.length);
  const jobs = Math.max(1, Math.min(opts.jobs, files.length));
  let done = 0;
  const alternatives = opts.alternatives ?? [];
  if (jobs === 1) {
    const prepared = await prepare(values, alternatives);
    for (let i = 0; i < files.length; i++) {
      outcomes[i] = await verifyFile(files[i]!, prepared);
      opts.onProgress?.(++done, files.length);
    }
  } else {
    let next = 0;
    await Promise.all(
      Array.from({ length: jobs }, () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(opts.workerUrl, { workerData: { role: WORKER_ROLE, values, alternatives } });
          const feed = () => {
            if (next < files.length) {
              const index = next++;
              worker.postMessage({ index, file: files[index]! } satisfies Task);
            } else {
              worker.postMessage(null);
            }
          };
          worker.on('message', (m: { index: number; outcome: FileOutcome }) => {
            outcomes[m.index] = m.outcome;
            opts.onProgress?.(++done, files.length);
            feed();
          });
          worker.on('error', reject);
          worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with code ${code}`))));
          feed();
        }),
      ),
    );
  }
  return { outcomes, summary: summarize(outcomes) };
}

export function summarize(outcomes: readonly FileOutcome[]): BatchSummary {
  let signatures = 0;
  let passed = 0;
  let failed = 0;
  let indeterminate = 0;
  let errors = 0;
  let recognized: number | undefined;
  for (const o of outcomes) {
    if (!o.report) {
      errors++;
      continue;
    }
    for (const s of o.report.signatures) {
      signatures++;
      if (s.indication === 'TOTAL-PASSED') passed++;
      else if (s.indication === 'TOTAL-FAILED') failed++;
      else indeterminate++;
      if (s.recognition) recognized = (recognized ?? 0) + (s.recognition.status === 'RECOGNIZED' ? 1 : 0);
    }
  }
  return { files: outcomes.length, signatures, passed, failed, indeterminate, errors, ...(recognized !== undefined ? { recognized } : {}) };
}

export function defaultJobs(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** A fixed-width summary table for people: one row per file. */
export function formatBatchText(run: BatchRun): string {
  const rows = run.outcomes.map((o) => {
    if (!o.report) return [o.file, '-', 'ERROR', `${o.error!.code}: ${o.error!.message}`];
    const sigs = o.report.signatures;
    const verdicts = sigs.map((s) => (s.subIndication ? `${s.indication}/${s.subIndication}` : s.indication));
    // Signer country, and the recognition decision when a relying party was given.
    const detail = sigs.map((s) => `${s.signer?.country ?? '?'}${s.recognition ? ` ${s.recognition.status} in ${s.recognition.relyingParty}` : ''}`).join(', ');
    const c = o.report.container;
    const container = c ? [`container ${c.indication}${c.subIndication ? `/${c.subIndication}` : ''}`] : [];
    return [o.file, String(sigs.length), [...new Set(verdicts), ...container].join(', '), detail];
  });
  const head = ['file', 'sigs', 'verdict', 'detail'];
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const s = run.summary;
  return [
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `${s.files} file(s), ${s.signatures} signature(s): ${s.passed} TOTAL-PASSED, ${s.failed} TOTAL-FAILED, ${s.indeterminate} INDETERMINATE, ${s.errors} not evaluable` +
      (s.recognized !== undefined ? `; ${s.recognized} RECOGNIZED` : '') +
      (s.skipped ? `; ${s.skipped} skipped` : ''),
  ].join('\n') + '\n';
}

/** One JUnit test case per signature (one error case for a file that is not a signature). */
export function batchJunitCases(run: BatchRun): JunitCase[] {
  return run.outcomes.flatMap((o): JunitCase[] => {
    if (!o.report) return [{ classname: o.file, name: 'signature', error: { message: `${o.error!.code}: ${o.error!.message}` } }];
    const c = o.report.container;
    const container: JunitCase[] = !c
      ? []
      : c.indication === 'TOTAL-PASSED'
        ? [{ classname: o.file, name: `container ${c.type}` }]
        : [{ classname: o.file, name: `container ${c.type}`, failure: { message: `${c.indication}${c.subIndication ? `/${c.subIndication}` : ''}`, detail: [...c.checks.filter((k) => k.status !== 'PASSED').map((k) => `${k.id}: ${k.detail}`), ...c.timestamps.filter((t) => t.status !== 'PASSED').map((t) => `${t.file}: ${t.status}${t.subIndication ? `/${t.subIndication}` : ''}`)].join('\n') } }];
    return [...container, ...o.report.signatures.map((s) => {
      const name = `${s.id}${s.signer ? ` ${s.signer.subject}` : ''}`;
      if (s.indication === 'TOTAL-PASSED') return { classname: o.file, name };
      const why = s.checks.filter((c) => c.status !== 'PASSED' && c.status !== 'SKIPPED').map((c) => `${c.block} ${c.id}: ${c.detail}`);
      return { classname: o.file, name, failure: { message: `${s.indication}${s.subIndication ? `/${s.subIndication}` : ''}`, detail: why.join('\n') } };
    })];
  });
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
