import type { MessageKey } from '../report/i18n/messages/en.js';
import { translator, type Translator } from '../report/i18n/translate.js';
import type { Language } from '../report/i18n/codes.js';
import type { BatchSummary, RowWords, TextFrame } from './batch-output.js';
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

/*
 * The batch summary table (the English layout of batch-output.ts) in another language than English, words
 * from the message catalogue, counts with Intl plural rules. ETSI codes (TOTAL-PASSED, RECOGNIZED), file
 * names and the English messages of per-file errors stay as they are. A module of its own so that an
 * English batch does not load the nine catalogues (CLI start-up).
 */

/** The words of a table row in `lang` (used where the file is verified: a worker thread or the main thread). */
export function rowWordsIn(lang: string): RowWords {
  const t = translator(lang as Language);
  return {
    error: t.t('batch.error'),
    number: (n) => t.number(n),
    container: (result) => t.t('batch.container', { result }),
    recognition: (status, party) => t.t('batch.recognition', { status, party }),
  };
}

/** The header, summary line and skipped lines of the table in `lang`. */
export function textFrameIn(lang: Language, skipped: readonly SkippedEntry[]): TextFrame {
  const t = translator(lang);
  return {
    head: [t.t('batch.col.file'), t.t('batch.col.signatures'), t.t('batch.col.verdict'), t.t('batch.col.detail')],
    summary: (s) => summaryLine(t, s),
    skipped: skipped.map((s) => t.t('batch.skippedEntry', { file: s.file, reason: skipReason(t, s) })),
  };
}

function summaryLine(t: Translator, s: BatchSummary): string {
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
