/**
 * `npm run conformance`: runs external suites nobody here wrote through the public API with the
 * default validation policy (what `verify()` / `verifyCertificate()` give a caller who names no
 * policy), read from $OTS_CORPUS or ../shared/corpus (relative to the repository root).
 *
 * Prints one line per suite:
 *   `<suite> (default policy): A/N agree, F false accepts, R false rejects, X n/a`
 * then the details (what each suite runs through, disagreements, n/a reasons, cases counted without
 * revocation data). Each case's result is compared with the committed manifest conformance/<suite>.tsv:
 * ANY change (a result changing, a case moving into or out of n/a, a case appearing or vanishing)
 * fails the run until the manifest is rewritten with `npm run conformance -- --update` (commit it with
 * the reason). Also fails when a suite is below its target or has a false accept.
 * (The total is not written as "N passed, N failed": CI reads that form as a test result.)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suites } from './conformance/index.js';
import type { CaseOutcome, CaseResult, Suite } from './conformance/types.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = resolve(root, process.env.OTS_CORPUS ?? '../shared/corpus');
const manifests = join(root, 'conformance');
const args = process.argv.slice(2);
const update = args.includes('--update');
const only = args.filter((a) => !a.startsWith('--'));

const HEADER = ['id', 'result', 'indication', 'subIndication', 'reason'];

function manifestPath(suite: Suite): string {
  return join(manifests, `${suite.name}.tsv`);
}

function readManifest(suite: Suite): Map<string, CaseResult> | undefined {
  const path = manifestPath(suite);
  if (!existsSync(path)) return undefined;
  const out = new Map<string, CaseResult>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('id\t')) continue;
    const [id, result] = line.split('\t');
    out.set(id!, result as CaseResult);
  }
  return out;
}

function writeManifest(suite: Suite, cases: readonly CaseOutcome[]): void {
  mkdirSync(manifests, { recursive: true });
  const clean = (s: string) => s.replace(/[\t\r\n]+/g, ' ');
  const lines = [
    `# ${suite.title}: one line per case (npm run conformance compares each case's result with this file).`,
    `# Runs through: ${suite.via}. Rewrite with \`npm run conformance -- --update\` and say why in the commit.`,
    HEADER.join('\t'),
    ...cases.map((c) => [c.id, c.result, c.indication, c.subIndication, c.reason].map(clean).join('\t')),
  ];
  writeFileSync(manifestPath(suite), lines.join('\n') + '\n');
}

/** Ids made unique in suite order (a repeated id gets #2, #3 …), so the manifest has one key per case. */
function uniqueIds(cases: readonly CaseOutcome[]): CaseOutcome[] {
  const seen = new Map<string, number>();
  return cases.map((c) => {
    const n = (seen.get(c.id) ?? 0) + 1;
    seen.set(c.id, n);
    return n > 1 ? { ...c, id: `${c.id}#${n}` } : c;
  });
}

function changesAgainst(suite: Suite, expected: Map<string, CaseResult> | undefined, cases: readonly CaseOutcome[]): string[] {
  if (!expected) return [`no manifest conformance/${suite.name}.tsv yet (run with --update)`];
  const out: string[] = [];
  const got = new Map(cases.map((c) => [c.id, c] as const));
  for (const c of cases) {
    const was = expected.get(c.id);
    if (was === undefined) out.push(`new case ${c.id}: ${c.result}`);
    else if (was !== c.result) out.push(`${c.id}: ${was} → ${c.result} (${c.indication}${c.subIndication ? '/' + c.subIndication : ''}; ${c.reason})`);
  }
  for (const [id, was] of expected) if (!got.has(id)) out.push(`case gone ${id} (was ${was})`);
  return out;
}

async function main(): Promise<number> {
  const summary: string[] = [];
  const details: string[] = [];
  let bad = false;
  let ran = 0;
  for (const suite of suites) {
    if (only.length && !only.some((o) => suite.name.toLowerCase().includes(o.toLowerCase()))) continue;
    const run = existsSync(corpus) ? await suite.run(corpus) : undefined;
    if (!run) {
      summary.push(`${suite.name} (default policy): skipped, no corpus files under ${corpus} (set OTS_CORPUS)`);
      continue;
    }
    ran++;
    const cases = uniqueIds(run);
    const n = (r: CaseResult) => cases.filter((c) => c.result === r).length;
    const [a, f, r, x] = [n('AGREE'), n('FALSE_ACCEPT'), n('FALSE_REJECT'), n('NA')];
    const applicable = a + f + r;
    const rate = applicable ? a / applicable : 1;
    const onTarget = rate >= suite.target && f === 0;
    summary.push(`${suite.name} (${suite.policy ?? 'default'} policy): ${a}/${applicable} agree, ${f} false accepts, ${r} false rejects, ${x} n/a`);

    details.push('', `== ${suite.name}: ${suite.title}`, `  via: ${suite.via}`);
    const tracked = !onTarget && f === 0 && suite.targetTracked !== undefined;
    details.push(
      `  ${(rate * 100).toFixed(1)}% of applicable agree, target ${(suite.target * 100).toFixed(0)}% and 0 false accepts: ${onTarget ? 'OK' : tracked ? `BELOW TARGET (tracked, not enforced yet: ${suite.targetTracked})` : 'BELOW TARGET'}`,
    );
    if (!onTarget && !tracked) bad = true;
    const counted = cases.filter((c) => c.countedWithoutRevocation);
    if (counted.length) {
      details.push(
        `  ${counted.length} cases counted as path SUCCESS by their other findings: INDETERMINATE/TRY_LATER only because the suite supplies no revocation data (xcv.revocation the only non-passed check)`,
      );
    }
    for (const c of cases.filter((x) => x.result === 'FALSE_ACCEPT' || x.result === 'FALSE_REJECT')) {
      details.push(`  ${c.result === 'FALSE_ACCEPT' ? 'FALSE ACCEPT' : 'false reject'} ${c.id}: ours ${c.indication}${c.subIndication ? '/' + c.subIndication : ''} — ${c.reason}`);
    }
    const reasons = new Map<string, number>();
    for (const c of cases.filter((x) => x.result === 'NA')) {
      const k = c.reason.split('; ')[0]!;
      reasons.set(k, (reasons.get(k) ?? 0) + 1);
    }
    for (const [reason, count] of [...reasons].sort((p, q) => q[1] - p[1])) details.push(`  n/a ${count}: ${reason}`);

    const changes = changesAgainst(suite, readManifest(suite), cases);
    if (update) {
      writeManifest(suite, cases);
      if (changes.length) details.push(`  manifest conformance/${suite.name}.tsv rewritten (${changes.length} changes):`, ...changes.map((c) => `    ${c}`));
    } else if (changes.length) {
      bad = true;
      details.push(`  CHANGED versus conformance/${suite.name}.tsv (${changes.length}; update with \`npm run conformance -- --update\` and say why):`, ...changes.map((c) => `    ${c}`));
    }
  }
  for (const l of [...summary, ...details]) console.log(l);
  console.log('');
  if (ran === 0) {
    console.log(`conformance: skipped, no suite ran (no corpus under ${corpus}; set OTS_CORPUS)`);
    return 0;
  }
  console.log(`conformance: ${bad ? 'FAILED: a suite is below target, has a false accept, or differs from its manifest' : 'every suite on target (or below a target tracked by an open issue), no false accept, every case as in its manifest'}`);
  return bad ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`conformance: ${(e as Error).stack ?? e}`);
    process.exit(2);
  },
);
