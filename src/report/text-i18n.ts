import { languageOf } from './i18n/languages.js';
import { matchReason, matchWarning } from './i18n/match.js';
import { translator, type Translator } from './i18n/translate.js';
import type { RecognitionReport, SignatureReport, TrustReport, ValidationReport } from './model.js';
import { formatText } from './text.js';

/** Options of `formatTextLocalized`: the language of the text report. */
export interface TextReportOptions {
  /** Report language (en, az, kk, ky, tr, uz, tk, hu, ru, or a locale such as `kk_KZ.UTF-8`); English when absent or unknown. */
  readonly lang?: string;
}

/**
 * formatText in the reader's language. English is formatText's own report, unchanged. A module of its own
 * so that formatText alone does not bring the nine catalogues into a browser bundle (npm run size).
 */
export function formatTextLocalized(report: ValidationReport, options: TextReportOptions = {}): string {
  const lang = languageOf(options.lang);
  return lang && lang !== 'en' ? formatTextIn(report, translator(lang)) : formatText(report);
}

/**
 * The text report in another language than English: the same blocks as formatText, with words from
 * the catalogue; ETSI codes, names and the English technical details stay as the report has them.
 */
export function formatTextIn(report: ValidationReport, t: Translator): string {
  const out: string[] = [];
  out.push(`${t.t('report.title')} — ${report.tool.name} ${report.tool.version}`);
  out.push(`${t.t('report.validationTime')}: ${t.dateTime(report.validationTime)} (${report.validationTime})`);
  out.push(`${t.t('report.policy')}: ${report.policy.name} (sha256 ${report.policy.sha256.slice(0, 16)}…)`);
  for (const w of report.warnings) out.push(`! ${said(t, w, matchWarning(w)?.key, matchWarning(w)?.params)}`);
  if (report.trust) out.push(...trustBlock(t, report.trust));
  report.signatures.forEach((s, i) => {
    out.push('');
    out.push(...signatureBlock(t, s, t.t('sig.title', { n: i + 1 })));
  });
  out.push('');
  out.push(t.t('report.passed', { passed: report.signatures.filter((s) => s.indication === 'TOTAL-PASSED').length, count: report.signatures.length }));
  return out.join('\n') + '\n';
}

function said(t: Translator, english: string, key: Parameters<Translator['t']>[0] | undefined, params?: Parameters<Translator['t']>[1]): string {
  return key ? `${t.t(key, params)} [${english}]` : english;
}

function signatureBlock(t: Translator, s: SignatureReport, title: string): string[] {
  const l: string[] = [];
  l.push(`${title} (${s.id}, ${s.level})`);
  l.push(`  ${t.t('sig.verdict')}: ${t.indication(s.indication)} — ${s.indication}${s.subIndication ? ` / ${s.subIndication}` : ''}`);
  if (s.subIndication) l.push(`    ${t.subIndication(s.subIndication)}`);
  l.push(`  ${t.t('sig.signedBy')}: ${s.signer ? s.signer.subject : t.t('sig.signerUnknown')}`);
  if (s.signer?.country) l.push(`  ${t.t('sig.country')}: ${s.signer.country}`);
  l.push(`  ${t.t('sig.claimedTime')}: ${s.times.claimedSigningTime ? t.dateTime(s.times.claimedSigningTime) : t.t('sig.claimedNone')}`);
  l.push(`  ${t.t('sig.bestTime')}: ${t.dateTime(s.times.bestSignatureTime)} (${t.t(`sig.bestTime.${s.times.bestSignatureTimeSource}`)})`);
  l.push(`  ${t.t('sig.algorithms')}: ${s.signatureAlgorithm ?? '?'} / ${s.digestAlgorithm ?? '?'}`);
  if (s.chain.length) {
    l.push(`  ${t.t('sig.chain')}:`);
    for (const c of s.chain) l.push(`    - ${c.subject}  [${t.t('sig.validity', { from: t.date(c.notBefore), to: t.date(c.notAfter) })}]`);
  }
  for (const ts of s.timestamps ?? []) {
    l.push(`  ${t.t(`ts.${ts.type}`)}: ${ts.genTime ? t.dateTime(ts.genTime) : '?'}, ${t.t('ts.by', { tsa: ts.tsa ?? t.t('ts.tsaUnknown') })}: ${t.t(`status.${ts.status}`)}${ts.subIndication ? ` (${ts.subIndication})` : ''}${ts.usedAsPoe ? ` — ${t.t('ts.poe')}` : ''}`);
  }
  if (s.revocation.length) {
    l.push(`  ${t.t('sig.revocation')}:`);
    for (const r of s.revocation) l.push(`    - ${r.certificate}: ${t.t(`rev.${r.status}`)}${r.revocationTime ? ` ${t.t('rev.since', { time: t.dateTime(r.revocationTime) })}` : ''}${r.source ? ` — ${r.source}` : ''}`);
  }
  const notPassed = s.checks.filter((c) => c.status !== 'PASSED');
  if (notPassed.length) {
    l.push(`  ${t.t('sig.reasons')}:`);
    for (const c of notPassed) l.push(`    ${t.t(`status.${c.status}`)}: ${t.checkName(c)} (${c.id}${c.subIndication ? `, ${c.subIndication}` : ''}) — ${c.detail}`);
  }
  for (const w of s.warnings) l.push(`  ! ${said(t, w, matchWarning(w)?.key, matchWarning(w)?.params)}`);
  if (s.recognition) l.push(...recognitionBlock(t, s.recognition));
  (s.counterSignatures ?? []).forEach((c, j) => l.push(...signatureBlock(t, c, t.t('sig.counterTitle', { n: j + 1 })).map((x) => `  ${x}`)));
  return l;
}

function recognitionBlock(t: Translator, r: RecognitionReport): string[] {
  const l = [`  ${t.t('rec.title')}: ${t.recognition(r.status)} — ${r.status}, ${t.t('rec.for', { party: r.relyingParty })}${r.test ? ` [${t.t('rec.test')}]` : ''}`];
  l.push(`    ${t.t('rec.issuerCountry')}: ${r.issuerCountry ?? '?'}; ${t.t('rec.time')}: ${t.dateTime(r.time)}`);
  if (r.basis) l.push(`    ${t.t('rec.basis')}: ${t.t(`basis.${r.basis.kind}`)} — ${r.basis.description}`);
  if (r.service) l.push(`    ${t.t('rec.service')}: ${r.service.name} (${r.service.listId} #${r.service.sequenceNumber})`);
  for (const x of r.reasons) l.push(`    - ${said(t, x, matchReason(x)?.key, matchReason(x)?.params)}`);
  return l;
}

function trustBlock(t: Translator, tr: TrustReport): string[] {
  const l = ['', `${t.t('trust.title')}: ${t.t('trust.relyingParty')} ${tr.relyingParty ?? t.t('trust.none')}${tr.purpose ? `, ${t.t('trust.purpose')} ${tr.purpose}` : ''}; ${t.t('trust.anchors', { count: tr.anchorsFromLists })}`];
  for (const x of tr.lists) {
    const flags = [x.test ? t.t('trust.flag.test') : null, x.expired ? t.t('trust.flag.expired') : null, x.usable ? null : t.t('trust.flag.unused')].filter(Boolean).join(', ');
    l.push(`  ${t.t('trust.list')} ${x.id} #${x.sequenceNumber} (${x.name}): ${t.t(`trust.integrity.${x.integrity}`)}${flags ? ` [${flags}]` : ''}`);
  }
  for (const a of tr.agreements) l.push(`  ${a.id} (${t.t(`trust.agreement.${a.direction}`)})${a.test ? ` [${t.t('trust.flag.testAgreement')}]` : ''}`);
  return l;
}
