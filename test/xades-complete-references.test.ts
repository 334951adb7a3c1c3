/**
 * XAdES -C references (EN 319 132-1 5.4.2, TS 101 903 7.4): CompleteCertificateRefs(V2) must reference the CA
 * certificates of the path actually used, and CompleteRevocationRefs exactly the carried RevocationValues, as the
 * CAdES complete-certificate/revocation-references are checked. Built at test time on the committed XAdES-LT fixture
 * (the references are unsigned properties, so adding them needs no re-signing): correct references pass; a reference
 * to another certificate or CRL, or an unreferenced carried value, is TOTAL-FAILED/FORMAT_FAILURE, never TOTAL-PASSED.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { fixture, loadManifest, optionsFor } from './helpers/fixtures.js';

const m = loadManifest('xades/manifest.json');
const sample = m.samples.find((s) => s.id === 'kz-enveloped-lt')!;
const options = optionsFor(m, sample);
const original = new TextDecoder().decode(fixture(sample.file));
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

const b64 = (d: Uint8Array) => Buffer.from(d).toString('base64');
const sha256 = (d: Uint8Array) => b64(createHash('sha256').update(d).digest());
const carried = [...original.matchAll(/<xades:EncapsulatedX509Certificate>([^<]+)</g)].map((x) => new Uint8Array(Buffer.from(x[1]!, 'base64')));
// CertificateValues of the fixture: the KZ CA certificate (the path's CA), then the TSA certificate.
const [caDer, tsaDer] = carried as [Uint8Array, Uint8Array];
const crlDer = fixture('crl/kz-ca-empty.crl');

const digest = (value: string) => `<xades:DigestAlgAndValue><ds:DigestMethod xmlns:ds="${DS}" Algorithm="${SHA256}"/><ds:DigestValue xmlns:ds="${DS}">${value}</ds:DigestValue></xades:DigestAlgAndValue>`;
const certRefs = (digests: string[], name = 'xades:CompleteCertificateRefs', ns = '') =>
  `<${name}${ns}><xades:CertRefs>${digests.map((d) => `<xades:Cert><xades:CertDigest><ds:DigestMethod xmlns:ds="${DS}" Algorithm="${SHA256}"/><ds:DigestValue xmlns:ds="${DS}">${d}</ds:DigestValue></xades:CertDigest></xades:Cert>`).join('')}</xades:CertRefs></${name}>`;
const revRefs = (crls: string[], ocsps: string[] = []) =>
  `<xades:CompleteRevocationRefs>${crls.length ? `<xades:CRLRefs>${crls.map((d) => `<xades:CRLRef>${digest(d)}</xades:CRLRef>`).join('')}</xades:CRLRefs>` : ''}${ocsps.length ? `<xades:OCSPRefs>${ocsps.map((d) => `<xades:OCSPRef><xades:OCSPIdentifier><xades:ResponderID><xades:ByName>CN=x</xades:ByName></xades:ResponderID><xades:ProducedAt>2026-05-15T10:05:00Z</xades:ProducedAt></xades:OCSPIdentifier>${digest(d)}</xades:OCSPRef>`).join('')}</xades:OCSPRefs>` : ''}</xades:CompleteRevocationRefs>`;

/** The fixture with `refs` inserted after its SignatureTimeStamp (where XAdES-C puts them). */
function withRefs(refs: string): Uint8Array {
  expect(original).toContain('</xades:SignatureTimeStamp>');
  return new TextEncoder().encode(original.replace('</xades:SignatureTimeStamp>', `</xades:SignatureTimeStamp>${refs}`));
}

async function outcome(doc: Uint8Array) {
  const s = (await verify(doc, options)).signatures[0]!;
  return { s, status: (id: string) => s.checks.filter((c) => c.id === id).map((c) => c.status) };
}

describe('XAdES CompleteCertificateRefs / CompleteRevocationRefs against the validation data used', () => {
  it('control: references to the path CA and the carried CRL pass', async () => {
    const { s, status } = await outcome(withRefs(certRefs([sha256(caDer)]) + revRefs([sha256(crlDer)])));
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(status('fc.certificate-references')).toEqual(['PASSED']);
    expect(status('fc.certificate-values')).toEqual(['PASSED']);
    expect(status('fc.revocation-references')).toEqual(['PASSED']);
  });

  it('CompleteCertificateRefs naming another certificate than the path CA: FORMAT_FAILURE', async () => {
    const { s, status } = await outcome(withRefs(certRefs([sha256(tsaDer)]) + revRefs([sha256(crlDer)])));
    expect(s.indication).toBe('TOTAL-FAILED');
    expect(s.subIndication).toBe('FORMAT_FAILURE');
    expect(status('fc.certificate-references')).toEqual(['FAILED']);
  });

  it('CompleteCertificateRefsV2 (XAdES 1.4.1) naming a certificate nobody carries: FORMAT_FAILURE', async () => {
    const other = sha256(new TextEncoder().encode('not a certificate'));
    const v2 = certRefs([sha256(caDer), other], 'xades141:CompleteCertificateRefsV2', ' xmlns:xades141="http://uri.etsi.org/01903/v1.4.1#"');
    const { s, status } = await outcome(withRefs(v2));
    expect(s.indication).toBe('TOTAL-FAILED');
    expect(s.subIndication).toBe('FORMAT_FAILURE');
    expect(status('fc.certificate-values')).toEqual(['FAILED']);
  });

  it('a CRLRef whose digest names no carried CRL: FORMAT_FAILURE', async () => {
    const { s, status } = await outcome(withRefs(certRefs([sha256(caDer)]) + revRefs([sha256(caDer)])));
    expect(s.indication).toBe('TOTAL-FAILED');
    expect(s.subIndication).toBe('FORMAT_FAILURE');
    expect(status('fc.revocation-references')).toEqual(['FAILED']);
    expect(s.checks.find((c) => c.id === 'fc.revocation-references')!.detail).toMatch(/CRLRef .* names no CRL of RevocationValues/);
  });

  it('a carried CRL that CompleteRevocationRefs does not reference (only an OCSPRef): FORMAT_FAILURE', async () => {
    const { s, status } = await outcome(withRefs(certRefs([sha256(caDer)]) + revRefs([], [sha256(crlDer)])));
    expect(s.indication).toBe('TOTAL-FAILED');
    expect(s.subIndication).toBe('FORMAT_FAILURE');
    expect(status('fc.revocation-references')).toEqual(['FAILED']);
  });

  it('a second CompleteCertificateRefs (the reader takes the first) is a FORMAT_FAILURE', async () => {
    const { s } = await outcome(withRefs(certRefs([sha256(caDer)]) + certRefs([sha256(tsaDer)])));
    expect(s.indication).toBe('TOTAL-FAILED');
    expect(s.subIndication).toBe('FORMAT_FAILURE');
  });

  it('CompleteCertificateRefs without a DigestValue is a FORMAT_FAILURE, not ignored', async () => {
    const { s } = await outcome(withRefs(certRefs([sha256(caDer)]).replace(/<ds:DigestValue[^>]*>[^<]*<\/ds:DigestValue>/, '')));
    expect(s.indication).toBe('TOTAL-FAILED');
    expect(s.subIndication).toBe('FORMAT_FAILURE');
  });
});
