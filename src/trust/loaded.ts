/**
 * One trusted list as loaded: its content, how its integrity was established and whether it is
 * used. Declared apart from trust/load.ts (which produces it and builds the TrustIndex of
 * trust/anchors.ts over it) so the index and the loader do not import each other.
 */
import type { ListSignatureOutcome } from './list-signature.js';
import type { TrustedList, TslPointer } from './model.js';

/**
 * How the content of a loaded list is known to be authentic:
 * - `xades-signature`: its enveloped signature verified with a pinned (or LOTL-announced) certificate;
 * - `pinned-digest`: (JSON) the bytes match the SHA-256 the caller pinned;
 * - `caller-trusted`: (JSON) nothing was checked: the caller vouches for the file (e.g. bundled with the application);
 * - `none`: not established (the list is not used).
 */
export type ListIntegrity = 'xades-signature' | 'pinned-digest' | 'caller-trusted' | 'none';

/** A trusted list as loaded: the list, how its integrity was established (signature, pinned digest, caller), whether it is usable and why not. */
export interface LoadedTrustList {
  readonly list: TrustedList;
  readonly name: string;
  readonly format: 'xml' | 'json';
  /** SHA-256 (hex) of the bytes loaded. */
  readonly sha256: string;
  readonly signature: ListSignatureOutcome;
  readonly integrity: ListIntegrity;
  /** The verified list-of-lists that announced this list's signers, if any. */
  readonly via: { readonly id: string; readonly sequenceNumber: number; readonly pointer: TslPointer } | null;
  /**
   * NextUpdate is before the time given to `loadTrustLists`. A TrustSet may be reused for later
   * validations: decisions use `listExpiredAt(list, validationTime)`, never this field.
   */
  readonly expired: boolean;
  /** Used for anchors and recognition: integrity established and structure read. */
  readonly usable: boolean;
  readonly problems: readonly string[];
}
