/**
 * Bulk re-validation on Redis (BullMQ). `add` fixes everything a verdict depends on when the job
 * is created: the document (a path or its bytes), the validation time, and the trust snapshot
 * (its material stored in Redis under its id, so workers on any machine judge under exactly the
 * same lists, anchors and CRLs). Workers keep a result summary per document in the job.
 *
 * Exactly once: a job id is a digest of (snapshot, time, document), so adding the same document
 * twice is one job; a result is written only by the worker holding the job's lock, in the same
 * Redis script that completes the job; a worker that dies mid-job loses its lock, the job is
 * moved back to waiting (stalled check) and another worker takes it. Retries are for transient
 * failures only (ERR_FETCH, Redis); a verdict, or a document that is not a signature, is final.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { OtsEsigError } from '../errors.js';
import type { SignatureReport } from '../report/model.js';
import type { VerifyOptions } from '../validation/options.js';
import { verify } from '../validation/verify.js';
import type { ServiceConfig } from './config.js';
import { decodeMaterial, encodeMaterial, materialId, optionsFromMaterial, type TrustMaterial } from './material.js';
import { readMaterialOnce, verifyMaterial } from './trust-store.js';

export interface QueueJobData {
  /** A path readable by the workers (a shared volume), or the document's bytes (base64). */
  readonly file?: string;
  readonly inline?: string;
  /** Shown in results; the path, or the name given with inline bytes. */
  readonly name: string;
  readonly validationTime: string;
  readonly snapshotId: string;
}

export interface QueueSignatureResult {
  readonly id: string;
  readonly indication: string;
  readonly subIndication: string | null;
  readonly signer: string | null;
  readonly recognition: string | null;
}

export interface QueueJobResult {
  readonly name: string;
  readonly snapshotId: string;
  readonly validationTime: string;
  readonly signatures?: readonly QueueSignatureResult[];
  readonly error?: { readonly code: string; readonly message: string };
  /** Which worker wrote the result (host:pid). */
  readonly worker: string;
}

const snapshotKey = (queue: string, id: string) => `ots-esig:${queue}:snapshot:${id}`;

function connection(url: string) {
  return { url, maxRetriesPerRequest: null };
}

/** Reads and verifies the trust material of `config` (as the service does) and stores it in Redis under its id. */
export async function publishSnapshot(redisUrl: string, queue: string, config: ServiceConfig): Promise<TrustMaterial> {
  const fields = await readMaterialOnce(config);
  const id = materialId(fields);
  const material: TrustMaterial = { ...fields, id, loadedAt: new Date().toISOString() };
  await verifyMaterial(material);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  try {
    // NX: a snapshot id names one set of bytes forever; the first publication stays.
    await redis.set(snapshotKey(queue, id), Buffer.from(new Uint8Array(encodeMaterial(material))).toString('utf8'), 'NX');
  } finally {
    redis.disconnect();
  }
  return material;
}

export interface AddOptions {
  readonly redisUrl: string;
  readonly queue: string;
  readonly config: ServiceConfig;
  readonly files: readonly string[];
  /** Fixed validation time (ISO); default now, fixed at add time. */
  readonly validationTime?: string;
  /** Put the bytes into the job instead of the path. */
  readonly inline?: boolean;
}

export async function addJobs(o: AddOptions): Promise<{ snapshotId: string; validationTime: string; added: number; jobIds: string[] }> {
  const material = await publishSnapshot(o.redisUrl, o.queue, o.config);
  const validationTime = new Date(o.validationTime ?? Date.now()).toISOString();
  const q = new Queue<QueueJobData>(o.queue, { connection: connection(o.redisUrl) });
  try {
    const jobs = [];
    for (const file of o.files) {
      const inline = o.inline ? Buffer.from(await readFile(file)).toString('base64') : undefined;
      const ref = inline ? `sha256:${createHash('sha256').update(inline).digest('hex')}` : `path:${file}`;
      const jobId = createHash('sha256').update(`${material.id}\n${validationTime}\n${ref}`).digest('hex').slice(0, 32);
      jobs.push({
        name: 'verify',
        data: { ...(inline ? { inline } : { file }), name: file, validationTime, snapshotId: material.id },
        opts: { jobId, attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: false, removeOnFail: false },
      });
    }
    for (let i = 0; i < jobs.length; i += 500) await q.addBulk(jobs.slice(i, i + 500));
    return { snapshotId: material.id, validationTime, added: jobs.length, jobIds: jobs.map((j) => j.opts.jobId) };
  } finally {
    await q.close();
  }
}

export interface WorkOptions {
  readonly redisUrl: string;
  readonly queue: string;
  readonly concurrency: number;
  /** How long a job stays locked to a worker without renewal; a dead worker's jobs come back after it. */
  readonly lockMs?: number;
  /** Failure-injection for tests: wait this long inside each job before verifying. */
  readonly slowMs?: number;
}

export async function startWorker(o: WorkOptions): Promise<Worker<QueueJobData, QueueJobResult>> {
  const redis = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  const snapshots = new Map<string, Promise<VerifyOptions>>();
  const optionsFor = (id: string) => {
    let p = snapshots.get(id);
    if (!p) {
      p = (async () => {
        const json = await redis.get(snapshotKey(o.queue, id));
        // Not a verdict: the snapshot may be published by an add that is still running; retried.
        if (json === null) throw new Error(`trust snapshot ${id} is not in Redis`);
        const bytes = Buffer.from(json, 'utf8');
        const sab = new SharedArrayBuffer(bytes.byteLength);
        new Uint8Array(sab).set(bytes);
        return optionsFromMaterial(decodeMaterial(sab));
      })();
      p.catch(() => snapshots.delete(id));
      snapshots.set(id, p);
    }
    return p;
  };
  const me = `${(await import('node:os')).hostname()}:${process.pid}`;
  const lockMs = o.lockMs ?? 30_000;
  const worker = new Worker<QueueJobData, QueueJobResult>(
    o.queue,
    async (job: Job<QueueJobData>) => {
      const d = job.data;
      const base: Omit<QueueJobResult, 'worker'> = { name: d.name, snapshotId: d.snapshotId, validationTime: d.validationTime };
      const options = await optionsFor(d.snapshotId);
      if (o.slowMs) await new Promise((r) => setTimeout(r, o.slowMs));
      let bytes: Uint8Array;
      try {
        bytes = d.inline !== undefined ? new Uint8Array(Buffer.from(d.inline, 'base64')) : new Uint8Array(await readFile(d.file!));
      } catch (e) {
        return { ...base, error: { code: 'ERR_READ', message: `cannot read ${d.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }, worker: me };
      }
      try {
        const report = await verify(bytes, { ...options, validationTime: new Date(d.validationTime) });
        const flat: QueueSignatureResult[] = [];
        const add = (s: SignatureReport) => {
          flat.push({ id: s.id, indication: s.indication, subIndication: s.subIndication, signer: s.signer?.subject ?? null, recognition: s.recognition?.status ?? null });
          for (const c of s.counterSignatures ?? []) add(c);
        };
        report.signatures.forEach(add);
        return { ...base, signatures: flat, worker: me };
      } catch (e) {
        // Transient: fetching revocation data or issuers failed; BullMQ retries with backoff.
        if (e instanceof OtsEsigError && e.code === 'ERR_FETCH') throw e;
        if (e instanceof OtsEsigError) return { ...base, error: { code: e.code, message: e.message }, worker: me };
        throw new UnrecoverableError(`internal error: ${(e as Error).message}`);
      }
    },
    { connection: connection(o.redisUrl), concurrency: o.concurrency, lockDuration: lockMs, stalledInterval: Math.max(500, Math.floor(lockMs / 2)), maxStalledCount: 5, name: me },
  );
  worker.on('closed', () => redis.disconnect());
  return worker;
}

export interface QueueReport {
  readonly counts: Record<string, number>;
  readonly results: readonly (QueueJobResult & { readonly jobId: string })[];
  readonly failed: readonly { readonly jobId: string; readonly name: string; readonly reason: string }[];
}

export async function queueReport(redisUrl: string, queue: string): Promise<QueueReport> {
  const q = new Queue<QueueJobData, QueueJobResult>(queue, { connection: connection(redisUrl) });
  try {
    const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
    const results: (QueueJobResult & { jobId: string })[] = [];
    const failed: { jobId: string; name: string; reason: string }[] = [];
    for (let start = 0; ; start += 1000) {
      const page = await q.getJobs(['completed'], start, start + 999, true);
      for (const j of page) results.push({ ...(j.returnvalue as QueueJobResult), jobId: j.id! });
      if (page.length < 1000) break;
    }
    for (let start = 0; ; start += 1000) {
      const page = await q.getJobs(['failed'], start, start + 999, true);
      for (const j of page) failed.push({ jobId: j.id!, name: (j.data as QueueJobData).name, reason: j.failedReason });
      if (page.length < 1000) break;
    }
    results.sort((a, b) => a.name.localeCompare(b.name));
    return { counts, results, failed };
  } finally {
    await q.close();
  }
}
