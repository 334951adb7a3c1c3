/**
 * EN 319 102-1 building blocks and the outcome of one elementary check, with the accumulator every
 * building block records into. Low-level vocabulary shared by the format front ends, the signature stage
 * and the report (report/check.ts re-exports it): not a report type.
 */
import type { SubIndication } from './indication.js';

/** Outcome of one elementary check, as in the EN 319 102-1 building blocks (OK / NOT OK / not conclusive). */
export type CheckStatus = 'PASSED' | 'FAILED' | 'INDETERMINATE' | 'SKIPPED';

/** Building blocks of EN 319 102-1 clause 5.2 (FC, ISC, VCI, RFC, XCV, CV, SAV) and the time-stamp / POE ones. */
export type BuildingBlock = 'FC' | 'ISC' | 'VCI' | 'RFC' | 'XCV' | 'CV' | 'SAV' | 'TST' | 'PSV';

/** One check a validation ran, with its ETSI building block, status and a detail for people; `id` is stable to branch on. */
export interface Check {
  /** Stable identifier, e.g. `cv.message-digest`; safe to branch on. */
  readonly id: string;
  readonly block: BuildingBlock;
  readonly status: CheckStatus;
  /** Human-readable explanation of what was compared and what was found. */
  readonly detail: string;
  /** The sub-indication this check produces when it is not PASSED. */
  readonly subIndication?: SubIndication;
}

/** Accumulates checks in order; the first non-passing one decides the verdict unless a later rule overrides. */
export class CheckList {
  readonly items: Check[] = [];

  pass(block: BuildingBlock, id: string, detail: string): void {
    this.items.push({ id, block, status: 'PASSED', detail });
  }

  fail(block: BuildingBlock, id: string, detail: string, subIndication: SubIndication): void {
    this.items.push({ id, block, status: 'FAILED', detail, subIndication });
  }

  indeterminate(block: BuildingBlock, id: string, detail: string, subIndication: SubIndication): void {
    this.items.push({ id, block, status: 'INDETERMINATE', detail, subIndication });
  }

  skip(block: BuildingBlock, id: string, detail: string): void {
    this.items.push({ id, block, status: 'SKIPPED', detail });
  }

  add(check: Check): void {
    this.items.push(check);
  }
}
