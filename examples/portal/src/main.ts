import { collect, evaluate, pickReportLanguage, REPORT_LANGUAGES, Translator, type CollectedFacts, type ReportLanguage, type ValidationReport, type VerifyOptions } from 'ots-esig';
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

// The report language: the browser's preferred languages first, English when none has a catalogue.
for (const l of REPORT_LANGUAGES) {
  const o = document.createElement('option');
  o.value = l;
  o.lang = l;
  o.textContent = new Translator(l).t('lang.name');
  langSelect.append(o);
}
let t = new Translator(pickReportLanguage(navigator.languages ?? [navigator.language]));
langSelect.value = t.lang;
document.documentElement.lang = t.lang;

/** The report on screen, kept so another language re-renders it without checking again. */
let shown: { readonly report: ValidationReport; readonly name: string } | undefined;
function show(report: ValidationReport, name: string): void {
  shown = { report, name };
  delete document.body.dataset.report;
  results.replaceChildren(renderReport(report, t), renderPrintable(report, t, name));
}
langSelect.addEventListener('change', () => {
  t = new Translator(langSelect.value as ReportLanguage);
  document.documentElement.lang = t.lang;
  $('lang-label').textContent = t.t('ui.language');
  if (shown) show(shown.report, shown.name);
});
$('lang-label').textContent = t.t('ui.language');

const trust: Promise<PilotTrust> = loadPilotTrust();
trust.then(
  (t) => {
    if (t.test) {
      banner.textContent = `⚠ ${t.note}`;
      banner.hidden = false;
    }
    if (t.validationTime && !timeInput.value) timeInput.value = t.validationTime;
    document.body.dataset.trust = 'ready';
  },
  (e: unknown) => {
    status.textContent = `Trust lists could not be loaded: ${(e as Error).message}`;
    document.body.dataset.trust = 'failed';
  },
);

function showFileName(input: HTMLInputElement, target: string): void {
  $(target).textContent = input.files?.[0] ? `${input.files[0].name} (${input.files[0].size} bytes)` : '';
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

function validationTime(): Date | undefined {
  const v = timeInput.value.trim();
  if (!v) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw Object.assign(new Error(`"${v}" is not an ISO 8601 time`), { code: 'ERR_INVALID_OPTION' });
  return new Date(t);
}

/** The last checked file's facts: another relying party or purpose re-judges them without reading the file again. */
let checked: { readonly facts: CollectedFacts; readonly name: string } | undefined;
let collections = 0;

function recognitionInputs(): { relyingParty: string; purpose?: string } {
  const purpose = $<HTMLInputElement>('purpose').value.trim();
  return { relyingParty: $<HTMLSelectElement>('relying-party').value, ...(purpose ? { purpose } : {}) };
}

async function run(work: () => Promise<string>): Promise<void> {
  results.replaceChildren();
  shown = undefined;
  status.textContent = 'Checking…';
  document.body.dataset.state = 'busy';
  try {
    status.textContent = await work();
  } catch (err) {
    status.textContent = '';
    results.replaceChildren(renderError(err));
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
    show(report, file.name);
    return `Checked ${file.name} in ${Math.round(performance.now() - started)} ms.`;
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
      const report = await evaluate(last.facts, recognitionInputs());
      show(report, last.name);
      return `${last.name} judged again for relying party ${recognitionInputs().relyingParty}.`;
    });
  });
}
