import type { CryptoProvider } from './provider.js';
import { NodeCryptoProvider, type NodeCryptoModule } from './node-provider.js';
import { WebCryptoProvider } from './webcrypto-provider.js';

/**
 * The providers a registry starts with: node:crypto where the runtime hands
 * it out without an import (Node >= 20.16 `process.getBuiltinModule`; this
 * package needs Node >= 20.19), else the platform WebCrypto. Both compute the
 * same verdicts (test/node-entry.test.ts compares them on every fixture);
 * node:crypto skips Node's per-call WebCrypto overhead, 2-3x the cost of a
 * whole CAdES-B validation (npm run bench). Browsers and other runtimes get
 * WebCrypto; nothing here names a Node module, so bundlers see none.
 */
export function defaultProviders(): CryptoProvider[] {
  const node = builtinNodeCrypto();
  return [node ? new NodeCryptoProvider(node) : new WebCryptoProvider()];
}

function builtinNodeCrypto(): NodeCryptoModule | undefined {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const m = runtime?.getBuiltinModule?.('node:crypto') as Partial<NodeCryptoModule> | undefined;
    return m && typeof m.createHash === 'function' && typeof m.verify === 'function' && typeof m.createPublicKey === 'function' && m.constants ? (m as NodeCryptoModule) : undefined;
  } catch {
    return undefined;
  }
}
