import { parseArgs } from 'node:util';
import { formatEtsiXml } from '../report/etsi-xml.js';
import { formatHtml } from '../report/html.js';
import { LANGUAGES, languageOf, type Language } from '../report/i18n/languages.js';
import { formatTextLocalized } from '../report/text-i18n.js';
import { verify } from '../validation/verify.js';
import { batchJunitCases, defaultJobs, formatBatchText, progressBar, runBatch, summarize } from './batch.js';
import { formatJunit } from './junit.js';
import { UsageError } from './errors.js';
import { expandSignatureEntries, readFile } from './io.js';
import { buildVerifyOptions, VERIFY_FLAGS } from './verify-options.js';

const FORMATS = ['json', 'text', 'etsi-xml', 'junit', 'html'] as const;

/**
 * `ots-esig verify`: one file prints its full report; several files or a
 * folder run as a batch (worker threads with --jobs, a progress bar on a TTY,
 * a summary table or JSON at the end).
 */
export async function runVerify(args: string[], workerUrl: URL): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { ...VERIFY_FLAGS, format: { type: 'string', default: 'text' }, jobs: { type: 'string' }, lang: { type: 'string' } },
  });
  const { format, jobs: jobsFlag, lang: langFlag, ...flagValues } = values;
  if (!FORMATS.includes(format as (typeof FORMATS)[number])) {
    throw new UsageError(`--format must be ${FORMATS.join(', ')} (got "${format}")`);
  }
  const lang = reportLanguage(langFlag);
  if (positionals.length === 0) throw new UsageError('verify needs a signature file or folder');
  let jobs = defaultJobs();
  if (jobsFlag !== undefined) {
    jobs = Number(jobsFlag);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs must be an integer from 1 to 64 (got "${jobsFlag}")`);
  }
  const entries = expandSignatureEntries(positionals);
  const files = entries.flatMap((e) => (e.error ? [] : [e.file]));
  const single = positionals.length === 1 && entries.length === 1 && files[0] === positionals[0];

  if (single && format !== 'junit') {
    const report = await verify(readFile(files[0]!, 'signature file'), await buildVerifyOptions(flagValues));
    process.stdout.write(
      format === 'json'
        ? JSON.stringify(report, null, 2) + '\n'
        : format === 'etsi-xml'
          ? formatEtsiXml(report)
          : format === 'html'
            ? formatHtml(report, { lang })
            : formatTextLocalized(report, { lang }),
    );
    // With --relying-party, success also needs every signature RECOGNIZED; a container must pass as a whole too.
    const containerOk = !report.container || report.container.indication === 'TOTAL-PASSED';
    return containerOk && report.signatures.every((s) => s.indication === 'TOTAL-PASSED' && (!s.recognition || s.recognition.status === 'RECOGNIZED')) ? 0 : 1;
  }

  if (entries.length === 0) throw new UsageError('no signature files found');
  if (format === 'etsi-xml' || format === 'html') throw new UsageError(`--format ${format} reports one signature file; use json or text for batches`);
  // Fail fast on unusable shared options (bad --at, unreadable anchors) before starting workers.
  await buildVerifyOptions(flagValues);
  const verified = await runBatch(files, flagValues, {
    jobs,
    workerUrl,
    onProgress: process.stderr.isTTY ? progressBar(process.stderr) : undefined,
  });
  // Entries that could not be read (dangling links, link loops) are per-file errors, in their place.
  let k = 0;
  const outcomes = entries.map((e) => (e.error ? { file: e.file, error: e.error } : verified.outcomes[k++]!));
  const run = { outcomes, summary: summarize(outcomes) };
  process.stdout.write(
    format === 'json'
      ? JSON.stringify({ files: run.outcomes, summary: run.summary }, null, 2) + '\n'
      : format === 'junit'
        ? formatJunit('ots-esig verify', batchJunitCases(run))
        : formatBatchText(run),
  );
  const s = run.summary;
  const unrecognized = run.outcomes.some((o) => o.report?.signatures.some((sg) => sg.recognition && sg.recognition.status !== 'RECOGNIZED'));
  // A container with an unsigned entry or only a time-stamp has no failing signature: its own result counts.
  const containerNotPassed = run.outcomes.some((o) => o.report?.container && o.report.container.indication !== 'TOTAL-PASSED');
  return s.errors === 0 && s.passed === s.signatures && !unrecognized && !containerNotPassed ? 0 : 1;
}

/**
 * `--lang`, else the locale of the environment (LC_ALL, LC_MESSAGES, LANG, as POSIX orders them) when a
 * catalogue speaks it, else English. An unknown --lang is a usage error; an unknown locale is not.
 */
function reportLanguage(flag: string | undefined): Language {
  if (flag !== undefined) {
    const l = languageOf(flag);
    if (!l) throw new UsageError(`--lang must be one of ${LANGUAGES.join(', ')} (got "${flag}")`);
    return l;
  }
  const env = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG;
  return languageOf(env) ?? 'en';
}
