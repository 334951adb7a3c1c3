/** What the main thread sends a worker for one verification, and what comes back (plain, cloneable data). */
import type { ValidationReport } from '../report/model.js';

export interface VerifyTask {
  readonly snapshot: { readonly id: string; readonly material: SharedArrayBuffer };
  readonly signature: Uint8Array;
  /** Detached signed data: one unnamed blob (CAdES) or named files (XAdES references by URI). */
  readonly documents: readonly { readonly name?: string; readonly content: Uint8Array }[];
  readonly relyingParty?: string;
  /** ISO-8601; absent: the time the worker starts the task. */
  readonly validationTime?: string;
  /** A preset name or a policy object (policies/policy.schema.json). */
  readonly policy?: unknown;
  /** Also render the ETSI TS 119 102-2 XML report (in the worker: rendering stays off the event loop). */
  readonly etsiXml?: boolean;
}

export type VerifyResult =
  | { readonly ok: true; readonly report: ValidationReport; readonly etsiXml?: string }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };
