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

/** JUnit XML (the Ant/Surefire dialect Jenkins, GitLab and GitHub reporters read). */
export function formatJunit(suite: string, cases: readonly JunitCase[]): string {
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="${esc(suite)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`);
  out.push(`  <testsuite name="${esc(suite)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`);
  for (const c of cases) {
    const open = `    <testcase classname="${esc(c.classname)}" name="${esc(c.name)}"`;
    if (c.failure) {
      out.push(`${open}>`, `      <failure message="${esc(c.failure.message)}">${esc(c.failure.detail ?? '')}</failure>`, '    </testcase>');
    } else if (c.error) {
      out.push(`${open}>`, `      <error message="${esc(c.error.message)}">${esc(c.error.detail ?? '')}</error>`, '    </testcase>');
    } else if (c.skipped !== undefined) {
      out.push(`${open}>`, `      <skipped message="${esc(c.skipped)}"/>`, '    </testcase>');
    } else {
      out.push(`${open}/>`);
    }
  }
  out.push('  </testsuite>', '</testsuites>');
  return out.join('\n') + '\n';
}
