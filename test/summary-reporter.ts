import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { skipReason } from './helpers/skip.js';

/**
 * Prints the plain closing line CI reads ("N passed, N failed, N skipped"),
 * preceded by every skipped suite or test with why it was skipped
 * (test/helpers/skip.ts), so a run without the corpus or a tool says what it left out.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const reasons: string[] = [];
    for (const m of testModules) {
      let failedHere = 0;
      const file = relative(process.cwd(), m.moduleId);
      const counted = new Set<unknown>();
      // A skipped suite is listed once with its test count; its tests are not listed again.
      for (const s of m.children.allSuites()) {
        if (s.state() !== 'skipped' || [...counted].some((c) => isInside(s, c))) continue;
        const n = [...s.children.allTests()].length;
        reasons.push(`  ${file} › ${stripReason(s.name)} (${n} test${n === 1 ? '' : 's'}): ${skipReason(s.name) ?? 'no reason given'}`);
        counted.add(s);
      }
      for (const t of m.children.allTests()) {
        const r = t.result();
        if (r.state === 'passed') passed++;
        else if (r.state === 'failed') failedHere++;
        else {
          skipped++;
          if (![...counted].some((c) => isInside(t, c))) {
            const note = skipReason(t.name) ?? (r as { note?: string }).note ?? (t.options.mode === 'todo' ? 'todo' : 'no reason given');
            reasons.push(`  ${file} › ${stripReason(t.name)}: ${note}`);
          }
        }
      }
      // A file that failed to load or whose hooks threw is a failure even when no test recorded one.
      if (m.state() === 'failed' && failedHere === 0) failedHere = 1;
      failed += failedHere;
    }
    if (reasons.length) process.stdout.write(`\nSkipped:\n${reasons.join('\n')}\n`);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

function stripReason(name: string): string {
  const r = skipReason(name);
  return r === undefined ? name : name.slice(0, name.length - r.length - ' [skipped: ]'.length);
}

/** True when `task` is `ancestor` or lies inside it. */
function isInside(task: { parent?: unknown }, ancestor: unknown): boolean {
  for (let t: { parent?: unknown } | undefined = task; t; t = t.parent as { parent?: unknown } | undefined) if (t === ancestor) return true;
  return false;
}
