// `ots-esig/node`: explicit Node-only adapters, kept out of the main and browser entries.
import { AlgorithmRegistry } from './crypto/registry.js';
import { NodeCryptoProvider } from './crypto/node-provider.js';

export { NodeCryptoProvider } from './crypto/node-provider.js';

/**
 * A registry on node:crypto instead of Node's WebCrypto: the same algorithms and verdicts,
 * several times cheaper per digest and signature (see bench/). For Node back ends.
 */
export function nodeRegistry(): AlgorithmRegistry {
  return new AlgorithmRegistry([new NodeCryptoProvider()]);
}
