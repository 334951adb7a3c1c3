/**
 * XML 1.0 line ends (XML 1.0 2.11): only CR LF and a lone CR become LF. U+0085, U+2028 and U+2029 are characters of
 * an XML 1.0 document like any other (the XML 1.1 rules that turn them into LF apply only to documents read as 1.1).
 * xmldom's line-end function applies 1.1's rules to every document; used before parsing, it made a signed "\n"
 * and an unsigned U+2028 the same to us while libxml2 (xmlsec1), browsers and every other XML 1.0 parser read them
 * apart: a signed document with a line feed in its text could be given a line separator there and still verify.
 * Signed here by xmlsec1 (libxml2), an independent implementation, with the test PKI's TR signer key.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { parseXml } from '../src/xml/parse.js';
import { DSIG_NS } from '../src/xades/dom.js';
import { verifyXmlSignature } from '../src/xades/xmldsig.js';
import { commandAvailable, describeIf } from './helpers/skip.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const KEY = join(FIXTURES, 'keys/tr-signer.key.pem');
const signer = ParsedCertificate.fromDer(pemDer(readFileSync(join(FIXTURES, 'pki/tr-signer.pem'), 'utf8')));

function pemDer(pem: string): Uint8Array {
  return Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, '')), (c) => c.charCodeAt(0));
}

const available = commandAvailable('xmlsec1', ['--version'], 'XML line-end cross-check skipped', 'apt-get install -y xmlsec1');

const dir = mkdtempSync(join(tmpdir(), 'ots-line-ends-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An enveloped signature (exc-C14N, ECDSA P-256 SHA-256) over `<Doc>{text}</Doc>`, made by xmlsec1. */
function signedByXmlsec(text: string, name: string): string {
  const template =
    // Declared UTF-8, so that libxml2 writes the characters as they are rather than as character references.
    `<?xml version="1.0" encoding="UTF-8"?><Doc>${text}<Signature xmlns="${DSIG_NS}"><SignedInfo>` +
    '<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>' +
    '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>' +
    '<Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>' +
    '<Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms>' +
    '<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference>' +
    '</SignedInfo><SignatureValue/></Signature></Doc>';
  const input = join(dir, `${name}.tmpl.xml`);
  const output = join(dir, `${name}.xml`);
  writeFileSync(input, template);
  execFileSync('xmlsec1', ['--sign', '--privkey-pem', KEY, '--output', output, input], { stdio: 'pipe' });
  return readFileSync(output, 'utf8');
}

function xmlsecVerifies(xml: string, name: string): boolean {
  const file = join(dir, `${name}.verify.xml`);
  writeFileSync(file, xml);
  try {
    execFileSync('xmlsec1', ['--verify', '--pubkey-cert-pem', join(FIXTURES, 'pki/tr-signer.pem'), '--enabled-key-data', 'key-value,x509', file], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

async function oursVerifies(xml: string): Promise<boolean> {
  const doc = parseXml(xml);
  const sig = doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[0] as Element;
  const r = await verifyXmlSignature(doc, sig, { key: signer });
  return r.signatureValid && r.referencesValid;
}

const SEPARATORS = [
  ['U+2028 LINE SEPARATOR', '\u2028'],
  ['U+2029 PARAGRAPH SEPARATOR', '\u2029'],
  ['U+0085 NEXT LINE', '\u0085'],
] as const;

describeIf(available, 'xmlsec1 not installed')('XML 1.0 line ends: U+0085, U+2028, U+2029 are characters, not line feeds', () => {
  it('a signed line feed verifies with both', async () => {
    const xml = signedByXmlsec('line 1\nline 2', 'lf');
    expect(xmlsecVerifies(xml, 'lf')).toBe(true);
    expect(await oursVerifies(xml)).toBe(true);
  });

  for (const [name, ch] of SEPARATORS) {
    it(`a signed line feed replaced by ${name} no longer verifies (libxml2 agrees)`, async () => {
      const attack = signedByXmlsec('line 1\nline 2', `lf-${ch.charCodeAt(0)}`).replace('line 1\nline 2', `line 1${ch}line 2`);
      expect(xmlsecVerifies(attack, `attack-${ch.charCodeAt(0)}`)).toBe(false);
      expect(await oursVerifies(attack)).toBe(false);
    });

    it(`text with ${name}, signed by libxml2, verifies`, async () => {
      const xml = signedByXmlsec(`line 1${ch}line 2`, `sep-${ch.charCodeAt(0)}`);
      expect(xml).toContain(`line 1${ch}line 2`); // the character itself, not a reference to it
      expect(xmlsecVerifies(xml, `sep-${ch.charCodeAt(0)}`)).toBe(true);
      expect(await oursVerifies(xml)).toBe(true);
    });

    it(`${name} is kept as itself in text and in attribute values`, () => {
      const doc = parseXml(`<r a="x${ch}y">p${ch}q</r>`);
      expect(doc.documentElement!.getAttribute('a')).toBe(`x${ch}y`);
      expect(doc.documentElement!.textContent).toBe(`p${ch}q`);
    });
  }

  it('CR LF and a lone CR still become LF (text) and a space (attribute values); a character reference to CR stays CR', () => {
    const doc = parseXml('<r a="x\r\ny\rz" b="&#13;">p\r\nq\rs&#13;</r>');
    expect(doc.documentElement!.getAttribute('a')).toBe('x y z');
    expect(doc.documentElement!.getAttribute('b')).toBe('\r');
    expect(doc.documentElement!.textContent).toBe('p\nq\ns\r');
  });
});
