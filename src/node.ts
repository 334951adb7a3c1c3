// `ots-esig/node`: the node:crypto adapter under an ordinary import, for code that wants it explicitly
// (the main entry already picks it on Node >= 20.16, where process.getBuiltinModule offers node:crypto).
import * as nodeCrypto from 'node:crypto';
import { AlgorithmRegistry } from './crypto/registry.js';
import { NodeCryptoProvider as Provider } from './crypto/node-provider.js';

/** The node:crypto provider; `new NodeCryptoProvider()` uses this process's node:crypto. */
export class NodeCryptoProvider extends Provider {
  constructor() {
    super(nodeCrypto);
  }
}

/**
 * A registry on node:crypto instead of Node's WebCrypto: the same algorithms and verdicts,
 * several times cheaper per digest and signature (see bench/). For Node back ends.
 */
export function nodeRegistry(): AlgorithmRegistry {
  return new AlgorithmRegistry([new NodeCryptoProvider()]);
}
