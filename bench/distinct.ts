/**
 * Many distinct CAdES-B signatures by one signer, fast: copies of a fixture with
 * its content, message-digest and signing-time patched at fixed width and the
 * signed attributes signed again with the fixture signer's (test PKI) key. What
 * an e-government back end sees: new documents every time, the same few signers
 * and CAs. The bench verifies these to show that nothing is cached per document.
 */
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCades } from '../src/cades/parse.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function distinctSignatures(der: Uint8Array, keyFile: string, count: number): Uint8Array[] {
  const key = createPrivateKey(readFileSync(FIXTURES + keyFile));
  const sig = parseCades(der);
  const si = sig.signers[0]!;
  const content = sig.eContent!;
  const md = si.signedAttributes.get('1.2.840.113549.1.9.4')![0]!.values[0]!.content('message-digest');
  const time = si.signedAttributes.get('1.2.840.113549.1.9.5')![0]!.values[0]!.content('signing-time');
  const attrs = si.signedAttributesDer!;
  const at = {
    content: find(der, content),
    md: find(der, md),
    time: find(der, time),
    attrs: find(der, attrs.subarray(1)) - 1, // the [0] IMPLICIT tag differs from the SET tag that is signed
    signature: find(der, si.signatureValue),
  };
  const ecdsa = key.asymmetricKeyType === 'ec';
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const copy = der.slice();
    const text = new TextEncoder().encode(`document ${String(i).padStart(8, '0')} `);
    const body = copy.subarray(at.content, at.content + content.length);
    body.set(text.subarray(0, Math.min(text.length, body.length)));
    copy.set(createHash('sha256').update(body).digest(), at.md);
    // UTCTime YYMMDDHHMMSSZ: a different second and minute per copy, same width.
    const seconds = i % 3600;
    copy.set(new TextEncoder().encode(`${String(Math.floor(seconds / 60)).padStart(2, '0')}${String(seconds % 60).padStart(2, '0')}`), at.time + 8);
    const signed = copy.slice(at.attrs, at.attrs + attrs.length);
    signed[0] = 0x31;
    let value: Uint8Array;
    // An ECDSA signature's DER length varies with r and s: sign again until it keeps the fixture's width.
    do value = new Uint8Array(sign('sha256', signed, ecdsa ? { key, dsaEncoding: 'der' } : key));
    while (value.length !== si.signatureValue.length);
    copy.set(value, at.signature);
    out.push(copy);
  }
  return out;
}

function find(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('field not found in the fixture');
}
