/**
 * Who may vouch for a time-stamp (DESIGN.md "Each certificate trusted only for its role").
 *
 * A signer's trust anchors say nothing about time-stamping: a CA that issues
 * signing certificates (or any anchor the caller passes for signatures) could
 * otherwise mint a TSA certificate and move a signature's best-signature-time
 * wherever it likes. A time-stamp is proof of existence only when its TSA path
 * ends at a certificate trusted *as a TSA*: one the caller passed as a
 * time-stamp anchor (`VerifyOptions.timestampAnchors`), or the identity of a
 * time-stamping service of a trusted list in good standing at the token's
 * genTime (trust/timestamp-services.ts adds that part).
 */
import type { ParsedCertificate } from '../pki/certificate.js';
import type { CertificatePool, TrustAnchor } from '../pki/pool.js';

export interface TimestampTrustDecision {
  readonly trusted: boolean;
  /** Why, naming the anchor or service (and its status) that decided. */
  readonly detail: string;
}

export interface TimestampTrust {
  /** Certificates a TSA's path may end at; empty when no TSA is trusted at all. */
  readonly anchors: CertificatePool<TrustAnchor>;
  /** What the anchors are, for messages ("no path to …"). */
  readonly description: string;
  /** Whether a validated TSA path (TSA first, anchor last) is trusted as a time-stamping authority at `genTime`. */
  judge(chain: readonly ParsedCertificate[], genTime: Date): TimestampTrustDecision;
}

/** Only the caller's own time-stamp anchors: a path must end at one of them. */
export function directTimestampTrust(anchors: CertificatePool<TrustAnchor>): TimestampTrust {
  return {
    anchors,
    description: anchors.size ? `the ${anchors.size} time-stamp anchor(s) given in timestampAnchors` : 'no timestampAnchors were given and no trusted list names a time-stamping service',
    judge(chain) {
      const anchor = chain[chain.length - 1];
      // The chain is a validated path: its last certificate is an anchor or a re-issue of one (same name and key,
      // self-signature verified by the path validator), which is the same anchor (pki/pool.ts TrustAnchor.reissueOf).
      const reissue = (a: ParsedCertificate) => a.isSelfIssued && anchors.issuersOf(a).some((t) => t.certificate.spkiKey === a.spkiKey && t.certificate.subject.key === a.subject.key);
      if (anchor && (anchors.has(anchor) || reissue(anchor))) return { trusted: true, detail: `the TSA path ends at ${anchor.subject.text}, a time-stamp anchor the caller supplied` };
      return { trusted: false, detail: `the TSA path does not end at a time-stamp anchor the caller supplied (timestampAnchors)` };
    },
  };
}
