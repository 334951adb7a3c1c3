import { LANGUAGES, languageOf, type Language } from '../report/i18n/codes.js';
import type { ValidationReport } from '../report/model.js';
import { formatText } from '../report/text.js';
import { verify } from '../validation/verify.js';
import { parseCommandArgs } from './args.js';
import type { BatchFormat, RenderedFile } from './batch-output.js';
import type { FileOutcome } from './batch-types.js';
import { UsageError } from './errors.js';
import { registerHelp } from './help.js';
import { expandSignatureEntries, readFile, SIGNATURE_EXTENSIONS } from './io.js';
import { parseProgressInterval, progressLog } from './progress.js';
import { buildVerifyOptions, VERIFY_FLAGS, VERIFY_FLAGS_HELP } from './verify-options.js';

const FORMATS = ['json', 'text', 'etsi-xml', 'junit', 'html'] as const;

registerHelp('verify', {
  summary: 'validate signature files (one file: its report; several or a folder: a batch)',
  text: `Usage: ots-esig verify <signature-file|folder>... [flags]

Validates CAdES and XAdES signatures (ETSI EN 319 102-1) and, with --relying-party, decides their recognition.
One file prints its report. Several files or a folder run as a batch across worker threads; a folder is walked
recursively and takes files ending ${SIGNATURE_EXTENSIONS.join(' ')} (others are reported as skipped).

${VERIFY_FLAGS_HELP}

Output:
  --format text|json|etsi-xml|junit|html
                                      text (default); json: one file prints its ValidationReport, a batch prints
                                      {"files": [{file, report} | {file, error}], "skipped": [{file, reason}], "summary"};
                                      etsi-xml (one file only): the ETSI TS 119 102-2 report; junit: one case per signature;
                                      html (one file only): a self-contained, printable report
  --lang en|az|kk|ky|tr|uz|tk|hu|ru   language of text and html output (default: LC_ALL, LC_MESSAGES, LANG, else en)
  --jobs N                            threads verifying a batch: this one and N-1 workers (default: the number of
                                      cores, at most 8); results are printed in input order whatever N is
  --progress SECONDS|off              batch progress when stderr is not a terminal: a line every SECONDS (default 10,
                                      0 = after every file) with the rate and the time left; a bar on a terminal

Exit status: 0 every signature TOTAL-PASSED (and RECOGNIZED with --relying-party); 1 any signature not, or a batch
file not evaluable; 2 usage error or not a signature; 3 internal error.`,
});

/**
 * `ots-esig verify`: one file prints its full report; several files or a
 * folder run as a batch (worker threads with --jobs, progress on stderr,
 * a summary table or JSON at the end).
 */
export async function runVerify(args: string[], workerUrl: URL): Promise<number> {
  const { values, positionals } = parseCommandArgs('verify', args, {
    ...VERIFY_FLAGS,
    format: { type: 'string', default: 'text' },
    jobs: { type: 'string' },
    progress: { type: 'string' },
    lang: { type: 'string' },
  });
  const { format, jobs: jobsFlag, progress, lang: langFlag, help: _help, ...flagValues } = values;
  if (!FORMATS.includes(format as (typeof FORMATS)[number])) {
    throw new UsageError(`--format must be ${FORMATS.join(', ')} (got "${format}")`);
  }
  const lang = reportLanguage(langFlag);
  if (positionals.length === 0) throw new UsageError('verify needs a signature file or folder (ots-esig verify --help)');
  // Undefined: the batch's default (batch.ts defaultJobs), read only when there is a batch.
  let jobs: number | undefined;
  if (jobsFlag !== undefined) {
    jobs = Number(jobsFlag);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs must be an integer from 1 to 64 (got "${jobsFlag}")`);
  }
  const interval = parseProgressInterval(progress);
  if (Number.isNaN(interval)) throw new UsageError(`--progress must be a number of seconds or "off" (got "${progress}")`);
  // One path named alone that cannot be read is a usage error; among several, a per-file error of the batch.
  const entries = expandSignatureEntries(positionals, { unreadableArgument: positionals.length > 1 ? 'entry' : 'throw' });
  const files = entries.flatMap((e) => (e.error || e.skipped ? [] : [e.file]));
  // The kind of each skip lets a non-English summary say the reason in its language; JSON keeps {file, reason}.
  const skippedEntries = entries.flatMap((e) => (e.skipped ? [{ file: e.file, reason: e.skipped, ...(e.skipKind ? { skipKind: e.skipKind } : {}) }] : []));
  const skipped = skippedEntries.map(({ file, reason }) => ({ file, reason }));
  const single = positionals.length === 1 && entries.length === 1 && files[0] === positionals[0];

  if (single && format !== 'junit') {
    const report = await verify(readFile(files[0]!, 'signature file'), await buildVerifyOptions(flagValues));
    process.stdout.write(await renderReport(report, format, lang));
    // With --relying-party, success also needs every signature RECOGNIZED; a container must pass as a whole too.
    const containerOk = !report.container || report.container.indication === 'TOTAL-PASSED';
    return containerOk && report.signatures.every((s) => s.indication === 'TOTAL-PASSED' && (!s.recognition || s.recognition.status === 'RECOGNIZED')) ? 0 : 1;
  }

  if (files.length === 0 && !entries.some((e) => e.error)) {
    throw new UsageError(`no signature files found${skipped.length ? ` (${skipped.length} skipped: ${skipped[0]!.file}: ${skipped[0]!.reason}${skipped.length > 1 ? ', …' : ''})` : ''}`);
  }
  if (format === 'etsi-xml' || format === 'html') throw new UsageError(`--format ${format} reports one signature file; use json or text for batches`);
  // The batch code (worker pool, node:worker_threads, the batch writers) only for a batch: start-up of a one-file verify (#19).
  const [{ defaultJobs, progressBar, runBatchPool }, { ENGLISH_ROW_WORDS, englishTextFrame, jsonBatchWriter, junitBatchWriter, renderFile, textBatchWriter }] = await Promise.all([
    import('./batch.js'),
    import('./batch-output.js'),
  ]);
  // Fail fast on unusable shared options (bad --at, unreadable anchors) before starting workers; this thread verifies with them.
  const options = await buildVerifyOptions(flagValues);
  const onProgress = process.stderr.isTTY ? progressBar(process.stderr) : interval === null ? undefined : progressLog(process.stderr, interval);
  // The output is written as the files are done, in input order; no report is kept (#19: memory bounded).
  const write = (s: string) => void process.stdout.write(s);
  const batchFormat: BatchFormat = format === 'json' ? { kind: 'json' } : format === 'junit' ? { kind: 'junit' } : { kind: 'text', lang };
  const writer =
    format === 'json'
      ? jsonBatchWriter(write, skipped)
      : format === 'junit'
        ? junitBatchWriter(write, 'ots-esig verify')
        : textBatchWriter(write, lang === 'en' ? englishTextFrame(skipped) : (await import('./batch-text-i18n.js')).textFrameIn(lang, skippedEntries), skipped.length);
  // Entries that could not be read (dangling links, link loops) are per-file errors, in their place among the files.
  const unreadable = new Map<number, FileOutcome>();
  let listed = 0;
  for (const e of entries) {
    if (e.error) unreadable.set(listed, { file: e.file, error: e.error });
    if (!e.skipped) listed++;
  }
  const words = format === 'text' && lang !== 'en' ? (await import('./batch-text-i18n.js')).rowWordsIn(lang) : ENGLISH_ROW_WORDS;
  let position = 0;
  const flushUnreadable = () => {
    for (let o; (o = unreadable.get(position)); position++) writer.add(renderFile(o, batchFormat, words));
  };
  flushUnreadable();
  await runBatchPool<RenderedFile>(files, flagValues, {
    jobs: jobs ?? defaultJobs(),
    workerUrl,
    options,
    result: { kind: 'render', format: batchFormat },
    onResult: (_i, r) => {
      writer.add(r);
      position++;
      flushUnreadable();
    },
    ...(onProgress ? { onProgress } : {}),
  });
  return writer.end().allPassed ? 0 : 1;
}

/**
 * One file's report in the chosen format. The renderers other than JSON and English text (the ETSI XML
 * writer, the HTML page, the nine message catalogues) are loaded only when asked for: start-up time.
 */
async function renderReport(report: ValidationReport, format: string, lang: Language): Promise<string> {
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'etsi-xml':
      return (await import('../report/etsi-xml.js')).formatEtsiXml(report);
    case 'html':
      return (await import('../report/html.js')).formatHtml(report, { lang });
    default:
      // formatTextLocalized's English is formatText's own report.
      return lang === 'en' ? formatText(report) : (await import('../report/text-i18n.js')).formatTextLocalized(report, { lang });
  }
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
