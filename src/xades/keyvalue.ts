/**
 * Public keys carried by value in ds:KeyInfo (ds:KeyValue RSA/EC, dsig11:DEREncodedKeyValue).
 * They identify nobody: a signature verified with one of them is reported as
 * cryptographically intact only, with no signer (NO_SIGNING_CERTIFICATE_FOUND).
 */
import { readPublicKey, type PublicKeyFacts } from '../crypto/spki.js';
import { copyBytes, fromBase64, toBase64 } from '../util/bytes.js';
import { child, childElements, children, DSIG_NS } from './dom.js';
import { lookupTable } from '../util/table.js';

export const DSIG11_NS = 'http://www.w3.org/2009/xmldsig11#';
const CURVES: Record<string, string> = lookupTable({ '1.2.840.10045.3.1.7': 'P-256', '1.3.132.0.34': 'P-384', '1.3.132.0.35': 'P-521' });

function b64url(b: Uint8Array): string {
  return toBase64(b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function keyValueKeys(keyInfo: Element | undefined): Promise<PublicKeyFacts[]> {
  const out: PublicKeyFacts[] = [];
  if (!keyInfo) return out;
  const subtle = globalThis.crypto.subtle;
  for (const kv of children(keyInfo, DSIG_NS, 'KeyValue')) {
    for (const k of childElements(kv)) {
      try {
        if (k.localName === 'RSAKeyValue' && k.namespaceURI === DSIG_NS) {
          const n = fromBase64(child(k, DSIG_NS, 'Modulus')?.textContent ?? '');
          const e = fromBase64(child(k, DSIG_NS, 'Exponent')?.textContent ?? '');
          const key = await subtle.importKey('jwk', { kty: 'RSA', n: b64url(n), e: b64url(e) }, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
          out.push(readPublicKey(new Uint8Array(await subtle.exportKey('spki', key))));
        } else if (k.localName === 'ECKeyValue' && k.namespaceURI === DSIG11_NS) {
          const curve = CURVES[(child(k, DSIG11_NS, 'NamedCurve')?.getAttribute('URI') ?? '').replace(/^urn:oid:/, '')];
          const point = fromBase64(child(k, DSIG11_NS, 'PublicKey')?.textContent ?? '');
          if (!curve) continue;
          const key = await subtle.importKey('raw', copyBytes(point), { name: 'ECDSA', namedCurve: curve }, true, ['verify']);
          out.push(readPublicKey(new Uint8Array(await subtle.exportKey('spki', key))));
        }
      } catch {
        // an unusable key value is not a candidate
      }
    }
  }
  for (const d of children(keyInfo, DSIG11_NS, 'DEREncodedKeyValue')) {
    try {
      out.push(readPublicKey(fromBase64(d.textContent ?? '')));
    } catch {
      // not a candidate
    }
  }
  return out;
}
