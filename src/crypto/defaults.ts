import type { CryptoProvider } from './provider.js';
import { NodeCryptoProvider, type NodeCryptoModule } from './node-provider.js';
import { WebCryptoProvider } from './webcrypto-provider.js';

/**
 * The providers a registry starts with: node:crypto on Node, which hands it
 * out without an import (`process.getBuiltinModule`, Node >= 20.16; this
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
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; versions?: Record<string, string | undefined> } }).process;
  // Node itself only: Deno and Bun also answer getBuiltinModule, with node:crypto re-implemented on their own
  // crypto, which the fixtures have not been run against; their WebCrypto is their native path.
  if (typeof runtime?.versions?.node !== 'string' || runtime.versions.bun !== undefined || runtime.versions.deno !== undefined || 'Deno' in globalThis) return undefined;
  try {
    const m = runtime?.getBuiltinModule?.('node:crypto') as Partial<NodeCryptoModule> | undefined;
    return m && typeof m.createHash === 'function' && typeof m.verify === 'function' && typeof m.createPublicKey === 'function' && m.constants ? (m as NodeCryptoModule) : undefined;
  } catch {
    return undefined;
  }
}
