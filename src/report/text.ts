import type { RecognitionReport, SignatureReport, TrustReport, ValidationReport } from './model.js';

/** A report for people: one block per signature, the verdict first, then why. */
export function formatText(report: ValidationReport): string {
  const out: string[] = [];
  out.push(`ots-esig ${report.tool.version} — validation time ${report.validationTime}`);
  if (report.policy) out.push(`Policy: ${report.policy.name} (sha256 ${report.policy.sha256.slice(0, 16)}…)`);
  for (const w of report.warnings) out.push(`! ${w}`);
  if (report.trust) out.push(...trustBlock(report.trust));
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
  for (const t of s.timestamps ?? []) {
    lines.push(
      `  Time-stamp:     ${t.type} ${t.genTime ?? '?'} by ${t.tsa ?? 'unidentified TSA'}: ${t.status}${t.subIndication ? ` / ${t.subIndication}` : ''}${t.usedAsPoe ? ' (proof of existence)' : ''}`,
    );
  }
  if (s.revocation.length) {
    lines.push('  Revocation:');
    for (const r of s.revocation) {
      const how = r.status === 'unknown' ? `not established${r.detail ? ` (${r.detail})` : ''}` : `${r.status}${r.revocationTime ? ` since ${r.revocationTime}` : ''}`;
      const from = r.source ? ` — ${r.origin ? `${r.origin}: ` : ''}${r.source}` : '';
      lines.push(`    - ${r.certificate}: ${how}${from}`);
    }
  }
  const notPassed = s.checks.filter((c) => c.status !== 'PASSED');
  if (notPassed.length) {
    lines.push('  Why:');
    for (const c of notPassed) lines.push(`    ${c.status.padEnd(13)} ${c.block} ${c.id}: ${c.detail}`);
  }
  for (const w of s.warnings) lines.push(`  ! ${w}`);
  if (s.recognition) lines.push(...recognitionBlock(s.recognition));
  // Counter-signatures: signatures of their own, shown indented under the one they counter-sign.
  (s.counterSignatures ?? []).forEach((c, j) => {
    const block = signatureBlock(c, j);
    lines.push(`  Counter-signature ${block[0]!.slice('Signature '.length)}`, ...block.slice(1).map((l) => `  ${l}`));
  });
  return lines;
}

function trustBlock(t: TrustReport): string[] {
  const lines = ['', `Trust: relying party ${t.relyingParty ?? '(none given)'}${t.purpose ? `, purpose ${t.purpose}` : ''}; ${t.anchorsFromLists} anchor(s) from lists`];
  for (const l of t.lists) {
    const flags = [l.test ? 'TEST LIST' : null, l.expired ? 'EXPIRED' : null, l.usable ? null : 'NOT USED'].filter(Boolean).join(', ');
    lines.push(`  list ${l.id} seq ${l.sequenceNumber} v${l.version} (${l.name}): ${l.integrity}${l.via ? ` via ${l.via}` : ''}; next update ${l.nextUpdate ?? 'none'}${flags ? ` [${flags}]` : ''}`);
    if (!l.usable) lines.push(`    ${l.signature.status}: ${l.signature.detail}`);
  }
  for (const a of t.agreements) {
    const dir = a.direction === 'mutual' ? a.parties.join(' <-> ') : `${a.issuerParty} -> ${a.relyingParty}`;
    lines.push(`  agreement ${a.id} (${dir}) ${a.effectiveFrom.slice(0, 10)} .. ${a.effectiveUntil?.slice(0, 10) ?? 'open'}${a.test ? ' [TEST]' : ''}`);
  }
  return lines;
}

function recognitionBlock(r: RecognitionReport): string[] {
  const lines: string[] = [];
  lines.push(`  Recognition:    ${r.status} in ${r.relyingParty}${r.test ? ' [TEST LISTS - NOT FOR PRODUCTION]' : ''}`);
  lines.push(`    Issuer country: ${r.issuerCountry ?? 'unknown'}; evaluated at ${r.time}`);
  if (r.basis) lines.push(`    Basis:          ${r.basis.kind}: ${r.basis.description}`);
  if (r.service) {
    lines.push(`    Service:        ${r.service.name} (${r.service.listId} seq ${r.service.sequenceNumber}), ${r.service.type}`);
    lines.push(`    Status then:    ${r.service.status} since ${r.service.statusSince}${r.service.statusUntil ? ` until ${r.service.statusUntil}` : ''}`);
  }
  if (r.equivalenceLevel) lines.push(`    Level:          ${r.equivalenceLevel}`);
  if (r.mapping) lines.push(`    Mapping:        ${r.mapping}`);
  for (const reason of r.reasons) lines.push(`    - ${reason}`);
  return lines;
}
