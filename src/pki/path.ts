import type { ParsedCertificate } from './certificate.js';
import { DEFAULT_PATH_LIMITS, searchPaths, type DeadEnd, type PathBuildLimits } from './path-builder.js';
import { validatePath, type PathValidationOptions, type PathValidationResult } from './path-validator.js';
import type { CertificatePool, TrustAnchor } from './pool.js';

export interface PathOutcome {
  /** The valid path, or the most nearly valid one; undefined when no candidate reached an anchor. */
  readonly best?: PathValidationResult;
  /** Every candidate examined, for the report when none validates. */
  readonly tried: readonly PathValidationResult[];
  /** Branches that never reached a trust anchor, with the reason. */
  readonly deadEnds: readonly DeadEnd[];
}

/**
 * Builds every candidate path (bounded by `limits`, LimitExceededError beyond)
 * and returns the first valid one, else the unbroken one with the fewest failures.
 */
export async function findPath(
  target: ParsedCertificate,
  pool: CertificatePool,
  anchors: CertificatePool<TrustAnchor>,
  options: PathValidationOptions,
  limits: PathBuildLimits = DEFAULT_PATH_LIMITS,
): Promise<PathOutcome> {
  const tried: PathValidationResult[] = [];
  const { paths, deadEnds } = searchPaths(target, pool, anchors, limits);
  for (const candidate of paths) {
    const result = await validatePath(candidate, options);
    tried.push(result);
    if (result.valid) return { best: result, tried, deadEnds };
  }
  const unbroken = tried.filter((r) => !r.broken);
  if (unbroken.length === 0) return { tried, deadEnds };
  const best = unbroken.reduce((a, b) => (b.failures.length < a.failures.length ? b : a));
  return { best, tried, deadEnds };
}

/** One line per candidate tried and per dead end, for "no valid path" reports. */
export function describeCandidates(outcome: PathOutcome): string[] {
  return [
    ...outcome.tried.map(
      (r) => `[${r.chain.map((c) => c.subject.text).join(' <- ')}]: ${r.valid ? 'valid' : r.failures.map((f) => `${f.subject}: ${f.detail}`).join('; ')}`,
    ),
    ...outcome.deadEnds.map((d) => `[${d.certificates.map((c) => c.subject.text).join(' <- ')}]: ${d.reason}`),
  ];
}
