import type { AlgorithmPolicy } from '../crypto/policy.js';
import { evaluateAlgorithm } from '../crypto/policy.js';
import type { AlgorithmRegistry } from '../crypto/registry.js';
import type { KeyUsageName, ParsedCertificate } from './certificate.js';
import { checkNameConstraints, constrainedNames, readNameConstraints, type NameConstraintSet } from './name-constraints.js';
import { OID } from './oids.js';
import type { CandidatePath } from './path-builder.js';
import { processPolicies, readPolicyInfo, type CertificatePolicyInfo } from './policy-tree.js';
import { profileIssues } from './profile.js';
import type { RevocationChecker, RevocationStatus } from './revocation-status.js';
import { verifySignedBy } from './signature.js';
import * as asn1js from 'asn1js';
import { readPublicKey, type PublicKeyFacts } from '../crypto/spki.js';
import { toArrayBuffer } from '../util/bytes.js';

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
  /**
   * RFC 5280 6.1.1 (c) user-initial-policy-set: the certificate policy OIDs the
   * relying party accepts (e.g. those an agreement requires). Default anyPolicy.
   */
  readonly initialPolicySet?: readonly string[];
  /** RFC 5280 6.1.1 (f) initial-explicit-policy: the path must be valid for at least one policy of the set. */
  readonly requireExplicitPolicy?: boolean;
  /** RFC 5280 6.1.1 (e) initial-policy-mapping-inhibit. */
  readonly inhibitPolicyMapping?: boolean;
  /** RFC 5280 6.1.1 (g) initial-any-policy-inhibit. */
  readonly inhibitAnyPolicy?: boolean;
  /**
   * Strict mode: also enforce the RFC 5280 section 4 MUSTs addressed to issuing
   * CAs (criticality rules, AKI/SKI presence, keyCertSign only with cA) and
   * treat the trust anchor's certificate as a certificate, as OpenSSL does:
   * its validity period, basicConstraints cA, keyUsage keyCertSign and
   * critical extensions count. Off by default, because deployed e-signature
   * PKIs (and trusted lists, whose anchors may outlive their certificates)
   * break some of these rules without that being a security problem.
   */
  readonly strict?: boolean;
}

/**
 * What went wrong, in RFC 5280 terms. pki/ knows nothing of ETSI EN 319 102-1: the signature
 * stage maps these to sub-indications (validation/path-findings.ts subIndicationOf), so the same
 * path engine serves signer, TSA and CRL-issuer paths and any other caller.
 * - 'signature', 'name-chaining': the candidate is not a chain at all;
 * - 'malformed', 'critical-extension': a certificate is unusable as encoded;
 * - 'basic-constraints', 'path-length', 'key-usage', 'extended-key-usage', 'name-constraints',
 *   'policy': a constraint of the path is violated;
 * - 'crypto-constraints': an algorithm is unsupported or not acceptable at the validation time
 *   (`until` set when it was acceptable before a cut-off);
 * - 'not-yet-valid', 'expired': outside the validity period at the validation time;
 * - 'revoked': revoked at `revokedAt`, at or before the validation time.
 */
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
  | 'crypto-constraints'
  | 'name-constraints'
  | 'policy'
  | 'malformed';

export interface PathFailure {
  readonly kind: PathFailureKind;
  /** 0 is the target; the anchor is `chain.length - 1`. */
  readonly certificateIndex: number;
  readonly subject: string;
  readonly detail: string;
  /** For crypto constraints: the cut-off a proof of existence would have to precede (absent: no date helps). */
  readonly until?: Date;
  /** For 'revoked': the revocation time the status source gave. */
  readonly revokedAt?: Date;
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
  /** Certificate policies the path is valid for (RFC 5280 6.1.5 valid_policy_tree leaves); empty when none. */
  readonly policies: readonly string[];
}

/**
 * Extensions this validator processes. Anything else marked critical makes the
 * path fail (RFC 5280 4.2).
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
  OID.policyMappings,
  OID.policyConstraints,
  OID.inhibitAnyPolicy,
  OID.nameConstraints,
  OID.cRLDistributionPoints,
  OID.freshestCRL,
  OID.authorityInfoAccess,
  OID.qcStatements,
  OID.ocspNoCheck,
]);

/**
 * RFC 5280 6.1 path validation of one candidate path at `options.time`,
 * collecting every failure rather than stopping at the first (reports list
 * them all). Trust anchor handling: the anchor's name constraints and
 * pathLenConstraint are applied (as OpenSSL does; RFC 5280 6.2 leaves this to
 * the relying party), its policies are not (the anchor is not part of the path
 * in RFC 5280's model); with `strict` its validity, cA bit, keyUsage and
 * critical extensions count too.
 */
export async function validatePath(path: CandidatePath, options: PathValidationOptions): Promise<PathValidationResult> {
  const chain = [...path.certificates, path.anchor.certificate];
  const failures: PathFailure[] = [];
  const revocation: RevocationStatus[] = [];
  const fail = (i: number, kind: PathFailureKind, detail: string, facts?: { until?: Date; revokedAt?: Date }) =>
    failures.push({ kind, certificateIndex: i, subject: chain[i]!.subject.text, detail, ...facts });
  const t = options.time;
  const strict = options.strict === true;
  let broken = false;
  const anchorIndex = chain.length - 1;
  const anchor = path.anchor.certificate;
  const n = path.certificates.length;

  const checkProfile = (i: number, role: 'target' | 'ca' | 'anchor') => {
    const c = chain[i]!;
    // A trust anchor is trusted as configured, so it needs no authorityKeyIdentifier even when cross-signed.
    for (const issue of profileIssues(c, role, i === anchorIndex)) {
      if (issue.level === 'structure' || strict) fail(i, 'malformed', issue.detail);
    }
  };
  const checkValidity = (i: number) => {
    const cert = chain[i]!;
    // X.509 times have whole seconds: compare at that granularity (a time within notAfter's second is inside).
    const secs = Math.floor(t.getTime() / 1000);
    if (secs < Math.floor(cert.notBefore.getTime() / 1000)) {
      fail(i, 'not-yet-valid', `not valid before ${cert.notBefore.toISOString()}`);
    } else if (secs > Math.floor(cert.notAfter.getTime() / 1000)) {
      fail(i, 'expired', `expired at ${cert.notAfter.toISOString()}`);
    }
  };
  const checkCritical = (i: number) => {
    for (const ext of chain[i]!.extensions) {
      if (ext.critical && !PROCESSED_EXTENSIONS.has(ext.oid)) {
        fail(i, 'critical-extension', `unsupported critical extension ${ext.oid}`);
      }
    }
  };

  // The anchor: its name constraints bind the whole path; strict mode checks it as a certificate.
  const constraintSets: NameConstraintSet[] = [];
  const addConstraints = (i: number) => {
    try {
      const nc = readNameConstraints(chain[i]!);
      if (nc) constraintSets.push(nc);
    } catch (e) {
      fail(i, 'name-constraints', (e as Error).message);
    }
  };
  if (n > 0) addConstraints(anchorIndex);
  const reissueOf = path.anchor.reissueOf;
  if (reissueOf) {
    // A re-issue of the configured anchor stands for it only when the anchor's key signed it (same name and key are
    // checked by the builder); the configured certificate's name constraints bind the path as well.
    const self = await verifySignedBy(options.registry, anchor, { publicKey: reissueOf.publicKey });
    if (!self.ok || anchor.spkiKey !== reissueOf.spkiKey || anchor.subject.key !== reissueOf.subject.key) {
      fail(anchorIndex, 'signature', `${anchor.subject.text}: not a re-issue of the trust anchor (its self-signature does not verify with the anchor's key${self.ok ? '' : `: ${self.reason}`})`);
      broken = true;
    }
    if (n > 0) {
      try {
        const nc = readNameConstraints(reissueOf);
        if (nc) constraintSets.push(nc);
      } catch (e) {
        fail(anchorIndex, 'name-constraints', (e as Error).message);
      }
    }
  }
  if (strict) {
    checkValidity(anchorIndex);
    checkCritical(anchorIndex);
    checkProfile(anchorIndex, n > 0 ? 'anchor' : 'target');
    if (n > 0 && !anchor.isCA) fail(anchorIndex, 'basic-constraints', 'trust anchor certificate is not a CA (basicConstraints cA)');
    if (n > 0 && anchor.keyUsage && !anchor.keyUsage.has('keyCertSign')) {
      fail(anchorIndex, 'key-usage', 'trust anchor certificate lacks keyUsage keyCertSign');
    }
  }

  // Walk from the certificate below the anchor down to the target (RFC 5280 processes in that order).
  let maxPathLength = n;
  const policyPath: CertificatePolicyInfo[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const cert = chain[i]!;
    const issuer = chain[i + 1]!;
    const isTarget = i === 0;

    if (cert.issuer.key !== issuer.subject.key) {
      fail(i, 'name-chaining', `issuer name ${cert.issuer.text} does not match ${issuer.subject.text}`);
      broken = true;
    }
    const sig = await verifySignedBy(options.registry, cert, { publicKey: workingPublicKey(chain, i + 1) });
    if (!sig.ok) {
      fail(i, sig.unsupported ? 'crypto-constraints' : 'signature', `signature by ${issuer.subject.text}: ${sig.reason}`);
      if (!sig.unsupported) broken = true;
    } else {
      const verdict = evaluateAlgorithm(options.algorithmPolicy, sig.algorithm, t);
      if (!verdict.acceptable) {
        fail(
          i,
          'crypto-constraints',
          `certificate signature ${sig.algorithm.name}: ${verdict.reason}`,
          verdict.until ? { until: verdict.until } : undefined,
        );
      }
    }

    checkValidity(i);
    checkProfile(i, isTarget ? 'target' : 'ca');

    const status = await options.revocation(cert, issuer, t);
    revocation[i] = status;
    if (status.status === 'revoked') {
      fail(
        i,
        'revoked',
        `revoked at ${status.revocationTime.toISOString()}${status.reason ? ` (${status.reason})` : ''} per ${status.source}`,
        { revokedAt: status.revocationTime },
      );
    }

    // RFC 5280 6.1.3 (b), (c): self-issued intermediates are exempt from name constraints.
    if (isTarget || !cert.isSelfIssued) {
      const reason = checkNameConstraints(constrainedNames(cert), constraintSets);
      if (reason) fail(i, 'name-constraints', reason);
    }

    try {
      policyPath.push(readPolicyInfo(cert));
    } catch (e) {
      fail(i, 'policy', (e as Error).message);
      policyPath.push({ selfIssued: cert.isSelfIssued });
    }

    checkCritical(i);

    if (!isTarget) {
      if (!cert.isCA) {
        fail(i, 'basic-constraints', 'issues certificates but is not a CA (basicConstraints cA)');
      }
      if (!cert.isSelfIssued) {
        if (maxPathLength <= 0) {
          fail(i, 'path-length', 'pathLenConstraint of a superior CA is exceeded');
        }
        maxPathLength--;
      }
      const pl = cert.basicConstraints?.pathLenConstraint;
      if (pl !== undefined && pl < maxPathLength) maxPathLength = pl;
      if (cert.keyUsage && !cert.keyUsage.has('keyCertSign')) {
        fail(i, 'key-usage', 'CA certificate lacks keyUsage keyCertSign');
      }
      addConstraints(i);
    }
  }

  // The anchor's pathLenConstraint bounds the non-self-issued intermediates below it.
  const anchorPl = anchor.basicConstraints?.pathLenConstraint;
  const intermediates = path.certificates.slice(1).filter((c) => !c.isSelfIssued).length;
  if (anchorPl !== undefined && intermediates > anchorPl) {
    fail(anchorIndex, 'path-length', `trust anchor pathLenConstraint ${anchorPl} allows fewer CAs below it`);
  }

  let policies: readonly string[] = [];
  if (n > 0) {
    const outcome = processPolicies(policyPath, {
      initialPolicySet: options.initialPolicySet,
      initialExplicitPolicy: options.requireExplicitPolicy,
      initialPolicyMappingInhibit: options.inhibitPolicyMapping,
      initialAnyPolicyInhibit: options.inhibitAnyPolicy,
    });
    if (outcome.ok) policies = outcome.policies;
    else fail(n - 1 - outcome.index, 'policy', outcome.reason);
  }

  const target = chain[0]!;
  if (n > 0 || strict) {
    if (options.targetKeyUsage && target.keyUsage && !options.targetKeyUsage.some((u) => target.keyUsage!.has(u))) {
      fail(0, 'key-usage', `keyUsage lacks ${options.targetKeyUsage.join(' or ')} (has ${[...target.keyUsage].join(', ') || 'none'})`);
    }
    if (options.targetExtKeyUsage && !(target.extKeyUsage ?? []).includes(options.targetExtKeyUsage)) {
      fail(0, 'extended-key-usage', `extendedKeyUsage lacks ${options.targetExtKeyUsage}`);
    }
  }

  return { valid: failures.length === 0, chain, anchorSource: path.anchor.source, broken, failures, revocation, policies };
}

/**
 * RFC 5280 6.1.4 (d)-(f) working_public_key: a key whose subjectPublicKeyInfo
 * omits its parameters (DSA "parameter inheritance") takes them from the
 * nearest superior key of the same algorithm that has them.
 */
function workingPublicKey(chain: readonly ParsedCertificate[], index: number): PublicKeyFacts {
  const key = chain[index]!.publicKey;
  if (key.parametersDer || key.parameterOid || !PARAMETER_INHERITING.has(key.algorithmOid)) return key;
  for (let j = index + 1; j < chain.length; j++) {
    const up = chain[j]!.publicKey;
    if (up.algorithmOid !== key.algorithmOid) return key;
    if (up.parametersDer) {
      const spki = asn1js.fromBER(toArrayBuffer(key.spki)).result as asn1js.Sequence;
      const subjectPublicKey = spki.valueBlock.value[1]!;
      const params = asn1js.fromBER(toArrayBuffer(up.parametersDer)).result;
      const withParams = new asn1js.Sequence({
        value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: key.algorithmOid }), params] }), subjectPublicKey],
      });
      return readPublicKey(new Uint8Array(withParams.toBER(false)));
    }
  }
  return key;
}

/** Key algorithms whose domain parameters may be inherited from the issuer's key (id-dsa). */
const PARAMETER_INHERITING = new Set(['1.2.840.10040.4.1']);
