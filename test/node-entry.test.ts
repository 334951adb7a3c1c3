import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { nodeRegistry } from '../src/node.js';
import { fixture, loadManifest, optionsFor } from './helpers/fixtures.js';

const manifest = loadManifest();

describe('ots-esig/node: the node:crypto registry gives the same verdicts as WebCrypto', () => {
  it('on every CAdES fixture', async () => {
    const registry = nodeRegistry();
    let compared = 0;
    for (const sample of manifest.samples) {
      if ('error' in sample.expect) continue;
      const opts = optionsFor(manifest, sample);
      const web = await verify(fixture(sample.file), opts);
      const node = await verify(fixture(sample.file), { ...opts, registry });
      const verdicts = (r: typeof web) => r.signatures.map((s) => [s.indication, s.subIndication, s.signatureAlgorithm]);
      expect(verdicts(node), sample.id).toEqual(verdicts(web));
      expect(verdicts(node), sample.id).toEqual(sample.expect.map((e) => [e.indication, e.subIndication, expect.any(String)]));
      compared++;
    }
    expect(compared).toBeGreaterThan(25);
  });
});
