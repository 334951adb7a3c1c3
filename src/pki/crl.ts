import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { InputFormatError } from '../errors.js';
import { copyBytes, toArrayBuffer, toHex } from '../util/bytes.js';
import type { AlgorithmId } from '../crypto/algorithms.js';
import { algorithmId } from './certificate.js';
import { readGeneralNames, type GeneralNameValue } from './general-name.js';
import { readName, readNameNode, type DistinguishedName } from './name.js';
import { decodeWhole } from '../util/asn1-tree.js';
import { OID } from './oids.js';
import { namedBits } from '../util/named-bits.js';

export interface CrlEntry {
  readonly serialNumberHex: string;
  readonly revocationDate: Date;
  /** RFC 5280 CRLReason name, when present. */
  readonly reason?: string;
  /** Name key of the certificate issuer the entry is for (the CRL issuer unless an indirect CRL says otherwise). */
  readonly certificateIssuerKeys: readonly string[];
  /** OIDs of critical entry extensions we do not process: the entry (and so the CRL) cannot be relied on. */
  readonly unknownCriticalExtensions: readonly string[];
}

export const CRL_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'unused',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
];

/** ReasonFlags bits 1..8 (keyCompromise .. aACompromise); bit 0 "unused" is never a reason to cover. */
export const ALL_REASONS = 0x1fe;

/**
 * ReasonFlags from the content octets of a BIT STRING (first octet = unused
 * bits): bit i of the result is ReasonFlags bit i (bit 0 = most significant bit of the first octet).
 * Throws InputFormatError on a non-DER string (unused bits set, count over 7): see util/named-bits.ts.
 */
export function reasonFlags(content: Uint8Array, what = 'ReasonFlags'): number {
  return namedBits(content, 9, what); // ReasonFlags has bits 0 (unused) .. 8 (aACompromise)
}

/** RFC 5280 5.2.5 issuingDistributionPoint, decoded. */
export interface IssuingDistributionPoint {
  /** fullName, or nameRelativeToCRLIssuer resolved against the CRL issuer (as a directoryName). */
  readonly names?: readonly GeneralNameValue[];
  readonly onlyContainsUserCerts: boolean;
  readonly onlyContainsCACerts: boolean;
  readonly onlyContainsAttributeCerts: boolean;
  /** ReasonFlags mask; ALL_REASONS when onlySomeReasons is absent. */
  readonly onlySomeReasons: number;
  readonly indirectCRL: boolean;
  /** DER of the extension value, to compare a delta CRL's scope with its base. */
  readonly der: string;
}

/** DistributionPointName resolved to general names; a relative name is appended to `issuer` (RFC 5280 4.2.1.13). */
export function distributionPointNames(dp: pkijs.DistributionPointName | undefined, issuer: pkijs.RelativeDistinguishedNames): GeneralNameValue[] | undefined {
  if (!dp) return undefined;
  if (Array.isArray(dp)) return readGeneralNames(dp);
  // The relative name is one more RDN (a SET, possibly multi-valued) after the issuer's RDNs: appended as SETs, never flattened.
  const rdnsOf = (n: pkijs.RelativeDistinguishedNames) => (n.toSchema() as asn1js.Sequence).valueBlock.value;
  const full = new asn1js.Sequence({ value: [...rdnsOf(issuer), ...rdnsOf(dp)] });
  return [{ kind: 'directory', value: readNameNode(decodeWhole(new Uint8Array(full.toBER(false)), 'distributionPoint name'), 'distributionPoint name') }];
}

/**
 * Decodes the [0] distributionPoint field (DistributionPointName CHOICE inside)
 * of a DistributionPoint or IssuingDistributionPoint. pkijs drops the
 * nameRelativeToCRLIssuer form, so this reads the DER itself.
 */
export function readDistributionPointName(field: asn1js.AsnType): pkijs.DistributionPointName | undefined {
  const inner = (field as asn1js.Constructed).valueBlock?.value as asn1js.AsnType[] | undefined;
  const choice = inner?.[0] as asn1js.Constructed | undefined;
  if (!choice || choice.idBlock.tagClass !== 3) return undefined;
  const parts = (choice.valueBlock.value ?? []) as asn1js.AsnType[];
  if (choice.idBlock.tagNumber === 0) return parts.map((g) => new pkijs.GeneralName({ schema: g }));
  if (choice.idBlock.tagNumber === 1) return new pkijs.RelativeDistinguishedNames({ schema: new asn1js.Sequence({ value: [new asn1js.Set({ value: parts })] }) });
  return undefined;
}

/** The distributionPoint names of an IssuingDistributionPoint extension value (DER). */
function idpNames(der: Uint8Array, issuer: pkijs.RelativeDistinguishedNames): GeneralNameValue[] | undefined {
  const asn = asn1js.fromBER(toArrayBuffer(der));
  if (asn.offset === -1 || !(asn.result instanceof asn1js.Sequence)) return undefined;
  const field = asn.result.valueBlock.value.find((el) => el.idBlock.tagClass === 3 && el.idBlock.tagNumber === 0);
  return field ? distributionPointNames(readDistributionPointName(field), issuer) : undefined;
}

const CRL_EXTENSIONS_PROCESSED = new Set<string>([
  OID.cRLNumber,
  OID.deltaCRLIndicator,
  OID.issuingDistributionPoint,
  OID.authorityKeyIdentifier,
  OID.freshestCRL,
  OID.issuerAltName,
]);
const ENTRY_EXTENSIONS_PROCESSED = new Set<string>([OID.reasonCode, OID.invalidityDate, OID.certificateIssuer]);

/** A CRL parsed once: issuer, update times, scope, the revoked serials indexed for O(1) lookup. */
export class ParsedCrl {
  readonly der: Uint8Array;
  readonly raw: pkijs.CertificateRevocationList;
  readonly issuer: DistinguishedName;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: AlgorithmId;
  readonly signatureValue: Uint8Array;
  readonly authorityKeyIdentifier?: string;
  readonly isDelta: boolean;
  /** cRLNumber as a decimal string (big integers kept exact). */
  readonly crlNumber?: bigint;
  /** deltaCRLIndicator: the cRLNumber of the base CRL a delta CRL updates. */
  readonly baseCrlNumber?: bigint;
  readonly issuingDistributionPoint?: IssuingDistributionPoint;
  readonly criticalExtensions: readonly string[];
  /** Critical CRL extensions this module does not process: the CRL must not be used (RFC 5280 5.2). */
  readonly unsupportedCriticalExtensions: readonly string[];
  /** Decoding problems that make the CRL unusable (malformed extensions). */
  readonly problems: readonly string[];
  private readonly entries: Map<string, CrlEntry[]>;

  private constructor(der: Uint8Array, raw: pkijs.CertificateRevocationList) {
    this.der = der;
    this.raw = raw;
    this.issuer = readName(raw.issuer);
    this.thisUpdate = raw.thisUpdate.value;
    this.nextUpdate = raw.nextUpdate?.value;
    this.tbs = raw.tbsView;
    this.signatureAlgorithm = algorithmId(raw.signatureAlgorithm);
    this.signatureValue = raw.signatureValue.valueBlock.valueHexView;
    const crit: string[] = [];
    const unsupported: string[] = [];
    const problems: string[] = [];
    let delta = false;
    for (const e of raw.crlExtensions?.extensions ?? []) {
      if (e.critical) crit.push(e.extnID);
      if (e.critical && !CRL_EXTENSIONS_PROCESSED.has(e.extnID)) unsupported.push(e.extnID);
      const pv = e.parsedValue as unknown;
      switch (e.extnID) {
        case OID.deltaCRLIndicator:
          delta = true;
          this.baseCrlNumber = readInteger(e.extnValue.valueBlock.valueHexView);
          if (this.baseCrlNumber === undefined) problems.push('deltaCRLIndicator is malformed');
          break;
        case OID.cRLNumber:
          if (e.critical) problems.push('cRLNumber is marked critical (RFC 5280 5.2.3: non-critical)');
          this.crlNumber = readInteger(e.extnValue.valueBlock.valueHexView);
          if (this.crlNumber === undefined) problems.push('cRLNumber is malformed');
          break;
        case OID.authorityKeyIdentifier:
          if (pv instanceof pkijs.AuthorityKeyIdentifier && pv.keyIdentifier) this.authorityKeyIdentifier = toHex(pv.keyIdentifier.valueBlock.valueHexView);
          break;
        case OID.issuingDistributionPoint:
          if (pv instanceof pkijs.IssuingDistributionPoint) {
            this.issuingDistributionPoint = {
              names: idpNames(e.extnValue.valueBlock.valueHexView, raw.issuer),
              onlyContainsUserCerts: pv.onlyContainsUserCerts === true,
              onlyContainsCACerts: pv.onlyContainsCACerts === true,
              onlyContainsAttributeCerts: pv.onlyContainsAttributeCerts === true,
              onlySomeReasons: onlySomeReasonsOrProblem(e.extnValue.valueBlock.valueHexView, problems),
              indirectCRL: pv.indirectCRL === true,
              der: toHex(e.extnValue.valueBlock.valueHexView),
            };
          } else problems.push('issuingDistributionPoint is malformed');
          break;
      }
    }
    this.isDelta = delta;
    this.criticalExtensions = crit;
    this.unsupportedCriticalExtensions = unsupported;
    this.problems = problems;
    this.entries = new Map();
    // In an indirect CRL each entry's certificate issuer defaults to the previous entry's (RFC 5280 5.3.3).
    let currentIssuer = [this.issuer.key];
    for (const rc of raw.revokedCertificates ?? []) {
      const serial = toHex(rc.userCertificate.valueBlock.valueHexView);
      let reason: string | undefined;
      const unknownCritical: string[] = [];
      for (const e of rc.crlEntryExtensions?.extensions ?? []) {
        const pv = e.parsedValue as unknown;
        if (e.critical && !ENTRY_EXTENSIONS_PROCESSED.has(e.extnID)) unknownCritical.push(e.extnID);
        if (e.extnID === OID.reasonCode) {
          if (pv instanceof asn1js.Enumerated) reason = CRL_REASONS[pv.valueBlock.valueDec] ?? String(pv.valueBlock.valueDec);
        } else if (e.extnID === OID.certificateIssuer && this.issuingDistributionPoint?.indirectCRL) {
          const names = pv instanceof pkijs.GeneralNames ? readGeneralNames(pv.names) : [];
          const keys = names.flatMap((n) => (n.kind === 'directory' ? [n.value.key] : []));
          if (keys.length) currentIssuer = keys;
        }
      }
      const entry: CrlEntry = {
        serialNumberHex: serial,
        revocationDate: rc.revocationDate.value,
        reason,
        certificateIssuerKeys: currentIssuer,
        unknownCriticalExtensions: unknownCritical,
      };
      const list = this.entries.get(serial);
      if (list) list.push(entry);
      else this.entries.set(serial, [entry]);
    }
  }

  static fromDer(bytes: Uint8Array): ParsedCrl {
    // A private copy: a parsed CRL is kept and compared by its bytes, which must not change with the caller's memory.
    const input = copyBytes(bytes);
    let raw: pkijs.CertificateRevocationList;
    try {
      const asn = asn1js.fromBER(toArrayBuffer(input));
      if (asn.offset === -1 || asn.offset !== input.byteLength) throw new Error(asn.result.error || 'trailing data');
      raw = new pkijs.CertificateRevocationList({ schema: asn.result });
      return new ParsedCrl(input, raw);
    } catch (e) {
      throw new InputFormatError(`not a DER X.509 CRL: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * The entry for a serial number; with `certificateIssuerKey`, only an entry
   * for a certificate of that issuer (indirect CRLs list several issuers' serials).
   */
  entryFor(serialNumberHex: string, certificateIssuerKey?: string): CrlEntry | undefined {
    const list = this.entries.get(serialNumberHex);
    if (!list) return undefined;
    if (certificateIssuerKey === undefined) return list[0];
    return list.find((e) => e.certificateIssuerKeys.includes(certificateIssuerKey));
  }

  /** Whether any entry carries a critical extension we do not process. */
  get hasUnknownCriticalEntryExtension(): boolean {
    for (const list of this.entries.values()) for (const e of list) if (e.unknownCriticalExtensions.length) return true;
    return false;
  }

  get size(): number {
    let n = 0;
    for (const list of this.entries.values()) n += list.length;
    return n;
  }
}

function readInteger(der: Uint8Array): bigint | undefined {
  const asn = asn1js.fromBER(toArrayBuffer(der));
  if (asn.offset === -1 || !(asn.result instanceof asn1js.Integer)) return undefined;
  const hex = toHex(asn.result.valueBlock.valueHexView);
  return hex ? BigInt('0x' + hex) : 0n;
}

/** onlySomeReasons, or no reason at all (and a problem, which makes the CRL unusable) when it is malformed. */
function onlySomeReasonsOrProblem(der: Uint8Array, problems: string[]): number {
  try {
    return onlySomeReasonsOf(der) ?? ALL_REASONS;
  } catch (e) {
    problems.push((e as Error).message);
    return 0;
  }
}

/** onlySomeReasons [3] of an IssuingDistributionPoint, read from the DER (pkijs keeps only one octet of it). */
function onlySomeReasonsOf(der: Uint8Array): number | undefined {
  const asn = asn1js.fromBER(toArrayBuffer(der));
  if (asn.offset === -1 || !(asn.result instanceof asn1js.Sequence)) return undefined;
  for (const el of asn.result.valueBlock.value) {
    if (el.idBlock.tagClass === 3 && el.idBlock.tagNumber === 3) {
      if (el.idBlock.isConstructed) throw new InputFormatError('issuingDistributionPoint onlySomeReasons: expected a primitive BIT STRING');
      return reasonFlags(new Uint8Array((el as asn1js.Primitive).valueBlock.valueHexView), 'issuingDistributionPoint onlySomeReasons');
    }
  }
  return undefined;
}
