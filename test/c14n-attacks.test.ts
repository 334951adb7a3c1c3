/**
 * Issue #24 class 1: canonicalisation collisions. Each test signs a namespaced invoice as XAdES-B
 * enveloped with the fixture kz-signer key, checks it is TOTAL-PASSED, then alters it the way an
 * attacker would (move the amount into another namespace, rebind a prefix, add xsi:nil ...) and
 * insists on TOTAL-FAILED/HASH_FAILURE. With xmldsigjs' canonicalizer (before this change) every
 * "collision" case here canonicalised to the same bytes as the signed original and stayed TOTAL-PASSED.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verify, type SignatureReport } from '../src/index.js';
import { fixture, fixtureCrls, loadManifest } from './helpers/fixtures.js';
import { C14N10, C14N11, EXC, rsaSigner, signEnveloped, transform, type EnvelopedOptions, type Signer } from './helpers/xades-sign.js';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const manifest = loadManifest('xades/manifest.json');
let signer: Signer;
beforeAll(async () => {
  signer = await rsaSigner();
});

async function verdict(xml: string): Promise<SignatureReport> {
  const r = await verify(xml, { validationTime: new Date(manifest.validationTime), trustAnchors: [fixture('pki/kz-root.pem')], crls: fixtureCrls() });
  expect(r.signatures).toHaveLength(1);
  return r.signatures[0]!;
}

function edit(xml: string, from: string | RegExp, to: string): string {
  const out = xml.replace(from, to);
  expect(out, `edit ${String(from)}`).not.toBe(xml);
  return out;
}

/**
 * Signs `original`, checks TOTAL-PASSED, applies `alter` and checks TOTAL-FAILED with `sub` (HASH_FAILURE unless
 * the alteration also reaches SignedInfo's own canonical form, which is checked first: SIG_CRYPTO_FAILURE).
 */
async function signedThenAltered(original: string, alter: (signed: string) => string, o: EnvelopedOptions = {}, sub = 'HASH_FAILURE'): Promise<SignatureReport> {
  const signed = await signEnveloped(original, signer, o);
  const good = await verdict(signed);
  expect([good.indication, good.subIndication], 'the signed original').toEqual(['TOTAL-PASSED', null]);
  const altered = alter(signed);
  expect(altered).not.toBe(signed);
  const bad = await verdict(altered);
  expect([bad.indication, bad.subIndication], 'the altered document').toEqual(['TOTAL-FAILED', sub]);
  return bad;
}

const PREFIXED = '<inv:Invoice xmlns:inv="urn:example:invoice"><inv:Payee>Kazakh Railways JSC</inv:Payee><inv:Amount currency="KZT">1000.00</inv:Amount></inv:Invoice>';
const DEFAULT_NS = '<Invoice xmlns="urn:example:invoice"><Payee>Kazakh Railways JSC</Payee><Amount currency="KZT">1000.00</Amount></Invoice>';
const FIRST_USE = '<Invoice><Payee>Kazakh Railways JSC</Payee><p:Amount xmlns:p="urn:example:invoice" currency="KZT">1000.00</p:Amount></Invoice>';

describe('collisions of the old canonicalizer are now HASH_FAILURE', () => {
  for (const c14n of [EXC, C14N10]) {
    const m = c14n === EXC ? 'exc-C14N' : 'C14N 1.0';

    it(`${m}: xsi:nil="true" added under a prefix ending in "xmlns" (xsixmlns:nil)`, async () => {
      await signedThenAltered(PREFIXED, (x) => edit(x, '<inv:Amount currency="KZT">', `<inv:Amount xmlns:xsixmlns="${XSI}" xsixmlns:nil="true" currency="KZT">`), { c14n });
    });

    it(`${m}: the amount's prefix rebound to another namespace behind a fake axmlns:p declaration`, async () => {
      // Old: "axmlns:p" was read as a declaration of p, de-duplicated first-wins, so xmlns:p printed the old URI.
      await signedThenAltered(FIRST_USE, (x) => edit(x, '<p:Amount xmlns:p="urn:example:invoice"', '<p:Amount xmlns:axmlns="urn:any" axmlns:p="urn:example:invoice" xmlns:p="urn:evil:invoice"'), { c14n });
    });

    it(`${m}: the whole invoice moved out of its namespace, the default declaration replaced by a non-ASCII prefix (xmlns:ä)`, async () => {
      // Old: the prefix was read with [\w.-]+, so xmlns:ä="X" printed as xmlns="X".
      // Inclusive C14N renders the root's declarations on SignedInfo too, so there the SignatureValue fails first.
      const sub = c14n === EXC ? 'HASH_FAILURE' : 'SIG_CRYPTO_FAILURE';
      await signedThenAltered(DEFAULT_NS, (x) => edit(x, '<Invoice xmlns="urn:example:invoice">', '<Invoice xmlns:ä="urn:example:invoice">'), { c14n }, sub);
    });

    it(`${m}: an attribute added under a prefix ending in "xmlns" (pxmlns:currency)`, async () => {
      await signedThenAltered(PREFIXED, (x) => edit(x, '<inv:Amount currency="KZT">', '<inv:Amount xmlns:pxmlns="urn:example:invoice" pxmlns:currency="KZT" currency="KZT">'), { c14n });
    });

    it(`${m}: the amount moved out of the default namespace with xmlns=""`, async () => {
      await signedThenAltered(DEFAULT_NS, (x) => edit(x, '<Amount currency="KZT">', '<Amount xmlns="" currency="KZT">'), { c14n });
    });

    it(`${m}: the amount moved into the default namespace from a prefixed one`, async () => {
      await signedThenAltered(PREFIXED, (x) => edit(edit(x, '<inv:Amount currency="KZT">', '<Amount xmlns="urn:example:invoice" currency="KZT">'), '1000.00</inv:Amount>', '1000.00</Amount>'), { c14n });
    });
  }

  it('exc-C14N PrefixList="#default": the default namespace replaced by xmlns:ä', async () => {
    await signedThenAltered(DEFAULT_NS, (x) => edit(x, '<Invoice xmlns="urn:example:invoice">', '<Invoice xmlns:ä="urn:example:invoice">'), { transforms: transform(EXC, '#default') });
  });

  it('exc-C14N PrefixList="q": an included (QName-content) prefix rebound behind a fake declaration', async () => {
    // q is not used by element or attribute names, only inside the type="q:Money" value: the PrefixList makes it signed.
    const doc = '<Invoice><Amount xmlns:q="urn:example:types" type="q:Money">1000.00</Amount></Invoice>';
    await signedThenAltered(doc, (x) => edit(x, '<Amount xmlns:q="urn:example:types"', '<Amount xmlns:axmlns="urn:any" axmlns:q="urn:example:types" xmlns:q="urn:evil:types"'), { transforms: transform(EXC, 'q') });
  });

  it('exc-C14N PrefixList="q": rebinding an included prefix on a descendant', async () => {
    const doc = '<Invoice xmlns:q="urn:example:types"><Amount type="q:Money">1000.00</Amount></Invoice>';
    await signedThenAltered(doc, (x) => edit(x, '<Amount type="q:Money">', '<Amount xmlns:q="urn:evil:types" type="q:Money">'), { transforms: transform(EXC, 'q') });
  });

  it('namespace URIs are escaped: a declaration value with a quote cannot mimic another declaration', async () => {
    // Old: namespace values were printed unescaped, so xmlns:p='urn:a" xmlns:q="urn:b' read like two declarations.
    const doc = '<Invoice xmlns:p="urn:a" xmlns:q="urn:b"><p:Amount>1000.00</p:Amount></Invoice>';
    const signed = await signEnveloped(doc, signer, { c14n: C14N10 });
    expect((await verdict(signed)).indication).toBe('TOTAL-PASSED');
    const altered = edit(signed, '<Invoice xmlns:p="urn:a" xmlns:q="urn:b">', `<Invoice xmlns:p='urn:a" xmlns:q="urn:b'>`);
    const bad = await verdict(altered);
    expect(bad.indication).toBe('TOTAL-FAILED');
  });
});

describe('xml:* attributes inherited by a signed subtree (inclusive C14N document subsets)', () => {
  // The SignedProperties reference is a subtree: C14N 1.0 renders on its apex the xml:* attributes of
  // its ancestors (ds:Signature ...), which the enveloped-signature transform keeps out of the URI="" digest.
  it('C14N 1.0: xml:lang added on ds:Signature changes SignedInfo and SignedProperties', async () => {
    const signed = await signEnveloped(PREFIXED, signer, { c14n: C14N10 });
    expect((await verdict(signed)).indication).toBe('TOTAL-PASSED');
    const bad = await verdict(edit(signed, '<ds:Signature ', '<ds:Signature xml:lang="ru" '));
    expect(bad.indication).toBe('TOTAL-FAILED');
    expect(['HASH_FAILURE', 'SIG_CRYPTO_FAILURE']).toContain(bad.subIndication);
  });

  it('C14N 1.1: xml:id on an ancestor is not inherited (still TOTAL-PASSED), xml:space is (TOTAL-FAILED)', async () => {
    const signed = await signEnveloped(PREFIXED, signer, { c14n: C14N11 });
    expect((await verdict(signed)).indication).toBe('TOTAL-PASSED');
    expect((await verdict(edit(signed, '<ds:Signature ', '<ds:Signature xml:id="s1" '))).indication).toBe('TOTAL-PASSED');
    expect((await verdict(edit(signed, '<ds:Signature ', '<ds:Signature xml:space="preserve" '))).indication).toBe('TOTAL-FAILED');
  });

  it('C14N 1.1 under an inherited xml:base is refused (no fix-up implemented), never accepted', async () => {
    const signed = await signEnveloped(PREFIXED, signer, { c14n: C14N11 });
    const bad = await verdict(edit(signed, '<ds:Signature ', '<ds:Signature xml:base="http://example.org/a/" '));
    expect(bad.indication).not.toBe('TOTAL-PASSED');
    expect(JSON.stringify(bad.checks)).toMatch(/xml:base/);
  });

  it('exc-C14N: ancestor xml:* attributes are not part of a subtree (the signer chose that)', async () => {
    const signed = await signEnveloped(PREFIXED, signer, { c14n: EXC });
    expect((await verdict(edit(signed, '<ds:Signature ', '<ds:Signature xml:lang="ru" '))).indication).toBe('TOTAL-PASSED');
  });
});
