/**
 * #16 point 4: facts are judged again under another policy, relying party or validation time without
 * parsing, signature verification or fetching again. Counted with the real providers behind a counting
 * registry and a counting fetch function (no network: it answers 404 itself).
 */
import { describe, expect, it } from 'vitest';
import { AlgorithmRegistry, collect, evaluate, Fetcher, verify, type FetchFunction, type VerifyRequest } from '../src/index.js';
import { cades, fixtureActor } from './helpers/attack-pki.js';
import { fixture } from './helpers/fixtures.js';

class CountingRegistry extends AlgorithmRegistry {
  verifies = 0;
  digests = 0;
  override verify(req: VerifyRequest): Promise<boolean> {
    this.verifies++;
    return super.verify(req);
  }
  override digest(oid: string, data: Uint8Array): Promise<Uint8Array> {
    this.digests++;
    return super.digest(oid, data);
  }
}

const validationTime = new Date('2026-06-01T00:00:00Z');

describe('#16 collect once, evaluate many times', () => {
  it('re-evaluating under lenient and default policies verifies nothing again and gives each policy its verdict', async () => {
    const signer = await fixtureActor('pki/kz-signer.pem', 'kz-signer');
    const ca = await fixtureActor('pki/kz-ca.pem', 'kz-ca');
    // No revocation data anywhere: lenient accepts that (a warning), default requires it (TRY_LATER).
    const cms = await cades({ signer, certs: [signer, ca] });
    const registry = new CountingRegistry();
    const facts = await collect(cms, { trustAnchors: [fixture('pki/kz-root.pem')], registry, validationTime });
    expect(registry.verifies).toBeGreaterThan(0); // CV: the signature value, verified while collecting
    const lenient = await evaluate(facts, { policy: 'lenient' });
    const afterFirst = { v: registry.verifies, d: registry.digests };
    const strict = await evaluate(facts, { policy: 'default' });
    const again = await evaluate(facts, { policy: 'lenient', relyingParty: 'KZ' });
    expect(lenient.signatures[0]!.indication).toBe('TOTAL-PASSED');
    expect([strict.signatures[0]!.indication, strict.signatures[0]!.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    expect(again.signatures[0]!.indication).toBe('TOTAL-PASSED');
    expect(again.signatures[0]!.recognition?.relyingParty).toBe('KZ');
    // Re-evaluations: no signature verification and no digest at all (path signatures are memoised, src/pki/cache.ts).
    expect(registry.verifies).toBe(afterFirst.v);
    expect(registry.digests).toBe(afterFirst.d);
    // verify() is collect + evaluate.
    expect((await verify(cms, { trustAnchors: [fixture('pki/kz-root.pem')], validationTime, policy: 'default' })).signatures[0]!.subIndication).toBe('TRY_LATER');
  });

  it('online: what one evaluation fetched is replayed by the next, never fetched again', async () => {
    const asked: string[] = [];
    const fetch: FetchFunction = async (url) => {
      asked.push(url);
      return { ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) };
    };
    // The certificates name ocsp.kz.test / crl.kz.test: resolved to a public address literal here, answered by `fetch` above.
    const fetcher = new Fetcher({ fetch, resolve: async () => ['93.184.216.34'] });
    const facts = await collect(fixture('ltv/aia-good.p7s'), { trustAnchors: [fixture('pki/kz-root.pem')], fetcher, validationTime });
    const first = await evaluate(facts, { policy: 'lenient' });
    const fetched = asked.length;
    expect(fetched).toBeGreaterThan(0);
    expect(first.signatures[0]!.subIndication).toBe('TRY_LATER');
    const second = await evaluate(facts, { policy: 'default' });
    const third = await evaluate(facts, { policy: 'lenient', validationTime: new Date('2026-07-01T00:00:00Z') });
    expect(asked.length).toBe(fetched);
    expect(second.signatures[0]!.subIndication).toBe('TRY_LATER');
    expect(third.validationTime).toBe('2026-07-01T00:00:00.000Z');
  });
});
