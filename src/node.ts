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

// Online trusted lists (opt-in): fetched over https with a per-URL cache, verified before use. Node only.
export {
  OnlineTrustLists,
  isListUrl,
  type OnlineListSource,
  type OnlineTrustListsOptions,
  type OnlineListState,
  type OnlineRefreshOutcome,
  type OnlineRefreshResult,
  type ConditionalGetFunction,
} from './trust/online.js';
export { conditionalGet, type HttpsGetOptions, type CacheValidators, type ConditionalGetResult } from './net/https-get.js';
