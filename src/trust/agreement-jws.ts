import type { AlgorithmRegistry } from '../crypto/registry.js';
import { getDefaultRegistry } from '../crypto/registry.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { equalBytes, fromBase64, toBase64 } from '../util/bytes.js';
import { ecdsaRawToDer } from '../xades/algorithms.js';
import { TrustListError } from './errors.js';
import { lookupTable } from '../util/table.js';

/**
 * A signed bilateral agreement: the agreement JSON (agreement.schema.json, unchanged) as the payload
 * of a JWS in the general JSON serialization (RFC 7515 §7.2.1), one signature per party.
 *
 * Why JWS general JSON rather than XAdES over an XML form or a detached CMS:
 * - the agreement stays the JSON the schema describes, byte for byte (the payload is its exact
 *   octets, so its SHA-256 still names it, and no canonicalization is involved: what was signed is
 *   the file);
 * - the general serialization carries any number of independent signatures over the same payload:
 *   each party signs on its own, in any order, without counter-signing the other;
 * - it is the serialization JAdES (ETSI TS 119 182-1) profiles: the protected header carries the
 *   signing certificate's digest (`x5t#S256`, JAdES's SigningCertificate binding) and a claimed
 *   signing time (`sigT`), so an envelope can grow into JAdES-B-B without a new format;
 * - it needs nothing but a JSON parser and the signature primitives the library already has.
 *
 * Each signature's protected header: `alg` (RS256, RS384, ES256, ES384), `x5t#S256` (required:
 * binds the signature to one certificate), optionally `x5c`, `sigT`, `cty`. `crit` naming anything
 * is refused (no critical extension is understood). The certificates in the envelope are never
 * trusted: each signature is verified with certificates the relying party pinned for a party.
 */
export const AGREEMENT_JWS_CONTENT_TYPE = 'application/vnd.ots-esig.agreement+json';

export interface AgreementJwsSignature {
  readonly protected: string;
  readonly signature: string;
}

export interface AgreementJws {
  readonly payload: string;
  readonly signatures: readonly AgreementJwsSignature[];
}

export interface JwsHeader {
  readonly alg: string;
  readonly 'x5t#S256': string;
  readonly x5c?: readonly string[];
  readonly sigT?: string;
  readonly cty?: string;
}

/** A certificate the relying party accepts as a party's agreement signer. */
export interface PartySigner {
  /** ISO 3166 alpha-2 code of the party. */
  readonly party: string;
  readonly certificate: ParsedCertificate;
  /** For reports: `pinned` by the caller, or announced by list of lists `<id>`. */
  readonly source: string;
}

export interface PartySignatureOutcome {
  readonly party: string;
  readonly status: 'VALID' | 'MISSING';
  readonly signer: string | null;
  readonly detail: string;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

export function base64url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(s: unknown, what: string): Uint8Array {
  if (typeof s !== 'string' || !B64URL.test(s)) throw new TrustListError(`signed agreement: ${what} is not base64url`);
  try {
    return fromBase64(s);
  } catch (e) {
    throw new TrustListError(`signed agreement: ${what} is not base64url`, { cause: e });
  }
}

/** True when the parsed JSON value is a JWS general serialization rather than a bare agreement. */
export function isAgreementJws(value: unknown): value is AgreementJws {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'payload' in value && 'signatures' in value;
}

/** Reads the envelope's shape (throws TrustListError on a malformed one) and returns the payload's bytes. */
export function readAgreementJws(value: unknown): { jws: AgreementJws; payload: Uint8Array } {
  if (!isAgreementJws(value)) throw new TrustListError('signed agreement: not a JWS in the general JSON serialization (payload, signatures)');
  const o = value as unknown as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'payload' && k !== 'signatures') throw new TrustListError(`signed agreement: unknown member "${k}"`);
  if (!Array.isArray(o.signatures)) throw new TrustListError('signed agreement: signatures must be an array');
  const signatures = (o.signatures as unknown[]).map((s, i) => {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new TrustListError(`signed agreement: signatures[${i}] must be an object`);
    const r = s as Record<string, unknown>;
    // An unprotected header could carry anything past the signature: refused.
    for (const k of Object.keys(r)) if (k !== 'protected' && k !== 'signature') throw new TrustListError(`signed agreement: signatures[${i}].${k} is not allowed (only protected and signature)`);
    fromBase64url(r.protected, `signatures[${i}].protected`);
    fromBase64url(r.signature, `signatures[${i}].signature`);
    return { protected: r.protected as string, signature: r.signature as string };
  });
  return { jws: { payload: o.payload as string, signatures }, payload: fromBase64url(o.payload, 'payload') };
}

export function decodeHeader(sig: AgreementJwsSignature): JwsHeader {
  let h: unknown;
  try {
    h = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64url(sig.protected, 'protected header')));
  } catch (e) {
    if (e instanceof TrustListError) throw e;
    throw new TrustListError('signed agreement: a protected header is not JSON', { cause: e });
  }
  if (typeof h !== 'object' || h === null || Array.isArray(h)) throw new TrustListError('signed agreement: a protected header is not a JSON object');
  const r = h as Record<string, unknown>;
  if (typeof r.alg !== 'string') throw new TrustListError('signed agreement: a protected header has no alg');
  if (typeof r['x5t#S256'] !== 'string') throw new TrustListError('signed agreement: a protected header has no x5t#S256 (the signing certificate digest)');
  if (r.crit !== undefined) throw new TrustListError(`signed agreement: critical header parameters ${JSON.stringify(r.crit)} are not understood`);
  return r as unknown as JwsHeader;
}

/** JWS alg → signature OID and the key it needs (RFC 7518 §3.1). */
const ALGS: Readonly<Record<string, { oid: string; key: 'rsa' | 'P-256' | 'P-384'; rawLength?: number }>> = lookupTable({
  RS256: { oid: '1.2.840.113549.1.1.11', key: 'rsa' },
  RS384: { oid: '1.2.840.113549.1.1.12', key: 'rsa' },
  ES256: { oid: '1.2.840.10045.4.3.2', key: 'P-256', rawLength: 64 },
  ES384: { oid: '1.2.840.10045.4.3.3', key: 'P-384', rawLength: 96 },
});
const RSA_KEY = '1.2.840.113549.1.1.1';
const EC_KEY = '1.2.840.10045.2.1';
const CURVES: Readonly<Record<string, string>> = lookupTable({ 'P-256': '1.2.840.10045.3.1.7', 'P-384': '1.3.132.0.34' });

export function jwsSigningInput(sig: AgreementJwsSignature, payloadB64: string): Uint8Array {
  return new TextEncoder().encode(`${sig.protected}.${payloadB64}`);
}

async function verifyOne(sig: AgreementJwsSignature, header: JwsHeader, payloadB64: string, cert: ParsedCertificate, registry: AlgorithmRegistry): Promise<boolean> {
  const a = ALGS[header.alg];
  if (!a) return false;
  const k = cert.publicKey;
  if (a.key === 'rsa' ? k.algorithmOid !== RSA_KEY : k.algorithmOid !== EC_KEY || k.parameterOid !== CURVES[a.key]) return false;
  // x5t#S256 names the certificate the signer meant: a signature made for another certificate with the same key does not count.
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', cert.der.slice()));
  if (!equalBytes(fromBase64url(header['x5t#S256'], 'x5t#S256'), digest)) return false;
  let value = fromBase64url(sig.signature, 'signature');
  if (a.rawLength !== undefined) {
    if (value.length !== a.rawLength) return false;
    const der = ecdsaRawToDer(value);
    if (!der) return false;
    value = der;
  }
  try {
    return await registry.verify({ signatureAlgorithm: { oid: a.oid }, publicKey: k, data: jwsSigningInput(sig, payloadB64), signature: value });
  } catch {
    return false;
  }
}

/**
 * Which of `parties` signed the payload, each with a certificate `signers` pins for that party.
 * A party is VALID when one signature verifies with one of its certificates; anything else
 * (no signature, a signature by an unpinned key, a wrong signature) leaves it MISSING with why.
 */
export async function verifyAgreementSignatures(
  jws: AgreementJws,
  parties: readonly string[],
  signers: readonly PartySigner[],
  registry: AlgorithmRegistry = getDefaultRegistry(),
): Promise<PartySignatureOutcome[]> {
  // A signature whose header cannot be read (or asks for a critical extension) verifies for nobody; it does not
  // spoil the others, so a stranger appending junk to an envelope cannot make a good agreement unreadable.
  const headers = jws.signatures.map((s) => {
    try {
      return decodeHeader(s);
    } catch {
      return null;
    }
  });
  const out: PartySignatureOutcome[] = [];
  for (const party of parties) {
    const certs = signers.filter((s) => s.party === party);
    if (!certs.length) {
      out.push({ party, status: 'MISSING', signer: null, detail: `no agreement signer certificate is pinned or announced for ${party}` });
      continue;
    }
    let found: PartySigner | undefined;
    for (const [i, sig] of jws.signatures.entries()) {
      for (const c of certs) {
        const h = headers[i];
        if (h && (await verifyOne(sig, h, jws.payload, c.certificate, registry).catch(() => false))) {
          found = c;
          break;
        }
      }
      if (found) break;
    }
    out.push(
      found
        ? { party, status: 'VALID', signer: found.certificate.subject.text, detail: `signed by ${found.certificate.subject.text} (${found.source})` }
        : { party, status: 'MISSING', signer: null, detail: `no signature verifies with a certificate of ${party} (${certs.map((c) => `${c.certificate.subject.text}, ${c.source}`).join('; ')})` },
    );
  }
  return out;
}
