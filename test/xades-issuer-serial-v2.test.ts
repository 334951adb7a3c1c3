/**
 * XAdES SigningCertificateV2 IssuerSerialV2 (RFC 5035 IssuerSerial, base64 DER) read element by
 * element instead of through pkijs.IssuerSerial (issue #19): the same issuer keys and serial as the
 * certificate's, the BER forms asn1js accepts still read, and what is not an IssuerSerial a problem.
 * Built at test time from the committed kz-enveloped-b fixture.
 */
import { describe, expect, it } from 'vitest';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { findQualifyingProperties, readQualifyingProperties } from '../src/xades/properties.js';
import { parseXml } from '../src/xml/parse.js';
import { DSIG_NS } from '../src/xades/dom.js';
import { fixture } from './helpers/fixtures.js';

const original = new TextDecoder().decode(fixture('xades/kz-enveloped-b.xml'));
const signerCert = ParsedCertificate.fromDer(new Uint8Array(Buffer.from(/<ds:X509Certificate>([^<]+)</.exec(original)![1]!, 'base64')));

const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex');
function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...len]), body]);
}
/** IssuerSerial { GeneralNames { [4] directoryName }, serial } in DER. */
const issuerSerial = (issuer: Uint8Array, serialHex: string) => tlv(0x30, tlv(0x30, tlv(0xa4, Buffer.from(issuer))), tlv(0x02, hex(serialHex)));

function propertiesWith(der: Uint8Array) {
  const xml = original.replace(/(<xades:IssuerSerialV2>)[^<]*(<\/xades:IssuerSerialV2>)/, `$1${Buffer.from(der).toString('base64')}$2`);
  const doc = parseXml(xml);
  const sig = doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[0]!;
  return readQualifyingProperties(findQualifyingProperties(sig)[0]!);
}

describe('IssuerSerialV2', () => {
  it('the fixture: the issuer key and serial of the signer certificate', () => {
    expect(original).toContain('<xades:IssuerSerialV2>');
    const doc = parseXml(original);
    const qp = readQualifyingProperties(findQualifyingProperties(doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[0]!)[0]!);
    expect(qp.problems).toEqual([]);
    expect(qp.signingCertificates[0]!.issuerSerial).toEqual({ issuerKeys: [signerCert.issuer.key], serialNumberHex: signerCert.serialNumberHex });
  });

  it('another serial is read as written (the validator then warns that it differs)', () => {
    const qp = propertiesWith(issuerSerial(signerCert.issuerDer, '0badc0de'));
    expect(qp.problems).toEqual([]);
    expect(qp.signingCertificates[0]!.issuerSerial).toEqual({ issuerKeys: [signerCert.issuer.key], serialNumberHex: '0badc0de' });
  });

  it('non-directoryName issuers are skipped; a serial with a leading zero octet keeps it (as the certificate does)', () => {
    const der = tlv(0x30, tlv(0x30, tlv(0x86, Buffer.from('https://ca.invalid/')), tlv(0xa4, Buffer.from(signerCert.issuerDer))), tlv(0x02, hex('00ff01')));
    const qp = propertiesWith(der);
    expect(qp.problems).toEqual([]);
    expect(qp.signingCertificates[0]!.issuerSerial).toEqual({ issuerKeys: [signerCert.issuer.key], serialNumberHex: '00ff01' });
  });

  it('BER indefinite lengths (which the header walk does not follow) are still read', () => {
    const inner = Buffer.concat([tlv(0x30, tlv(0xa4, Buffer.from(signerCert.issuerDer))), tlv(0x02, hex('0badc0de'))]);
    const ber = Buffer.concat([hex('3080'), inner, hex('0000')]);
    const qp = propertiesWith(ber);
    expect(qp.problems).toEqual([]);
    expect(qp.signingCertificates[0]!.issuerSerial?.serialNumberHex).toBe('0badc0de');
    expect(qp.signingCertificates[0]!.issuerSerial?.issuerKeys).toEqual([signerCert.issuer.key]);
  });

  for (const [name, der] of [
    ['a bare INTEGER', tlv(0x02, hex('01'))],
    ['serial missing', tlv(0x30, tlv(0x30, tlv(0xa4, Buffer.from(signerCert.issuerDer))))],
    ['a universal GeneralName', tlv(0x30, tlv(0x30, tlv(0x30, Buffer.from(signerCert.issuerDer))), tlv(0x02, hex('01')))],
    ['serial an OCTET STRING', tlv(0x30, tlv(0x30, tlv(0xa4, Buffer.from(signerCert.issuerDer))), tlv(0x04, hex('01')))],
    ['a directoryName that is not a Name', tlv(0x30, tlv(0x30, tlv(0xa4, tlv(0x02, hex('01')))), tlv(0x02, hex('01')))],
    ['trailing bytes', Buffer.concat([issuerSerial(signerCert.issuerDer, '01'), hex('00')])],
    ['truncated', issuerSerial(signerCert.issuerDer, '01').subarray(0, 20)],
  ] as const) {
    it(`${name}: a problem of the SigningCertificate property, no issuer/serial read`, () => {
      const qp = propertiesWith(der);
      expect(qp.problems.some((p) => p.startsWith('SigningCertificate Cert'))).toBe(true);
      expect(qp.signingCertificates).toEqual([]);
    });
  }
});
