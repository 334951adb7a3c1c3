import { createPrivateKey, sign, X509Certificate, type KeyObject } from 'node:crypto';
import type { ListSigner } from '../maintain/sign-list.js';
import { derObjectsFrom } from '../util/pem.js';
import { UsageError } from './errors.js';

/**
 * A signer over a PEM private key (PKCS#8 `PRIVATE KEY`, or the older PKCS#1 / SEC 1 forms node
 * reads) and its certificate, with node:crypto. Refuses a key that is not the certificate's (a
 * list signed with another key would verify with nobody's pin) and key types with no XML-DSig
 * method here (RSA-PSS, Ed25519). A PKCS#11 token or remote signer implements ListSigner itself.
 */
export function pemKeySigner(keyPem: Uint8Array, certPem: Uint8Array): ListSigner & { readonly jwsAlgorithm: string; readonly key: KeyObject } {
  let key: KeyObject;
  let cert: X509Certificate;
  try {
    key = createPrivateKey({ key: Buffer.from(keyPem) });
  } catch (e) {
    throw new UsageError(`cannot read the private key: ${(e as Error).message}`);
  }
  try {
    const der = derObjectsFrom(certPem, ['CERTIFICATE'])[0];
    cert = new X509Certificate(Buffer.from(der ?? certPem));
  } catch (e) {
    throw new UsageError(`cannot read the certificate: ${(e as Error).message}`);
  }
  if (!cert.checkPrivateKey(key)) throw new UsageError('the private key does not belong to the certificate');
  const certificate = new Uint8Array(cert.raw);
  if (key.asymmetricKeyType === 'rsa') {
    return { certificate, key, signatureMethod: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', jwsAlgorithm: 'RS256', sign: async (d) => new Uint8Array(sign('sha256', d, key)) };
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const [hash, method, jws] = curve === 'prime256v1' ? ['sha256', 'ecdsa-sha256', 'ES256'] : curve === 'secp384r1' ? ['sha384', 'ecdsa-sha384', 'ES384'] : [];
    if (!hash) throw new UsageError(`EC curve ${curve ?? '?'} is not supported for signing (P-256 or P-384)`);
    return {
      certificate,
      key,
      signatureMethod: `http://www.w3.org/2001/04/xmldsig-more#${method}`,
      jwsAlgorithm: jws!,
      // XML-DSig (RFC 4050) and JWS both want r||s, not DER.
      sign: async (d) => new Uint8Array(sign(hash, d, { key, dsaEncoding: 'ieee-p1363' })),
    };
  }
  throw new UsageError(`${key.asymmetricKeyType ?? 'this'} keys are not supported for signing (RSA or EC P-256/P-384)`);
}
