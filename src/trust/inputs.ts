/**
 * The caller's trust inputs (the trust part of VerifyOptions): trusted lists, agreements, relying
 * party. Declared apart from trust/context.ts, which prepares and applies them, so the validation
 * options can name these types without the options and trust modules importing each other.
 */
import type { Agreement } from './agreements.js';
import type { TrustListInput, TrustSet } from './load.js';

/** An agreement file as the caller has it (JSON text or bytes). */
export interface AgreementInput {
  readonly data: Uint8Array | ArrayBuffer | string;
  readonly name?: string;
}

/** The trust-related part of VerifyOptions. */
export interface TrustOptions {
  readonly trustLists?: readonly TrustListInput[] | TrustSet;
  readonly agreements?: readonly (Agreement | AgreementInput)[];
  readonly relyingParty?: string;
  readonly purpose?: string;
}
