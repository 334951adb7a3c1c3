/**
 * OCSP (RFC 6960) responses: parsing, and our own validation of one response
 * for one certificate. pkijs' BasicOCSPResponse.verify / chain engine is not
 * used: it accepted a forged "good" (research notes 1.4). Here a response
 * counts only if its signature verifies with the key of an authorized
 * responder — the issuing CA itself, or a certificate the CA issued with
 * id-kp-OCSPSigning (RFC 6960 4.2.2.2) that carries id-pkix-ocsp-nocheck or is
 * itself shown unrevoked — and its CertID names exactly this certificate.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { InputFormatError } from '../errors.js';
import type { AlgorithmId } from '../crypto/algorithms.js';
import { algorithmId, type ParsedCertificate } from '../pki/certificate.js';
import { certificateCache } from '../pki/cache.js';
import { readName, type DistinguishedName } from '../pki/name.js';
import { OID } from '../pki/oids.js';
import type { AlgorithmRegistry } from '../crypto/registry.js';
import { evaluateAlgorithm, type AlgorithmPolicy } from '../crypto/policy.js';
import type { ResolvedSignatureAlgorithm } from '../crypto/provider.js';
import { verifySignedBy } from '../pki/signature.js';
import { copyBytes, equalBytes, toArrayBuffer, toHex } from '../util/bytes.js';
import { BytesCache } from '../util/bytes-cache.js';
import { tlvAt } from '../util/asn1-tree.js';

const ID_PKIX_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const ID_PKIX_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';

/** Parsed responses by exact DER (confirmed byte for byte): 256 of up to 64 KiB each (responses are a few KiB). */
const parsedResponses = new BytesCache<ParsedOcspResponse>(256, 64 * 2 ** 10);
const SHA1 = '1.3.14.3.2.26';

export interface OcspSingleResponse {
  readonly hashAlgorithmOid: string;
  readonly issuerNameHash: Uint8Array;
  readonly issuerKeyHash: Uint8Array;
  readonly serialNumberHex: string;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revocationTime?: Date;
  readonly reason?: string;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
}

export type ResponderId = { readonly byName: DistinguishedName } | { readonly byKeyHex: string };

const REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', 'unused', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise'];

/** A BasicOCSPResponse read once; `der` is the BasicOCSPResponse (what CAdES revocationValues hold). */
export class ParsedOcspResponse {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: AlgorithmId;
  readonly signatureValue: Uint8Array;
  readonly responderId: ResponderId;
  readonly producedAt: Date;
  readonly certificates: readonly ParsedCertificate[];
  readonly responses: readonly OcspSingleResponse[];
  /** The id-pkix-ocsp-nonce response extension's extnValue contents (RFC 6960 4.4.1), null when there is none. */
  readonly nonce: Uint8Array | null;

  private constructor(der: Uint8Array, basic: pkijs.BasicOCSPResponse, certs: ParsedCertificate[]) {
    this.der = der;
    const rd = basic.tbsResponseData;
    this.tbs = rd.tbsView;
    this.signatureAlgorithm = algorithmId(basic.signatureAlgorithm);
    this.signatureValue = basic.signature.valueBlock.valueHexView;
    this.responderId =
      rd.responderID instanceof pkijs.RelativeDistinguishedNames
        ? { byName: readName(rd.responderID) }
        : { byKeyHex: toHex((rd.responderID as asn1js.OctetString).valueBlock.valueHexView) };
    this.producedAt = rd.producedAt;
    this.certificates = certs;
    const nonce = (rd.responseExtensions ?? []).find((e) => e.extnID === ID_PKIX_OCSP_NONCE);
    this.nonce = nonce ? copyBytes(nonce.extnValue.valueBlock.valueHexView) : null;
    this.responses = rd.responses.map((r) => {
      const cs = r.certStatus as asn1js.BaseBlock;
      const tag = cs.idBlock.tagClass === 3 ? cs.idBlock.tagNumber : -1;
      let revocationTime: Date | undefined;
      let reason: string | undefined;
      if (tag === 1) {
        const inner = (cs as asn1js.Constructed).valueBlock.value;
        const t = inner[0];
        if (t instanceof asn1js.GeneralizedTime) revocationTime = t.toDate();
        else throw new InputFormatError('OCSP revoked status without revocationTime');
        const rs = inner[1] as asn1js.Constructed | undefined;
        const e = rs?.valueBlock?.value?.[0];
        if (e instanceof asn1js.Enumerated) reason = REASONS[e.valueBlock.valueDec] ?? String(e.valueBlock.valueDec);
      }
      return {
        hashAlgorithmOid: r.certID.hashAlgorithm.algorithmId,
        issuerNameHash: r.certID.issuerNameHash.valueBlock.valueHexView,
        issuerKeyHash: r.certID.issuerKeyHash.valueBlock.valueHexView,
        serialNumberHex: toHex(r.certID.serialNumber.valueBlock.valueHexView),
        status: tag === 0 ? 'good' : tag === 1 ? 'revoked' : 'unknown',
        revocationTime,
        reason,
        thisUpdate: r.thisUpdate,
        nextUpdate: r.nextUpdate,
      } satisfies OcspSingleResponse;
    });
  }

  /**
   * fromDer through a bounded cache by exact DER: the same response embedded in every LT signature of a batch, or
   * passed with every call, is decoded once. A parse depends on the bytes alone (the object is immutable); whether
   * the response is trusted, fresh and about the certificate is judged by every validation. Failures are not kept.
   */
  static cached(bytes: Uint8Array): ParsedOcspResponse {
    const hit = parsedResponses.get(bytes);
    if (hit) return hit;
    const parsed = ParsedOcspResponse.fromDer(bytes);
    parsedResponses.set(bytes, parsed);
    return parsed;
  }

  /** Accepts an OCSPResponse (must be `successful` with a basic response) or a bare BasicOCSPResponse. */
  static fromDer(bytes: Uint8Array): ParsedOcspResponse {
    // A private copy: the parsed response keeps views of these bytes, which must not change with the caller's memory.
    const input = copyBytes(bytes);
    const asn = asn1js.fromBER(toArrayBuffer(input));
    if (asn.offset === -1 || asn.offset !== input.length) throw new InputFormatError('OCSP response is not DER');
    const seq = asn.result as asn1js.Sequence;
    let basicDer = input;
    let basicAsn: asn1js.BaseBlock = seq;
    if (seq.valueBlock?.value?.[0] instanceof asn1js.Enumerated) {
      let resp: pkijs.OCSPResponse;
      try {
        resp = new pkijs.OCSPResponse({ schema: seq });
      } catch (e) {
        throw new InputFormatError(`malformed OCSPResponse: ${(e as Error).message}`, { cause: e });
      }
      const st = resp.responseStatus.valueBlock.valueDec;
      if (st !== 0) throw new InputFormatError(`OCSP responseStatus ${st} is not successful`);
      if (!resp.responseBytes || resp.responseBytes.responseType !== ID_PKIX_OCSP_BASIC) throw new InputFormatError('OCSP response is not id-pkix-ocsp-basic');
      basicDer = copyBytes(resp.responseBytes.response.valueBlock.valueHexView);
      const inner = asn1js.fromBER(toArrayBuffer(basicDer));
      if (inner.offset === -1) throw new InputFormatError('BasicOCSPResponse is not DER');
      basicAsn = inner.result;
    }
    let basic: pkijs.BasicOCSPResponse;
    try {
      basic = new pkijs.BasicOCSPResponse({ schema: basicAsn });
    } catch (e) {
      throw new InputFormatError(`malformed BasicOCSPResponse: ${(e as Error).message}`, { cause: e });
    }
    // Embedded certificates from the parsed tree, as received (never re-encoded).
    const certs: ParsedCertificate[] = [];
    for (const el of (basicAsn as asn1js.Sequence).valueBlock.value) {
      if (el.idBlock.tagClass === 3 && el.idBlock.tagNumber === 0) {
        const list = (el as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence | undefined;
        for (const c of list?.valueBlock.value ?? []) {
          try {
            certs.push(certificateCache.get(c.valueBeforeDecodeView));
          } catch {
            /* an unreadable certificate cannot authorize anything */
          }
        }
      }
    }
    return new ParsedOcspResponse(basicDer, basic, certs);
  }
}

/** What one OCSP response says about one certificate at the time in question. */
export type OcspAnswer =
  | { readonly applies: false; readonly reason: string }
  | {
      readonly applies: true;
      /** `good` also when revoked only after the time in question. */
      readonly status: 'good' | 'revoked';
      readonly revocationTime?: Date;
      readonly reason?: string;
      readonly thisUpdate: Date;
      readonly nextUpdate?: Date;
      readonly producedAt: Date;
      /** Issued after the time in question, or valid at it (thisUpdate ≤ time ≤ nextUpdate). */
      readonly fresh: boolean;
      readonly responder: string;
    };

export interface OcspCheckEnvironment {
  readonly registry: AlgorithmRegistry;
  /**
   * Status of a delegated responder certificate without id-pkix-ocsp-nocheck
   * (from CRLs); `undefined` when nothing is known, which rejects the response.
   */
  readonly responderStatus?: (responder: ParsedCertificate, issuer: ParsedCertificate, at: Date) => Promise<'good' | 'revoked' | undefined>;
  /** Where else a delegated responder's certificate may be found (e.g. the signature's certificates). */
  readonly certificates?: readonly ParsedCertificate[];
  /** When given, the response signature's algorithm must be acceptable at the time in question. */
  readonly algorithmPolicy?: AlgorithmPolicy;
}

/** SHA-1 (or the CertID's algorithm) over the issuer key BIT STRING contents, as RFC 6960 CertID and ResponderID byKey use. */
async function keyHash(registry: AlgorithmRegistry, hashOid: string, cert: ParsedCertificate): Promise<Uint8Array> {
  return registry.digest(hashOid, subjectPublicKeyBits(cert));
}

/**
 * The subjectPublicKey BIT STRING's value without its unused-bits octet (what RFC 6960 hashes), read from the
 * SPKI by its headers; the full certificate decode (pkijs) only for an SPKI the walk does not follow.
 */
function subjectPublicKeyBits(cert: ParsedCertificate): Uint8Array {
  const spki = cert.publicKey.spki;
  const outer = tlvAt(spki, 0, spki.length);
  const alg = outer && outer.tag === 0x30 ? tlvAt(spki, outer.contentStart, outer.end) : undefined;
  const key = alg ? tlvAt(spki, alg.end, outer!.end) : undefined;
  if (key && key.tag === 0x03 && key.end === outer!.end && key.end > key.contentStart) return spki.subarray(key.contentStart + 1, key.end);
  return cert.raw.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
}

async function responderMatches(registry: AlgorithmRegistry, id: ResponderId, c: ParsedCertificate): Promise<boolean> {
  if ('byName' in id) return id.byName.key === c.subject.key;
  return toHex(await keyHash(registry, SHA1, c)) === id.byKeyHex;
}

/** Validates `resp` and reads its answer for `cert` (issued by `issuer`) at `time`. */
export async function ocspAnswer(
  resp: ParsedOcspResponse,
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
  time: Date,
  env: OcspCheckEnvironment,
): Promise<OcspAnswer> {
  const { registry } = env;
  // 1. CertID: exactly this certificate of exactly this issuer.
  let single: OcspSingleResponse | undefined;
  for (const r of resp.responses) {
    if (r.serialNumberHex !== cert.serialNumberHex || !registry.supportsDigest(r.hashAlgorithmOid)) continue;
    if (!equalBytes(await registry.digest(r.hashAlgorithmOid, issuer.subjectDer), r.issuerNameHash)) continue;
    if (!equalBytes(await keyHash(registry, r.hashAlgorithmOid, issuer), r.issuerKeyHash)) continue;
    single = r;
    break;
  }
  if (!single) return { applies: false, reason: 'no SingleResponse with a CertID for this certificate and issuer' };
  if (single.status === 'unknown') return { applies: false, reason: 'responder answered "unknown"' };

  // 2. Responder authorization and signature (RFC 6960 4.2.2.2). The response signature is checked with each
  // candidate's key before anything else is asked about that candidate: a forged response (no key) is
  // rejected here and never makes the checker look up a responder's own status (which could recurse).
  const acceptable = (alg: ResolvedSignatureAlgorithm): string | undefined => {
    if (!env.algorithmPolicy) return undefined;
    const v = evaluateAlgorithm(env.algorithmPolicy, alg, time);
    return v.acceptable ? undefined : `response signature ${alg.name}: ${v.reason}`;
  };
  const signedBy = (c: ParsedCertificate) => verifySignedBy(registry, { tbs: resp.tbs, signatureAlgorithm: resp.signatureAlgorithm, signatureValue: resp.signatureValue }, c);
  let responderText: string | undefined;
  if (await responderMatches(registry, resp.responderId, issuer)) {
    const sig = await signedBy(issuer);
    if (!sig.ok) return { applies: false, reason: `response signature does not verify with the issuing CA ${issuer.subject.text}'s key (${sig.reason})` };
    const weak = acceptable(sig.algorithm);
    if (weak) return { applies: false, reason: weak };
    responderText = `the issuing CA ${issuer.subject.text}`;
  } else {
    const problems: string[] = [];
    for (const c of [...resp.certificates, ...(env.certificates ?? [])]) {
      if (!(await responderMatches(registry, resp.responderId, c))) continue;
      if (c.issuer.key !== issuer.subject.key) {
        problems.push(`${c.subject.text} is not issued by ${issuer.subject.text}`);
        continue;
      }
      const certSig = await verifySignedBy(registry, c, issuer);
      if (!certSig.ok) {
        problems.push(`${c.subject.text} is not signed by the issuing CA (${certSig.reason})`);
        continue;
      }
      if (!(c.extKeyUsage ?? []).includes(OID.kpOcspSigning)) {
        problems.push(`${c.subject.text} lacks extendedKeyUsage id-kp-OCSPSigning`);
        continue;
      }
      if (!c.isValidAt(resp.producedAt)) {
        problems.push(`${c.subject.text} was not valid at producedAt ${resp.producedAt.toISOString()}`);
        continue;
      }
      const sig = await signedBy(c);
      if (!sig.ok) {
        problems.push(`response signature does not verify with ${c.subject.text}'s key (${sig.reason})`);
        continue;
      }
      const weak = acceptable(sig.algorithm);
      if (weak) {
        problems.push(weak);
        continue;
      }
      // RFC 6960 4.2.2.2.1: id-pkix-ocsp-nocheck exempts the responder from a status check here, when trusting
      // the responses it signed — and nowhere else (as a signer or a CA it is checked like any certificate).
      if (!c.extension(OID.ocspNoCheck)) {
        const st = await env.responderStatus?.(c, issuer, resp.producedAt);
        if (st !== 'good') {
          problems.push(`${c.subject.text} has no id-pkix-ocsp-nocheck and its own status is ${st ?? 'unknown'}`);
          continue;
        }
      }
      responderText = `delegated responder ${c.subject.text}`;
      break;
    }
    if (!responderText) {
      return { applies: false, reason: `responder not authorized by ${issuer.subject.text}${problems.length ? `: ${problems.join('; ')}` : ': no matching responder certificate'}` };
    }
  }

  // 3. Time: the status at `time`, and whether the response is fresh for it.
  const t = time.getTime();
  const revokedAtTime = single.status === 'revoked' && single.revocationTime!.getTime() <= t;
  // A revocation (at any time) is a definite statement about every time before and after it; a "good" only
  // covers up to its nextUpdate, unless it was issued after the time in question.
  // Without nextUpdate (RFC 6960 4.2.2.1: newer information is always available) only a response issued at
  // or after the time in question speaks for it.
  const fresh = single.status === 'revoked' || single.thisUpdate.getTime() >= t || (single.nextUpdate !== undefined && single.nextUpdate.getTime() >= t);
  return {
    applies: true,
    status: revokedAtTime ? 'revoked' : 'good',
    revocationTime: single.revocationTime,
    reason: single.reason,
    thisUpdate: single.thisUpdate,
    nextUpdate: single.nextUpdate,
    producedAt: resp.producedAt,
    fresh,
    responder: responderText,
  };
}

/** DER OCSPRequest for one certificate (SHA-1 CertID, as responders universally accept). */
export async function buildOcspRequest(cert: ParsedCertificate, issuer: ParsedCertificate, registry: AlgorithmRegistry): Promise<Uint8Array> {
  const certID = new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA1, algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: toArrayBuffer(await registry.digest(SHA1, issuer.subjectDer)) }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: toArrayBuffer(await keyHash(registry, SHA1, issuer)) }),
    serialNumber: new asn1js.Integer({ valueHex: toArrayBuffer(cert.raw.serialNumber.valueBlock.valueHexView) }),
  });
  const req = new pkijs.OCSPRequest();
  req.tbsRequest.requestList = [new pkijs.Request({ reqCert: certID })];
  return new Uint8Array(req.toSchema(true).toBER(false));
}
