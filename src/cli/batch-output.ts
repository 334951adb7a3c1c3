import type { FileOutcome } from './batch-types.js';
import { junitCaseLines, junitClose, junitOpen, type JunitCase } from './junit.js';

/**
 * A batch's output, written while the batch runs (#19: memory bounded whatever the number of files).
 * Each file's outcome is turned into its piece of the output where it was verified (a worker thread,
 * or the main thread with --jobs 1): a few hundred bytes cross to the main thread instead of the
 * report, and the main thread only writes pieces in input order and adds up counts.
 */

/** The batch output formats; text carries its language (English is formatted without the catalogues). */
export type BatchFormat = { readonly kind: 'json' } | { readonly kind: 'junit' } | { readonly kind: 'text'; readonly lang: string };

/** What the summary and the exit status need of one file, as numbers (the report itself is not kept). */
export interface FileTally {
  readonly signatures: number;
  readonly passed: number;
  readonly failed: number;
  readonly indeterminate: number;
  /** The file could not be evaluated (not a signature, unreadable). */
  readonly error: boolean;
  /** Signatures with a recognition decision, and how many of them RECOGNIZED. */
  readonly decided: number;
  readonly recognized: number;
  /** A container whose own result is not TOTAL-PASSED (an unsigned entry, only a time-stamp). */
  readonly containerNotPassed: boolean;
}

/** One file's share of the output: its counts and its text in the chosen format. */
export interface RenderedFile {
  readonly tally: FileTally;
  /** json: the `files` entry; junit: its test cases' XML lines; text: the row's cells as a JSON array. */
  readonly piece: string;
  /** junit only: the file's test cases, failures and errors (the header counts them before the cases). */
  readonly junit?: { readonly tests: number; readonly failures: number; readonly errors: number };
}

export function tallyOf(o: FileOutcome): FileTally {
  let passed = 0;
  let failed = 0;
  let indeterminate = 0;
  let decided = 0;
  let recognized = 0;
  const sigs = o.report?.signatures ?? [];
  for (const s of sigs) {
    if (s.indication === 'TOTAL-PASSED') passed++;
    else if (s.indication === 'TOTAL-FAILED') failed++;
    else indeterminate++;
    if (s.recognition) {
      decided++;
      if (s.recognition.status === 'RECOGNIZED') recognized++;
    }
  }
  const c = o.report?.container;
  return { signatures: sigs.length, passed, failed, indeterminate, error: !o.report, decided, recognized, containerNotPassed: !!c && c.indication !== 'TOTAL-PASSED' };
}

/** A text row's cells: file, number of signatures, verdicts, detail (t: words and numbers in the report language). */
export interface RowWords {
  readonly error: string;
  readonly number: (n: number) => string;
  readonly container: (result: string) => string;
  readonly recognition: (status: string, party: string) => string;
}

export const ENGLISH_ROW_WORDS: RowWords = {
  error: 'ERROR',
  number: String,
  container: (result) => `container ${result}`,
  recognition: (status, party) => `${status} in ${party}`,
};

export function textRow(o: FileOutcome, w: RowWords): string[] {
  if (!o.report) return [o.file, '-', w.error, `${o.error!.code}: ${o.error!.message}`];
  const sigs = o.report.signatures;
  const verdicts = sigs.map((s) => (s.subIndication ? `${s.indication}/${s.subIndication}` : s.indication));
  // Signer country, and the recognition decision when a relying party was given.
  const detail = sigs.map((s) => `${s.signer?.country ?? '?'}${s.recognition ? ` ${w.recognition(s.recognition.status, s.recognition.relyingParty)}` : ''}`).join(', ');
  const c = o.report.container;
  const container = c ? [w.container(`${c.indication}${c.subIndication ? `/${c.subIndication}` : ''}`)] : [];
  return [o.file, w.number(sigs.length), [...new Set(verdicts), ...container].join(', '), detail];
}

/** One JUnit test case per signature (one error case for a file that is not a signature). */
export function fileJunitCases(o: FileOutcome): JunitCase[] {
  if (!o.report) return [{ classname: o.file, name: 'signature', error: { message: `${o.error!.code}: ${o.error!.message}` } }];
  const c = o.report.container;
  const container: JunitCase[] = !c
    ? []
    : c.indication === 'TOTAL-PASSED'
      ? [{ classname: o.file, name: `container ${c.type}` }]
      : [{ classname: o.file, name: `container ${c.type}`, failure: { message: `${c.indication}${c.subIndication ? `/${c.subIndication}` : ''}`, detail: [...c.checks.filter((k) => k.status !== 'PASSED').map((k) => `${k.id}: ${k.detail}`), ...c.timestamps.filter((t) => t.status !== 'PASSED').map((t) => `${t.file}: ${t.status}${t.subIndication ? `/${t.subIndication}` : ''}`)].join('\n') } }];
  return [...container, ...o.report.signatures.map((s): JunitCase => {
    const name = `${s.id}${s.signer ? ` ${s.signer.subject}` : ''}`;
    if (s.indication === 'TOTAL-PASSED') return { classname: o.file, name };
    const why = s.checks.filter((k) => k.status !== 'PASSED' && k.status !== 'SKIPPED').map((k) => `${k.block} ${k.id}: ${k.detail}`);
    return { classname: o.file, name, failure: { message: `${s.indication}${s.subIndication ? `/${s.subIndication}` : ''}`, detail: why.join('\n') } };
  })];
}

/** JSON.stringify(value, null, 2) as it reads nested `depth` levels deep (JSON strings hold no raw newline). */
function indented(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/**
 * A `files` entry as JSON.stringify(document, null, 2) writes it inside the document (two levels deep): the entry is
 * stringified inside a `{"files": [entry]}` wrapper and cut out of it, rather than its lines indented again with a
 * regular expression over the whole text (half the cost per file).
 */
const ENTRY_HEAD = '{\n  "files": [\n    '.length;
const ENTRY_TAIL = '\n  ]\n}'.length;
function filesEntry(value: unknown): string {
  const s = JSON.stringify({ files: [value] }, null, 2);
  return s.substring(ENTRY_HEAD, s.length - ENTRY_TAIL);
}

/** One file's piece of the output in `format` (row words for text in a language other than English). */
export function renderFile(o: FileOutcome, format: BatchFormat, words: RowWords = ENGLISH_ROW_WORDS): RenderedFile {
  const tally = tallyOf(o);
  switch (format.kind) {
    case 'json':
      // Only the file and its report or error: the other fields of an outcome are not part of the verify output.
      return { tally, piece: filesEntry(o.report ? { file: o.file, report: o.report } : { file: o.file, error: o.error }) };
    case 'junit': {
      const cases = fileJunitCases(o);
      return {
        tally,
        piece: cases.flatMap(junitCaseLines).join('\n'),
        junit: { tests: cases.length, failures: cases.filter((c) => c.failure).length, errors: cases.filter((c) => c.error).length },
      };
    }
    case 'text':
      return { tally, piece: JSON.stringify(textRow(o, words)) };
  }
}

/** The batch summary: counts of files and signatures by verdict. */
export interface BatchSummary {
  readonly files: number;
  readonly signatures: number;
  readonly passed: number;
  readonly failed: number;
  readonly indeterminate: number;
  /** Files that could not be evaluated at all (not a signature, unreadable). */
  readonly errors: number;
  /** Signatures RECOGNIZED by the relying party; present only when recognition was asked for. */
  readonly recognized?: number;
  /** Entries a folder walk passed over (hidden, not a signature file name, not a regular file); listed with reasons beside the summary. */
  readonly skipped?: number;
}

/** Running totals of the tallies: the summary and the exit status, without keeping any report. */
export class BatchTotals {
  files = 0;
  signatures = 0;
  passed = 0;
  failed = 0;
  indeterminate = 0;
  errors = 0;
  decided = 0;
  recognized = 0;
  containerNotPassed = false;

  add(t: FileTally): void {
    this.files++;
    this.signatures += t.signatures;
    this.passed += t.passed;
    this.failed += t.failed;
    this.indeterminate += t.indeterminate;
    if (t.error) this.errors++;
    this.decided += t.decided;
    this.recognized += t.recognized;
    if (t.containerNotPassed) this.containerNotPassed = true;
  }

  summary(skipped?: number): BatchSummary {
    const { files, signatures, passed, failed, indeterminate, errors } = this;
    return { files, signatures, passed, failed, indeterminate, errors, ...(this.decided ? { recognized: this.recognized } : {}), ...(skipped !== undefined ? { skipped } : {}) };
  }

  /** Exit status 0: every file evaluated, every signature TOTAL-PASSED and (when decided) RECOGNIZED, every container passed. */
  get allPassed(): boolean {
    return this.errors === 0 && this.passed === this.signatures && this.recognized === this.decided && !this.containerNotPassed;
  }
}

/** A folder entry the batch passed over, with its reason (English) and its kind (for other languages). */
export interface SkippedLine {
  readonly file: string;
  readonly reason: string;
}

/** The text table's words around the rows: header cells, the summary line and the skipped lines. */
export interface TextFrame {
  readonly head: readonly string[];
  readonly summary: (s: BatchSummary) => string;
  readonly skipped: readonly string[];
}

/** Writes pieces as they come, in input order. Text and JUnit keep one short line per file until the end. */
export interface BatchWriter {
  add(r: RenderedFile): void;
  /** Writes what follows the files; returns the totals. */
  end(): BatchTotals;
}

/** A buffered sink: pieces are joined into chunks of ~64 KB before they are written (fewer system calls). */
class Chunks {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly write: (s: string) => void) {}
  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 65536) this.flush();
  }
  flush(): void {
    if (!this.parts.length) return;
    this.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

/**
 * The JSON document `{"files": [...], "skipped": [...], "summary": {...}}` written incrementally, byte for byte
 * what JSON.stringify(document, null, 2) gives: each file's entry as it comes, the summary at the end.
 */
export function jsonBatchWriter(write: (s: string) => void, skipped: readonly SkippedLine[]): BatchWriter {
  const out = new Chunks(write);
  const totals = new BatchTotals();
  out.push('{\n  "files": [');
  return {
    add(r) {
      out.push(`${totals.files ? ',' : ''}\n    ${r.piece}`);
      totals.add(r.tally);
    },
    end() {
      out.push(totals.files ? '\n  ]' : ']');
      out.push(`,\n  "skipped": ${indented(skipped, 1)},\n  "summary": ${indented(totals.summary(skipped.length), 1)}\n}\n`);
      out.flush();
      return totals;
    },
  };
}

/** JUnit XML: its header counts the cases, so the cases' lines are kept (not the reports) and written at the end. */
export function junitBatchWriter(write: (s: string) => void, suite: string): BatchWriter {
  const lines: string[] = [];
  const totals = new BatchTotals();
  const n = { tests: 0, failures: 0, errors: 0 };
  return {
    add(r) {
      totals.add(r.tally);
      if (r.piece) lines.push(r.piece);
      n.tests += r.junit!.tests;
      n.failures += r.junit!.failures;
      n.errors += r.junit!.errors;
    },
    end() {
      const out = new Chunks(write);
      out.push(junitOpen(suite, { ...n, skipped: 0 }).join('\n') + '\n');
      for (const l of lines) out.push(l + '\n');
      out.push(junitClose().join('\n') + '\n');
      out.flush();
      return totals;
    },
  };
}

/** The summary table: its column widths depend on every row, so the rows (short strings) are kept until the end. */
export function textBatchWriter(write: (s: string) => void, frame: TextFrame, skippedCount: number): BatchWriter {
  const rows: string[][] = [];
  const totals = new BatchTotals();
  return {
    add(r) {
      totals.add(r.tally);
      rows.push(JSON.parse(r.piece) as string[]);
    },
    end() {
      const head = frame.head;
      const widths = head.map((h) => h.length);
      for (const r of rows) for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i]!, r[i]!.length);
      for (let i = 0; i < widths.length; i++) widths[i] = Math.min(60, widths[i]!);
      const line = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
      const out = new Chunks(write);
      out.push(`${line(head)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
      for (const r of rows) out.push(line(r) + '\n');
      out.push(`\n${frame.summary(totals.summary(skippedCount))}\n`);
      for (const s of frame.skipped) out.push(s + '\n');
      out.flush();
      return totals;
    },
  };
}

/** The English table's header, summary line and skipped lines. */
export function englishTextFrame(skipped: readonly SkippedLine[]): TextFrame {
  return {
    head: ['file', 'sigs', 'verdict', 'detail'],
    summary: (s) =>
      `${s.files} file(s), ${s.signatures} signature(s): ${s.passed} TOTAL-PASSED, ${s.failed} TOTAL-FAILED, ${s.indeterminate} INDETERMINATE, ${s.errors} not evaluable` +
      (s.recognized !== undefined ? `; ${s.recognized} RECOGNIZED` : '') +
      (s.skipped ? `; ${s.skipped} skipped` : ''),
    skipped: skipped.map((s) => `skipped ${s.file}: ${s.reason}`),
  };
}
