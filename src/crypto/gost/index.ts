export { GostProvider, describeGostKey } from './provider.js';
export { GOST_ALGORITHM_POLICY } from './policy.js';
export { GOST_CURVES, GOST_DIGESTS, GOST_KEYS, GOST_SIGNATURES } from './oids.js';
export type { GostDigestName, GostKeyFamily, GostSignatureLayout } from './oids.js';
export { readGostPublicKey, type GostPublicKey } from './keys.js';
export { GOST_XML_DIGEST_METHODS, GOST_XML_SIGNATURE_METHODS } from './xml-uris.js';
