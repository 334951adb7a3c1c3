import { DEFAULT_ALGORITHM_POLICY, type AlgorithmPolicy } from '../policy.js';

/**
 * The default policy plus GOST. GOST R 34.10-2012 with Streebog has no end
 * date. GOST R 34.10-2001 / R 34.11-94 (Russian profile) ends 2019-01-01, when
 * Russia stopped accepting new 2001 signatures. Kazakhstan's GOST 34.310-2004 /
 * 34.311-95 has no published end date we could cite; its issuing NCA
 * certificates expired in 2025, so path validation bounds it in practice —
 * a relying party with a dated sunset should override these entries.
 */
export const GOST_ALGORITHM_POLICY: AlgorithmPolicy = {
  digests: {
    ...DEFAULT_ALGORITHM_POLICY.digests,
    'Streebog-256': null,
    'Streebog-512': null,
    'GOST R 34.11-94': '2019-01-01T00:00:00Z',
    'GOST 34.311-95': null,
  },
  keys: {
    ...DEFAULT_ALGORITHM_POLICY.keys,
    'GOST R 34.10-2012': [{ minBits: 256, until: null }],
    'GOST 34.10-2015': [{ minBits: 256, until: null }],
    'GOST R 34.10-2001': [{ minBits: 256, until: '2019-01-01T00:00:00Z' }],
    'GOST 34.310-2004': [{ minBits: 256, until: null }],
  },
};
