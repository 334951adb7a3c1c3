/** What the main thread sends a worker for one verification, and what comes back (plain, cloneable data). */
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
  /**
   * The answer to render, in the worker (serialising stays off the event loop): the JSON report,
   * the ETSI TS 119 102-2 XML, or DSS's WSReportsDTO.
   */
  readonly output: 'json' | 'etsi-xml' | { readonly dss: { readonly documentName: string | null; readonly signatureId: string | null } };
}

/** Per signature (counter-signatures included), for the verdict metrics. */
export interface VerdictTally {
  readonly indication: string;
  readonly recognition: string;
}

export type VerifyResult =
  /**
   * `body`: the answer as UTF-8, its buffer transferred to the main thread (not copied): the event loop
   * writes it to the socket as it is, with no string to clone or encode there.
   */
  | { readonly ok: true; readonly body: Uint8Array; readonly verdicts: readonly VerdictTally[] }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };
