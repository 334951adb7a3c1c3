import { base64url, decodeHeader, isAgreementJws, readAgreementJws, AGREEMENT_JWS_CONTENT_TYPE, type AgreementJws } from '../trust/agreement-jws.js';
import { parseAgreementJson } from '../trust/agreements.js';
import { TrustListError } from '../trust/errors.js';
import { copyBytes, toBase64 } from '../util/bytes.js';

/** Whatever holds a party operator's key (PEM file, PKCS#11 token, remote service): it signs bytes. */
export interface JwsSigner {
  /** DER of the operator's certificate. */
  readonly certificate: Uint8Array;
  /** RS256, RS384, ES256 or ES384 (RFC 7518), matching the key. */
  readonly jwsAlgorithm: string;
  /** The JWS signature over `data` (ECDSA as r||s). */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/**
 * Adds one party's signature to an agreement (trust/agreement-jws.ts explains the format). `input`
 * is the bare agreement JSON (it becomes the payload byte for byte) or an envelope another party
 * already signed (the payload is kept; its signatures stay as they are). Refuses a payload that is
 * not a valid agreement and a second signature by the same certificate.
 */
export async function signAgreement(input: Uint8Array, signer: JwsSigner, o: { readonly signingTime?: Date } = {}): Promise<string> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(input));
  } catch (e) {
    throw new TrustListError(`agreement is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  let envelope: AgreementJws;
  let payload: Uint8Array;
  if (isAgreementJws(value)) ({ jws: envelope, payload } = readAgreementJws(value));
  else {
    payload = copyBytes(input);
    envelope = { payload: base64url(payload), signatures: [] };
  }
  parseAgreementJson(new TextDecoder().decode(payload));
  const thumb = base64url(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', copyBytes(signer.certificate))));
  if (envelope.signatures.some((s) => decodeHeader(s)['x5t#S256'] === thumb)) throw new TrustListError('the agreement already carries a signature by this certificate');
  const header = {
    alg: signer.jwsAlgorithm,
    cty: AGREEMENT_JWS_CONTENT_TYPE,
    'x5t#S256': thumb,
    x5c: [toBase64(signer.certificate)],
    sigT: (o.signingTime ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  const protectedB64 = base64url(new TextEncoder().encode(JSON.stringify(header)));
  const signature = base64url(await signer.sign(new TextEncoder().encode(`${protectedB64}.${envelope.payload}`)));
  return JSON.stringify({ payload: envelope.payload, signatures: [...envelope.signatures, { protected: protectedB64, signature }] }, null, 2) + '\n';
}
