/**
 * RFC 3161 TimeStampToken: a CMS SignedData whose eContent is a TSTInfo.
 * Parsing only; `validate.ts` decides whether the token can be relied on.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseCades } from '../cades/parse.js';
import type { CadesSignature } from '../cades/model.js';
import { InputFormatError } from '../errors.js';
import { OID } from '../pki/oids.js';
import { copyBytes, toArrayBuffer, toHex } from '../util/bytes.js';
import { BytesCache } from '../util/bytes-cache.js';
import { tlvAt } from '../util/asn1-tree.js';

/** The TSTInfo of a time-stamp token (RFC 3161 section 2.4.2): policy, message imprint, serial number, genTime and accuracy. */
export interface TstInfo {
  readonly version: number;
  readonly policy: string;
  readonly hashAlgorithmOid: string;
  readonly hashedMessage: Uint8Array;
  readonly serialNumberHex: string;
  readonly genTime: Date;
  /** RFC 3161 accuracy in milliseconds (seconds, millis and micros summed); undefined when absent. */
  readonly accuracyMs?: number;
  readonly ordering: boolean;
  readonly nonceHex?: string;
}

/** An RFC 3161 time-stamp token as read from a signature: its CMS SignedData and the TSTInfo it signs. */
export interface TimestampToken {
  readonly der: Uint8Array;
  /** The token's SignedData, read by the same code as a CAdES signature. */
  readonly cms: CadesSignature;
  readonly tstInfo: TstInfo;
}

/** Parses a TimeStampToken (ContentInfo) or a whole TimeStampResp (status + token); throws InputFormatError. */
export function parseTimestampToken(input: Uint8Array): TimestampToken {
  const der = unwrapTimeStampResp(input);
  const cms = parseCades(der);
  if (cms.eContentType !== OID.tstInfo) throw new InputFormatError(`eContentType ${cms.eContentType} is not id-ct-TSTInfo`);
  if (!cms.eContent) throw new InputFormatError('time-stamp token has no encapsulated TSTInfo');
  return { der, cms, tstInfo: parseTstInfo(cms.eContent) };
}

/** TSTInfos by exact DER: a token validated again (a batch, a service, every LTA layer over it) is decoded once. */
const tstInfos = new BytesCache<TstInfo>(512, 4096);

export function parseTstInfo(der: Uint8Array): TstInfo {
  let info = tstInfos.get(der);
  if (!info) tstInfos.set(der, (info = decodeTstInfo(der)));
  // genTime reaches reports, and a Date can be changed: each caller gets its own.
  return { ...info, genTime: new Date(info.genTime.getTime()) };
}

function decodeTstInfo(der: Uint8Array): TstInfo {
  const asn = asn1js.fromBER(toArrayBuffer(der));
  if (asn.offset === -1 || asn.offset !== der.length) throw new InputFormatError('TSTInfo is not DER');
  let t: pkijs.TSTInfo;
  try {
    t = new pkijs.TSTInfo({ schema: asn.result });
  } catch (e) {
    throw new InputFormatError(`malformed TSTInfo: ${(e as Error).message}`, { cause: e });
  }
  if (t.version !== 1) throw new InputFormatError(`TSTInfo version ${t.version} is not 1`);
  const acc = t.accuracy;
  const accuracyMs = acc ? (acc.seconds ?? 0) * 1000 + (acc.millis ?? 0) + (acc.micros ?? 0) / 1000 : undefined;
  return {
    version: t.version,
    policy: t.policy,
    hashAlgorithmOid: t.messageImprint.hashAlgorithm.algorithmId,
    // A private copy: the object is shared by every validation of these bytes.
    hashedMessage: copyBytes(t.messageImprint.hashedMessage.valueBlock.valueHexView),
    serialNumberHex: toHex(t.serialNumber.valueBlock.valueHexView),
    genTime: t.genTime,
    accuracyMs,
    ordering: t.ordering === true,
    nonceHex: t.nonce ? toHex(t.nonce.valueBlock.valueHexView) : undefined,
  };
}

/** A TimeStampResp is SEQUENCE { PKIStatusInfo SEQUENCE, token ContentInfo OPTIONAL }; a ContentInfo starts with an OID. */
function unwrapTimeStampResp(input: Uint8Array): Uint8Array {
  // The common case, a token (ContentInfo), is told by its first element's identifier alone: decoding the whole
  // token here only to look at that cost as much as parsing it (parseCades reads and checks it next).
  const outer = tlvAt(input, 0, input.length);
  const head = outer && outer.tag === 0x30 ? tlvAt(input, outer.contentStart, outer.end) : undefined;
  if (head && head.tag === 0x06) return input;
  const asn = asn1js.fromBER(toArrayBuffer(input));
  if (asn.offset === -1) throw new InputFormatError('time-stamp token is not BER/DER');
  const seq = asn.result;
  if (!(seq instanceof asn1js.Sequence)) throw new InputFormatError('time-stamp token is not a SEQUENCE');
  const first = seq.valueBlock.value[0];
  if (first instanceof asn1js.ObjectIdentifier) return input;
  if (first instanceof asn1js.Sequence) {
    const status = first.valueBlock.value[0];
    if (!(status instanceof asn1js.Integer) || (status.valueBlock.valueDec !== 0 && status.valueBlock.valueDec !== 1)) {
      throw new InputFormatError('TimeStampResp status is not granted');
    }
    const token = seq.valueBlock.value[1];
    if (!token) throw new InputFormatError('TimeStampResp carries no token');
    return new Uint8Array(token.valueBeforeDecodeView);
  }
  throw new InputFormatError('neither a TimeStampToken nor a TimeStampResp');
}
