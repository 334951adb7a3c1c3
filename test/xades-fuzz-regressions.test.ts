/**
 * Regressions for the XAdES false accepts found by the fuzz harness (scripts/fuzz/LAST_RUN.md,
 * families xml-wrapNode / xml-moveNode): each test rebuilds the minimal mutation from a
 * committed fixture and asserts the precise verdict.
 */
import { webcrypto } from 'node:crypto';
import { XMLSerializer } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { verify, type SignatureReport } from '../src/index.js';
import { derObjectsFrom } from '../src/util/pem.js';
import { toBase64 } from '../src/util/bytes.js';
import { DSIG_NS } from '../src/xades/dom.js';
import { canonicalSignedInfo, referenceDigestInputs } from '../src/xades/xmldsig.js';
import { parseXml } from '../src/xml/parse.js';
import { fixture, loadManifest, optionsFor } from './helpers/fixtures.js';

const xm = loadManifest('xades/manifest.json');
const sample = (id: string) => xm.samples.find((x) => x.id === id)!;
const text = (id: string) => new TextDecoder().decode(fixture(sample(id).file));

async function verdict(id: string, xml: string): Promise<SignatureReport> {
  const r = await verify(xml, optionsFor(xm, sample(id)));
  const sigId = /<ds:Signature [^>]*Id="([^"]+)"/.exec(text(id))![1];
  const s = r.signatures.find((x) => x.id === `Signature[@Id='${sigId}']`);
  expect(s, `report for ${sigId}`).toBeDefined();
  return s!;
}

function failed(s: SignatureReport, checkId: string): string[] {
  return s.checks.filter((c) => c.id === checkId && c.status !== 'PASSED' && c.status !== 'SKIPPED').map((c) => c.detail);
}

/** Applies an exact textual edit and insists it happened. */
function edit(xml: string, from: string, to: string): string {
  expect(xml).toContain(from);
  const out = xml.replace(from, to);
  expect(out).not.toBe(xml);
  return out;
}

const wrapQp = (xml: string) =>
  edit(edit(xml, '<xades:QualifyingProperties', '<Wrapper><xades:QualifyingProperties'), '</xades:QualifyingProperties>', '</xades:QualifyingProperties></Wrapper>');

describe('root cause 1: XAdES elements outside their standard place were ignored, not refused', () => {
  // findQualifyingProperties looks only at ds:Signature/ds:Object/xades:QualifyingProperties; anything
  // elsewhere made the signature "plain XML-DSig" and the signer was taken from ds:KeyInfo.
  it('the unmutated fixtures keep their verdicts', async () => {
    expect((await verdict('kz-enveloped-b', text('kz-enveloped-b'))).indication).toBe('TOTAL-PASSED');
    const wrong = await verdict('kz-enveloped-wrong-signing-cert', text('kz-enveloped-wrong-signing-cert'));
    expect([wrong.indication, wrong.subIndication]).toEqual(['INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND']);
  });

  it('QualifyingProperties wrapped inside ds:Object (wrong SigningCertificateV2): FORMAT_FAILURE, not TOTAL-PASSED', async () => {
    const s = await verdict('kz-enveloped-wrong-signing-cert', wrapQp(text('kz-enveloped-wrong-signing-cert')));
    expect([s.indication, s.subIndication]).toEqual(['TOTAL-FAILED', 'FORMAT_FAILURE']);
    expect(failed(s, 'fc.xades-structure').join()).toMatch(/QualifyingProperties.*not where XAdES puts it/);
    expect(failed(s, 'fc.signed-properties-reference').length).toBe(1);
  });

  it('QualifyingProperties wrapped inside ds:Object of a valid signature: FORMAT_FAILURE', async () => {
    for (const id of ['kz-enveloped-b', 'tr-enveloped-b-ecdsa', 'kz-detached-b', 'kz-enveloping-b']) {
      const s = await verdict(id, wrapQp(text(id)));
      expect([id, s.indication, s.subIndication]).toEqual([id, 'TOTAL-FAILED', 'FORMAT_FAILURE']);
    }
  });

  it('ds:Object moved into ds:KeyInfo (fuzz #7825, tr-detached-b-ecdsa): FORMAT_FAILURE', async () => {
    const xml = text('tr-detached-b-ecdsa');
    const obj = /<ds:Object>[\s\S]*<\/ds:Object>/.exec(xml)![0];
    const moved = edit(edit(xml, obj, ''), '<ds:KeyInfo>', `<ds:KeyInfo>${obj}`);
    const s = await verdict('tr-detached-b-ecdsa', moved);
    expect([s.indication, s.subIndication]).toEqual(['TOTAL-FAILED', 'FORMAT_FAILURE']);
    expect(failed(s, 'fc.xades-structure').join()).toMatch(/ds:KeyInfo\[1\]\/ds:Object\[1\]\/xades:QualifyingProperties\[1\] is not where XAdES puts it/);
  });

  it('a wrapped SigningCertificateV2 inside SignedSignatureProperties: FORMAT_FAILURE', async () => {
    const xml = text('kz-enveloped-b');
    const wrapped = edit(edit(xml, '<xades:SigningCertificateV2>', '<xades:Wrapper><xades:SigningCertificateV2>'), '</xades:SigningCertificateV2>', '</xades:SigningCertificateV2></xades:Wrapper>');
    const s = await verdict('kz-enveloped-b', wrapped);
    expect(s.indication).toBe('TOTAL-FAILED');
    expect(failed(s, 'fc.xades-structure').join()).toMatch(/SigningCertificateV2\[1\] is not where XAdES puts it/);
  });

  it('a wrapped (bad) SignatureTimeStamp is refused, not silently dropped', async () => {
    const xml = text('kz-enveloped-t-wrong-imprint');
    const wrapped = edit(edit(xml, '<xades:SignatureTimeStamp', '<Wrapper><xades:SignatureTimeStamp'), '</xades:SignatureTimeStamp>', '</xades:SignatureTimeStamp></Wrapper>');
    const s = await verdict('kz-enveloped-t-wrong-imprint', wrapped);
    expect([s.indication, s.subIndication]).toEqual(['TOTAL-FAILED', 'FORMAT_FAILURE']);
    expect(failed(s, 'fc.xades-structure').join()).toMatch(/SignatureTimeStamp\[1\] is not where XAdES puts it/);
  });

  it('two SigningCertificateV2 in SignedSignatureProperties: FORMAT_FAILURE (the reader would use only the first)', async () => {
    const xml = text('kz-enveloped-b');
    const sc = /<xades:SigningCertificateV2>[\s\S]*<\/xades:SigningCertificateV2>/.exec(xml)![0];
    const s = await verdict('kz-enveloped-b', edit(xml, sc, sc + sc));
    expect(s.indication).toBe('TOTAL-FAILED');
    expect(failed(s, 'fc.xades-structure').join()).toMatch(/2 SigningCertificateV2 elements/);
  });
});

describe('root cause 2: a SignedProperties reference was checked only when QualifyingProperties were found', () => {
  it('QualifyingProperties hidden in a nested ds:Signature (not visited as this signature\'s): the SignedProperties reference gives FORMAT_FAILURE', async () => {
    const xml = text('kz-enveloped-b');
    const hidden = edit(
      edit(xml, '<ds:Object><xades:QualifyingProperties', '<ds:Object><ds:Signature><xades:QualifyingProperties'),
      '</xades:QualifyingProperties></ds:Object>',
      '</xades:QualifyingProperties></ds:Signature></ds:Object>',
    );
    const s = await verdict('kz-enveloped-b', hidden);
    expect([s.indication, s.subIndication]).toEqual(['TOTAL-FAILED', 'FORMAT_FAILURE']);
    expect(failed(s, 'fc.xades-structure')).toEqual([]);
    expect(failed(s, 'fc.signed-properties-reference').join()).toMatch(/reference 1 of Type http:\/\/uri\.etsi\.org\/01903#SignedProperties covers .*ds:Signature\[1\]\/xades:QualifyingProperties\[1\]\/xades:SignedProperties\[1\], not ds:Signature\/ds:Object/);
  });
});

describe('root cause 4: enveloping data in a ds:Object nested inside another ds:Object counted as this signature\'s ds:Object', () => {
  it('the signed ds:Object moved into the QualifyingProperties\' ds:Object (fuzz #97085, kz-enveloping-b): INDETERMINATE / SIGNED_DATA_NOT_FOUND', async () => {
    const xml = text('kz-enveloping-b');
    const obj = /<ds:Object Id="object-1">[\s\S]*?<\/ds:Object>/.exec(xml)![0];
    const moved = edit(edit(xml, obj, ''), '<ds:Object><xades:QualifyingProperties', `<ds:Object>${obj}<xades:QualifyingProperties`);
    const s = await verdict('kz-enveloping-b', moved);
    expect(s.checks.find((c) => c.id === 'cv.signature-value')?.status).toBe('PASSED');
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'SIGNED_DATA_NOT_FOUND']);
    expect(failed(s, 'fc.signed-content').join()).toMatch(/ds:Object\[1\]\/ds:Object\[1\]/);
  });
});

describe('root cause 3: XAdES properties without a signed SigningCertificate(V2) left the KeyInfo certificate unbound', () => {
  /** kz-enveloped-b re-signed by its own key after removing SigningCertificateV2 (optionally also signing ds:KeyInfo). */
  async function withoutSigningCertificate(signKeyInfo: boolean): Promise<string> {
    let xml = text('kz-enveloped-b');
    xml = edit(xml, /<xades:SigningCertificateV2>[\s\S]*<\/xades:SigningCertificateV2>/.exec(xml)![0], '');
    if (signKeyInfo) {
      xml = edit(xml, '<ds:KeyInfo>', '<ds:KeyInfo Id="sig-kz-ki">');
      xml = edit(
        xml,
        '</ds:SignedInfo>',
        '<ds:Reference URI="#sig-kz-ki"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AA==</ds:DigestValue></ds:Reference></ds:SignedInfo>',
      );
    }
    const doc = parseXml(xml);
    const sig = doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[0]!;
    const inputs = await referenceDigestInputs(doc, sig);
    const dvs = Array.from(sig.getElementsByTagNameNS(DSIG_NS, 'SignedInfo')[0]!.getElementsByTagNameNS(DSIG_NS, 'DigestValue'));
    for (let i = 0; i < dvs.length; i++) dvs[i]!.textContent = toBase64(new Uint8Array(await webcrypto.subtle.digest('SHA-256', inputs[i]!.slice())));
    const pkcs8 = derObjectsFrom(fixture('keys/kz-signer.key.pem'), ['PRIVATE KEY'])[0]!;
    const key = await webcrypto.subtle.importKey('pkcs8', pkcs8.slice(), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    const value = new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', key, canonicalSignedInfo(sig).slice()));
    sig.getElementsByTagNameNS(DSIG_NS, 'SignatureValue')[0]!.textContent = toBase64(value);
    return new XMLSerializer().serializeToString(doc as never);
  }

  it('QualifyingProperties without SigningCertificateV2 and an unsigned ds:KeyInfo: INDETERMINATE / NO_SIGNING_CERTIFICATE_FOUND', async () => {
    const s = await verdict('kz-enveloped-b', await withoutSigningCertificate(false));
    expect(s.checks.find((c) => c.id === 'cv.signature-value')?.status).toBe('PASSED');
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND']);
    expect(failed(s, 'isc.signing-certificate-reference').join()).toMatch(/without a signed SigningCertificate/);
  });

  it('the TS 101 903 XAdES-BES alternative (ds:KeyInfo covered by a signed reference) still passes', async () => {
    const s = await verdict('kz-enveloped-b', await withoutSigningCertificate(true));
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(s.checks.find((c) => c.id === 'isc.key-info-signed')?.status).toBe('PASSED');
  });
});
