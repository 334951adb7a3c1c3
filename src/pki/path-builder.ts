import { LimitExceededError } from '../errors.js';
import type { PathBuildLimits } from '../limits.js';
import { equalBytes } from '../util/bytes.js';
import type { ParsedCertificate } from './certificate.js';
import type { CertificatePool, TrustAnchor } from './pool.js';

export interface CandidatePath {
  /** Target first, then each issuer; the anchor's certificate is not included. */
  readonly certificates: readonly ParsedCertificate[];
  readonly anchor: TrustAnchor;
}

/** Declared with the other limits in src/limits.ts. */
export type { PathBuildLimits };

export const DEFAULT_PATH_LIMITS: PathBuildLimits = { maxDepth: 10, maxCandidates: 500, maxPaths: 16 };

/** Why a branch of the search ended without reaching an anchor, for reports. */
export interface DeadEnd {
  /** Target first. */
  readonly certificates: readonly ParsedCertificate[];
  readonly reason: string;
}

export interface PathSearch {
  readonly paths: CandidatePath[];
  readonly deadEnds: DeadEnd[];
}

/** Subject name plus key: two certificates with both equal are the same CA for loop detection (RFC 4158 2.4.2). */
function logicalCa(c: ParsedCertificate): string {
  return `${c.subject.key}|${c.spkiKey}`;
}

/**
 * Orders candidate issuers: exact AKI/SKI match first, then those without a
 * key identifier to compare, newest first within each group (a stable, useful
 * order when a CA has rolled its key or is cross-certified).
 */
function ranked<T extends { readonly certificate: ParsedCertificate }>(cert: ParsedCertificate, list: T[]): T[] {
  const aki = cert.authorityKeyIdentifier;
  const score = (c: ParsedCertificate) => (aki && c.subjectKeyIdentifier === aki ? 0 : 1);
  return [...list].sort((a, b) => score(a.certificate) - score(b.certificate) || b.certificate.notAfter.getTime() - a.certificate.notAfter.getTime());
}

/**
 * Depth-first enumeration of every path from `target` to an anchor through the
 * pool, by name chaining with AKI/SKI filtering (RFC 4158). It checks no
 * signatures: the validator does, so a failing path can still be reported.
 * Loops are cut by never revisiting a CA (same subject and key) on the current
 * branch, which also stops cycles through re-issued or cross certificates;
 * total work is bounded by `limits.maxCandidates` (LimitExceededError beyond).
 */
export function searchPaths(
  target: ParsedCertificate,
  pool: CertificatePool,
  anchors: CertificatePool<TrustAnchor>,
  limits: PathBuildLimits = DEFAULT_PATH_LIMITS,
): PathSearch {
  const paths: CandidatePath[] = [];
  const deadEnds: DeadEnd[] = [];
  let examined = 0;
  const count = () => {
    if (++examined > limits.maxCandidates) throw new LimitExceededError('pathBuilding.candidates', limits.maxCandidates);
  };

  const direct = anchors.find(target);
  if (direct) paths.push({ certificates: [], anchor: direct });

  const walk = (chain: ParsedCertificate[]): void => {
    if (paths.length >= limits.maxPaths) return;
    const current = chain[chain.length - 1]!;
    let extended = false;
    for (const anchor of ranked(current, anchors.issuersOf(current))) {
      count();
      if (anchor.certificate === current || equalBytes(anchor.certificate.der, current.der)) continue;
      paths.push({ certificates: [...chain], anchor });
      extended = true;
      if (paths.length >= limits.maxPaths) return;
      // A carried re-issue of this anchor (same name and key, self-signed, other validity dates: the MA3 test roots
      // of 2013 re-issued in 2019) is the same trust anchor; tried after the configured certificate.
      for (const { certificate: alt } of pool.issuersOf(current)) {
        if (!alt.isSelfIssued || alt === anchor.certificate || equalBytes(alt.der, anchor.certificate.der) || logicalCa(alt) !== logicalCa(anchor.certificate)) continue;
        count();
        paths.push({ certificates: [...chain], anchor: { ...anchor, certificate: alt, reissueOf: anchor.certificate } });
        if (paths.length >= limits.maxPaths) return;
      }
    }
    // Self-issued certificates (key rollover) do not count toward the depth, as for pathLenConstraint; a hard cap still applies.
    const depth = chain.filter((c, i) => i === 0 || !c.isSelfIssued).length;
    if (depth >= limits.maxDepth || chain.length >= 2 * limits.maxDepth) {
      if (!extended) deadEnds.push({ certificates: [...chain], reason: `depth limit ${limits.maxDepth} reached` });
      return;
    }
    if (current.isSelfIssued && !current.isCA && chain.length > 1) return;
    const seen = new Set(chain.map(logicalCa));
    for (const { certificate: issuer } of ranked(current, pool.issuersOf(current))) {
      count();
      if (seen.has(logicalCa(issuer))) continue;
      if (anchors.has(issuer)) continue; // reached as an anchor above
      extended = true;
      walk([...chain, issuer]);
      if (paths.length >= limits.maxPaths) return;
    }
    if (!extended) deadEnds.push({ certificates: [...chain], reason: `no issuer for ${current.issuer.text} among the supplied certificates or trust anchors` });
  };
  walk([target]);
  return { paths, deadEnds };
}

/** The candidate paths only (see `searchPaths`). */
export function buildPaths(
  target: ParsedCertificate,
  pool: CertificatePool,
  anchors: CertificatePool<TrustAnchor>,
  limits: PathBuildLimits = DEFAULT_PATH_LIMITS,
): CandidatePath[] {
  return searchPaths(target, pool, anchors, limits).paths;
}
