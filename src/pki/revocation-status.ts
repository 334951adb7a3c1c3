/**
 * The revocation answer path validation consumes, apart from the CRL checker that produces one
 * (pki/revocation.ts validates CRL signers with findPath, so the path validator must not depend
 * on it: these types are the whole interface between them).
 */
import type { ParsedCertificate } from './certificate.js';

/** What is known about one certificate's revocation status, and from which source. */
export type RevocationStatus =
  | ({
      readonly status: 'good';
      readonly source: string;
      readonly thisUpdate: Date;
      readonly nextUpdate?: Date;
      readonly fresh: boolean;
      /**
       * Revocation data the signature carries about this certificate that could not be accepted (an OCSP response
       * whose delegated responder was revoked or is not authorized, …): the status rests on other data. Each entry
       * says why. A policy may reject such a signature (revocation.rejectUnacceptableCarried).
       */
      readonly rejectedCarried?: readonly string[];
      /**
       * The other kinds of accepted data that also answered "good" (current at the time in question or not: freshness
       * is judged on the answer named here). The answer names one source; a signature policy that prescribes a kind
       * (Turkish P4: OCSP) asks whether data of that kind answered.
       */
      readonly alsoFrom?: readonly ('crl' | 'ocsp')[];
    } & RevocationProvenance)
  | ({ readonly status: 'revoked'; readonly source: string; readonly revocationTime: Date; readonly reason?: string } & RevocationProvenance)
  | { readonly status: 'unknown'; readonly reason: string; readonly tryLater?: boolean };

/** Which kind of revocation data gave an answer and where it came from (src/revocation fills these in). */
export interface RevocationProvenance {
  readonly kind?: 'crl' | 'ocsp';
  /** `embedded` in the signature, `supplied` by the caller, `fetched` online. */
  readonly origin?: 'embedded' | 'supplied' | 'fetched';
  readonly producedAt?: Date;
}

/**
 * The revocation status of `cert` (issued by `issuer`) at `time`. Implementations
 * combine sources (CRLs, OCSP, embedded values, online fetching); path validation
 * only consumes the answer.
 */
export type RevocationChecker = (cert: ParsedCertificate, issuer: ParsedCertificate, time: Date) => Promise<RevocationStatus>;
