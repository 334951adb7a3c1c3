import type { ParsedCertificate } from './certificate.js';
import { buildPaths, DEFAULT_PATH_LIMITS, type PathBuildLimits } from './path-builder.js';
import { primaryFailure, validatePath, type PathValidationOptions, type PathValidationResult } from './path-validator.js';
import type { CertificatePool, TrustAnchor } from './pool.js';

export interface PathOutcome {
  /** The valid path, or the most nearly valid one; undefined when no candidate reached an anchor. */
  readonly best?: PathValidationResult;
  /** Every candidate examined, for the report when none validates. */
  readonly tried: readonly PathValidationResult[];
}

/** Builds every candidate path and returns the first valid one, else the least-failing unbroken one. */
export async function findPath(
  target: ParsedCertificate,
  pool: CertificatePool,
  anchors: CertificatePool<TrustAnchor>,
  options: PathValidationOptions,
  limits: PathBuildLimits = DEFAULT_PATH_LIMITS,
): Promise<PathOutcome> {
  const tried: PathValidationResult[] = [];
  for (const candidate of buildPaths(target, pool, anchors, limits)) {
    const result = await validatePath(candidate, options);
    tried.push(result);
    if (result.valid) return { best: result, tried };
  }
  const unbroken = tried.filter((r) => !r.broken);
  if (unbroken.length === 0) return { tried };
  // Prefer the path whose worst failure is least fundamental, then the one with fewest failures.
  const rank = (r: PathValidationResult) => r.failures.length;
  const best = unbroken.reduce((a, b) => (rank(b) < rank(a) ? b : a));
  return { best: best && primaryFailure(best) ? best : unbroken[0], tried };
}
