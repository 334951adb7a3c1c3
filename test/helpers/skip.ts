import { execFileSync } from 'node:child_process';
import { describe, it } from 'vitest';

/**
 * Suites and tests that need something `npm test` may not have (the corpus,
 * xmlsec1, openssl, Chromium). When it is missing the suite is skipped with
 * its reason in the name, which the summary reporter (test/summary-reporter.ts)
 * lists at the end, so a run without the corpus says what it did not test.
 */
export const SKIP_MARK = ' [skipped: ';

function label(name: string, ok: boolean, reason: string): string {
  return ok ? name : `${name}${SKIP_MARK}${reason}]`;
}

export function describeIf(ok: boolean, reason: string) {
  return (name: string, fn: () => void): void => void describe.skipIf(!ok)(label(name, ok, reason), fn);
}

export function itIf(ok: boolean, reason: string) {
  return (name: string, fn: () => unknown, timeout?: number): void => it.skipIf(!ok)(label(name, ok, reason), fn, timeout);
}

/** The reason of a skipped suite or test named with describeIf/itIf, or undefined. */
export function skipReason(name: string): string | undefined {
  const i = name.lastIndexOf(SKIP_MARK);
  return i >= 0 && name.endsWith(']') ? name.slice(i + SKIP_MARK.length, -1) : undefined;
}

/** Whether `command args` runs here (exit status 0); when it does not, a warning says what is skipped and how to install it. */
export function commandAvailable(command: string, args: readonly string[], skipped: string, install: string): boolean {
  try {
    execFileSync(command, args, { stdio: 'pipe' });
    return true;
  } catch {
    console.warn(`${command} not installed: ${skipped} (${install})`);
    return false;
  }
}
