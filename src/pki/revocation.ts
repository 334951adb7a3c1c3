import type { AlgorithmRegistry } from '../crypto/registry.js';
import type { ParsedCertificate } from './certificate.js';
import type { ParsedCrl } from './crl.js';
import { verifySignedBy } from './signature.js';

/** What is known about one certificate's revocation status, and from which source. */
export type RevocationStatus =
  | ({ readonly status: 'good'; readonly source: string; readonly thisUpdate: Date; readonly nextUpdate?: Date; readonly fresh: boolean } & RevocationProvenance)
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

/** A checker over a fixed set of CRLs. */
export function crlChecker(crls: readonly ParsedCrl[], registry: AlgorithmRegistry): RevocationChecker {
  return (cert, issuer, time) => crlStatus(cert, issuer, crls, time, registry);
}

const SUPPORTED_CRL_CRITICAL = new Set<string>(['2.5.29.20' /* cRLNumber */]);

/**
 * Status of `cert` (issued by `issuer`) at `time` from caller-supplied CRLs.
 * A CRL counts only if its issuer name matches, its signature verifies with the
 * issuer's key, it has been issued at or before `time`, and it has no critical
 * extension we do not process (delta/indirect/partitioned CRLs come later).
 */
export async function crlStatus(
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
  crls: readonly ParsedCrl[],
  time: Date,
  registry: AlgorithmRegistry,
): Promise<RevocationStatus> {
  const reasons: string[] = [];
  let best: RevocationStatus | undefined;
  for (const crl of crls) {
    if (crl.issuer.key !== issuer.subject.key) continue;
    if (crl.authorityKeyIdentifier && issuer.subjectKeyIdentifier && crl.authorityKeyIdentifier !== issuer.subjectKeyIdentifier) continue;
    const unsupported = crl.criticalExtensions.filter((o) => !SUPPORTED_CRL_CRITICAL.has(o));
    if (unsupported.length) {
      reasons.push(`CRL from ${crl.issuer.text} has unsupported critical extension(s) ${unsupported.join(', ')}`);
      continue;
    }
    if (issuer.keyUsage && !issuer.keyUsage.has('cRLSign')) {
      reasons.push(`CRL issuer ${issuer.subject.text} lacks keyUsage cRLSign`);
      continue;
    }
    const sig = await verifySignedBy(registry, crl, issuer);
    if (!sig.ok) {
      reasons.push(`CRL from ${crl.issuer.text} has an invalid signature (${sig.reason})`);
      continue;
    }
    if (crl.thisUpdate.getTime() > time.getTime()) {
      reasons.push(`CRL from ${crl.issuer.text} was issued after the time in question`);
      continue;
    }
    const entry = crl.entryFor(cert.serialNumberHex);
    const source = `CRL ${crl.issuer.text} thisUpdate ${crl.thisUpdate.toISOString()}`;
    if (entry && entry.reason !== 'removeFromCRL') {
      if (entry.revocationDate.getTime() <= time.getTime()) {
        return { status: 'revoked', source, revocationTime: entry.revocationDate, reason: entry.reason };
      }
      // Revoked later than the time in question: good at that time, but only this CRL says so.
    }
    const fresh = !crl.nextUpdate || crl.nextUpdate.getTime() >= time.getTime();
    if (!best || (best.status === 'good' && crl.thisUpdate > best.thisUpdate)) {
      best = { status: 'good', source, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate, fresh };
    }
  }
  return best ?? { status: 'unknown', reason: reasons.length ? reasons.join('; ') : 'no CRL from this issuer was supplied' };
}
