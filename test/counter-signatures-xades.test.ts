/**
 * #17.5 XAdES counter-signatures (EN 319 132-1 5.4.2): the ds:Signature in a xades:CounterSignature is validated
 * as a signature of its own through the same stage, and its only allowed signed data is the ds:SignatureValue of
 * the signature it counter-signs (any other element → SIGNED_DATA_NOT_FOUND). Documents are signed at test time
 * with the fixture test PKI (test/helpers/xades-counter.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { XMLSerializer } from '@xmldom/xmldom';
import { verify, type VerifyOptions } from '../src/index.js';
import type { SignatureReport } from '../src/report/model.js';
import { MAX_COUNTER_SIGNATURE_DEPTH } from '../src/limits.js';
import { parseXml } from '../src/xml/parse.js';
import { crl, fixtureActor } from './helpers/attack-pki.js';
import { fixture } from './helpers/fixtures.js';
import { addXadesCounterSignature } from './helpers/xades-counter.js';
import { rsaSigner, signEnveloped, type Signer } from './helpers/xades-sign.js';

const d = (s: string) => new Date(s);
const AT = d('2026-06-01T00:00:00Z');
const DOC = '<Invoice><Amount>100</Amount></Invoice>';

let kz: Signer;
let hu: Signer;
let crls: Uint8Array[];

beforeAll(async () => {
  kz = await rsaSigner('kz-signer', 'kz-ca');
  hu = await rsaSigner('hu-signer', 'hu-ca');
  const window = { thisUpdate: d('2026-05-01T00:00:00Z'), nextUpdate: d('2026-08-01T00:00:00Z'), number: 1, revoked: [] };
  crls = [];
  for (const [cert, key] of [['pki/kz-root.pem', 'kz-root'], ['pki/kz-ca.pem', 'kz-ca'], ['pki/hu-root.pem', 'hu-root'], ['pki/hu-ca.pem', 'hu-ca']] as const) {
    crls.push(await crl({ issuer: await fixtureActor(cert, key), ...window }));
  }
});

const run = async (xml: string, o: Partial<VerifyOptions> = {}) =>
  (await verify(xml, { trustAnchors: [fixture('pki/kz-root.pem'), fixture('pki/hu-root.pem')], crls, policy: 'default', validationTime: AT, ...o })).signatures;
const check = (s: SignatureReport, id: string) => s.checks.find((c) => c.id === id);
const serialize = (doc: Document) => new XMLSerializer().serializeToString(doc as never);

/** DOC signed by kz (Id "p"), then counter-signed as `f` says. */
async function counterSigned(f: (doc: Document) => Promise<void>, xml?: string): Promise<string> {
  const doc = parseXml(xml ?? (await signEnveloped(DOC, kz, { sigId: 'p' })));
  await f(doc);
  return serialize(doc);
}

describe('#17.5 XAdES CounterSignature is validated as a signature of its own', () => {
  it('a valid counter-signature: TOTAL-PASSED under the default policy with CRLs, reported under its parent', async () => {
    const xml = await counterSigned((doc) => addXadesCounterSignature(doc, { parentId: 'p', signer: hu }));
    const sigs = await run(xml);
    expect(sigs).toHaveLength(1);
    const [s] = sigs;
    expect(s!.indication).toBe('TOTAL-PASSED');
    expect(s!.warnings.join(' ')).not.toMatch(/not validated/);
    const c = s!.counterSignatures![0]!;
    expect(c.id).toBe("Signature[@Id='p']/CounterSignature[0]");
    expect(c.indication).toBe('TOTAL-PASSED');
    expect(c.signer?.subject).toMatch(/HU|hu/);
    expect(check(c, 'fc.signed-content')?.detail).toMatch(/ds:SignatureValue .* of the countersigned signature Signature\[@Id='p'\]/);
    expect(c.revocation.length).toBeGreaterThan(0);
  });

  it('a counter-signature whose reference covers a signed element of the document instead of the SignatureValue: SIGNED_DATA_NOT_FOUND', async () => {
    const signed = await signEnveloped('<Invoice><Amount Id="amt">100</Amount></Invoice>', kz, { sigId: 'p' });
    const xml = await counterSigned((doc) => addXadesCounterSignature(doc, { parentId: 'p', signer: hu, uri: '#amt' }), signed);
    const [s] = await run(xml);
    expect(s!.indication).toBe('TOTAL-PASSED');
    const c = s!.counterSignatures![0]!;
    expect(check(c, 'cv.signature-value')?.status).toBe('PASSED'); // genuinely signed: only the signed-content rule refuses it
    expect(c.indication).toBe('INDETERMINATE');
    expect(c.subIndication).toBe('SIGNED_DATA_NOT_FOUND');
    expect(check(c, 'fc.signed-content')?.detail).toMatch(/covers \/Invoice\[1\]\/Amount\[1\]/);
  });

  it("a counter-signature whose reference covers the parent's SignedProperties: refused (never TOTAL-PASSED)", async () => {
    const xml = await counterSigned((doc) => addXadesCounterSignature(doc, { parentId: 'p', signer: hu, uri: '#p-sp' }));
    const [s] = await run(xml);
    expect(s!.indication).toBe('TOTAL-PASSED');
    const c = s!.counterSignatures![0]!;
    expect(c.indication).toBe('TOTAL-FAILED');
    expect(c.subIndication).toBe('FORMAT_FAILURE');
  });

  it("another signature's counter-signature moved under this one (it signs the other SignatureValue): SIGNED_DATA_NOT_FOUND", async () => {
    // Two parallel signatures p and q; a genuine counter-signature of q placed under p.
    const both = await signEnveloped(await signEnveloped(DOC, kz, { sigId: 'p' }), kz, { sigId: 'q' });
    const xml = await counterSigned(async (doc) => {
      const q = Array.from(doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'SignatureValue')).find((e) => (e.parentNode as Element).getAttribute('Id') === 'q')!;
      q.setAttribute('Id', 'q-sv');
      await addXadesCounterSignature(doc, { parentId: 'p', signer: hu, uri: '#q-sv' });
    }, both);
    const sigs = await run(xml, { policy: 'lenient' });
    const p = sigs.find((s) => s.id === "Signature[@Id='p']")!;
    const c = p.counterSignatures![0]!;
    expect(check(c, 'cv.signature-value')?.status).toBe('PASSED');
    expect(c.subIndication).toBe('SIGNED_DATA_NOT_FOUND');
    expect(check(c, 'fc.signed-content')?.detail).toMatch(/Signature\[@Id='p'\] and nothing else/);
  });

  it('nested counter-signatures are validated to the depth limit, deeper ones named in a warning', async () => {
    const xml = await counterSigned(async (doc) => {
      let parentId = 'p';
      for (let depth = 1; depth <= MAX_COUNTER_SIGNATURE_DEPTH + 1; depth++) {
        const id = `c${depth}`;
        await addXadesCounterSignature(doc, { parentId, signer: depth % 2 ? hu : kz, id });
        parentId = id;
      }
    });
    const [s] = await run(xml, { policy: 'lenient' });
    let c: SignatureReport = s!;
    for (let depth = 1; depth <= MAX_COUNTER_SIGNATURE_DEPTH; depth++) {
      c = c.counterSignatures![0]!;
      expect(c.indication).toBe('TOTAL-PASSED');
      expect(c.id.split('/CounterSignature[0]')).toHaveLength(depth + 1);
    }
    expect(c.counterSignatures).toBeUndefined();
    expect(c.warnings.join(' ')).toMatch(/not validated: nested deeper than/);
  });

  it('more counter-signatures than limits.maxSigners: the rest are not validated, with a warning (bounded work)', async () => {
    const xml = await counterSigned((doc) => addXadesCounterSignature(doc, { parentId: 'p', signer: hu, count: 12 }));
    const [s] = await run(xml, { policy: 'lenient', limits: { maxSigners: 4 } });
    expect(s!.indication).toBe('TOTAL-PASSED');
    expect(s!.counterSignatures).toHaveLength(3);
    expect(s!.warnings.join(' ')).toMatch(/9 CounterSignature\(s\) of Signature\[@Id='p'\] not validated: .*limits.maxSigners \(4\)/);
  });
});
