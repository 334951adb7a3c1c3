import { collect, evaluate, pickReportLanguage, REPORT_LANGUAGES, type CollectedFacts, type ReportLanguage, type ValidationReport, type VerifyOptions } from 'ots-esig';
import { PortalText } from './i18n.js';
import type { PortalKey } from './messages/index.js';
import { renderError, renderPrintable, renderReport } from './render.js';
import { loadPilotTrust, type PilotTrust } from './trust.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('verify-form');
const signatureInput = $<HTMLInputElement>('signature');
const contentInput = $<HTMLInputElement>('content');
const timeInput = $<HTMLInputElement>('validation-time');
const status = $<HTMLParagraphElement>('status');
const results = $<HTMLElement>('results');
const banner = $<HTMLParagraphElement>('trust-banner');
const langSelect = $<HTMLSelectElement>('lang');
const relyingParty = $<HTMLSelectElement>('relying-party');

// Each language is named in itself, so a reader finds theirs whatever the page's language.
for (const l of REPORT_LANGUAGES) {
  const o = document.createElement('option');
  o.value = l;
  o.lang = l;
  o.textContent = new PortalText(l).report.t('lang.name');
  langSelect.append(o);
}

// The page language: the browser's preferred languages first, English when none has a catalogue.
let p = new PortalText(pickReportLanguage(navigator.languages ?? [navigator.language]));
langSelect.value = p.lang;

/** What is on screen, kept as data so another language says it again without checking again. */
let shown: { readonly report: ValidationReport; readonly name: string } | { readonly error: unknown } | undefined;
let statusLine: ((p: PortalText) => string) | undefined;
let trustState: { readonly test: boolean } | { readonly failed: string } | undefined;

function setStatus(line: ((p: PortalText) => string) | undefined): void {
  statusLine = line;
  status.textContent = line ? line(p) : '';
}

function showResults(): void {
  if (!shown) results.replaceChildren();
  else if ('error' in shown) results.replaceChildren(renderError(shown.error, p));
  else {
    delete document.body.dataset.report;
    results.replaceChildren(renderReport(shown.report, p), renderPrintable(shown.report, p, shown.name));
  }
}

/** Puts every static word of the page in the current language, and the page's lang attribute with it. */
function applyLanguage(): void {
  document.documentElement.lang = p.lang;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = p.ui(el.dataset.i18n as PortalKey);
  for (const el of document.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]')) el.placeholder = p.ui(el.dataset.i18nPlaceholder as PortalKey);
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n-aria-label]')) el.setAttribute('aria-label', p.ui(el.dataset.i18nAriaLabel as PortalKey));
  for (const o of relyingParty.options) {
    const name = p.ui(`country.${o.value}` as PortalKey);
    o.textContent = `${o.value} — ${o.hasAttribute('data-observer') ? p.ui('form.observer', { name }) : name}`;
  }
  if (trustState && 'test' in trustState && trustState.test) banner.textContent = `⚠ ${p.ui('page.testBanner')}`;
  showFileName(signatureInput, 'signature-name');
  showFileName(contentInput, 'content-name');
  if (statusLine) status.textContent = statusLine(p);
  showResults();
}

langSelect.addEventListener('change', () => {
  p = new PortalText(langSelect.value as ReportLanguage);
  applyLanguage();
});

const trust: Promise<PilotTrust> = loadPilotTrust();
trust.then(
  (t) => {
    trustState = { test: t.test };
    if (t.test) {
      banner.textContent = `⚠ ${p.ui('page.testBanner')}`;
      // The publisher's own note (English data) stays available as the banner's description.
      banner.title = t.note;
      banner.hidden = false;
    }
    if (t.validationTime && !timeInput.value) timeInput.value = t.validationTime;
    document.body.dataset.trust = 'ready';
  },
  (e: unknown) => {
    const message = (e as Error).message;
    trustState = { failed: message };
    setStatus((p) => p.ui('status.trustFailed', { message }));
    document.body.dataset.trust = 'failed';
  },
);

function showFileName(input: HTMLInputElement, target: string): void {
  const f = input.files?.[0];
  $(target).textContent = f ? p.ui('form.fileChosen', { name: f.name, count: f.size }) : '';
}
signatureInput.addEventListener('change', () => showFileName(signatureInput, 'signature-name'));
contentInput.addEventListener('change', () => showFileName(contentInput, 'content-name'));

// Dropping a file anywhere on a drop zone puts it in that zone's input.
for (const [zone, input, name] of [['drop-signature', signatureInput, 'signature-name'], ['drop-content', contentInput, 'content-name']] as const) {
  const el = $(zone);
  el.addEventListener('dragover', (e) => {
    e.preventDefault();
    el.classList.add('over');
  });
  el.addEventListener('dragleave', () => el.classList.remove('over'));
  el.addEventListener('drop', (e) => {
    e.preventDefault();
    el.classList.remove('over');
    if (e.dataTransfer?.files.length) {
      input.files = e.dataTransfer.files;
      showFileName(input, name);
    }
  });
}

/** A time the page refuses: the message is said in the reader's language when shown (renderError). */
class TimeError extends Error {
  readonly code = 'ERR_INVALID_OPTION';
  constructor(readonly value: string) {
    super(`"${value}" is not an ISO 8601 time`);
  }
}

function validationTime(): Date | undefined {
  const v = timeInput.value.trim();
  if (!v) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new TimeError(v);
  return new Date(t);
}

/** The last checked file's facts: another relying party or purpose re-judges them without reading the file again. */
let checked: { readonly facts: CollectedFacts; readonly name: string } | undefined;
let collections = 0;

function recognitionInputs(): { relyingParty: string; purpose?: string } {
  const purpose = $<HTMLInputElement>('purpose').value.trim();
  return { relyingParty: relyingParty.value, ...(purpose ? { purpose } : {}) };
}

async function run(work: () => Promise<(p: PortalText) => string>): Promise<void> {
  shown = undefined;
  showResults();
  setStatus((p) => p.ui('status.checking'));
  document.body.dataset.state = 'busy';
  try {
    setStatus(await work());
  } catch (err) {
    setStatus(undefined);
    shown = { error: err };
    showResults();
  } finally {
    document.body.dataset.collections = String(collections);
    document.body.dataset.state = 'done';
  }
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const file = signatureInput.files?.[0];
  if (!file) return;
  checked = undefined;
  await run(async () => {
    const t = await trust;
    const content = contentInput.files?.[0];
    const options: VerifyOptions = {
      trustLists: t.trustLists,
      agreements: t.agreements,
      crls: t.crls,
      ...recognitionInputs(),
      ...(content ? { detachedContent: new Uint8Array(await content.arrayBuffer()) } : {}),
      validationTime: validationTime(),
    };
    const started = performance.now();
    const facts = await collect(new Uint8Array(await file.arrayBuffer()), options);
    collections++;
    const report = await evaluate(facts);
    checked = { facts, name: file.name };
    shown = { report, name: file.name };
    showResults();
    const ms = Math.round(performance.now() - started);
    return (p) => p.ui('status.checked', { name: file.name, ms });
  });
});

// Another file, document or time is a new check.
for (const input of [signatureInput, contentInput, timeInput]) input.addEventListener('change', () => (checked = undefined));

// A relying party or purpose changed after a check: judge the same facts for it (no file read, no signature verified again).
for (const id of ['relying-party', 'purpose']) {
  $(id).addEventListener('change', async () => {
    const last = checked;
    if (!last) return;
    await run(async () => {
      const inputs = recognitionInputs();
      const report = await evaluate(last.facts, inputs);
      shown = { report, name: last.name };
      showResults();
      return (p) => p.ui('status.rejudged', { name: last.name, party: inputs.relyingParty });
    });
  });
}

applyLanguage();
