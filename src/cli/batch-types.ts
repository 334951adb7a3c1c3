import type { ValidationReport } from '../report/model.js';

/** One file of a batch: its report (and, with alternatives, the same facts judged again), or why it has none. */
export interface FileOutcome {
  readonly file: string;
  readonly report?: ValidationReport;
  /** The same collected facts judged again under each of the batch's alternative trust-list sets, in order. */
  readonly alternatives?: readonly ValidationReport[];
  readonly error?: { readonly code: string; readonly message: string };
}
