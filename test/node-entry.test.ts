import { describe, expect, it } from 'vitest';
import { AlgorithmRegistry, verify, WebCryptoProvider } from '../src/index.js';
import { getDefaultRegistry } from '../src/crypto/registry.js';
import { nodeRegistry } from '../src/node.js';
import { fixture, loadManifest, optionsFor } from './helpers/fixtures.js';

const manifest = loadManifest();

describe('node:crypto and WebCrypto registries', () => {
  it('give the same verdicts on every CAdES fixture', async () => {
    const web = new AlgorithmRegistry([new WebCryptoProvider()]);
    const node = nodeRegistry();
    expect(web.providerNames).toEqual(['webcrypto']);
    expect(node.providerNames).toEqual(['node-crypto']);
    let compared = 0;
    for (const sample of manifest.samples) {
      if ('error' in sample.expect) continue;
      const opts = optionsFor(manifest, sample);
      const viaWeb = await verify(fixture(sample.file), { ...opts, registry: web });
      const viaNode = await verify(fixture(sample.file), { ...opts, registry: node });
      const verdicts = (r: typeof viaWeb) => r.signatures.map((s) => [s.indication, s.subIndication, s.signatureAlgorithm]);
      expect(verdicts(viaNode), sample.id).toEqual(verdicts(viaWeb));
      expect(verdicts(viaNode), sample.id).toEqual(sample.expect.map((e) => [e.indication, e.subIndication, expect.any(String)]));
      compared++;
    }
    expect(compared).toBeGreaterThan(25);
  });

  it('the default registry is node:crypto where the runtime offers it (process.getBuiltinModule), else WebCrypto', () => {
    expect(getDefaultRegistry().providerNames).toEqual(['node-crypto']);
    expect(new AlgorithmRegistry().providerNames).toEqual(['node-crypto']);
    const runtime = process as { getBuiltinModule?: unknown };
    const original = runtime.getBuiltinModule;
    try {
      runtime.getBuiltinModule = undefined; // a runtime without it (older Node, Deno without node compat, browsers)
      expect(new AlgorithmRegistry().providerNames).toEqual(['webcrypto']);
      runtime.getBuiltinModule = () => ({}); // something that is not node:crypto
      expect(new AlgorithmRegistry().providerNames).toEqual(['webcrypto']);
      runtime.getBuiltinModule = original;
      (process.versions as Record<string, string>).bun = '1.2.0'; // Bun (and Deno) re-implement node:crypto: their WebCrypto is used
      expect(new AlgorithmRegistry().providerNames).toEqual(['webcrypto']);
    } finally {
      runtime.getBuiltinModule = original;
      delete (process.versions as Record<string, string>).bun;
    }
    expect(new AlgorithmRegistry().providerNames).toEqual(['node-crypto']);
  });
});
