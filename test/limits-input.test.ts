import { describe, expect, it } from 'vitest';
import { verify, LimitExceededError, InvalidOptionError, OtsEsigError, DEFAULT_LIMITS, type VerifyOptions } from '../src/index.js';
import { parseTlv, serialize, type TlvNode } from '../scripts/fuzz/tlv.js';
import { fixture, loadManifest, optionsFor } from './helpers/fixtures.js';

const manifest = loadManifest();
const xadesManifest = loadManifest('xades/manifest.json');
const sample = (id: string) => manifest.samples.find((s) => s.id === id)!;
const opts = (id: string, extra: VerifyOptions = {}): VerifyOptions => ({ ...optionsFor(manifest, sample(id)), ...extra });
const kzAttached = () => fixture('cades/kz-attached.p7s');

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

async function expectLimit(p: Promise<unknown>, limit: string, max: number): Promise<void> {
  const e = await rejection(p);
  expect(e).toBeInstanceOf(LimitExceededError);
  expect((e as LimitExceededError).code).toBe('ERR_LIMIT_EXCEEDED');
  expect((e as LimitExceededError).limit).toBe(limit);
  expect((e as LimitExceededError).max).toBe(max);
}

/** `depth` nested indefinite-length SEQUENCEs: a few bytes per level, the classic parser-recursion bomb. */
function nestedSequences(depth: number): Uint8Array {
  const b = new Uint8Array(depth * 4);
  for (let i = 0; i < depth; i++) {
    b[2 * i] = 0x30;
    b[2 * i + 1] = 0x80;
  }
  return b; // the rest is zeros: the end-of-contents octets
}

/** kz-attached with an unsigned attribute holding `n` INTEGERs: the signature stays valid, the element count grows. */
function withBigUnsignedAttribute(n: number): Uint8Array {
  const root = parseTlv(kzAttached())!;
  const signedData = root.children![1]!.children![0]!;
  const signerInfo = signedData.children![signedData.children!.length - 1]!.children![0]!;
  const ints: TlvNode[] = Array.from({ length: n }, (_, i) => ({ tag: Uint8Array.of(0x02), constructed: false, content: Uint8Array.of(i & 0x7f), children: null, original: null }));
  const attribute: TlvNode = {
    tag: Uint8Array.of(0x30),
    constructed: true,
    content: new Uint8Array(),
    original: null,
    children: [
      { tag: Uint8Array.of(0x06), constructed: false, content: Uint8Array.of(0x2a, 0x03, 0x04), children: null, original: null }, // 1.2.3.4
      { tag: Uint8Array.of(0x31), constructed: true, content: new Uint8Array(), original: null, children: [{ tag: Uint8Array.of(0x30), constructed: true, content: new Uint8Array(), children: ints, original: null }] },
    ],
  };
  const last = signerInfo.children![signerInfo.children!.length - 1]!;
  if (last.tag[0] === 0xa1) last.children!.push(attribute);
  else signerInfo.children!.push({ tag: Uint8Array.of(0xa1), constructed: true, content: new Uint8Array(), children: [attribute], original: null });
  for (const n of [root, root.children![1]!, signedData, signedData.children![signedData.children!.length - 1]!, signerInfo, last]) n.original = null;
  return serialize(root);
}

describe('limits: configuration', () => {
  it('defaults are the documented ones', () => {
    expect(DEFAULT_LIMITS).toMatchObject({
      maxInputBytes: 64 * 1024 * 1024,
      maxAsn1Depth: 100,
      maxAsn1Elements: 200_000,
      maxCertificates: 64,
      maxSigners: 32,
      maxPathDepth: 10,
      maxPathCandidates: 500,
      maxPaths: 16,
      maxXmlBytes: 32 * 1024 * 1024,
      maxXmlDepth: 64,
      maxXmlNodes: 250_000,
      maxXmlReferences: 64,
      maxXmlWork: 10_000_000,
      maxDownloadBytes: 4 * 1024 * 1024,
      downloadTimeoutMs: 5_000,
    });
    expect(Object.isFrozen(DEFAULT_LIMITS)).toBe(true);
  });

  it('an unknown limit name or a non-positive / fractional value is an InvalidOptionError, not a silent default', async () => {
    for (const limits of [{ maxInputByte: 10 }, { maxInputBytes: 0 }, { maxInputBytes: -1 }, { maxAsn1Depth: 2.5 }, { maxSigners: '3' }]) {
      const e = await rejection(verify(kzAttached(), opts('kz-attached', { limits: limits as never })));
      expect(e).toBeInstanceOf(InvalidOptionError);
    }
  });

  it('a subset overrides the defaults and the rest stay in force', async () => {
    const r = await verify(kzAttached(), opts('kz-attached', { limits: { maxSigners: 1 } }));
    expect(r.signatures[0]!.indication).toBe('TOTAL-PASSED');
  });
});

describe('limits: CMS input', () => {
  it('input size: bytes beyond maxInputBytes are refused before decoding (DER, PEM and XML alike)', async () => {
    await expectLimit(verify(kzAttached(), opts('kz-attached', { limits: { maxInputBytes: 1000 } })), 'input.bytes', 1000);
    await expectLimit(verify(fixture('cades/kz-attached.pem'), opts('kz-attached', { limits: { maxInputBytes: 1000 } })), 'input.bytes', 1000);
    await expectLimit(verify(fixture('xades/kz-enveloped-b.xml'), opts('kz-attached', { limits: { maxInputBytes: 1000 } })), 'input.bytes', 1000);
  });

  it('ASN.1 nesting depth: deep BER nesting is a LimitExceededError, never a stack overflow', async () => {
    await expectLimit(verify(nestedSequences(150)), 'cms.asn1Depth', 100);
    await expectLimit(verify(nestedSequences(200_000)), 'cms.asn1Depth', 100);
    await expectLimit(verify(nestedSequences(50), { limits: { maxAsn1Depth: 20 } }), 'cms.asn1Depth', 20);
    // Within the limit it is merely not a signature.
    const e = await rejection(verify(nestedSequences(50)));
    expect((e as OtsEsigError).code).toBe('ERR_INPUT_FORMAT');
  });

  it('ASN.1 element count: bounded by maxAsn1Elements, with room beyond asn1js’ own 10,000 default', async () => {
    const big = withBigUnsignedAttribute(15_000);
    const r = await verify(big, opts('kz-attached'));
    expect(r.signatures[0]!.indication).toBe('TOTAL-PASSED'); // unsigned attributes do not touch the signature
    await expectLimit(verify(big, opts('kz-attached', { limits: { maxAsn1Elements: 10_000 } })), 'cms.asn1Elements', 10_000);
    await expectLimit(verify(kzAttached(), opts('kz-attached', { limits: { maxAsn1Elements: 50 } })), 'cms.asn1Elements', 50);
  });

  it('certificates per signature and signers per SignedData', async () => {
    await expectLimit(verify(kzAttached(), opts('kz-attached', { limits: { maxCertificates: 1 } })), 'cms.certificates', 1);
    await expectLimit(verify(fixture('cades/two-signers.p7s'), opts('two-signers', { limits: { maxSigners: 1 } })), 'cms.signers', 1);
  });
});

describe('limits: path building', () => {
  it('maxPathDepth: a path longer than allowed is not found (INDETERMINATE NO_CERTIFICATE_CHAIN_FOUND)', async () => {
    const r = await verify(kzAttached(), opts('kz-attached', { limits: { maxPathDepth: 1 } }));
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
  });

  it('maxPathCandidates: the search stops and the report says so', async () => {
    const r = await verify(kzAttached(), opts('kz-attached', { limits: { maxPathCandidates: 1 } }));
    const s = r.signatures[0]!;
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(s.checks.some((c) => /pathBuilding\.candidates|limit/i.test(c.detail))).toBe(true);
  });
});

describe('limits: XML input', () => {
  const xs = (id: string) => xadesManifest.samples.find((s) => s.id === id)!;
  const xml = () => fixture('xades/kz-enveloped-b.xml');
  /** The sample with a second (unsigned, bogus) ds:Signature next to the first. */
  const doubled = () => new TextDecoder().decode(xml()).replace('</inv:Invoice>', '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></inv:Invoice>');
  const xo = (limits: VerifyOptions['limits']): VerifyOptions => ({ ...optionsFor(xadesManifest, xs('kz-enveloped-b')), limits });

  it('the unconstrained sample passes', async () => {
    expect((await verify(xml(), xo({}))).signatures[0]!.indication).toBe('TOTAL-PASSED');
  });

  it('size, depth and node count', async () => {
    await expectLimit(verify(xml(), xo({ maxXmlBytes: 500 })), 'xml.bytes', 500);
    await expectLimit(verify(xml(), xo({ maxXmlDepth: 4 })), 'xml.depth', 4);
    await expectLimit(verify(xml(), xo({ maxXmlNodes: 20 })), 'xml.nodes', 20);
  });

  it('a flood of tiny elements is refused before a DOM is built (no GBs of heap)', async () => {
    const flood = `<r xmlns:ds="http://www.w3.org/2000/09/xmldsig#">${'<a/>'.repeat(400_000)}<ds:Signature/></r>`;
    const t0 = performance.now();
    await expectLimit(verify(flood), 'xml.nodes', 250_000);
    expect(performance.now() - t0).toBeLessThan(3_000); // parsing it would take ~6 s and ~400 MB
  });

  it('comments, CDATA, PIs and quoted ">" do not confuse the pre-scan', async () => {
    const r = await verify(fixture('xades/kz-enveloped-b.xml'), xo({ maxXmlNodes: 250_000 }));
    expect(r.signatures[0]!.indication).toBe('TOTAL-PASSED');
    const tricky = `<?xml version="1.0"?><!-- <a><a><a> --><r a="x>y" b='<'><![CDATA[<b><b>]]><c/></r>`;
    await expect(verify(tricky, { limits: { maxXmlDepth: 2 } })).rejects.toMatchObject({ code: 'ERR_INPUT_FORMAT' }); // no ds:Signature, not a depth error
  });

  it('signatures per XML document (maxSigners)', async () => {
    await expectLimit(verify(xml(), xo({ maxSigners: 1 })).then(() => verify(doubled(), xo({ maxSigners: 1 }))), 'xml.signatures', 1);
  });

  it('deeply nested XML is refused by the default depth limit', async () => {
    const deep = `<a xmlns:ds="http://www.w3.org/2000/09/xmldsig#">${'<b>'.repeat(5000)}${'</b>'.repeat(5000)}<ds:Signature/></a>`;
    await expectLimit(verify(deep), 'xml.depth', 64);
  });
});
