import type { MessageKey } from '../report/i18n/messages/en.js';
import { translator, type Translator } from '../report/i18n/translate.js';
import type { Language } from '../report/i18n/codes.js';
import type { BatchRun } from './batch.js';
import { SIGNATURE_EXTENSIONS, type SkipKind } from './io.js';

/** A folder entry the batch passed over, with its reason (English) and its kind (for other languages). */
export interface SkippedEntry {
  readonly file: string;
  readonly reason: string;
  readonly skipKind?: SkipKind;
}

const SKIP_KEY: Record<SkipKind['kind'], MessageKey> = {
  hidden: 'batch.skip.hidden',
  'not-regular': 'batch.skip.notRegular',
  'not-signature-name': 'batch.skip.notSignatureName',
  'folder-again': 'batch.skip.folderAgain',
};

/**
 * The batch summary table (formatBatchText's layout) in another language than English, words from the
 * message catalogue, counts with Intl plural rules. ETSI codes (TOTAL-PASSED, RECOGNIZED), file names
 * and the English messages of per-file errors stay as they are. A module of its own so that an English
 * batch does not load the nine catalogues (CLI start-up).
 */
export function formatBatchTextIn(run: BatchRun, skipped: readonly SkippedEntry[], lang: Language): string {
  const t = translator(lang);
  const rows = run.outcomes.map((o) => {
    if (!o.report) return [o.file, '-', t.t('batch.error'), `${o.error!.code}: ${o.error!.message}`];
    const sigs = o.report.signatures;
    const verdicts = sigs.map((s) => (s.subIndication ? `${s.indication}/${s.subIndication}` : s.indication));
    const detail = sigs.map((s) => `${s.signer?.country ?? '?'}${s.recognition ? ` ${t.t('batch.recognition', { status: s.recognition.status, party: s.recognition.relyingParty })}` : ''}`).join(', ');
    const c = o.report.container;
    const container = c ? [t.t('batch.container', { result: `${c.indication}${c.subIndication ? `/${c.subIndication}` : ''}` })] : [];
    return [o.file, t.number(sigs.length), [...new Set(verdicts), ...container].join(', '), detail];
  });
  const head = [t.t('batch.col.file'), t.t('batch.col.signatures'), t.t('batch.col.verdict'), t.t('batch.col.detail')];
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', summaryLine(t, run), ...skipped.map((s) => t.t('batch.skippedEntry', { file: s.file, reason: skipReason(t, s) }))].join('\n') + '\n';
}

function summaryLine(t: Translator, run: BatchRun): string {
  const s = run.summary;
  const n = (v: number) => t.number(v);
  return (
    t.t('batch.summary', {
      files: t.t('batch.files', { count: s.files }),
      signatures: t.t('report.signatures', { count: s.signatures }),
      passed: n(s.passed),
      failed: n(s.failed),
      indeterminate: n(s.indeterminate),
      errors: t.t('batch.notEvaluable', { count: s.errors }),
    }) +
    (s.recognized !== undefined ? `; ${t.t('batch.recognized', { count: s.recognized })}` : '') +
    (s.skipped ? `; ${t.t('batch.skipped', { count: s.skipped })}` : '')
  );
}

function skipReason(t: Translator, s: SkippedEntry): string {
  const k = s.skipKind;
  if (!k) return s.reason;
  return t.t(SKIP_KEY[k.kind], { extensions: SIGNATURE_EXTENSIONS.join(' '), ...(k.kind === 'folder-again' ? { folder: k.folder } : {}) });
}
