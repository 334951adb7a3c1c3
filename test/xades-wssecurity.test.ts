/**
 * WS-Security (issue #17 point 3): a SOAP message signed in soap:Header/wsse:Security, its KeyInfo a
 * wsse:SecurityTokenReference to a wsse:BinarySecurityToken, signing soap:Body and wsu:Timestamp by wsu:Id.
 * Signed here with the fixture kz-signer RSA key (test/helpers/xml-sign.ts: the library's own reference
 * resolution and C14N). The shape is accepted only when it is exactly SOAP; wrapping variants are refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verify, type SignatureReport } from '../src/index.js';
import { DSIG_NS } from '../src/xades/dom.js';
import { fixture, loadManifest, optionsFor } from './helpers/fixtures.js';
import { certB64, EXC_C14N, excC14nTransform, reference, signXml } from './helpers/xml-sign.js';
import { describeIf } from './helpers/skip.js';

const xm = loadManifest('xades/manifest.json');
const options = () => ({ ...optionsFor(xm, xm.samples.find((x) => x.id === 'kz-enveloped-by-id')!), intermediates: [fixture('pki/kz-ca.pem')] });

const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const X509V3 = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3';
const B64 = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

const token = (id = 'X509-1', cert = certB64('kz-signer')) => `<wsse:BinarySecurityToken EncodingType="${B64}" ValueType="${X509V3}" wsu:Id="${id}">${cert}</wsse:BinarySecurityToken>`;
const timestamp = '<wsu:Timestamp wsu:Id="TS-1"><wsu:Created>2026-01-10T10:00:00Z</wsu:Created><wsu:Expires>2026-01-10T10:05:00Z</wsu:Expires></wsu:Timestamp>';
const body = '<soap:Body wsu:Id="Body-1"><pay xmlns="urn:example:bank"><to>KZ12 3456</to><amount>100</amount></pay></soap:Body>';

function signature(refs: readonly string[], keyInfo = `<wsse:SecurityTokenReference><wsse:Reference URI="#X509-1" ValueType="${X509V3}"/></wsse:SecurityTokenReference>`): string {
  return (
    `<ds:Signature xmlns:ds="${DSIG_NS}"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${EXC_C14N}"/>` +
    `<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>${refs.join('')}</ds:SignedInfo>` +
    `<ds:SignatureValue></ds:SignatureValue><ds:KeyInfo>${keyInfo}</ds:KeyInfo></ds:Signature>`
  );
}

const bodyRef = reference('#Body-1', [excC14nTransform()]);
const tsRef = reference('#TS-1', [excC14nTransform()]);

function envelope(o: { header?: string; security?: string; body?: string; sig?: string } = {}): string {
  const sec = o.security ?? `${timestamp}${token()}${o.sig ?? signature([tsRef, bodyRef])}`;
  return `<soap:Envelope xmlns:soap="${SOAP}" xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}"><soap:Header>${o.header ?? ''}<wsse:Security soap:mustUnderstand="1">${sec}</wsse:Security></soap:Header>${o.body ?? body}</soap:Envelope>`;
}

const run = async (xml: string): Promise<SignatureReport> => (await verify(xml, options())).signatures[0]!;
const check = (s: SignatureReport, id: string) => s.checks.find((c) => c.id === id);
const failing = (s: SignatureReport) => s.checks.filter((c) => c.status !== 'PASSED').map((c) => `${c.id}: ${c.detail}`).join('\n');

describe('WS-Security SOAP signature', () => {
  it('BinarySecurityToken by SecurityTokenReference is the signer; Body and Timestamp are reported as covered', async () => {
    const s = await run(await signXml(envelope()));
    expect(s.indication, failing(s)).toBe('TOTAL-PASSED');
    expect(check(s, 'isc.key-info')?.detail).toMatch(/wsse:BinarySecurityToken .*\(Id "X509-1"\) that ds:KeyInfo\/wsse:SecurityTokenReference names \(not bound by a signed property\)/);
    expect(check(s, 'fc.signed-content')?.detail).toBe(
      'signed data is wsu:Timestamp of the signature\'s wsse:Security header (/soap:Envelope[1]/soap:Header[1]/wsse:Security[1]/wsu:Timestamp[1], Id "TS-1") and soap:Body of the envelope (/soap:Envelope[1]/soap:Body[1], Id "Body-1")',
    );
    expect(check(s, 'cv.signature-value')?.status).toBe('PASSED');
  });

  it('KeyIdentifier (X509SubjectKeyIdentifier) to the token in the header also names the signer', async () => {
    const ski = Buffer.from('placeholder').toString('base64');
    const xml = envelope({ sig: signature([bodyRef], `<wsse:SecurityTokenReference><wsse:KeyIdentifier ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509SubjectKeyIdentifier">${ski}</wsse:KeyIdentifier></wsse:SecurityTokenReference>`) });
    const { ParsedCertificate } = await import('../src/pki/certificate.js');
    const cert = ParsedCertificate.fromDer(new Uint8Array(Buffer.from(certB64('kz-signer'), 'base64')));
    const real = Buffer.from(cert.subjectKeyIdentifier!, 'hex').toString('base64');
    const s = await run(await signXml(xml.replace(ski, real)));
    expect(s.indication, failing(s)).toBe('TOTAL-PASSED');
    // A key identifier no token has: no certificate.
    const none = await run(await signXml(xml));
    expect([none.indication, none.subIndication]).toEqual(['INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND']);
  });

  it('changed Body after signing: TOTAL-FAILED / HASH_FAILURE', async () => {
    const s = await run((await signXml(envelope())).replace('<amount>100</amount>', '<amount>900</amount>'));
    expect([s.indication, s.subIndication]).toEqual(['TOTAL-FAILED', 'HASH_FAILURE']);
  });
});

describe('WS-Security wrapping and token attacks are refused', () => {
  it('a second Body-like element with the same wsu:Id (wrapper in the header): FORMAT_FAILURE, never TOTAL-PASSED', async () => {
    const signed = await signXml(envelope());
    // The signed Body is kept (in a header block) and a new Body with the same Id carries other content.
    const evil = signed.replace(/<soap:Body wsu:Id="Body-1">([\s\S]*)<\/soap:Body>/, (m) => `<soap:Body wsu:Id="Body-1"><pay xmlns="urn:example:bank"><to>ATTACKER</to><amount>900</amount></pay></soap:Body>`).replace('<soap:Header>', `<soap:Header><w:Wrapper xmlns:w="urn:x">${body}</w:Wrapper>`);
    const s = await run(evil);
    expect(s.indication).not.toBe('TOTAL-PASSED');
    expect([s.indication, s.subIndication]).toEqual(['TOTAL-FAILED', 'FORMAT_FAILURE']);
    expect(check(s, 'fc.unique-ids')?.detail).toMatch(/"Body-1"/);
  });

  it('the signed Body moved under the Header and a new unsigned Body in its place: SIGNED_DATA_NOT_FOUND', async () => {
    const signed = await signXml(envelope());
    const m = /<soap:Body wsu:Id="Body-1">[\s\S]*<\/soap:Body>/.exec(signed)!;
    const evil = signed.replace(m[0], '<soap:Body><pay xmlns="urn:example:bank"><to>ATTACKER</to><amount>900</amount></pay></soap:Body>').replace('<soap:Header>', `<soap:Header><w:Wrapper xmlns:w="urn:x">${m[0]}</w:Wrapper>`);
    const s = await run(evil);
    expect(check(s, 'cv.reference[1]')?.status).toBe('PASSED'); // the digest still matches: only the policy stops it
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'SIGNED_DATA_NOT_FOUND']);
    expect(check(s, 'fc.signed-content')?.detail).toMatch(/reference 1 \(#Body-1\) covers \/soap:Envelope\[1\]\/soap:Header\[1\]\/w:Wrapper\[1\]\/soap:Body\[1\]/);
  });

  it('a Timestamp outside the signature\'s own wsse:Security header is not accepted as covered', async () => {
    const xml = envelope({ header: `<x:Other xmlns:x="urn:x">${timestamp}</x:Other>`, security: `${token()}${signature([tsRef, bodyRef])}` });
    const s = await run(await signXml(xml));
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'SIGNED_DATA_NOT_FOUND']);
  });

  it('not exactly SOAP (two Bodies, Security not in the Header, not an Envelope): refused', async () => {
    const twoBodies = envelope({ body: `${body}<soap:Body><x/></soap:Body>` });
    expect((await run(await signXml(twoBodies))).subIndication).toBe('SIGNED_DATA_NOT_FOUND');
    const notInHeader = `<soap:Envelope xmlns:soap="${SOAP}" xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}"><soap:Header/>${body.replace('</soap:Body>', `<wsse:Security>${token()}${signature([bodyRef])}</wsse:Security></soap:Body>`)}</soap:Envelope>`;
    // The signature inside the Body it signs would also need the enveloped transform; by Id without it, refused by shape first.
    const inBody = notInHeader.replace(bodyRef, reference('#Body-1', ['<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>', excC14nTransform()]));
    expect((await run(await signXml(inBody))).subIndication).toBe('SIGNED_DATA_NOT_FOUND');
    const notSoap = envelope().replace(/xmlns:soap="[^"]+"/, 'xmlns:soap="urn:not-soap"');
    expect((await run(await signXml(notSoap))).subIndication).toBe('SIGNED_DATA_NOT_FOUND');
  });

  it('a SecurityTokenReference to a missing Id: NO_SIGNING_CERTIFICATE_FOUND naming it', async () => {
    const s = await run(await signXml(envelope({ security: `${timestamp}${token('X509-other')}${signature([tsRef, bodyRef])}` })));
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND']);
    expect(check(s, 'isc.key-info')?.detail).toMatch(/no element with Id "X509-1"/);
  });

  it('two tokens with the referenced Id: FORMAT_FAILURE (ambiguous), whichever would verify', async () => {
    const s = await run(await signXml(envelope({ security: `${timestamp}${token()}${token('X509-1', certB64('kz-ca'))}${signature([tsRef, bodyRef])}` })));
    expect([s.indication, s.subIndication]).toEqual(['TOTAL-FAILED', 'FORMAT_FAILURE']);
    expect(check(s, 'fc.unique-ids')?.detail).toMatch(/"X509-1"/);
  });

  it('a token that is not an X.509 v3 token, or whose certificate does not verify the signature, gives no signer', async () => {
    const wrongType = await run(await signXml(envelope({ security: `${timestamp}${token().replace(X509V3, 'urn:example:saml')}${signature([tsRef, bodyRef])}` })));
    expect([wrongType.indication, wrongType.subIndication]).toEqual(['INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND']);
    const otherCert = await run(await signXml(envelope({ security: `${timestamp}${token('X509-1', certB64('kz-ca'))}${signature([tsRef, bodyRef])}` })));
    expect(otherCert.indication).toBe('TOTAL-FAILED');
    expect(otherCert.subIndication).toBe('SIG_CRYPTO_FAILURE');
  });
});

const corpus = process.env.OTS_CORPUS ?? fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const WSSE_FILE = `${corpus}/realworld/KZ/skarm-kalkan/test_wsse.xml`;

describeIf(existsSync(WSSE_FILE), 'no corpus (set OTS_CORPUS=/path/to/corpus): realworld/KZ/skarm-kalkan/')('corpus realworld/KZ/skarm-kalkan/test_wsse.xml (not made here)', () => {
  it('the token is resolved but its certificate is truncated: NO_SIGNING_CERTIFICATE_FOUND, the Body named as covered', async () => {
    const s = (await verify(new Uint8Array(readFileSync(WSSE_FILE)), {})).signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND']);
    expect(check(s, 'isc.key-info')?.detail).toMatch(/unreadable certificate in wsse:BinarySecurityToken .*\(Id "x509cert00"\)/);
    expect(check(s, 'fc.signed-content')?.detail).toBe('signed data is soap:Body of the envelope (/SOAP-ENV:Envelope[1]/SOAP-ENV:Body[1], Id "TheBody")');
    expect(check(s, 'cv.signature-value')?.status).toBe('SKIPPED');
  });
});
