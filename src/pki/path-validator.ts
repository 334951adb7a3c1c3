import type { AlgorithmPolicy } from '../crypto/policy.js';
import { evaluateAlgorithm } from '../crypto/policy.js';
import type { AlgorithmRegistry } from '../crypto/registry.js';
import type { SubIndication } from '../report/indication.js';
import type { KeyUsageName, ParsedCertificate } from './certificate.js';
import { OID } from './oids.js';
import type { CandidatePath } from './path-builder.js';
import type { RevocationChecker, RevocationStatus } from './revocation.js';
import { verifySignedBy } from './signature.js';

export interface PathValidationOptions {
  readonly time: Date;
  readonly registry: AlgorithmRegistry;
  readonly algorithmPolicy: AlgorithmPolicy;
  /** Answers the revocation status of each certificate; see `pki/revocation.ts` for the CRL-based default. */
  readonly revocation: RevocationChecker;
  /** The target must have at least one of these key usages when it has a keyUsage extension. */
  readonly targetKeyUsage?: readonly KeyUsageName[];
  /** The target must carry this extended key usage (e.g. id-kp-timeStamping for a TSA). */
  readonly targetExtKeyUsage?: string;
}

export type PathFailureKind =
  | 'signature'
  | 'name-chaining'
  | 'not-yet-valid'
  | 'expired'
  | 'revoked'
  | 'basic-constraints'
  | 'path-length'
  | 'key-usage'
  | 'extended-key-usage'
  | 'critical-extension'
  | 'crypto-constraints';

export interface PathFailure {
  readonly kind: PathFailureKind;
  /** 0 is the target; the anchor is `chain.length - 1`. */
  readonly certificateIndex: number;
  readonly subject: string;
  readonly detail: string;
  readonly subIndication: SubIndication;
  /** For crypto constraints: the cut-off a proof of existence would have to precede. */
  readonly until?: Date;
}

export interface PathValidationResult {
  readonly valid: boolean;
  /** Target first, anchor last. */
  readonly chain: readonly ParsedCertificate[];
  readonly anchorSource?: string;
  /** A signature or name-chaining failure: this is not a chain at all. */
  readonly broken: boolean;
  readonly failures: readonly PathFailure[];
  /** Revocation status of each non-anchor certificate, same order as `chain`. */
  readonly revocation: readonly RevocationStatus[];
}

/**
 * Extensions this validator processes. Anything else marked critical makes the
 * path fail (RFC 5280 4.2). Name constraints and the policy extensions are
 * deliberately not listed until they are enforced: accepting them unprocessed
 * would be accepting silently.
 */
const PROCESSED_EXTENSIONS = new Set<string>([
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.basicConstraints,
  OID.subjectAltName,
  OID.issuerAltName,
  OID.certificatePolicies,
  OID.cRLDistributionPoints,
  OID.freshestCRL,
  OID.authorityInfoAccess,
  OID.qcStatements,
  OID.ocspNoCheck,
]);

/** RFC 5280 6.1 basic path validation of one candidate path at `options.time`, collecting every failure. */
export async function validatePath(path: CandidatePath, options: PathValidationOptions): Promise<PathValidationResult> {
  const chain = [...path.certificates, path.anchor.certificate];
  const failures: PathFailure[] = [];
  const revocation: RevocationStatus[] = [];
  const fail = (i: number, kind: PathFailureKind, detail: string, sub: SubIndication, until?: Date) =>
    failures.push({ kind, certificateIndex: i, subject: chain[i]!.subject.text, detail, subIndication: sub, until });
  const t = options.time;
  let broken = false;

  // Walk from the certificate below the anchor down to the target (RFC 5280 processes in that order).
  let maxPathLength = path.certificates.length;
  for (let i = path.certificates.length - 1; i >= 0; i--) {
    const cert = chain[i]!;
    const issuer = chain[i + 1]!;
    const isTarget = i === 0;

    if (cert.issuer.key !== issuer.subject.key) {
      fail(i, 'name-chaining', `issuer name ${cert.issuer.text} does not match ${issuer.subject.text}`, 'NO_CERTIFICATE_CHAIN_FOUND');
      broken = true;
    }
    const sig = await verifySignedBy(options.registry, cert, issuer);
    if (!sig.ok) {
      const sub: SubIndication = sig.unsupported ? 'CRYPTO_CONSTRAINTS_FAILURE' : 'NO_CERTIFICATE_CHAIN_FOUND';
      fail(i, sig.unsupported ? 'crypto-constraints' : 'signature', `signature by ${issuer.subject.text}: ${sig.reason}`, sub);
      if (!sig.unsupported) broken = true;
    } else {
      const verdict = evaluateAlgorithm(options.algorithmPolicy, sig.algorithm, t);
      if (!verdict.acceptable) {
        fail(
          i,
          'crypto-constraints',
          `certificate signature ${sig.algorithm.name}: ${verdict.reason}`,
          verdict.until ? 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE' : 'CRYPTO_CONSTRAINTS_FAILURE',
          verdict.until ?? undefined,
        );
      }
    }

    if (t.getTime() < cert.notBefore.getTime()) {
      fail(i, 'not-yet-valid', `not valid before ${cert.notBefore.toISOString()}`, 'NOT_YET_VALID');
    } else if (t.getTime() > cert.notAfter.getTime()) {
      fail(i, 'expired', `expired at ${cert.notAfter.toISOString()}`, 'OUT_OF_BOUNDS_NO_POE');
    }

    const status = await options.revocation(cert, issuer, t);
    revocation[i] = status;
    if (status.status === 'revoked') {
      fail(
        i,
        'revoked',
        `revoked at ${status.revocationTime.toISOString()}${status.reason ? ` (${status.reason})` : ''} per ${status.source}`,
        isTarget ? 'REVOKED_NO_POE' : 'REVOKED_CA_NO_POE',
      );
    }

    for (const ext of cert.extensions) {
      if (ext.critical && !PROCESSED_EXTENSIONS.has(ext.oid)) {
        fail(i, 'critical-extension', `unsupported critical extension ${ext.oid}`, 'CERTIFICATE_CHAIN_GENERAL_FAILURE');
      }
    }

    if (!isTarget) {
      if (!cert.isCA) {
        fail(i, 'basic-constraints', 'issues certificates but is not a CA (basicConstraints cA)', 'CHAIN_CONSTRAINTS_FAILURE');
      }
      if (!cert.isSelfIssued) {
        if (maxPathLength <= 0) {
          fail(i, 'path-length', 'pathLenConstraint of a superior CA is exceeded', 'CHAIN_CONSTRAINTS_FAILURE');
        }
        maxPathLength--;
      }
      const pl = cert.basicConstraints?.pathLenConstraint;
      if (pl !== undefined && pl < maxPathLength) maxPathLength = pl;
      if (cert.keyUsage && !cert.keyUsage.has('keyCertSign')) {
        fail(i, 'key-usage', 'CA certificate lacks keyUsage keyCertSign', 'CHAIN_CONSTRAINTS_FAILURE');
      }
    }
  }

  // RFC 5280 lets a trust anchor's own constraints be ignored; its pathLen we do apply (what relying parties expect).
  const anchor = path.anchor.certificate;
  const anchorPl = anchor.basicConstraints?.pathLenConstraint;
  const intermediates = path.certificates.slice(1).filter((c) => !c.isSelfIssued).length;
  if (anchorPl !== undefined && intermediates > anchorPl) {
    fail(chain.length - 1, 'path-length', `trust anchor pathLenConstraint ${anchorPl} allows fewer CAs below it`, 'CHAIN_CONSTRAINTS_FAILURE');
  }

  const target = chain[0]!;
  if (path.certificates.length > 0) {
    if (options.targetKeyUsage && target.keyUsage && !options.targetKeyUsage.some((u) => target.keyUsage!.has(u))) {
      fail(0, 'key-usage', `keyUsage lacks ${options.targetKeyUsage.join(' or ')} (has ${[...target.keyUsage].join(', ') || 'none'})`, 'CHAIN_CONSTRAINTS_FAILURE');
    }
    if (options.targetExtKeyUsage && !(target.extKeyUsage ?? []).includes(options.targetExtKeyUsage)) {
      fail(0, 'extended-key-usage', `extendedKeyUsage lacks ${options.targetExtKeyUsage}`, 'CHAIN_CONSTRAINTS_FAILURE');
    }
  }

  return { valid: failures.length === 0, chain, anchorSource: path.anchor.source, broken, failures, revocation };
}

/** Order in which one failure outranks another when a path has several (most fundamental first). */
const SEVERITY: readonly SubIndication[] = [
  'NO_CERTIFICATE_CHAIN_FOUND',
  'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  'CHAIN_CONSTRAINTS_FAILURE',
  'CRYPTO_CONSTRAINTS_FAILURE',
  'NOT_YET_VALID',
  'REVOKED_NO_POE',
  'REVOKED_CA_NO_POE',
  'OUT_OF_BOUNDS_NO_POE',
  'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
];

export function primaryFailure(result: PathValidationResult): PathFailure | undefined {
  let best: PathFailure | undefined;
  for (const f of result.failures) {
    if (!best || SEVERITY.indexOf(f.subIndication) < SEVERITY.indexOf(best.subIndication)) best = f;
  }
  return best;
}
