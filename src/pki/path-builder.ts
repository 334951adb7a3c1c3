import { LimitExceededError } from '../errors.js';
import { equalBytes } from '../util/bytes.js';
import type { ParsedCertificate } from './certificate.js';
import type { CertificatePool, TrustAnchor } from './pool.js';

export interface CandidatePath {
  /** Target first, then each issuer; the anchor's certificate is not included. */
  readonly certificates: readonly ParsedCertificate[];
  readonly anchor: TrustAnchor;
}

export interface PathBuildLimits {
  /** Maximum certificates between target and anchor (inclusive of target). */
  readonly maxDepth: number;
  /** Maximum issuer candidates examined in total, across all branches. */
  readonly maxCandidates: number;
  /** Maximum complete paths returned. */
  readonly maxPaths: number;
}

export const DEFAULT_PATH_LIMITS: PathBuildLimits = { maxDepth: 10, maxCandidates: 500, maxPaths: 16 };

/**
 * Depth-first enumeration of every path from `target` to an anchor through the
 * pool, by name chaining with AKI/SKI filtering. It checks no signatures: the
 * validator does, so a failing path can still be reported. Loops are cut by
 * never revisiting a certificate on the current branch; work is bounded.
 */
export function buildPaths(
  target: ParsedCertificate,
  pool: CertificatePool,
  anchors: CertificatePool<TrustAnchor>,
  limits: PathBuildLimits = DEFAULT_PATH_LIMITS,
): CandidatePath[] {
  const paths: CandidatePath[] = [];
  let examined = 0;

  const direct = anchors.find(target);
  if (direct) paths.push({ certificates: [], anchor: direct });

  const walk = (chain: ParsedCertificate[]): void => {
    if (paths.length >= limits.maxPaths) return;
    const current = chain[chain.length - 1]!;
    for (const anchor of anchors.issuersOf(current)) {
      if (++examined > limits.maxCandidates) throw new LimitExceededError('pathBuilding.candidates', limits.maxCandidates);
      if (anchor.certificate === current) continue;
      paths.push({ certificates: [...chain], anchor });
      if (paths.length >= limits.maxPaths) return;
    }
    if (chain.length >= limits.maxDepth) return;
    if (current.isSelfIssued && !current.isCA) return;
    for (const { certificate: issuer } of pool.issuersOf(current)) {
      if (++examined > limits.maxCandidates) throw new LimitExceededError('pathBuilding.candidates', limits.maxCandidates);
      if (chain.some((c) => c === issuer || equalBytes(c.der, issuer.der))) continue;
      if (anchors.has(issuer)) continue; // reached as an anchor above
      walk([...chain, issuer]);
    }
  };
  walk([target]);
  return paths;
}
