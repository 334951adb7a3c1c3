import type { Check } from './check.js';
import { INTL_TAG, languageOf, type Language } from './i18n/languages.js';
import { html, Markup } from './i18n/markup.js';
import { matchReason, matchWarning, type Matched } from './i18n/match.js';
import { translator, type Translator } from './i18n/translate.js';
import type { CertificateSummary, RecognitionReport, SignatureReport, TimestampSummary, TrustReport, ValidationReport } from './model.js';

/** Options of `formatHtml`: the language of the HTML report. */
export interface HtmlReportOptions {
  /** Report language (en, az, kk, ky, tr, uz, tk, hu, ru, or a locale such as `tr-TR`); English when absent or unknown. */
  readonly lang?: string;
}

const VERDICT_CLASS = { 'TOTAL-PASSED': 'ok', 'TOTAL-FAILED': 'bad', INDETERMINATE: 'warn' } as const;
const RECOGNITION_CLASS = { RECOGNIZED: 'ok', NOT_RECOGNIZED: 'bad', INVALID: 'bad', INDETERMINATE: 'warn' } as const;
/** Icons are text beside the words, never the only sign: colour and icon both repeat what the sentence says. */
const ICON = { ok: '✓', bad: '✗', warn: '?' } as const;

/**
 * A validation report as one self-contained HTML document for people: no external assets and no
 * scripts, a print stylesheet (A4), the verdicts first in large type, then the details of every
 * signature, the trust basis and the run's notes. Every string from the report is escaped.
 */
export function formatHtml(report: ValidationReport, options: HtmlReportOptions = {}): string {
  const lang: Language = languageOf(options.lang) ?? 'en';
  const t = translator(lang);
  const test = isTestRun(report);
  const doc = html`<!doctype html>
<html lang="${INTL_TAG[lang]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${report.tool.name} ${report.tool.version}">
<title>${t.t('report.title')}</title>
<style>${STYLE}</style>
</head>
<body>
${test ? html`<p class="test-banner" role="alert" data-testid="test-banner">⚠ ${t.t('report.testBanner')}</p>` : ''}
<header>
<h1>${t.t('report.title')}</h1>
<p class="meta">${t.t('report.validationTime')}: <time datetime="${report.validationTime}">${t.dateTime(report.validationTime)}</time>
 · ${t.t('report.policy')}: <strong>${report.policy.name}</strong>
 · ${t.t('report.signatures', { count: report.signatures.length })}</p>
</header>
<main>
<section class="summary" aria-labelledby="h-summary">
<h2 id="h-summary">${t.t('report.summary')}</h2>
${report.signatures.length ? report.signatures.map((s, i) => summaryCard(t, s, i)) : html`<p>${t.t('report.noSignatures')}</p>`}
<p class="count">${t.t('report.passed', { passed: report.signatures.filter((s) => s.indication === 'TOTAL-PASSED').length, count: report.signatures.length })}</p>
</section>
<section class="details" aria-labelledby="h-details">
<h2 id="h-details">${t.t('report.details')}</h2>
${report.signatures.map((s, i) => details(t, s, t.t('sig.title', { n: i + 1 }), 3))}
</section>
${trustSection(t, report.trust)}
${report.warnings.length ? html`<section class="run-notes" aria-labelledby="h-notes"><h2 id="h-notes">${t.t('report.runNotes')}</h2><ul>${report.warnings.map((w) => html`<li>${sentence(t, w, matchWarning(w))}</li>`)}</ul></section>` : ''}
</main>
<footer>
<dl class="facts">
${fact(t.t('report.validationTime'), html`<time datetime="${report.validationTime}">${t.dateTime(report.validationTime)}</time> <code>${report.validationTime}</code>`)}
${fact(t.t('report.policy'), report.policy.name)}
${fact(t.t('report.policyDigest'), html`<code class="hash">${report.policy.sha256}</code>`)}
${fact('', t.t('report.tool', { tool: report.tool.name, version: report.tool.version }))}
</dl>
</footer>
</body>
</html>
`;
  return doc.html;
}

/** A TEST list or agreement took part anywhere in the run. */
function isTestRun(r: ValidationReport): boolean {
  const sigTest = (s: SignatureReport): boolean => s.recognition?.test === true || (s.counterSignatures ?? []).some(sigTest);
  return (r.trust?.lists ?? []).some((l) => l.test) || (r.trust?.agreements ?? []).some((a) => a.test) || r.signatures.some(sigTest);
}

/** The common name of a distinguished name for the headline (the full name follows it). */
function commonName(dn: string): string | null {
  const m = dn.match(/(?:^|,\s*)CN=((?:\\.|[^,\\])+)/);
  return m ? m[1]!.replace(/\\(.)/g, '$1') : null;
}

function fact(label: string, value: Markup | string | null | undefined): Markup | '' {
  if (value === null || value === undefined || value === '') return '';
  return html`<div class="fact"><dt>${label}</dt><dd>${value}</dd></div>`;
}

function summaryCard(t: Translator, s: SignatureReport, i: number): Markup {
  const cls = VERDICT_CLASS[s.indication];
  const name = s.signer ? (commonName(s.signer.subject) ?? s.signer.subject) : null;
  const when = s.times.bestSignatureTimeSource === 'validation-time' ? s.times.claimedSigningTime : s.times.bestSignatureTime;
  const country = s.recognition?.issuerCountry ?? s.signer?.country ?? null;
  return html`<article class="card summary-card" data-testid="summary" data-indication="${s.indication}" data-sub-indication="${s.subIndication ?? ''}">
<h3>${t.t('sig.title', { n: i + 1 })} <span class="muted">${s.format} · ${s.level}</span></h3>
<div class="verdict ${cls}" data-testid="verdict"><span class="icon" aria-hidden="true">${ICON[cls]}</span><span class="verdict-text">${t.indication(s.indication)}</span>
<code class="verdict-code">${s.indication}${s.subIndication ? ` / ${s.subIndication}` : ''}</code></div>
<p class="explain">${t.t(`ind.${s.indication}.explain`)}${s.subIndication ? html` ${t.subIndication(s.subIndication)}` : ''}</p>
${recognitionBox(t, s.recognition)}
<dl class="facts">
${fact(t.t('sig.signedBy'), name ? html`<strong class="dn" data-testid="signer">${name}</strong>${name !== s.signer!.subject ? html`<br><span class="dn muted">${s.signer!.subject}</span>` : ''}` : t.t('sig.signerUnknown'))}
${fact(t.t('sig.country'), country)}
${fact(s.times.bestSignatureTimeSource === 'validation-time' ? t.t('sig.claimedTime') : t.t('sig.bestTime'), when ? html`<time datetime="${when}">${t.dateTime(when)}</time>` : t.t('sig.claimedNone'))}
</dl>
</article>`;
}

function recognitionBox(t: Translator, r: RecognitionReport | undefined): Markup {
  if (!r) return html`<p class="recognition none" data-testid="recognition" data-status="">${t.t('rec.notEvaluated')}</p>`;
  const cls = RECOGNITION_CLASS[r.status];
  return html`<div class="recognition ${cls}" data-testid="recognition" data-status="${r.status}"><span class="icon" aria-hidden="true">${ICON[cls]}</span>
<span class="recognition-text">${t.recognition(r.status)}</span> <span class="muted">(${t.t('rec.for', { party: r.relyingParty })})</span> <code>${r.status}</code>
${r.test ? html`<div class="test-tag">⚠ ${t.t('rec.test')}</div>` : ''}</div>`;
}

/** A sentence in the reader's language when a template knows it, with the report's English underneath. */
function sentence(t: Translator, english: string, m: Matched | undefined): Markup {
  if (!m || t.lang === 'en') return html`${english}`;
  return html`${t.t(m.key, m.params)}<br><small class="english" lang="en">${english}</small>`;
}

function certItem(t: Translator, c: CertificateSummary, role: string): Markup {
  return html`<li><span class="role">${role}</span> <span class="dn">${c.subject}</span><br>
<span class="muted">${t.t('sig.validity', { from: t.date(c.notBefore), to: t.date(c.notAfter) })} · ${t.t('sig.serial')} <code>${c.serialNumber}</code></span></li>`;
}

function timestampItem(t: Translator, ts: TimestampSummary): Markup {
  const cls = ts.status === 'PASSED' ? 'ok' : ts.status === 'FAILED' ? 'bad' : 'warn';
  return html`<li class="${cls}"><strong>${t.t(`ts.${ts.type}`)}</strong>${ts.genTime ? html` — <time datetime="${ts.genTime}">${t.dateTime(ts.genTime)}</time>` : ''},
${t.t('ts.by', { tsa: ts.tsa ?? t.t('ts.tsaUnknown') })}: <span class="icon" aria-hidden="true">${ICON[cls]}</span> ${t.t(`status.${ts.status}`)} <code>${ts.status}${ts.subIndication ? ` / ${ts.subIndication}` : ''}</code>${ts.usedAsPoe ? html` · ${t.t('ts.poe')}` : ''}</li>`;
}

function checkRow(t: Translator, c: Check): Markup {
  const cls = c.status === 'PASSED' ? 'ok' : c.status === 'FAILED' ? 'bad' : c.status === 'INDETERMINATE' ? 'warn' : 'skip';
  return html`<tr class="${cls}"><td>${t.checkName(c)}<br><code>${c.id}</code></td><td><span class="icon" aria-hidden="true">${cls === 'skip' ? '–' : ICON[cls]}</span> ${t.t(`status.${c.status}`)}</td><td lang="en">${c.detail}</td></tr>`;
}

function details(t: Translator, s: SignatureReport, title: string, level: number): Markup {
  const h = `h${Math.min(level, 6)}`;
  const notPassed = s.checks.filter((c) => c.status === 'FAILED' || c.status === 'INDETERMINATE');
  const r = s.recognition;
  return html`<article class="card signature" data-testid="signature">
${new Markup(`<${h}>`)}${title} <span class="muted">${s.id}</span>${new Markup(`</${h}>`)}
<dl class="facts">
${fact(t.t('sig.verdict'), html`<span class="${VERDICT_CLASS[s.indication]}-text">${t.indication(s.indication)}</span> <code>${s.indication}${s.subIndication ? ` / ${s.subIndication}` : ''}</code>`)}
${fact(t.t('sig.signedBy'), s.signer ? html`<span class="dn">${s.signer.subject}</span>` : t.t('sig.signerUnknown'))}
${fact(t.t('sig.issuer'), s.signer ? html`<span class="dn">${s.signer.issuer}</span>` : null)}
${fact(t.t('sig.country'), s.signer?.country)}
${fact(t.t('sig.format'), `${s.format} · ${s.level}`)}
${fact(t.t('sig.algorithms'), [s.signatureAlgorithm, s.digestAlgorithm].filter(Boolean).join(' / ') || null)}
${fact(t.t('sig.claimedTime'), s.times.claimedSigningTime ? html`<time datetime="${s.times.claimedSigningTime}">${t.dateTime(s.times.claimedSigningTime)}</time>` : t.t('sig.claimedNone'))}
${fact(t.t('sig.bestTime'), html`<time datetime="${s.times.bestSignatureTime}">${t.dateTime(s.times.bestSignatureTime)}</time> (${t.t(`sig.bestTime.${s.times.bestSignatureTimeSource}`)})`)}
</dl>
${notPassed.length ? html`<h4>${t.t('sig.reasons')}</h4><ul class="reasons" data-testid="reasons">${notPassed.map(
    (c) => html`<li class="${c.status === 'FAILED' ? 'bad' : 'warn'}"><strong>${t.checkName(c)}</strong>: ${t.t(`status.${c.status}`)}${c.subIndication ? html` <code>${c.subIndication}</code> — ${t.subIndication(c.subIndication)}` : ''}<br><small class="english" lang="en">${t.lang === 'en' ? '' : `${t.t('report.englishDetail')}: `}${c.detail}</small></li>`,
  )}</ul>` : ''}
<h4>${t.t('sig.chain')}</h4>
${s.chain.length ? html`<ol class="chain" data-testid="chain">${s.chain.map((c, i) => certItem(t, c, t.t(i === 0 ? 'sig.role.signer' : i === s.chain.length - 1 ? 'sig.role.anchor' : 'sig.role.ca')))}</ol>` : html`<p class="muted">${t.t('sig.chainNone')}</p>`}
${s.timestamps?.length ? html`<h4>${t.t('sig.timestamps')}</h4><ul class="timestamps">${s.timestamps.map((ts) => timestampItem(t, ts))}</ul>` : ''}
${s.revocation.length ? html`<h4>${t.t('sig.revocation')}</h4><ul class="revocation">${s.revocation.map(
    (rv) => html`<li class="${rv.status === 'good' ? 'ok' : rv.status === 'revoked' ? 'bad' : 'warn'}"><span class="dn">${rv.certificate}</span>: <strong>${t.t(`rev.${rv.status}`)}</strong>${rv.revocationTime ? html` ${t.t('rev.since', { time: t.dateTime(rv.revocationTime) })}` : ''}${rv.source ? html` · ${t.t('rev.source')}: ${rv.kind ? `${rv.kind.toUpperCase()} ` : ''}${rv.origin ? html`(${t.t(`rev.origin.${rv.origin}`)}) ` : ''}<span class="muted">${rv.source}</span>` : ''}${rv.thisUpdate ? html` · ${t.t('rev.issued', { time: t.dateTime(rv.thisUpdate) })}` : ''}${rv.detail ? html`<br><small class="english" lang="en">${rv.detail}</small>` : ''}</li>`,
  )}</ul>` : ''}
${r ? recognitionDetails(t, r) : ''}
${s.warnings.length ? html`<h4>${t.t('sig.notes')}</h4><ul class="notes">${s.warnings.map((w) => html`<li>${sentence(t, w, matchWarning(w))}</li>`)}</ul>` : ''}
<h4>${t.t('sig.checks')}</h4>
<table class="checks"><thead><tr><th scope="col">${t.t('col.check')}</th><th scope="col">${t.t('col.result')}</th><th scope="col">${t.t('col.detail')}</th></tr></thead>
<tbody>${s.checks.map((c) => checkRow(t, c))}${(s.timestamps ?? []).flatMap((ts) => ts.checks.map((c) => checkRow(t, c)))}</tbody></table>
${s.counterSignatures?.length ? html`<div class="counter"><h4>${t.t('sig.counterSignatures')}</h4>${s.counterSignatures.map((c, j) => details(t, c, t.t('sig.counterTitle', { n: j + 1 }), level + 2))}</div>` : ''}
</article>`;
}

function recognitionDetails(t: Translator, r: RecognitionReport): Markup {
  return html`<h4>${t.t('rec.title')}</h4>
<dl class="facts">
${fact(t.t('rec.title'), html`<span class="${RECOGNITION_CLASS[r.status]}-text">${t.recognition(r.status)}</span> <code>${r.status}</code> — ${t.t(`rec.${r.status}.explain`)}`)}
${fact(t.t('trust.relyingParty'), r.relyingParty)}
${fact(t.t('rec.issuerCountry'), r.issuerCountry)}
${fact(t.t('rec.time'), html`<time datetime="${r.time}">${t.dateTime(r.time)}</time>`)}
${fact(t.t('rec.basis'), r.basis ? html`${t.t(`basis.${r.basis.kind}`)}: <span class="muted">${r.basis.description}</span>` : null)}
${fact(t.t('rec.service'), r.service ? html`${r.service.name} <span class="muted">(${r.service.provider}; ${r.service.listId} #${r.service.sequenceNumber})</span>` : null)}
${fact(t.t('rec.serviceStatus'), r.service ? html`<code>${short(r.service.status)}</code> ${t.t('rev.since', { time: t.dateTime(r.service.statusSince) })}` : null)}
${fact(t.t('rec.level'), r.equivalenceLevel ? (r.equivalenceLevel === 'qualified' || r.equivalenceLevel === 'advanced' ? t.t(`level.${r.equivalenceLevel}`) : r.equivalenceLevel) : null)}
${fact(t.t('rec.mapping'), r.mapping)}
</dl>
${r.reasons.length ? html`<ul class="reasons">${r.reasons.map((x) => html`<li>${sentence(t, x, matchReason(x))}</li>`)}</ul>` : ''}`;
}

function short(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

function trustSection(t: Translator, tr: TrustReport | undefined): Markup | '' {
  if (!tr) return '';
  return html`<section class="trust" aria-labelledby="h-trust">
<h2 id="h-trust">${t.t('trust.title')}</h2>
<dl class="facts">
${fact(t.t('trust.relyingParty'), tr.relyingParty ?? t.t('trust.none'))}
${fact(t.t('trust.purpose'), tr.purpose ?? t.t('trust.none'))}
</dl>
<p>${t.t('trust.anchors', { count: tr.anchorsFromLists })}</p>
${tr.lists.length ? html`<h3>${t.t('trust.lists')}</h3>
<table class="lists"><thead><tr><th scope="col">${t.t('trust.list')}</th><th scope="col">${t.t('trust.sequence')}</th><th scope="col">${t.t('trust.issued')}</th><th scope="col">${t.t('trust.nextUpdate')}</th><th scope="col">${t.t('trust.authenticity')}</th></tr></thead>
<tbody>${tr.lists.map(
    (l) => html`<tr class="${l.usable ? '' : 'bad'}"><td><strong>${l.id}</strong> ${l.territory ? `(${l.territory})` : ''}<br><span class="muted">${l.name}</span>
${l.test ? html` <span class="flag test-tag">${t.t('trust.flag.test')}</span>` : ''}${l.expired ? html` <span class="flag bad">${t.t('trust.flag.expired')}</span>` : ''}${l.usable ? '' : html` <span class="flag bad">${t.t('trust.flag.unused')}</span>`}</td>
<td>${l.sequenceNumber}</td><td>${t.date(l.issueDate)}</td><td>${l.nextUpdate ? t.date(l.nextUpdate) : '—'}</td><td>${t.t(`trust.integrity.${l.integrity}`)}${l.via ? html`<br><span class="muted">via ${l.via}</span>` : ''}</td></tr>`,
  )}</tbody></table>` : ''}
${tr.agreements.length ? html`<h3>${t.t('trust.agreements')}</h3><ul>${tr.agreements.map(
    (a) => html`<li><strong>${a.id}</strong> — ${a.title} (${a.direction === 'mutual' ? a.parties.join(' ↔ ') : `${a.issuerParty ?? '?'} → ${a.relyingParty ?? '?'}`}, ${t.t(`trust.agreement.${a.direction}`)});
${t.t('trust.agreement.period', { from: t.date(a.effectiveFrom), until: a.effectiveUntil ? t.date(a.effectiveUntil) : t.t('trust.agreement.open') })}${a.test ? html` <span class="flag test-tag">${t.t('trust.flag.testAgreement')}</span>` : ''}</li>`,
  )}</ul>` : ''}
</section>`;
}

const STYLE = `
:root{--ok:#0b6b2e;--ok-bg:#e4f4e9;--bad:#a3111d;--bad-bg:#fde8ea;--warn:#6e4700;--warn-bg:#fff2d1;--muted:#4a5361;--line:#c9ced6}
*{box-sizing:border-box}
body{font-family:"Noto Sans","DejaVu Sans",Arial,sans-serif;color:#161b22;background:#fff;margin:0 auto;max-width:60rem;padding:1.5rem;line-height:1.45;font-size:15px}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.3rem;border-bottom:2px solid var(--line);padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.1rem;margin:.2rem 0 .6rem}h4{font-size:1rem;margin:1rem 0 .3rem}h5,h6{font-size:1rem}
code{font-family:"DejaVu Sans Mono",monospace;font-size:.85em;overflow-wrap:anywhere}
.meta,.muted{color:var(--muted)}.dn{overflow-wrap:anywhere}
.test-banner{background:#5c2a00;color:#fff;font-weight:bold;padding:.6rem 1rem;border-radius:.3rem;font-size:1.05rem}
.test-tag,.flag.test-tag{color:#5c2a00;font-weight:bold}
.flag{font-size:.8em;font-weight:bold;border:1px solid currentColor;border-radius:.2rem;padding:0 .25rem}
.card{border:1px solid var(--line);border-radius:.4rem;padding:1rem;margin:1rem 0;break-inside:avoid}
.verdict{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;font-size:1.7rem;font-weight:bold;padding:.7rem 1rem;border-radius:.35rem;border:2px solid}
.recognition{font-size:1.25rem;font-weight:bold;padding:.5rem 1rem;border-radius:.35rem;border:2px solid;margin-top:.6rem}
.recognition.none{font-size:1rem;font-weight:normal;border-style:dashed;color:var(--muted)}
.verdict-code{font-size:.9rem;font-weight:normal}
.icon{display:inline-block;min-width:1.4em;text-align:center;font-weight:bold}
.ok{color:var(--ok)}.bad{color:var(--bad)}.warn{color:var(--warn)}
.verdict.ok,.recognition.ok{background:var(--ok-bg);border-color:var(--ok)}
.verdict.bad,.recognition.bad{background:var(--bad-bg);border-color:var(--bad)}
.verdict.warn,.recognition.warn{background:var(--warn-bg);border-color:var(--warn)}
.ok-text{color:var(--ok);font-weight:bold}.bad-text{color:var(--bad);font-weight:bold}.warn-text{color:var(--warn);font-weight:bold}
.explain{margin:.5rem 0}
.facts{display:grid;grid-template-columns:minmax(10rem,max-content) 1fr;gap:.2rem 1rem;margin:.6rem 0}
.fact{display:contents}dt{font-weight:bold;color:var(--muted)}dd{margin:0}
.count{font-weight:bold}
ul,ol{padding-left:1.3rem}li{margin:.2rem 0}
.reasons li,.notes li,.run-notes li{color:inherit}.reasons li.bad strong{color:var(--bad)}.reasons li.warn strong{color:var(--warn)}
small.english{color:var(--muted)}
.role{font-weight:bold}
table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border:1px solid var(--line);padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#eef0f3}
tr.bad td:nth-child(2){color:var(--bad);font-weight:bold}tr.warn td:nth-child(2){color:var(--warn);font-weight:bold}tr.ok td:nth-child(2){color:var(--ok)}
.counter{margin-left:1rem}
footer{margin-top:2rem;border-top:2px solid var(--line);font-size:.85rem}
.hash{font-size:.75rem}
@page{size:A4;margin:14mm 12mm}
@media print{
 body{max-width:none;padding:0;font-size:10.5pt}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .summary{break-after:page}
 h2,h3,h4{break-after:avoid}
 tr,li{break-inside:avoid}
 .test-banner{position:static}
}
`;
