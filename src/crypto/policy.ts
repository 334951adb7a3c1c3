import type { ResolvedSignatureAlgorithm } from './provider.js';

/**
 * Cryptographic constraints in the spirit of the DSS policy's `AlgoExpirationDate`
 * (ETSI TS 119 312): an algorithm or key size is acceptable without end, until a
 * date, or not at all. Past the date, a proof of existence before it can still
 * rescue a signature (EN 319 102-1 CRYPTO_CONSTRAINTS_FAILURE_NO_POE).
 */
export interface AlgorithmPolicy {
  /** Digest name → acceptable until (ISO date) or `null` for no end. Absent = never acceptable. */
  readonly digests: Readonly<Record<string, string | null>>;
  /** Key family (`RSA`, `RSA-PSS`, `EC`, `Ed25519`, or a provider's name) → ordered size rules. */
  readonly keys: Readonly<Record<string, readonly KeySizeRule[]>>;
}

/** A minimum key size and the date until which it is acceptable. */
export interface KeySizeRule {
  readonly minBits: number;
  /** Acceptable until (ISO date), or `null` for no end. */
  readonly until: string | null;
}

/**
 * Defaults: SHA-1 and RSA keys under 2048 bits are rejected for anything not
 * proven to exist before their cut-off; MD5 likewise. Dates follow the
 * commonly used DSS/ETSI TS 119 312 sunset points.
 */
export const DEFAULT_ALGORITHM_POLICY: AlgorithmPolicy = {
  digests: {
    MD5: '2005-01-01T00:00:00Z',
    'SHA-1': '2012-01-01T00:00:00Z',
    'SHA-224': '2026-01-01T00:00:00Z',
    'SHA-256': null,
    'SHA-384': null,
    'SHA-512': null,
  },
  keys: {
    RSA: [
      { minBits: 2048, until: null },
      { minBits: 1024, until: '2016-01-01T00:00:00Z' },
    ],
    'RSA-PSS': [
      { minBits: 2048, until: null },
      { minBits: 1024, until: '2016-01-01T00:00:00Z' },
    ],
    EC: [{ minBits: 256, until: null }],
    Ed25519: [{ minBits: 256, until: null }],
  },
};

export type AlgorithmVerdict =
  | { readonly acceptable: true }
  /** Not acceptable at the time asked, but was before `until`: a POE before it would rescue. */
  | { readonly acceptable: false; readonly reason: string; readonly until: Date }
  /** Never acceptable under this policy. */
  | { readonly acceptable: false; readonly reason: string; readonly until: null };

function keyFamily(key: string): string {
  return key.startsWith('EC ') ? 'EC' : key;
}

export function evaluateAlgorithm(
  policy: AlgorithmPolicy,
  alg: ResolvedSignatureAlgorithm,
  at: Date,
): AlgorithmVerdict {
  const verdicts = [checkDigest(policy, alg.digest, at), checkKey(policy, alg, at)];
  const bad = verdicts.filter((v): v is Exclude<AlgorithmVerdict, { acceptable: true }> => !v.acceptable);
  if (bad.length === 0) return { acceptable: true };
  // Never-acceptable wins over dated; among dated the earliest cut-off is what a POE must beat.
  const never = bad.find((b) => b.until === null);
  if (never) return never;
  return bad.reduce((a, b) => (a.until!.getTime() <= b.until!.getTime() ? a : b));
}

export function checkDigest(policy: AlgorithmPolicy, digest: string, at: Date): AlgorithmVerdict {
  if (!(digest in policy.digests)) return { acceptable: false, reason: `digest algorithm ${digest} is not acceptable`, until: null };
  const until = policy.digests[digest];
  if (until === null || until === undefined) return { acceptable: true };
  const d = new Date(until);
  if (at.getTime() < d.getTime()) return { acceptable: true };
  return { acceptable: false, reason: `digest algorithm ${digest} is acceptable only before ${until}`, until: d };
}

function checkKey(policy: AlgorithmPolicy, alg: ResolvedSignatureAlgorithm, at: Date): AlgorithmVerdict {
  const family = keyFamily(alg.key);
  const rules = policy.keys[family];
  if (!rules) return { acceptable: false, reason: `key algorithm ${alg.key} is not acceptable`, until: null };
  const rule = rules.find((r) => alg.keyBits >= r.minBits);
  if (!rule) return { acceptable: false, reason: `${alg.key} key of ${alg.keyBits} bits is below every acceptable size`, until: null };
  if (rule.until === null) return { acceptable: true };
  const d = new Date(rule.until);
  if (at.getTime() < d.getTime()) return { acceptable: true };
  return { acceptable: false, reason: `${alg.key} key of ${alg.keyBits} bits is acceptable only before ${rule.until}`, until: d };
}
