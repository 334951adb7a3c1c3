/**
 * `ots-esig/gost`: the optional GOST crypto provider. Kept out of the main
 * entry so browser bundles that do not need GOST do not carry it.
 *
 *   import { verify, AlgorithmRegistry } from 'ots-esig';
 *   import { GostProvider, GOST_ALGORITHM_POLICY } from 'ots-esig/gost';
 *   const registry = new AlgorithmRegistry().register(new GostProvider());
 *   const report = await verify(cms, { registry, algorithmPolicy: GOST_ALGORITHM_POLICY, ... });
 */
export { GostProvider, GOST_ALGORITHM_POLICY, GOST_CURVES, GOST_DIGESTS, GOST_KEYS, GOST_SIGNATURES, GOST_XML_DIGEST_METHODS, GOST_XML_SIGNATURE_METHODS, describeGostKey } from './crypto/gost/index.js';
export type { GostDigestName, GostKeyFamily, GostSignatureLayout } from './crypto/gost/index.js';
