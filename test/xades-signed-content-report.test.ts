/**
 * Issue #24 (report precision): the report says exactly what was signed — which ds:Object of an
 * enveloping signature (path and Id), and which processing instructions / comments of the document
 * no reference covers (a by-Id reference covers its element only, and no URI covers comments).
 */
import { describe, expect, it } from 'vitest';
import { verify, type SignatureReport } from '../src/index.js';
import { fixture, loadManifest, optionsFor } from './helpers/fixtures.js';

const xm = loadManifest('xades/manifest.json');
const sample = (id: string) => xm.samples.find((x) => x.id === id)!;
const text = (id: string) => new TextDecoder().decode(fixture(sample(id).file));
const run = async (id: string, xml: string): Promise<SignatureReport> => (await verify(xml, optionsFor(xm, sample(id)))).signatures[0]!;
const signedContent = (s: SignatureReport) => s.checks.find((c) => c.id === 'fc.signed-content')!;

function edit(xml: string, from: string, to: string): string {
  expect(xml).toContain(from);
  return xml.replace(from, to);
}

describe('fc.signed-content names exactly what is signed', () => {
  it('enveloping: the ds:Object by path and Id', async () => {
    const s = await run('kz-enveloping-b', text('kz-enveloping-b'));
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(signedContent(s)).toMatchObject({ status: 'PASSED', detail: 'signed data is the ds:Object /ds:Signature[1]/ds:Object[1] (Id "object-1")' });
  });

  it('enveloped by URI="" and by the root Id: the document element', async () => {
    expect(signedContent(await run('kz-enveloped-b', text('kz-enveloped-b'))).detail).toBe('signed data is the document element /inv:Invoice[1] minus the enveloped signature');
    expect(signedContent(await run('kz-enveloped-by-id', text('kz-enveloped-by-id'))).detail).toMatch(/^signed data is the document element \/inv:Invoice\[1\]/);
  });
});

describe('processing instructions and comments outside the signed references are listed as not covered', () => {
  const stylesheet = '<?xml-stylesheet type="text/xsl" href="https://evil.example/show-other-amount.xsl"?>';

  it('a stylesheet PI added before a by-Id signed root: still valid (it is not signed), and the report says so', async () => {
    const s = await run('kz-enveloped-by-id', stylesheet + text('kz-enveloped-by-id'));
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(s.warnings).toContain('not covered by the signature: processing instruction <?xml-stylesheet type="text/xsl" href="https://evil.example/show-other-amount.xsl"?> before the document element');
  });

  it('a comment inside the by-Id signed element is not covered either (Id references drop comments)', async () => {
    const s = await run('kz-enveloped-by-id', edit(text('kz-enveloped-by-id'), '<inv:Payee>', '<!-- paid in full --><inv:Payee>'));
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(s.warnings).toContain('not covered by the signature: comment <!-- paid in full --> in /inv:Invoice[1]');
  });

  it('URI="" covers PIs (a PI added breaks the digest) but not comments (listed)', async () => {
    const pi = await run('kz-enveloped-b', stylesheet + text('kz-enveloped-b'));
    expect([pi.indication, pi.subIndication]).toEqual(['TOTAL-FAILED', 'HASH_FAILURE']);
    const c = await run('kz-enveloped-b', text('kz-enveloped-b') + '<!-- approved -->');
    expect(c.indication).toBe('TOTAL-PASSED');
    expect(c.warnings).toContain('not covered by the signature: comment <!-- approved --> after the document element');
  });

  it('an unmodified signature has no such warning', async () => {
    for (const id of ['kz-enveloped-b', 'kz-enveloped-by-id', 'kz-enveloping-b']) {
      expect((await run(id, text(id))).warnings.filter((w) => w.startsWith('not covered'))).toEqual([]);
    }
  });
});
