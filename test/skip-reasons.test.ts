/**
 * Every suite or test that can be skipped says why (test/helpers/skip.ts), so
 * the summary of a run without the corpus names what it left out (#21).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeIf, itIf, skipReason } from './helpers/skip.js';

describe('skips carry their reason', () => {
  it('no test file uses skipIf / skip without a reason (use describeIf / itIf)', () => {
    const dir = new URL('.', import.meta.url).pathname;
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/\b(?:describe|it|test)\.(?:skipIf|runIf|skip)\(/g)].map(() => f));
    expect(offenders).toEqual([]);
  });
  it('the reason is read back from a skipped name, and only from one', () => {
    expect(skipReason('suite [skipped: no corpus]')).toBe('no corpus');
    expect(skipReason('suite [not a reason]')).toBeUndefined();
    expect(typeof describeIf(true, 'x')).toBe('function');
    expect(typeof itIf(false, 'x')).toBe('function');
  });
});
