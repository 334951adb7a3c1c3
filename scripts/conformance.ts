/**
 * `npm run conformance`: runs the library's path validation (findPath /
 * validatePath) over external suites nobody here wrote, read from
 * $OTS_CORPUS or ../shared/corpus (relative to the repository root). Prints
 * per-suite counts and every disagreement, then a total. Exits non-zero when a
 * suite is below its target or any expected FAILURE is accepted. (The total is not
 * written as "N passed, N failed": a documented disagreement within target is not a
 * failed test, and CI reads that form as one.)
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suites } from './conformance/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = resolve(root, process.env.OTS_CORPUS ?? '../shared/corpus');
const only = process.argv.slice(2);

async function main(): Promise<number> {
  if (!existsSync(corpus)) {
    console.log(`conformance: skipped, no corpus at ${corpus} (set OTS_CORPUS)`);
    return 0;
  }
  let passed = 0;
  let failed = 0;
  let bad = false;
  for (const suite of suites) {
    if (only.length && !only.some((o) => suite.name.toLowerCase().includes(o.toLowerCase()))) continue;
    const r = await suite.run(corpus);
    if (!r) {
      console.log(`${suite.name}: skipped (files absent under ${corpus})`);
      continue;
    }
    const applicable = r.passed + r.failed;
    const rate = applicable ? r.passed / applicable : 1;
    const falseAccepts = r.disagreements.filter((d) => d.expected === 'FAILURE' && d.got === 'SUCCESS');
    const ok = rate >= suite.target && falseAccepts.length === 0;
    if (!ok) bad = true;
    console.log(
      `${suite.name}: ${r.passed}/${applicable} applicable agree (${(rate * 100).toFixed(1)}%, target ${(suite.target * 100).toFixed(0)}%), ` +
        `${r.failed} disagree, ${r.skipped} not applicable, ${falseAccepts.length} false accepts — ${ok ? 'OK' : 'BELOW TARGET'}`,
    );
    for (const [reason, count] of Object.entries(r.skippedReasons ?? {})) console.log(`  n/a ${count}: ${reason}`);
    for (const d of r.disagreements) console.log(`  ${d.expected === 'FAILURE' ? 'FALSE ACCEPT' : 'false reject'} ${d.id}: expected ${d.expected}, got ${d.got} — ${d.detail}`);
    passed += r.passed;
    failed += r.failed;
  }
  console.log(`conformance: ${passed} cases agree, ${failed} disagree — ${bad ? 'a suite is BELOW TARGET or has a false accept' : 'every suite on target, no false accept'}`);
  return bad ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`conformance: ${(e as Error).stack ?? e}`);
    process.exit(2);
  },
);
