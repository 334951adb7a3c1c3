/**
 * #16 point 4: facts are judged again under another policy, relying party or validation time without
 * parsing, signature verification or fetching again. Counted with the real providers behind a counting
 * registry and a counting fetch function (no network: it answers 404 itself).
 */
import { describe, expect, it } from 'vitest';
import { AlgorithmRegistry, collect, DEFAULT_POLICY, evaluate, Fetcher, verify, type FetchFunction, type TrustListInput, type VerifyRequest } from '../src/index.js';
import { cades, fixtureActor } from './helpers/attack-pki.js';
import { fixture, fixtureCrls } from './helpers/fixtures.js';

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

describe('#16 point 4: recognition and trust lists in re-evaluation', () => {
  const lotl = (): TrustListInput => ({ data: fixture('../trust-lists/ots-lotl.xml'), name: 'ots-lotl.xml', signingCertificates: [fixture('pki/ots-lotl-operator.pem')] });
  const national = (cc: string): TrustListInput => ({ data: fixture(`../trust-lists/${cc}-tl.xml`), name: `${cc}-tl.xml` });
  const T = new Date('2025-09-01T00:00:00Z');
  const kzFacts = () => collect(fixture('cades/kz-attached.p7s'), { trustLists: [lotl(), national('kz')], crls: fixtureCrls(), validationTime: T });

  it('one collection, several relying parties: each gets the decision a verify() for it gives', async () => {
    const facts = await kzFacts();
    for (const rp of ['TR', 'UZ', 'AZ', 'KZ', 'HU']) {
      const again = await evaluate(facts, { relyingParty: rp });
      const direct = await verify(fixture('cades/kz-attached.p7s'), { trustLists: [lotl(), national('kz')], crls: fixtureCrls(), validationTime: T, relyingParty: rp });
      expect(again.signatures[0]!.recognition, rp).toEqual(direct.signatures[0]!.recognition);
      expect(again.trust, rp).toEqual(direct.trust);
      expect(again.warnings, rp).toEqual(direct.warnings);
    }
    // Without a relying party nothing is recognized, and the report says why.
    const none = await evaluate(facts);
    expect(none.signatures[0]!.recognition).toBeUndefined();
    expect(none.warnings).toContain('no relying party given: recognition was not evaluated');
    expect((await evaluate(facts, { relyingParty: 'TR' })).warnings).not.toContain('no relying party given: recognition was not evaluated');
  });

  it('another trust-list set replaces the collection\'s: anchors, recognition and the trust report follow it', async () => {
    const facts = await kzFacts();
    const withKz = await evaluate(facts, { relyingParty: 'TR' });
    expect(withKz.signatures[0]!.indication).toBe('TOTAL-PASSED');
    expect(withKz.signatures[0]!.recognition?.status).toBe('RECOGNIZED');
    // A set without the KZ list: the KZ root anchors nothing any more.
    const withoutKz = await evaluate(facts, { relyingParty: 'TR', trustLists: [lotl(), national('uz')] });
    expect([withoutKz.signatures[0]!.indication, withoutKz.signatures[0]!.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
    expect(withoutKz.signatures[0]!.recognition?.status).not.toBe('RECOGNIZED');
    expect(withoutKz.trust?.lists.map((l) => l.id)).toEqual(['OTS:LOTL', 'UZ:TL']);
    // The collection's facts are untouched: judged under their own lists again, the first verdict comes back.
    expect(await evaluate(facts, { relyingParty: 'TR' })).toEqual(withKz);
  });

  it('keeps the collection\'s agreements (as loaded) when only the relying party or purpose changes', async () => {
    const kzList: TrustListInput = { ...national('kz'), signingCertificates: [fixture('pki/kz-tl-operator.pem')] };
    const options = { trustLists: [kzList], agreements: [{ data: fixture('../trust-lists/agreements/kz-to-uz-one-way.json') }], crls: fixtureCrls(), validationTime: T };
    const facts = await collect(fixture('cades/kz-attached.p7s'), { ...options, relyingParty: 'KZ' });
    const uz = await evaluate(facts, { relyingParty: 'UZ', purpose: 'tax-declaration' });
    expect(uz.signatures[0]!.recognition).toMatchObject({ status: 'RECOGNIZED', basis: { kind: 'bilateral', agreementId: 'OTS-TEST-BA-KZ-UZ-2025' } });
    expect(uz.signatures[0]!.recognition).toEqual((await verify(fixture('cades/kz-attached.p7s'), { ...options, relyingParty: 'UZ', purpose: 'tax-declaration' })).signatures[0]!.recognition);
    // Replacing the agreements replaces the basis: without it KZ -> UZ has none.
    const none = await evaluate(facts, { relyingParty: 'UZ', purpose: 'tax-declaration', agreements: [] });
    expect(none.signatures[0]!.recognition?.status).not.toBe('RECOGNIZED');
  });

  it('the policy\'s signer service types are applied at evaluation: a CA/QC-listed root anchors nothing under a PKC-only policy', async () => {
    const facts = await kzFacts();
    const pkcOnly = { ...DEFAULT_POLICY, name: 'pkc-only', trustServices: { ...DEFAULT_POLICY.trustServices, signerServiceTypes: ['http://uri.etsi.org/TrstSvc/Svctype/CA/PKC'] } };
    const judged = await evaluate(facts, { policy: pkcOnly });
    expect([judged.signatures[0]!.indication, judged.signatures[0]!.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
    expect((await evaluate(facts)).signatures[0]!.indication).toBe('TOTAL-PASSED');
  });
});
