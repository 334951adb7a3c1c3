import { formatHtml, type CertificateSummary, type Check, type ContainerReport, type SignatureReport, type Translator, type ValidationReport } from 'ots-esig';
import type { PortalText } from './i18n.js';

type Child = Node | string | null | undefined | false;

/** Builds elements with text nodes only: every string shown may come from an untrusted signature. */
export function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

const VERDICT_CLASS: Record<string, string> = { 'TOTAL-PASSED': 'ok', 'TOTAL-FAILED': 'bad', INDETERMINATE: 'warn' };
const RECOGNITION_CLASS: Record<string, string> = { RECOGNIZED: 'ok', NOT_RECOGNIZED: 'bad', INVALID: 'bad', INDETERMINATE: 'warn' };

function verdict(sig: SignatureReport, t: Translator): HTMLElement {
  const label = sig.subIndication ? `${sig.indication} / ${sig.subIndication}` : sig.indication;
  return h(
    'div',
    { class: `verdict ${VERDICT_CLASS[sig.indication] ?? 'warn'}`, 'data-testid': 'verdict', 'data-indication': sig.indication, 'data-sub-indication': sig.subIndication ?? '' },
    h('span', { class: 'verdict-text' }, t.indication(sig.indication)),
    sig.subIndication ? h('span', { class: 'verdict-explain' }, t.subIndication(sig.subIndication)) : null,
    h('code', { class: 'verdict-code' }, label),
  );
}

function recognition(sig: SignatureReport, p: PortalText): HTMLElement {
  const t = p.report;
  const r = sig.recognition;
  if (!r) return h('div', { class: 'recognition none', 'data-testid': 'recognition', 'data-status': '' }, t.t('rec.notEvaluated'));
  const basis = r.basis ? `${t.t(`basis.${r.basis.kind}`)}: ${r.basis.description}` : null;
  return h(
    'div',
    { class: `recognition ${RECOGNITION_CLASS[r.status] ?? 'warn'}`, 'data-testid': 'recognition', 'data-status': r.status },
    h('div', { class: 'recognition-head' }, h('strong', {}, t.recognition(r.status)), ` (${t.t('rec.for', { party: r.relyingParty })}) `, h('code', {}, r.status), r.issuerCountry ? ` · ${p.ui('rec.issuerCountry', { country: r.issuerCountry })}` : '', r.equivalenceLevel ? ` · ${p.ui('rec.level', { level: r.equivalenceLevel })}` : ''),
    basis && h('div', { class: 'muted' }, basis),
    r.service && h('div', { class: 'muted' }, p.ui('rec.service', { name: r.service.name, provider: r.service.provider, status: short(r.service.status), time: t.dateTime(r.service.at) })),
    r.test && h('div', { class: 'test-tag' }, t.t('rec.test')),
  );
}

function short(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

function certLine(c: CertificateSummary, role: string, t: Translator): HTMLElement {
  return h(
    'li',
    {},
    h('span', { class: 'role' }, role),
    h('span', { class: 'dn' }, c.subject),
    h('span', { class: 'muted' }, ` ${t.t('sig.validity', { from: t.date(c.notBefore), to: t.date(c.notAfter) })}`),
  );
}

function chain(sig: SignatureReport, t: Translator): HTMLElement {
  if (sig.chain.length === 0) return h('p', { class: 'muted' }, t.t('sig.chainNone'));
  return h('ol', { class: 'chain', 'data-testid': 'chain' }, ...sig.chain.map((c, i) => certLine(c, t.t(i === 0 ? 'sig.role.signer' : i === sig.chain.length - 1 ? 'sig.role.anchor' : 'sig.role.ca'), t)));
}

/** Text the report keeps in English (technical details): marked lang="en" so it is read out as English. */
function english(t: Translator, text: string): Node | string {
  return t.lang === 'en' ? text : h('span', { lang: 'en' }, text);
}

/** One of the report's English sentences (warning, reason) in the reader's language when a template knows it, the English beside it. */
function sentence(t: Translator, text: string, translated: string | undefined): Node | string {
  if (t.lang === 'en' || translated === undefined) return english(t, text);
  return h('span', {}, translated, ' ', h('small', { class: 'english', lang: 'en' }, `(${text})`));
}

function reasons(sig: SignatureReport, t: Translator): HTMLElement | null {
  const items: HTMLElement[] = sig.checks
    .filter((c) => c.status === 'FAILED' || c.status === 'INDETERMINATE')
    .map((c) => h('li', { class: c.status === 'FAILED' ? 'bad' : 'warn' }, h('code', {}, c.subIndication ?? c.status), ' ', h('strong', {}, t.checkName(c)), ': ', english(t, c.detail)));
  if (sig.recognition && sig.recognition.status !== 'RECOGNIZED' && sig.recognition.status !== 'INVALID') {
    for (const r of sig.recognition.reasons) items.push(h('li', { class: 'warn' }, h('code', {}, sig.recognition.status), ' ', sentence(t, r, t.reason(r))));
  }
  return items.length ? h('div', {}, h('h3', {}, t.t('sig.reasons')), h('ul', { class: 'reasons', 'data-testid': 'reasons' }, ...items)) : null;
}

function notes(sig: SignatureReport, t: Translator): HTMLElement | null {
  if (sig.warnings.length === 0) return null;
  return h('div', {}, h('h3', {}, t.t('sig.notes')), h('ul', { class: 'reasons notes' }, ...sig.warnings.map((w) => h('li', { class: 'muted' }, sentence(t, w, t.warning(w))))));
}

function checksTable(checks: readonly Check[], t: Translator): HTMLElement {
  return h(
    'details',
    { class: 'checks' },
    h('summary', {}, `${t.t('sig.checks')} (${checks.length})`),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, t.t('col.block')), h('th', {}, t.t('col.check')), h('th', {}, t.t('col.result')), h('th', {}, t.t('col.detail')))),
      h('tbody', {}, ...checks.map((c) => h('tr', { class: c.status.toLowerCase() }, h('td', {}, c.block), h('td', {}, t.checkName(c), ' ', h('code', {}, c.id)), h('td', {}, t.t(`status.${c.status}`)), h('td', {}, english(t, c.detail))))),
    ),
  );
}

function facts(sig: SignatureReport, t: Translator): HTMLElement {
  const row = (k: string, v: string | null | undefined) => v && h('div', { class: 'fact' }, h('dt', {}, k), h('dd', {}, v));
  return h(
    'dl',
    { class: 'facts' },
    row(t.t('sig.signedBy'), sig.signer?.subject ?? t.t('sig.signerUnknown')),
    row(t.t('sig.issuer'), sig.signer?.issuer),
    row(t.t('sig.format'), `${sig.format} · ${sig.level}`),
    row(t.t('sig.algorithms'), [sig.signatureAlgorithm, sig.digestAlgorithm].filter(Boolean).join(' / ') || null),
    row(t.t('sig.claimedTime'), sig.times.claimedSigningTime ? t.dateTime(sig.times.claimedSigningTime) : t.t('sig.claimedNone')),
    row(t.t('sig.bestTime'), `${t.dateTime(sig.times.bestSignatureTime)} (${t.t(`sig.bestTime.${sig.times.bestSignatureTimeSource}`)})`),
  );
}

function signatureCard(sig: SignatureReport, p: PortalText): HTMLElement {
  const t = p.report;
  return h(
    'article',
    { class: 'card result', 'data-testid': 'signature' },
    h('div', { class: 'result-head' }, verdict(sig, t), recognition(sig, p)),
    facts(sig, t),
    h('h3', {}, t.t('sig.chain')),
    chain(sig, t),
    reasons(sig, t),
    notes(sig, t),
    checksTable(sig.checks, t),
  );
}

type ContainerState = 'changed after signing' | 'NOT SIGNED' | 'signed by some signatures only' | 'signed';
/** data-state keeps the English state (a stable value for tests and styles); the cell says it in the reader's language. */
const STATE_KEY = { 'changed after signing': 'container.state.changed', 'NOT SIGNED': 'container.state.unsigned', 'signed by some signatures only': 'container.state.partial', signed: 'container.state.signed' } as const;

/** An ASiC container: its verdict and, per file, which signatures or time-stamps cover it (unsigned files stand out). */
function containerCard(c: ContainerReport, p: PortalText): HTMLElement {
  const label = c.subIndication ? `${c.indication} / ${c.subIndication}` : c.indication;
  const coveredBy = (name: string) => [...c.signatures.filter((s) => s.covers.includes(name)).map((s) => s.signature), ...c.timestamps.filter((t) => t.covers.includes(name)).map((t) => p.ui('container.timestamp', { file: t.file }))];
  const rows = c.entries
    .filter((e) => e.role === 'data')
    .map((e) => {
      const by = coveredBy(e.name);
      const mismatch = c.manifestMismatches.find((m) => m.entry === e.name);
      const state: ContainerState = mismatch ? 'changed after signing' : by.length === 0 ? 'NOT SIGNED' : c.partiallyCovered.includes(e.name) ? 'signed by some signatures only' : 'signed';
      const cls = mismatch || by.length === 0 ? 'bad' : c.partiallyCovered.includes(e.name) ? 'warn' : 'ok';
      return h(
        'tr',
        { class: cls, 'data-testid': 'container-file', 'data-name': e.name, 'data-state': state },
        h('th', { scope: 'row' }, h('code', {}, e.name)),
        h('td', {}, `${p.ui('container.size', { count: e.size })}${e.nested ? ` · ${e.nested.detail}` : ''}`),
        h('td', {}, p.ui(STATE_KEY[state])),
        h('td', {}, by.join(', ')),
      );
    });
  const problems = [...c.checks.filter((k) => k.status !== 'PASSED').map((k) => `${k.subIndication ?? k.status}: ${k.detail}`), ...c.warnings];
  const verdictKey = `container.verdict.${c.indication}` as const;
  return h(
    'article',
    { class: 'card result', 'data-testid': 'container', 'data-indication': c.indication, 'data-sub-indication': c.subIndication ?? '' },
    h('div', { class: `verdict ${VERDICT_CLASS[c.indication] ?? 'warn'}` }, h('span', { class: 'verdict-text' }, p.ui(verdictKey)), h('code', { class: 'verdict-code' }, label)),
    h('p', { class: 'muted' }, p.ui('container.summary', { type: c.type, mimetype: c.mimetype ?? p.ui('container.mimetypeAbsent'), entries: p.ui('container.entries', { count: c.entries.length }) })),
    h(
      'table',
      { class: 'container-files' },
      h('caption', {}, p.ui('container.caption')),
      h('thead', {}, h('tr', {}, ...(['container.col.file', 'container.col.size', 'container.col.state', 'container.col.coveredBy'] as const).map((k) => h('th', { scope: 'col' }, p.ui(k))))),
      h('tbody', {}, ...rows),
    ),
    problems.length > 0 && h('ul', { class: 'reasons' }, ...problems.map((x) => h('li', { class: 'warn' }, x))),
  );
}

export function renderReport(report: ValidationReport, p: PortalText): HTMLElement {
  const t = p.report;
  const lists = report.trust?.lists ?? [];
  const parts = [
    p.ui('result.summary', { signatures: t.t('report.signatures', { count: report.signatures.length }), time: t.dateTime(report.validationTime), tool: `${report.tool.name} ${report.tool.version}` }),
    lists.length ? p.ui('result.listsUsable', { usable: lists.filter((l) => l.usable).length, count: lists.length }) : null,
  ];
  return h(
    'div',
    {},
    h('p', { class: 'muted' }, parts.filter(Boolean).join(' · ')),
    report.container && containerCard(report.container, p),
    ...report.signatures.map((s) => signatureCard(s, p)),
    // Run-level notes (mostly about the trust data in use) come after the verdicts, folded.
    report.warnings.length > 0 &&
      h('details', { class: 'card run-notes' }, h('summary', {}, p.ui('result.runNotes', { count: report.warnings.length })), h('ul', {}, ...report.warnings.map((w) => h('li', {}, sentence(t, w, t.warning(w)))))),
  );
}

/** A file that could not be checked: a heading in the reader's language, the error code, and the library's (English) message. */
export function renderError(e: unknown, p: PortalText): HTMLElement {
  const err = e as { code?: string; message?: string; value?: string };
  const message = err.code === 'ERR_INVALID_OPTION' && typeof err.value === 'string' ? p.ui('error.time', { value: err.value }) : (err.message ?? String(e));
  return h(
    'div',
    { class: 'card error', role: 'alert', 'data-testid': 'error', 'data-code': err.code ?? '' },
    h('strong', {}, p.ui('error.title')),
    ' ',
    err.code ? h('code', {}, err.code) : null,
    ' ',
    message,
  );
}

let downloadUrl: string | undefined;

/**
 * The printable report (formatHtml) in the reader's language: shown in a frame that may run no script
 * (sandbox without allow-scripts; same origin only so the page can size it), and offered for download.
 */
export function renderPrintable(report: ValidationReport, p: PortalText, fileName: string): HTMLElement {
  const t = p.report;
  const doc = formatHtml(report, { lang: t.lang });
  if (downloadUrl) URL.revokeObjectURL(downloadUrl);
  downloadUrl = URL.createObjectURL(new Blob([doc], { type: 'text/html;charset=utf-8' }));
  const frame = h('iframe', { id: 'report-frame', title: t.t('report.title'), sandbox: 'allow-same-origin', 'data-testid': 'report-frame' }) as HTMLIFrameElement;
  frame.srcdoc = doc;
  frame.addEventListener('load', () => {
    const height = frame.contentDocument?.documentElement.scrollHeight;
    if (height) frame.style.height = `${height + 20}px`;
    document.body.dataset.report = 'ready';
  });
  const base = fileName.replace(/\.[^.]*$/, '') || 'signature';
  return h(
    'section',
    { class: 'card printable', 'aria-labelledby': 'printable-title' },
    h('h2', { id: 'printable-title' }, t.t('report.title')),
    h('a', { id: 'download-report', class: 'button', href: downloadUrl, download: `${base}-report-${t.lang}.html` }, t.t('ui.download')),
    frame,
  );
}
