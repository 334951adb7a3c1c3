/**
 * The requesting side of RFC 3161: a TimeStampReq for a SHA-256 imprint with a nonce, and the check of
 * the TSA's TimeStampResp against that request (status granted, imprint and nonce echoed). Transport is
 * the caller's (maintain/tsa-client.ts posts it over HTTP). The token's own signature and TSA certificate
 * are judged by validate.ts; this module only refuses an answer that is not about what was asked.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { InputFormatError, OtsEsigError } from '../errors.js';
import { copyBytes, equalBytes, toArrayBuffer, toHex } from '../util/bytes.js';
import { parseTimestampToken, type TimestampToken } from './token.js';

const SHA256_OID = '2.16.840.1.101.3.4.2.1';

/** A TimeStampReq as sent, and what its answer must echo. */
export interface TimestampRequest {
  /** DER of the TimeStampReq (RFC 3161 2.4.1), to POST as application/timestamp-query. */
  readonly der: Uint8Array;
  /** SHA-256 of the data to be time-stamped: the messageImprint. */
  readonly imprint: Uint8Array;
  /** The nonce sent (positive INTEGER), as hex; the TSTInfo must carry it back. */
  readonly nonceHex: string;
}

/** A TSA answer refused because it is not a granted time-stamp of what was asked. Code `ERR_TIMESTAMP_RESPONSE`. */
export class TimestampResponseError extends OtsEsigError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_TIMESTAMP_RESPONSE', message, options);
  }
}

/**
 * Builds a TimeStampReq over `data`: SHA-256 messageImprint, a 64-bit random nonce (replay of an old
 * answer is refused), certReq true (the token carries the TSA certificate for verifiers).
 */
export async function createTimestampRequest(data: Uint8Array): Promise<TimestampRequest> {
  const imprint = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', copyBytes(data)));
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(8));
  nonce[0] = (nonce[0]! & 0x3f) | 0x40; // positive, and its first octet never zero: the INTEGER is these 8 octets as sent
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_OID, algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(imprint) }),
    }),
    nonce: new asn1js.Integer({ valueHex: toArrayBuffer(nonce) }),
    certReq: true,
  });
  return { der: new Uint8Array(req.toSchema().toBER(false)), imprint, nonceHex: toHex(nonce) };
}

/**
 * Checks a TSA's TimeStampResp against the request it answers and returns the token (the ContentInfo
 * to embed). Refused (TimestampResponseError): a status other than granted / grantedWithMods, no token,
 * a messageImprint that is not SHA-256 over the requested data (a TSA, or someone on the way, stamping
 * other bytes), a missing or different nonce.
 */
export function acceptTimestampResponse(response: Uint8Array, request: TimestampRequest): TimestampToken {
  const asn = asn1js.fromBER(toArrayBuffer(response));
  if (asn.offset === -1 || asn.offset !== response.length) throw new TimestampResponseError('the TSA answer is not one DER TimeStampResp');
  let resp: pkijs.TimeStampResp;
  try {
    resp = new pkijs.TimeStampResp({ schema: asn.result });
  } catch (e) {
    throw new TimestampResponseError(`the TSA answer is not a TimeStampResp: ${(e as Error).message}`, { cause: e });
  }
  const status = resp.status.status;
  if (status !== 0 && status !== 1) {
    const why = resp.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
    throw new TimestampResponseError(`the TSA refused the request (PKIStatus ${status}${why ? `: ${why}` : ''})`);
  }
  if (!resp.timeStampToken) throw new TimestampResponseError('the TSA answer carries no time-stamp token');
  let token: TimestampToken;
  try {
    token = parseTimestampToken(new Uint8Array(resp.timeStampToken.toSchema().toBER(false)));
  } catch (e) {
    if (e instanceof InputFormatError) throw new TimestampResponseError(`the TSA's token is unreadable: ${e.message}`, { cause: e });
    throw e;
  }
  const tst = token.tstInfo;
  if (tst.hashAlgorithmOid !== SHA256_OID || !equalBytes(tst.hashedMessage, request.imprint)) {
    throw new TimestampResponseError(
      `the time-stamp is not over the requested data: messageImprint ${tst.hashAlgorithmOid === SHA256_OID ? '' : `(${tst.hashAlgorithmOid}) `}${toHex(tst.hashedMessage)}, requested SHA-256 ${toHex(request.imprint)}`,
    );
  }
  if (tst.nonceHex === undefined || stripZeros(tst.nonceHex) !== stripZeros(request.nonceHex)) {
    throw new TimestampResponseError(`the time-stamp does not carry the request's nonce (${tst.nonceHex ?? 'none'}, sent ${request.nonceHex})`);
  }
  return token;
}

function stripZeros(hex: string): string {
  return hex.toLowerCase().replace(/^(00)+/, '');
}
