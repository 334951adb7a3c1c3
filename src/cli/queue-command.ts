import { registerHelp } from './help.js';
import { parseCommandArgs } from './args.js';
import { UsageError } from './errors.js';
import { expandSignatureFiles, parseTime } from './io.js';
import { formatJunit } from './junit.js';
import { loadServerModule, TRUST_FLAGS, trustConfigOf } from './serve-command.js';

registerHelp('queue', {
  summary: 'bulk re-validation on Redis (add, work, report)',
  text: `Usage:
  ots-esig queue add --redis URL --queue NAME [--at ISO-8601] [--inline] [trust flags] FILE|FOLDER...
  ots-esig queue work --redis URL --queue NAME [--concurrency N] [--lock-ms MS]
  ots-esig queue report --redis URL --queue NAME [--format text|json|junit]

add fixes the validation time and a trust snapshot per job; workers on any number of machines consume the
jobs (retried only for transient fetch failures); report prints each document's verdicts.`,
});


const COMMON = { redis: { type: 'string' }, queue: { type: 'string' } } as const;

function need(values: { redis?: string; queue?: string }): { redis: string; queue: string } {
  if (!values.redis) throw new UsageError('queue needs --redis URL (e.g. redis://127.0.0.1:6379)');
  if (!values.queue) throw new UsageError('queue needs --queue NAME');
  return { redis: values.redis, queue: values.queue };
}

/**
 * `ots-esig queue add|work|report`: bulk re-validation on Redis (BullMQ). add fixes the validation
 * time and the trust snapshot per job; work consumes jobs until SIGTERM; report prints the results.
 */
export async function runQueue(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const server = await loadServerModule();
  switch (sub) {
    case 'add': {
      const { values, positionals } = parseCommandArgs('queue add', rest, { ...COMMON, ...TRUST_FLAGS, at: { type: 'string' }, inline: { type: 'boolean' } });
      const { redis, queue } = need(values);
      if (!positionals.length) throw new UsageError('queue add needs signature files or folders');
      const config = server.resolveConfig(trustConfigOf(values));
      const files = expandSignatureFiles(positionals);
      const r = await server.addJobs({ redisUrl: redis, queue, config, files, ...(values.at ? { validationTime: parseTime(values.at).toISOString() } : {}), inline: values.inline === true });
      process.stdout.write(`ots-esig: ${r.added} job(s) in queue ${queue}, trust snapshot ${r.snapshotId}, validation time ${r.validationTime}\n`);
      return 0;
    }
    case 'work': {
      const { values } = parseCommandArgs('queue work', rest, { ...COMMON, concurrency: { type: 'string' }, 'lock-ms': { type: 'string' } });
      const { redis, queue } = need(values);
      const concurrency = values.concurrency === undefined ? 1 : Number(values.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be 1..64 (got "${values.concurrency}")`);
      const lockMs = values['lock-ms'] === undefined ? undefined : Number(values['lock-ms']);
      if (lockMs !== undefined && (!Number.isInteger(lockMs) || lockMs < 1000)) throw new UsageError('--lock-ms must be an integer of at least 1000');
      // OTS_ESIG_QUEUE_SLOW_MS: failure-injection for tests (a job that stays active long enough to kill its worker).
      const slowMs = Number(process.env.OTS_ESIG_QUEUE_SLOW_MS ?? 0) || undefined;
      const worker = await server.startWorker({ redisUrl: redis, queue, concurrency, ...(lockMs ? { lockMs } : {}), ...(slowMs ? { slowMs } : {}) });
      process.stdout.write(`ots-esig: worker ${worker.name} on queue ${queue}\n`);
      return new Promise<number>((resolve) => {
        const stop = () => {
          // close() lets the jobs in hand finish (their results are kept), then disconnects.
          worker.close().then(
            () => resolve(0),
            () => resolve(1),
          );
          setTimeout(() => process.exit(0), 30_000).unref();
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    }
    case 'report': {
      const { values } = parseCommandArgs('queue report', rest, { ...COMMON, format: { type: 'string', default: 'text' } });
      const { redis, queue } = need(values);
      if (!['text', 'json', 'junit'].includes(values.format!)) throw new UsageError(`--format must be text, json or junit (got "${values.format}")`);
      const r = await server.queueReport(redis, queue);
      if (values.format === 'json') process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else if (values.format === 'junit') {
        const cases = [
          ...r.results.flatMap((res) =>
            res.error
              ? [{ classname: res.name, name: 'signature', error: { message: `${res.error.code}: ${res.error.message}` } }]
              : (res.signatures ?? []).map((s) =>
                  s.indication === 'TOTAL-PASSED' && (s.recognition === null || s.recognition === 'RECOGNIZED')
                    ? { classname: res.name, name: s.id }
                    : { classname: res.name, name: s.id, failure: { message: `${s.indication}${s.subIndication ? `/${s.subIndication}` : ''}${s.recognition ? ` ${s.recognition}` : ''}` } },
                ),
          ),
          ...r.failed.map((f) => ({ classname: f.name, name: 'job', error: { message: f.reason } })),
        ];
        process.stdout.write(formatJunit(`ots-esig queue ${queue}`, cases));
      } else {
        const lines = r.results.map((res) =>
          res.error ? `${res.name}  ERROR ${res.error.code}: ${res.error.message}` : `${res.name}  ${(res.signatures ?? []).map((s) => `${s.indication}${s.subIndication ? `/${s.subIndication}` : ''}${s.recognition ? ` ${s.recognition}` : ''}`).join(', ')}`,
        );
        for (const f of r.failed) lines.push(`${f.name}  FAILED JOB: ${f.reason}`);
        const c = r.counts;
        lines.push('', `queue ${queue}: ${c.completed ?? 0} completed, ${c.failed ?? 0} failed, ${(c.waiting ?? 0) + (c.prioritized ?? 0)} waiting, ${c.active ?? 0} active, ${c.delayed ?? 0} delayed (retrying)`);
        process.stdout.write(lines.join('\n') + '\n');
      }
      const pending = (r.counts.waiting ?? 0) + (r.counts.active ?? 0) + (r.counts.delayed ?? 0) + (r.counts.prioritized ?? 0);
      const bad = r.failed.length > 0 || r.results.some((x) => x.error || (x.signatures ?? []).some((s) => s.indication !== 'TOTAL-PASSED'));
      return pending === 0 && !bad ? 0 : 1;
    }
    default:
      throw new UsageError(`queue needs add, work or report (got "${sub ?? ''}")`);
  }
}
