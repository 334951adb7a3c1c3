/**
 * The caller's trust inputs (the trust part of VerifyOptions): trusted lists, agreements, relying
 * party. Declared apart from trust/context.ts, which prepares and applies them, so the validation
 * options can name these types without the options and trust modules importing each other.
 */
import type { Agreement } from './agreements.js';
import type { CertificateInput } from '../pki/inputs.js';
import type { TrustListInput, TrustSet } from './load.js';

/** An agreement file as the caller has it (JSON text or bytes). */
export interface AgreementInput {
  readonly data: Uint8Array | ArrayBuffer | string;
  readonly name?: string;
}

/**
 * A certificate allowed to sign agreements for a party: `{ party, certificate }`, or a certificate
 * alone (its subject's countryName is the party).
 */
export type AgreementSignerInput = CertificateInput | { readonly party: string; readonly certificate: CertificateInput };

/** The trust-related part of VerifyOptions. */
export interface TrustOptions {
  readonly trustLists?: readonly TrustListInput[] | TrustSet;
  readonly agreements?: readonly (Agreement | AgreementInput)[];
  /**
   * Operator certificates that sign agreements for each party. When any is given, only agreements
   * signed by both parties (with these, or with the certificates a usable list of lists announces
   * for the party's territory) are used; bare agreements are reported and not used. When none is
   * given, bare agreements are used as supplied (reports say they are unauthenticated) and signed
   * ones are checked against the announced certificates only.
   */
  readonly agreementSigners?: readonly AgreementSignerInput[];
  readonly relyingParty?: string;
  readonly purpose?: string;
}
