/** One result as CI systems show it: a test case that passed, failed, errored or was skipped. */
export interface JunitCase {
  readonly classname: string;
  readonly name: string;
  readonly failure?: { readonly message: string; readonly detail?: string };
  readonly error?: { readonly message: string; readonly detail?: string };
  readonly skipped?: string;
}

function esc(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** The XML lines of one test case (indented as inside a testsuite). */
export function junitCaseLines(c: JunitCase): string[] {
  const open = `    <testcase classname="${esc(c.classname)}" name="${esc(c.name)}"`;
  if (c.failure) return [`${open}>`, `      <failure message="${esc(c.failure.message)}">${esc(c.failure.detail ?? '')}</failure>`, '    </testcase>'];
  if (c.error) return [`${open}>`, `      <error message="${esc(c.error.message)}">${esc(c.error.detail ?? '')}</error>`, '    </testcase>'];
  if (c.skipped !== undefined) return [`${open}>`, `      <skipped message="${esc(c.skipped)}"/>`, '    </testcase>'];
  return [`${open}/>`];
}

/** The lines before the test cases: the XML declaration, testsuites and testsuite with their counts. */
export function junitOpen(suite: string, n: { readonly tests: number; readonly failures: number; readonly errors: number; readonly skipped: number }): string[] {
  const counts = `tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}"`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${esc(suite)}" ${counts}>`, `  <testsuite name="${esc(suite)}" ${counts}>`];
}

/** The lines after the test cases. */
export function junitClose(): string[] {
  return ['  </testsuite>', '</testsuites>'];
}

/** JUnit XML (the Ant/Surefire dialect Jenkins, GitLab and GitHub reporters read). */
export function formatJunit(suite: string, cases: readonly JunitCase[]): string {
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  return [...junitOpen(suite, { tests: cases.length, failures, errors, skipped }), ...cases.flatMap(junitCaseLines), ...junitClose()].join('\n') + '\n';
}
