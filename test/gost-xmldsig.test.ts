import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as asn1js from 'asn1js';
import { XMLSerializer } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { AlgorithmRegistry, verify, type SignatureReport } from '../src/index.js';
import { GostProvider, GOST_ALGORITHM_POLICY, GOST_DIGESTS } from '../src/gost.js';
import { gostSignLE } from '../src/crypto/gost/engine.js';
import { derObjectsFrom } from '../src/util/pem.js';
import { toBase64 } from '../src/util/bytes.js';
import { WorkBudget } from '../src/util/work-budget.js';
import { DSIG_NS } from '../src/xades/dom.js';
import { canonicalSignedInfo, referenceDigestInputs } from '../src/xades/xmldsig.js';
import { parseXml } from '../src/xml/parse.js';
import { fixture } from './helpers/fixtures.js';
import { describeIf } from './helpers/skip.js';

/**
 * GOST in XML-DSig: the SignatureMethod / DigestMethod URIs are the GOST provider's own (ots-esig/gost),
 * so with it registered a GOST XML signature verifies, a forged one fails, and without it (or for a URI
 * nobody implements) the signature is INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE naming the URI.
 * Signed here with the fixture GOST R 34.10-2012-256 test key (fixtures/gost, CryptoPro-A curve).
 */
const CP = 'urn:ietf:params:xml:ns:cpxmlsec:algorithms:';
const SIG_2012_256 = `${CP}gostr34102012-gostr34112012-256`;
const DIG_2012_256 = `${CP}gostr34112012-256`;
const KZ_2015_256 = 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-256';
const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

const gost = { registry: new AlgorithmRegistry().register(new GostProvider()), algorithmPolicy: GOST_ALGORITHM_POLICY };
const base = () => ({ trustAnchors: [fixture('gost/gost-root.pem')], crls: [fixture('gost/gost-root-empty.crl')], validationTime: new Date('2026-06-01T00:00:00Z') });
const signerCert = toBase64(derObjectsFrom(fixture('gost/gost-signer.pem'), ['CERTIFICATE'])[0]!);

/** The fixture signer's private key d (little-endian), from its PKCS#8. */
function signerKey(): Uint8Array {
  const pkcs8 = derObjectsFrom(fixture('keys/gost-signer.key.pem'), ['PRIVATE KEY'])[0]!;
  const info = asn1js.fromBER(pkcs8.slice().buffer);
  const octets = (info.result as asn1js.Sequence).valueBlock.value[2] as asn1js.OctetString;
  return (asn1js.fromBER(octets.valueBlock.valueHexView.slice().buffer).result as asn1js.OctetString).valueBlock.valueHexView.slice();
}

function unsignedXml(o: { signatureMethod?: string; digestMethod?: string; content?: string } = {}): string {
  return (
    `<doc><payment amount="100">${o.content ?? 'to Aisulu'}</payment><ds:Signature xmlns:ds="${DSIG_NS}"><ds:SignedInfo>` +
    `<ds:CanonicalizationMethod Algorithm="${C14N}"/><ds:SignatureMethod Algorithm="${o.signatureMethod ?? SIG_2012_256}"/>` +
    `<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="${ENVELOPED}"/></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${o.digestMethod ?? DIG_2012_256}"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>` +
    `<ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${signerCert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature></doc>`
  );
}

/** Signs like a GOST XML signer: Streebog-256 reference digest, SignatureValue = s‖r big-endian (RFC 4491 layout). */
async function signGost(xml: string): Promise<string> {
  const doc = parseXml(xml);
  const sig = doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[0]!;
  const [input] = await referenceDigestInputs(doc, sig, { registry: gost.registry, budget: new WorkBudget(Number.MAX_SAFE_INTEGER) });
  sig.getElementsByTagNameNS(DSIG_NS, 'DigestValue')[0]!.textContent = toBase64(await gost.registry.digest('1.2.643.7.1.1.2.2', input!));
  const rsLE = gostSignLE({ curve: 'S-256-A', bits: 256, digest: GOST_DIGESTS['1.2.643.7.1.1.2.2'] }, signerKey(), canonicalSignedInfo(sig));
  sig.getElementsByTagNameNS(DSIG_NS, 'SignatureValue')[0]!.textContent = toBase64(rsLE.reverse());
  return new XMLSerializer().serializeToString(doc as never);
}

const enc = (s: string) => new TextEncoder().encode(s);
const failing = (s: SignatureReport) => s.checks.filter((c) => c.status !== 'PASSED').map((c) => `${c.id}: ${c.detail}`).join('\n');

describe('GOST XML-DSig with the GOST provider', () => {
  it('a GOST R 34.10-2012-256 XML signature (CryptoPro URIs) verifies: TOTAL-PASSED, algorithms named', async () => {
    const s = (await verify(enc(await signGost(unsignedXml())), { ...base(), ...gost })).signatures[0]!;
    expect(s.indication, failing(s)).toBe('TOTAL-PASSED');
    expect(s.checks.find((c) => c.id === 'cv.signature-value')?.detail).toMatch(/GOST R 34\.10-2012-256 with Streebog-256/);
    expect(s.checks.find((c) => c.id === 'cv.reference[0]')?.detail).toMatch(/Streebog-256 digest .* matches/);
  });

  it('signed content changed after signing: TOTAL-FAILED / HASH_FAILURE', async () => {
    const forged = (await signGost(unsignedXml())).replace('amount="100"', 'amount="900"');
    const s = (await verify(enc(forged), { ...base(), ...gost })).signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['TOTAL-FAILED', 'HASH_FAILURE']);
  });

  it('a SignatureValue the key did not make: TOTAL-FAILED / SIG_CRYPTO_FAILURE (not "unsupported")', async () => {
    const signed = await signGost(unsignedXml());
    const forged = signed.replace(/<ds:SignatureValue>([A-Za-z0-9+/])/, (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`);
    expect(forged).not.toBe(signed);
    const s = (await verify(enc(forged), { ...base(), ...gost })).signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['TOTAL-FAILED', 'SIG_CRYPTO_FAILURE']);
  });

  it('a GOST URI no provider implements (KZ GOST 34.10-2015-256): INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE naming it', async () => {
    const s = (await verify(enc(await signGost(unsignedXml()).then((x) => x.replace(SIG_2012_256, KZ_2015_256))), { ...base(), ...gost })).signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE']);
    expect(s.checks.find((c) => c.id === 'cv.signature-value')?.detail).toContain(`unsupported algorithm: SignatureMethod ${KZ_2015_256}`);
  });

  it('an unknown DigestMethod URI under a verifying SignatureValue: the reference is CRYPTO_CONSTRAINTS_FAILURE naming it', async () => {
    const odd = 'urn:example:digest:unknown';
    const s = (await verify(enc(await signGost(unsignedXml({ digestMethod: odd }))), { ...base(), ...gost })).signatures[0]!;
    expect(s.checks.find((c) => c.id === 'cv.signature-value')?.status).toBe('PASSED');
    const r = s.checks.find((c) => c.id === 'cv.reference[0]');
    expect([r?.status, r?.subIndication]).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE']);
    expect(r?.detail).toContain(`unsupported algorithm: DigestMethod ${odd}`);
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE']);
  });

  it('URIs that name Object.prototype members are unknown, not a crash', async () => {
    for (const uri of ['constructor', '__proto__', 'toString']) {
      const s = (await verify(enc(await signGost(unsignedXml()).then((x) => x.replace(SIG_2012_256, uri))), { ...base(), ...gost })).signatures[0]!;
      expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE']);
      expect(s.checks.find((c) => c.id === 'cv.signature-value')?.detail).toContain(`SignatureMethod ${uri}:`);
    }
  });
});

describe('GOST XML-DSig without the GOST provider', () => {
  it('INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE naming the SignatureMethod URI, never a crash', async () => {
    const s = (await verify(enc(await signGost(unsignedXml())), base())).signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE']);
    const detail = s.checks.find((c) => c.id === 'cv.signature-value')?.detail ?? '';
    expect(detail).toContain(`unsupported algorithm: SignatureMethod ${SIG_2012_256}`);
    expect(detail).not.toMatch(/provider not registered/);
  });
});

const corpus = process.env.OTS_CORPUS ?? fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const X = `${corpus}/xmldsig/xmlsec-interop`;
const haveX = existsSync(`${X}/aleksey-xmldsig-01/enveloped-gost2012-256.xml`);
if (!haveX) console.warn(`gost-xmldsig: xmlsec GOST vectors skipped — no corpus at ${X} (set OTS_CORPUS)`);

describeIf(haveX, 'no corpus (set OTS_CORPUS=/path/to/corpus): xmlsec GOST vectors')('xmlsec1 GOST XML-DSig vectors (corpus, not made here)', () => {
  const file = (p: string) => new Uint8Array(readFileSync(`${X}/${p}`));
  // xmlsec's test CA is not an RFC 5280-profile CA and publishes no CRL: these vectors are about the GOST
  // algorithms, so they run under the lenient policy (the default gives INDETERMINATE for those reasons).
  const opts = () => ({ trustAnchors: [file('keys/cacert.pem')], validationTime: new Date('2026-06-01T00:00:00Z'), policy: 'lenient' as const });

  it.each(['enveloped-gost2012-256', 'enveloped-gost2012-512'])('%s: TOTAL-PASSED with the provider, CRYPTO_CONSTRAINTS_FAILURE without', async (name) => {
    const bytes = file(`aleksey-xmldsig-01/${name}.xml`);
    const s = (await verify(bytes, { ...opts(), ...gost })).signatures[0]!;
    expect(s.indication, failing(s)).toBe('TOTAL-PASSED');
    const without = (await verify(bytes, opts())).signatures[0]!;
    expect([without.indication, without.subIndication]).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE']);
    expect(without.checks.find((c) => c.id === 'cv.signature-value')?.detail).toContain('urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-');
  });

  it('enveloped-gost2001 (xmldsig-more#gostr34102001-gostr3411): the signature verifies; GOST R 34.11-94 is past its 2019 sunset', async () => {
    const s = (await verify(file('aleksey-xmldsig-01/enveloped-gost2001.xml'), { ...opts(), ...gost })).signatures[0]!;
    expect(s.checks.find((c) => c.id === 'cv.signature-value')?.status).toBe('PASSED');
    expect(s.checks.find((c) => c.id === 'cv.reference[0]')?.status).toBe('PASSED');
    expect(s.indication).toBe('INDETERMINATE');
    expect(s.subIndication).toMatch(/^CRYPTO_CONSTRAINTS_FAILURE/);
    const tampered = new TextDecoder().decode(file('aleksey-xmldsig-01/enveloped-gost2001.xml')).replace(/<(?:ds:)?SignatureValue>\s*([A-Za-z0-9+/])/, (m, c: string) => m.slice(0, -1) + (c === 'A' ? 'B' : 'A'));
    const t = (await verify(enc(tampered), { ...opts(), ...gost })).signatures[0]!;
    expect(t.checks.find((c) => c.id === 'cv.signature-value')?.status).toBe('FAILED');
  });
});

describe('KZ (KalkanCrypt / NCA) XML URIs', () => {
  it('map to the KZ GOST algorithms the provider verifies on NCA material', () => {
    const p = new GostProvider();
    const KZ = 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:';
    expect(p.xmlSignatureMethod(`${KZ}gostr34102015-gostr34112015-512`)).toBe('1.2.398.3.10.1.1.2.3.2');
    expect(p.xmlDigestMethod(`${KZ}gostr34112015-512`)).toBe('1.2.398.3.10.1.3.3');
    expect(p.xmlSignatureMethod('http://www.w3.org/2001/04/xmldsig-more#gost34310-gost34311')).toBe('1.2.398.3.10.1.1.1.2');
    expect(p.xmlDigestMethod('http://www.w3.org/2001/04/xmldsig-more#gost34311')).toBe('1.2.398.3.10.1.3.1');
    // Unproven mapping (as for CMS): stays unsupported, by name.
    expect(p.xmlSignatureMethod(KZ_2015_256)).toBeUndefined();
    expect(p.xmlSignatureMethod('constructor')).toBeUndefined();
  });
});
