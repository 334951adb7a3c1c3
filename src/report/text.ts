import type { SignatureReport, ValidationReport } from './model.js';

/** A report for people: one block per signature, the verdict first, then why. */
export function formatText(report: ValidationReport): string {
  const out: string[] = [];
  out.push(`ots-esig ${report.tool.version} — validation time ${report.validationTime}`);
  for (const w of report.warnings) out.push(`! ${w}`);
  report.signatures.forEach((s, i) => {
    out.push('');
    out.push(...signatureBlock(s, i));
  });
  const passed = report.signatures.filter((s) => s.indication === 'TOTAL-PASSED').length;
  out.push('');
  out.push(`${passed} of ${report.signatures.length} signature(s) TOTAL-PASSED`);
  return out.join('\n') + '\n';
}

function signatureBlock(s: SignatureReport, i: number): string[] {
  const lines: string[] = [];
  lines.push(`Signature ${i + 1} (${s.id}, ${s.level})`);
  lines.push(`  Verdict:        ${s.indication}${s.subIndication ? ` / ${s.subIndication}` : ''}`);
  lines.push(`  Signer:         ${s.signer ? s.signer.subject : 'not identified'}`);
  if (s.signer?.country) lines.push(`  Country:        ${s.signer.country}`);
  lines.push(`  Claimed time:   ${s.times.claimedSigningTime ?? 'none'}`);
  lines.push(`  Best sig. time: ${s.times.bestSignatureTime} (${s.times.bestSignatureTimeSource})`);
  lines.push(`  Algorithms:     ${s.signatureAlgorithm ?? '?'} / ${s.digestAlgorithm ?? '?'}`);
  if (s.chain.length) {
    lines.push('  Chain:');
    for (const c of s.chain) lines.push(`    - ${c.subject}  [${c.notBefore.slice(0, 10)} .. ${c.notAfter.slice(0, 10)}]`);
  }
  const notPassed = s.checks.filter((c) => c.status !== 'PASSED');
  if (notPassed.length) {
    lines.push('  Why:');
    for (const c of notPassed) lines.push(`    ${c.status.padEnd(13)} ${c.block} ${c.id}: ${c.detail}`);
  }
  for (const w of s.warnings) lines.push(`  ! ${w}`);
  return lines;
}
