import type { SignatureReport, ValidationReport } from '../report/model.js';

/** What a relying party's decision about one signature comes down to; compared across trust-list versions. */
export interface VerdictSnapshot {
  readonly indication: string;
  readonly subIndication: string | null;
  readonly recognition: string | null;
  /** `kind:list-or-agreement id` without sequence numbers, which change with every issue. */
  readonly basis: string | null;
  readonly level: string | null;
}

/** Snapshots of a corpus: file (relative to the corpus folder) → one snapshot per signature, or an error code. */
export type CorpusSnapshot = Record<string, readonly VerdictSnapshot[] | { readonly error: string }>;

export interface RegressionChange {
  readonly file: string;
  readonly signature: string;
  readonly before: VerdictSnapshot | { readonly error: string } | null;
  readonly after: VerdictSnapshot | { readonly error: string } | null;
}

export function snapshotSignature(s: SignatureReport): VerdictSnapshot {
  const r = s.recognition;
  const b = r?.basis;
  return {
    indication: s.indication,
    subIndication: s.subIndication,
    recognition: r?.status ?? null,
    basis: b ? `${b.kind}:${b.agreementId ?? b.listId ?? '?'}` : null,
    level: r?.equivalenceLevel ?? null,
  };
}

export function snapshotReport(report: ValidationReport): VerdictSnapshot[] {
  return report.signatures.map(snapshotSignature);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every signature whose verdict, recognition, basis or level differs between two snapshots of the same corpus. */
export function compareSnapshots(before: CorpusSnapshot, after: CorpusSnapshot): RegressionChange[] {
  const changes: RegressionChange[] = [];
  const files = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const file of files) {
    const a = before[file];
    const b = after[file];
    if (!a || !b || 'error' in a || 'error' in b) {
      // A file appeared, disappeared, or is (no longer) evaluable: one change for the whole file.
      const side = (x: typeof a) => (x === undefined ? null : 'error' in x ? x : (x[0] ?? null));
      if (!same(a, b)) changes.push({ file, signature: '*', before: side(a), after: side(b) });
      continue;
    }
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (!same(a[i], b[i])) changes.push({ file, signature: `signature[${i}]`, before: a[i] ?? null, after: b[i] ?? null });
    }
  }
  return changes;
}

function describe(v: RegressionChange['before']): string {
  if (v === null) return '(absent)';
  if ('error' in v) return `error ${v.error}`;
  const verdict = v.subIndication ? `${v.indication}/${v.subIndication}` : v.indication;
  return v.recognition ? `${verdict}, ${v.recognition}${v.basis ? ` via ${v.basis}` : ''}${v.level ? ` (${v.level})` : ''}` : verdict;
}

export function formatRegressionText(changes: readonly RegressionChange[], total: number, against: string): string {
  const lines = [`${total} file(s) re-verified against ${against}: ${changes.length} change(s)`];
  for (const c of changes) lines.push(`  ${c.file} ${c.signature}: ${describe(c.before)}  →  ${describe(c.after)}`);
  return lines.join('\n') + '\n';
}
