import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { compareSnapshots, formatRegressionText, snapshotReport, type CorpusSnapshot, type RegressionChange } from '../maintain/regress.js';
import type { ValidationReport } from '../report/model.js';
import { parseCommandArgs } from './args.js';
import { defaultJobs, runBatch, type FileOutcome } from './batch.js';
import { UsageError } from './errors.js';
import { registerHelp } from './help.js';
import { parseProgressInterval, progressLog } from './progress.js';
import { expandSignatureFiles, parseTime, readFile } from './io.js';
import { formatJunit, type JunitCase } from './junit.js';
import { buildVerifyOptions, loadTrustListFlags, VERIFY_FLAGS, VERIFY_FLAGS_HELP } from './verify-options.js';

registerHelp('regress', {
  summary: 're-verify a corpus with a new trust list and show whose verdict or recognition changes',
  text: `Usage: ots-esig regress --trust-list NEW... (--baseline OLD... | --expect MANIFEST | --write-expect FILE) [flags] CORPUS_DIR

What a CI job runs before publishing a list: every signature file of CORPUS_DIR is verified once and judged under
the new lists and under the old ones (--baseline) or compared with a manifest of expected outcomes (--expect).
A manifest records the validation time it was made at; --expect judges at that time unless --at says otherwise.

  --trust-list FILE               the new list(s) (repeatable; with --list-signer as in verify)
  --baseline FILE                 the old list(s) to compare with (repeatable)
  --expect MANIFEST               a manifest written by --write-expect
  --write-expect FILE             write the outcomes as a manifest (with the validation time)
  --format text|json|junit        the change report (default text)
  --jobs N                        worker threads (default: the number of cores, at most 8)
  --progress SECONDS|off          a progress line on stderr every SECONDS (default 10; 0 = after every file)

${VERIFY_FLAGS_HELP}

Exit status: 0 nothing changed; 1 some verdict or recognition changed; 2 usage error.`,
});

/**
 * `ots-esig regress`: re-verify a corpus with a new trust list and show whose
 * verdict or recognition changes, against the old list (--baseline) or a
 * manifest of expected outcomes (--expect). What a CI job runs before
 * publishing a list: exit 1 when anything changed unexpectedly.
 */
export async function runRegress(args: string[], workerUrl: URL): Promise<number> {
  const { values, positionals } = parseCommandArgs('regress', args, {
    ...VERIFY_FLAGS,
    baseline: { type: 'string', multiple: true },
    expect: { type: 'string' },
    'write-expect': { type: 'string' },
    format: { type: 'string', default: 'text' },
    jobs: { type: 'string' },
    progress: { type: 'string' },
  });
  const { baseline, expect, 'write-expect': writeExpect, format, jobs: jobsFlag, progress, help: _help, ...flags } = values;
  const interval = parseProgressInterval(progress);
  if (Number.isNaN(interval)) throw new UsageError(`--progress must be a number of seconds or "off" (got "${progress}")`);
  if (!['text', 'json', 'junit'].includes(format)) throw new UsageError(`--format must be text, json or junit (got "${format}")`);
  if (positionals.length !== 1) throw new UsageError('regress takes one corpus folder');
  if (!flags['trust-list']?.length) throw new UsageError('regress needs --trust-list (the new list)');
  if (!!baseline === !!expect && !writeExpect) throw new UsageError('regress needs exactly one of --baseline OLD or --expect MANIFEST (or --write-expect FILE)');
  const jobs = jobsFlag === undefined ? defaultJobs() : Number(jobsFlag);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs must be an integer from 1 to 64 (got "${jobsFlag}")`);
  const corpus = positionals[0]!;
  const files = expandSignatureFiles([corpus]);
  if (files.length === 0) throw new UsageError(`no signature files in ${corpus}`);

  let manifest: { cases?: CorpusSnapshot; validationTime?: unknown } | undefined;
  if (expect) {
    try {
      manifest = JSON.parse(new TextDecoder().decode(readFile(expect, 'manifest'))) as { cases?: CorpusSnapshot; validationTime?: unknown };
    } catch (e) {
      throw new UsageError(`--expect ${expect} is not JSON: ${(e as Error).message}`);
    }
    if (!manifest.cases || typeof manifest.cases !== 'object') throw new UsageError(`--expect ${expect} has no "cases" object`);
    // Expectations hold at the time they were made: a later run judges at that time too (certificates and lists
    // expire; the question is what the new list changes), unless --at says otherwise.
    if (flags.at === undefined && manifest.validationTime !== undefined) {
      if (typeof manifest.validationTime !== 'string') throw new UsageError(`--expect ${expect}: "validationTime" is not an ISO 8601 string`);
      flags.at = manifest.validationTime;
    }
  }
  // Expectations record the time they hold at.
  if (writeExpect && flags.at === undefined) flags.at = new Date().toISOString();
  await buildVerifyOptions(flags); // unusable options (bad list, bad --at) are usage errors before any work
  if (baseline) await loadTrustListFlags(baseline, flags);
  // Each file is collected once (parsed, its signatures verified) and judged under the new lists and, with
  // --baseline, under the old ones: the comparison differs only in the trust it was judged under.
  const onProgress = interval === null ? undefined : progressLog(process.stderr, interval);
  const run = await runBatch(files, flags, { jobs, workerUrl, ...(onProgress ? { onProgress } : {}), ...(baseline ? { alternatives: [{ trustLists: baseline }] } : {}) });
  const snapshotOf = (pick: (o: FileOutcome) => ValidationReport | undefined): CorpusSnapshot => {
    const snap: CorpusSnapshot = {};
    for (const o of run.outcomes) {
      const report = pick(o);
      snap[relative(corpus, o.file)] = report ? snapshotReport(report) : { error: o.error!.code };
    }
    return snap;
  };

  const after = snapshotOf((o) => o.report);
  if (writeExpect) writeFileSync(writeExpect, JSON.stringify({ relyingParty: flags['relying-party']?.toUpperCase() ?? null, validationTime: parseTime(flags.at!).toISOString(), cases: after }, null, 2) + '\n');
  let before: CorpusSnapshot | undefined;
  let against = '';
  if (baseline) {
    before = snapshotOf((o) => o.alternatives?.[0]);
    against = `baseline ${baseline.join(', ')}`;
  } else if (manifest) {
    before = manifest.cases;
    against = `expectations ${expect} at ${parseTime(flags.at!).toISOString()}`;
  }
  if (!before) {
    process.stdout.write(`${files.length} file(s) verified; expectations written to ${writeExpect}\n`);
    return 0;
  }
  const changes = compareSnapshots(before, after);
  if (format === 'json') process.stdout.write(JSON.stringify({ against, files: files.length, changes }, null, 2) + '\n');
  else if (format === 'junit') process.stdout.write(formatJunit('ots-esig regress', junitCases(after, changes)));
  else process.stdout.write(formatRegressionText(changes, files.length, against));
  return changes.length ? 1 : 0;
}

function junitCases(after: CorpusSnapshot, changes: readonly RegressionChange[]): JunitCase[] {
  return Object.keys(after)
    .sort()
    .map((file) => {
      const mine = changes.filter((c) => c.file === file);
      return mine.length
        ? { classname: 'regress', name: file, failure: { message: `${mine.length} change(s)`, detail: JSON.stringify(mine, null, 2) } }
        : { classname: 'regress', name: file };
    });
}
