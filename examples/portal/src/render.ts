import { formatHtml, type CertificateSummary, type Check, type ContainerReport, type SignatureReport, type Translator, type ValidationReport } from 'ots-esig';

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

function recognition(sig: SignatureReport, t: Translator): HTMLElement {
  const r = sig.recognition;
  if (!r) return h('div', { class: 'recognition none', 'data-testid': 'recognition', 'data-status': '' }, t.t('rec.notEvaluated'));
  const basis = r.basis ? `${t.t(`basis.${r.basis.kind}`)}: ${r.basis.description}` : null;
  return h(
    'div',
    { class: `recognition ${RECOGNITION_CLASS[r.status] ?? 'warn'}`, 'data-testid': 'recognition', 'data-status': r.status },
    h('div', { class: 'recognition-head' }, h('strong', {}, t.recognition(r.status)), ` (${t.t('rec.for', { party: r.relyingParty })}) `, h('code', {}, r.status), r.issuerCountry ? ` · issuer country ${r.issuerCountry}` : '', r.equivalenceLevel ? ` · level ${r.equivalenceLevel}` : ''),
    basis && h('div', { class: 'muted' }, basis),
    r.service && h('div', { class: 'muted' }, `service: ${r.service.name} (${r.service.provider}), status ${short(r.service.status)} at ${r.service.at}`),
    r.test && h('div', { class: 'test-tag' }, t.t('rec.test')),
  );
}

function short(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

function certLine(c: CertificateSummary, role: string): HTMLElement {
  return h(
    'li',
    {},
    h('span', { class: 'role' }, role),
    h('span', { class: 'dn' }, c.subject),
    h('span', { class: 'muted' }, ` valid ${c.notBefore.slice(0, 10)} → ${c.notAfter.slice(0, 10)}`),
  );
}

function chain(sig: SignatureReport, t: Translator): HTMLElement {
  if (sig.chain.length === 0) return h('p', { class: 'muted' }, t.t('sig.chainNone'));
  return h('ol', { class: 'chain', 'data-testid': 'chain' }, ...sig.chain.map((c, i) => certLine(c, t.t(i === 0 ? 'sig.role.signer' : i === sig.chain.length - 1 ? 'sig.role.anchor' : 'sig.role.ca'))));
}

function reasons(sig: SignatureReport, t: Translator): HTMLElement | null {
  const items: HTMLElement[] = sig.checks
    .filter((c) => c.status === 'FAILED' || c.status === 'INDETERMINATE')
    .map((c) => h('li', { class: c.status === 'FAILED' ? 'bad' : 'warn' }, h('code', {}, c.subIndication ?? c.status), ' ', h('strong', {}, t.checkName(c)), ': ', c.detail));
  if (sig.recognition && sig.recognition.status !== 'RECOGNIZED' && sig.recognition.status !== 'INVALID') {
    for (const r of sig.recognition.reasons) items.push(h('li', { class: 'warn' }, h('code', {}, sig.recognition.status), ' ', r));
  }
  return items.length ? h('div', {}, h('h3', {}, t.t('sig.reasons')), h('ul', { class: 'reasons', 'data-testid': 'reasons' }, ...items)) : null;
}

function notes(sig: SignatureReport, t: Translator): HTMLElement | null {
  if (sig.warnings.length === 0) return null;
  return h('div', {}, h('h3', {}, t.t('sig.notes')), h('ul', { class: 'reasons notes' }, ...sig.warnings.map((w) => h('li', { class: 'muted' }, w))));
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
      h('tbody', {}, ...checks.map((c) => h('tr', { class: c.status.toLowerCase() }, h('td', {}, c.block), h('td', {}, t.checkName(c), ' ', h('code', {}, c.id)), h('td', {}, t.t(`status.${c.status}`)), h('td', {}, c.detail)))),
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

function signatureCard(sig: SignatureReport, t: Translator): HTMLElement {
  return h(
    'article',
    { class: 'card result', 'data-testid': 'signature' },
    h('div', { class: 'result-head' }, verdict(sig, t), recognition(sig, t)),
    facts(sig, t),
    h('h3', {}, t.t('sig.chain')),
    chain(sig, t),
    reasons(sig, t),
    notes(sig, t),
    checksTable(sig.checks, t),
  );
}

const CONTAINER_TEXT: Record<string, string> = {
  'TOTAL-PASSED': 'Every file in the container is signed and every signature is valid',
  'TOTAL-FAILED': 'The container is NOT valid',
  INDETERMINATE: 'The container could not be confirmed',
};

/** An ASiC container: its verdict and, per file, which signatures or time-stamps cover it (unsigned files stand out). */
function containerCard(c: ContainerReport): HTMLElement {
  const label = c.subIndication ? `${c.indication} / ${c.subIndication}` : c.indication;
  const coveredBy = (name: string) => [...c.signatures.filter((s) => s.covers.includes(name)).map((s) => s.signature), ...c.timestamps.filter((t) => t.covers.includes(name)).map((t) => `time-stamp ${t.file}`)];
  const rows = c.entries
    .filter((e) => e.role === 'data')
    .map((e) => {
      const by = coveredBy(e.name);
      const mismatch = c.manifestMismatches.find((m) => m.entry === e.name);
      const state = mismatch ? 'changed after signing' : by.length === 0 ? 'NOT SIGNED' : c.partiallyCovered.includes(e.name) ? 'signed by some signatures only' : 'signed';
      const cls = mismatch || by.length === 0 ? 'bad' : c.partiallyCovered.includes(e.name) ? 'warn' : 'ok';
      return h('tr', { class: cls, 'data-testid': 'container-file', 'data-name': e.name, 'data-state': state }, h('td', {}, h('code', {}, e.name)), h('td', {}, `${e.size} bytes${e.nested ? ` · ${e.nested.detail}` : ''}`), h('td', {}, state), h('td', {}, by.join(', ')));
    });
  const problems = [...c.checks.filter((k) => k.status !== 'PASSED').map((k) => `${k.subIndication ?? k.status}: ${k.detail}`), ...c.warnings];
  return h(
    'article',
    { class: 'card result', 'data-testid': 'container', 'data-indication': c.indication, 'data-sub-indication': c.subIndication ?? '' },
    h('div', { class: `verdict ${VERDICT_CLASS[c.indication] ?? 'warn'}` }, h('span', { class: 'verdict-text' }, CONTAINER_TEXT[c.indication] ?? c.indication), h('code', { class: 'verdict-code' }, label)),
    h('p', { class: 'muted' }, `${c.type} container · mimetype ${c.mimetype ?? 'absent'} · ${c.entries.length} entries`),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'file'), h('th', {}, 'size'), h('th', {}, 'state'), h('th', {}, 'covered by'))), h('tbody', {}, ...rows)),
    problems.length > 0 && h('ul', { class: 'reasons' }, ...problems.map((p) => h('li', { class: 'warn' }, p))),
  );
}

export function renderReport(report: ValidationReport, t: Translator): HTMLElement {
  const lists = report.trust?.lists ?? [];
  const trustLine = lists.length ? ` · ${lists.filter((l) => l.usable).length}/${lists.length} trust lists usable` : '';
  return h(
    'div',
    {},
    h('p', { class: 'muted' }, `${report.signatures.length} signature(s) · validated at ${report.validationTime} · ${report.tool.name} ${report.tool.version}${trustLine}`),
    report.container && containerCard(report.container),
    ...report.signatures.map((s) => signatureCard(s, t)),
    // Run-level notes (mostly about the trust data in use) come after the verdicts, folded.
    report.warnings.length > 0 &&
      h('details', { class: 'card run-notes' }, h('summary', {}, `${report.warnings.length} notes about this run and its trust data`), h('ul', {}, ...report.warnings.map((w) => h('li', {}, w)))),
  );
}

export function renderError(e: unknown): HTMLElement {
  const err = e as { code?: string; message?: string };
  return h('div', { class: 'card error', 'data-testid': 'error', 'data-code': err.code ?? '' }, h('strong', {}, err.code ?? 'Error'), ' ', err.message ?? String(e));
}

let downloadUrl: string | undefined;

/**
 * The printable report (formatHtml) in the reader's language: shown in a frame that may run no script
 * (sandbox without allow-scripts; same origin only so the page can size it), and offered for download.
 */
export function renderPrintable(report: ValidationReport, t: Translator, fileName: string): HTMLElement {
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
