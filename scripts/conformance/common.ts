import { DEFAULT_ALGORITHM_POLICY } from '../../src/crypto/policy.js';
import { getDefaultRegistry } from '../../src/crypto/registry.js';
import type { PathOutcome } from '../../src/pki/path.js';
import { describeCandidates } from '../../src/pki/path.js';

export const registry = getDefaultRegistry();
export const algorithmPolicy = DEFAULT_ALGORITHM_POLICY;

/** A short explanation of a path outcome for disagreement listings. */
export function explain(outcome: PathOutcome | undefined, extra?: string): string {
  if (!outcome) return extra ?? '';
  const lines = outcome.best?.valid ? ['valid path'] : describeCandidates(outcome);
  const text = [extra, ...lines].filter(Boolean).join(' | ');
  return text.length > 400 ? text.slice(0, 400) + '…' : text;
}
