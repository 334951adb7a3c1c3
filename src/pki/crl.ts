import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { InputFormatError, LimitExceededError } from '../errors.js';
import { copyBytes, toArrayBuffer, toHex } from '../util/bytes.js';
import type { AlgorithmId } from '../crypto/algorithms.js';
import { algorithmIdentifierOf } from './certificate.js';
import { decodeExtension, readGeneralNames, type GeneralNameValue } from './general-name.js';
import { readNameElement, readNameNode, type DistinguishedName } from './name.js';
import { decodeWhole, tlvAt, tlvChildren, type TlvRange } from '../util/asn1-tree.js';
import {
  checkDecodable,
  ElementBudget,
  explicitOf,
  isContextTag,
  isUniversal,
  locateAll,
  NotWalkable,
  oidOf,
  primitiveOf,
  seqOf,
  smallIntegerOf,
  TAG,
  timeOf,
  TlvElement,
  type DerElement,
} from '../util/der.js';
import { bitStringOf, booleanOf, fitsDecodeLimits } from '../util/der-values.js';
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

/** One crlExtension as the CRL reads it, from either reader below. */
export interface CrlExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The content octets of extnValue. */
  readonly value: Uint8Array;
  /** authorityKeyIdentifier only: its keyIdentifier in hex, when it has one. */
  readonly keyIdentifier?: string;
  /** pkijs's decoded value (pkijs reader only; issuingDistributionPoint reads it). */
  readonly parsedValue?: () => unknown;
}

/**
 * crlExtensions decoded by pkijs as a whole, as they always were: any form the walk below does not take on, an
 * issuingDistributionPoint, or an authorityKeyIdentifier with more than a keyIdentifier. Throws what pkijs throws.
 */
export function pkijsCrlExtensions(extensions: DerElement): CrlExtension[] {
  const exts = new pkijs.Extensions({ schema: decodeWhole(copyBytes(extensions.encoding), 'crlExtensions') });
  return exts.extensions.map((e) => {
    const value = e.extnValue.valueBlock.valueHexView;
    if (e.extnID !== OID.authorityKeyIdentifier) return { oid: e.extnID, critical: e.critical, value, parsedValue: () => e.parsedValue as unknown };
    const pv = e.parsedValue as unknown;
    const keyIdentifier = pv instanceof pkijs.AuthorityKeyIdentifier && pv.keyIdentifier ? toHex(pv.keyIdentifier.valueBlock.valueHexView) : undefined;
    return { oid: e.extnID, critical: e.critical, value, keyIdentifier };
  });
}

/** Bounds within which the walk below reads crlExtensions (well inside asn1js's, as for certificates). */
const WALKED_EXTENSIONS_ELEMENTS = 1024;
const WALKED_EXTENSIONS_DEPTH = 20;

/**
 * crlExtensions read from the CRL's header walk, for the form nearly every CRL has: a non-empty SEQUENCE of
 * Extension { OID, BOOLEAN OPTIONAL, primitive OCTET STRING }, no issuingDistributionPoint, and an
 * authorityKeyIdentifier that is only a keyIdentifier. The same values pkijs gives for them, without pkijs (its
 * Extension classes and the GeneralName schemas behind authorityKeyIdentifier were most of a cold CLI verify's
 * CRL parsing, #19 cliStart). Undefined for any other form or content, which pkijsCrlExtensions then reads (and
 * refuses, if it is malformed) exactly as before; that includes whatever asn1js would refuse to decode.
 */
export function walkedCrlExtensions(extensions: DerElement): CrlExtension[] | undefined {
  const what = 'crlExtensions';
  if (!(extensions instanceof TlvElement) || !fitsDecodeLimits(extensions.encoding, WALKED_EXTENSIONS_ELEMENTS, WALKED_EXTENSIONS_DEPTH)) return undefined;
  try {
    checkDecodable(extensions, what);
    const list = seqOf(extensions, what);
    if (list.length === 0) return undefined;
    const out: CrlExtension[] = [];
    for (const el of list) {
      const parts = seqOf(el, what);
      if (parts.length !== 2 && parts.length !== 3) return undefined;
      const oid = oidOf(parts[0], what);
      const critical = parts.length === 3 ? booleanOf(parts[1], what) : false;
      const last = parts[parts.length - 1]!;
      if (!isUniversal(last, TAG.octetString) || last.constructed) return undefined;
      const value = last.content(what);
      if (oid === OID.issuingDistributionPoint) return undefined;
      if (oid !== OID.authorityKeyIdentifier) {
        out.push({ oid, critical, value });
        continue;
      }
      const keyIdentifier = onlyKeyIdentifier(value);
      if (keyIdentifier === undefined) return undefined;
      out.push({ oid, critical, value, keyIdentifier });
    }
    return out;
  } catch {
    return undefined;
  }
}

/** AuthorityKeyIdentifier DER that is SEQUENCE { [0] keyIdentifier } and nothing else: the identifier in hex. */
function onlyKeyIdentifier(value: Uint8Array): string | undefined {
  const aki = TlvElement.of(value, new ElementBudget(2, 'crl.asn1Elements'));
  if (!aki || aki.range.tag !== 0x30) return undefined;
  const parts = aki.children('authorityKeyIdentifier');
  const id = parts.length === 1 ? (parts[0] as TlvElement) : undefined;
  if (!id || id.range.tag !== 0x80 || id.range.end === id.range.contentStart) return undefined;
  return toHex(id.content('authorityKeyIdentifier'));
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

/** From the entry at offset `at` on, entries are about certificates of the issuer named by `keys` (RFC 5280 5.3.3). */
interface IssuerFrom {
  readonly at: number;
  readonly keys: readonly string[];
}

/** One crlEntryExtension as encoded. */
interface EntryExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/** Elements a CRL's own walk may locate: bounded by its bytes (maxInputBytes), not by a count. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/**
 * A CRL parsed once: issuer, update times, scope, the revoked serials indexed for O(1) lookup.
 *
 * National CRLs list tens of thousands of certificates, far beyond what a
 * whole asn1js decode allows, so the CRL is located by header walking
 * (src/util/der.ts): the outer fields and crlExtensions are decoded, while
 * revokedCertificates is walked entry by entry reading headers only, indexing
 * each serial number to where its entry is. Only entries carrying extensions
 * have those decoded during the walk (an unknown critical one makes the CRL
 * unusable; certificateIssuer changes whom the following entries of an
 * indirect CRL are about); an entry's date and reason are decoded when a
 * lookup finds it. CRLs are DER (RFC 5280 5.1): an encoding the walk does not
 * follow is refused.
 */
export class ParsedCrl {
  readonly der: Uint8Array;
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
  /** Whether any entry carries a critical extension we do not process. */
  readonly hasUnknownCriticalEntryExtension: boolean;
  /** Number of entries (revoked certificates) the CRL lists. */
  readonly size: number;
  /**
   * Open-addressing hash table of entry offsets keyed by the serial number's
   * content octets: slot = hash & mask, linear probing, 0 = empty, else offset + 1.
   * One 32-bit slot per half entry and no string or object per entry, so
   * indexing a 100,000-entry CRL allocates two typed arrays.
   */
  private readonly slots: Uint32Array;
  /** Where the certificate issuer of the entries changes, by offset (one item unless the CRL is indirect). */
  private readonly issuers: readonly IssuerFrom[];

  private constructor(der: Uint8Array) {
    this.der = der;
    const root = TlvElement.of(der, new ElementBudget(UNBOUNDED, 'crl.asn1Elements'));
    if (!root) throw new NotWalkable('CertificateList');
    const top = seqOf(root, 'CertificateList');
    if (top.length !== 3) throw new InputFormatError('CertificateList must have tbsCertList, signatureAlgorithm and signatureValue');
    const tbs = seqOf(top[0], 'tbsCertList');
    let i = 0;
    if (isUniversal(tbs[i], TAG.integer)) smallIntegerOf(tbs[i++], 'CRL version');
    algorithmIdentifierOf(tbs[i++], 'tbsCertList signature');
    const issuerEl = tbs[i++];
    this.issuer = readNameElement(issuerEl, 'CRL issuer');
    this.thisUpdate = timeOf(tbs[i++], 'CRL thisUpdate');
    if (isTime(tbs[i])) this.nextUpdate = timeOf(tbs[i++], 'CRL nextUpdate');
    const revoked = isUniversal(tbs[i], TAG.sequence) ? tbs[i++] : undefined;
    const extensions = isContextTag(tbs[i], 0) ? explicitOf(tbs[i++], 0, 'crlExtensions') : undefined;
    if (i !== tbs.length) throw new InputFormatError('tbsCertList: unexpected element');
    this.tbs = top[0]!.encoding;
    this.signatureAlgorithm = algorithmIdentifierOf(top[1], 'CRL signatureAlgorithm');
    this.signatureValue = bitStringOf(top[2], 'CRL signatureValue');

    const crit: string[] = [];
    const unsupported: string[] = [];
    const problems: string[] = [];
    let delta = false;
    const exts = extensions ? (walkedCrlExtensions(extensions) ?? pkijsCrlExtensions(extensions)) : [];
    for (const e of exts) {
      if (e.critical) crit.push(e.oid);
      if (e.critical && !CRL_EXTENSIONS_PROCESSED.has(e.oid)) unsupported.push(e.oid);
      switch (e.oid) {
        case OID.deltaCRLIndicator:
          delta = true;
          this.baseCrlNumber = readInteger(e.value);
          if (this.baseCrlNumber === undefined) problems.push('deltaCRLIndicator is malformed');
          break;
        case OID.cRLNumber:
          if (e.critical) problems.push('cRLNumber is marked critical (RFC 5280 5.2.3: non-critical)');
          this.crlNumber = readInteger(e.value);
          if (this.crlNumber === undefined) problems.push('cRLNumber is malformed');
          break;
        case OID.authorityKeyIdentifier:
          if (e.keyIdentifier !== undefined) this.authorityKeyIdentifier = e.keyIdentifier;
          break;
        case OID.issuingDistributionPoint: {
          const pv = e.parsedValue?.();
          if (pv instanceof pkijs.IssuingDistributionPoint) {
            const issuerRdns = new pkijs.RelativeDistinguishedNames({ schema: decodeWhole(copyBytes(issuerEl!.encoding), 'CRL issuer') });
            this.issuingDistributionPoint = {
              names: idpNames(e.value, issuerRdns),
              onlyContainsUserCerts: pv.onlyContainsUserCerts === true,
              onlyContainsCACerts: pv.onlyContainsCACerts === true,
              onlyContainsAttributeCerts: pv.onlyContainsAttributeCerts === true,
              onlySomeReasons: onlySomeReasonsOrProblem(e.value, problems),
              indirectCRL: pv.indirectCRL === true,
              der: toHex(e.value),
            };
          } else problems.push('issuingDistributionPoint is malformed');
          break;
        }
      }
    }
    this.isDelta = delta;
    this.criticalExtensions = crit;
    this.unsupportedCriticalExtensions = unsupported;
    this.problems = problems;
    const index = this.indexEntries(revoked);
    this.slots = index.slots;
    this.issuers = index.issuers;
    this.size = index.size;
    this.hasUnknownCriticalEntryExtension = index.unknownCritical;
  }

  /**
   * One header walk over revokedCertificates: each entry's frame is checked
   * (SEQUENCE { INTEGER, Time, Extensions OPTIONAL }) and its serial indexed.
   * Entry extensions in the common form (reasonCode, invalidityDate or
   * certificateIssuer, not marked critical) are checked by their headers only;
   * any other form is decoded, as an unknown critical one makes the CRL
   * unusable and certificateIssuer changes whom the following entries of an
   * indirect CRL are about.
   */
  private indexEntries(revoked: DerElement | undefined) {
    // In an indirect CRL each entry's certificate issuer defaults to the previous entry's (RFC 5280 5.3.3).
    const issuers: IssuerFrom[] = [{ at: 0, keys: [this.issuer.key] }];
    let unknownCritical = false;
    const offsets: number[] = [];
    const hashes: number[] = [];
    if (revoked) {
      const bytes = this.der;
      const list = (revoked as TlvElement).range;
      const indirect = this.issuingDistributionPoint?.indirectCRL === true;
      const bad = () => new InputFormatError('revokedCertificates: an entry must be SEQUENCE { userCertificate, revocationDate, crlEntryExtensions OPTIONAL }');
      for (let p = list.contentStart; p < list.end; ) {
        const start = p;
        if (!header(bytes, p, list.end)) throw new NotWalkable('revokedCertificates');
        if (hTag() !== 0x30) throw bad();
        const end = hEnd();
        p = end;
        // userCertificate
        if (!header(bytes, hContent(), end)) throw bad();
        if (hTag() !== 0x02 || hEnd() === hContent()) throw new InputFormatError('revokedCertificates: userCertificate must be an INTEGER');
        const serialStart = hContent();
        const serialEnd = hEnd();
        // revocationDate
        if (!header(bytes, serialEnd, end)) throw bad();
        checkDerTime(bytes, hTag(), hContent(), hEnd());
        let q = hEnd();
        if (q < end) {
          if (!header(bytes, q, end)) throw bad();
          const extsStart = q;
          const extsEnd = hEnd();
          if (hEnd() !== end) throw bad();
          if (hTag() !== 0x30) throw new InputFormatError('crlEntryExtensions: expected a SEQUENCE');
          if (!commonEntryExtensions(bytes, hContent(), extsEnd, indirect)) {
            for (const e of entryExtensions(this.extensionsAt({ tag: 0x30, start: extsStart, contentStart: hContent(), end: extsEnd }))) {
              if (e.critical && !ENTRY_EXTENSIONS_PROCESSED.has(e.oid)) unknownCritical = true;
              if (e.oid === OID.certificateIssuer && indirect) {
                const gn = decodeExtension(e.value, pkijs.GeneralNames as unknown as { fromBER(raw: BufferSource): pkijs.GeneralNames });
                const keys = (gn ? readGeneralNames(gn.names) : []).flatMap((n) => (n.kind === 'directory' ? [n.value.key] : []));
                if (keys.length) issuers.push({ at: start, keys });
              }
            }
          }
          q = extsEnd;
        }
        offsets.push(start);
        hashes.push(hashRange(bytes, serialStart, serialEnd));
      }
    }
    const size = offsets.length;
    let capacity = 4;
    while (capacity < size * 2) capacity *= 2;
    const slots = new Uint32Array(capacity);
    const mask = capacity - 1;
    for (let k = 0; k < size; k++) {
      let s = hashes[k]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = offsets[k]! + 1;
    }
    return { slots, issuers, size, unknownCritical };
  }

  /** Offsets of every entry whose userCertificate has these content octets, in CRL order. */
  private offsetsOf(serial: Uint8Array): number[] {
    const bytes = this.der;
    const mask = this.slots.length - 1;
    const found: number[] = [];
    for (let s = hashRange(serial, 0, serial.length) & mask; this.slots[s] !== 0; s = (s + 1) & mask) {
      const at = this.slots[s]! - 1;
      header(bytes, at, bytes.length);
      header(bytes, hContent(), hEnd());
      if (hEnd() - hContent() !== serial.length) continue;
      let same = true;
      for (let k = 0; same && k < serial.length; k++) same = bytes[hContent() + k] === serial[k];
      if (same) found.push(at);
    }
    return found.sort((x, y) => x - y);
  }

  /** The certificate issuer of the entry at offset `at`: the last change at or before it. */
  private issuerKeysAt(at: number): readonly string[] {
    let lo = 0;
    let hi = this.issuers.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.issuers[mid]!.at <= at) lo = mid;
      else hi = mid - 1;
    }
    return this.issuers[lo]!.keys;
  }

  private extensionsAt(r: TlvRange): DerElement {
    const el = TlvElement.of(this.der.subarray(r.start, r.end), new ElementBudget(UNBOUNDED, 'crl.asn1Elements'));
    if (!el) throw new NotWalkable('crlEntryExtensions');
    return el;
  }

  /** The entry at offset `at`, decoded (its frame was checked by the walk). */
  private decodeEntry(at: number): CrlEntry {
    const bytes = this.der;
    const [serial, date, exts] = tlvChildren(bytes, tlvAt(bytes, at, bytes.length)!, 4) as [TlvRange, TlvRange, TlvRange | undefined];
    let reason: string | undefined;
    const unknownCritical: string[] = [];
    for (const e of exts ? entryExtensions(this.extensionsAt(exts)) : []) {
      if (e.critical && !ENTRY_EXTENSIONS_PROCESSED.has(e.oid)) unknownCritical.push(e.oid);
      if (e.oid === OID.reasonCode) {
        // A reasonCode that does not decode leaves the reason unstated, as pkijs's parsedValue did: the entry still revokes.
        const asn = asn1js.fromBER(toArrayBuffer(e.value));
        const pv = asn.offset === e.value.length ? asn.result : undefined;
        if (pv instanceof asn1js.Enumerated) reason = CRL_REASONS[pv.valueBlock.valueDec] ?? String(pv.valueBlock.valueDec);
      }
    }
    const dateEl = TlvElement.of(bytes.subarray(date.start, date.end), new ElementBudget(1, 'crl.asn1Elements'));
    return {
      serialNumberHex: toHex(bytes.subarray(serial.contentStart, serial.end)),
      revocationDate: timeOf(dateEl, 'revocationDate'),
      reason,
      certificateIssuerKeys: this.issuerKeysAt(at),
      unknownCriticalExtensions: unknownCritical,
    };
  }

/** Parses a DER X.509 CRL (the bytes are copied); InputFormatError when it is not one. */
  static fromDer(bytes: Uint8Array): ParsedCrl {
    // A private copy: a parsed CRL is kept and compared by its bytes, which must not change with the caller's memory.
    const input = copyBytes(bytes);
    try {
      return new ParsedCrl(input);
    } catch (e) {
      throw new InputFormatError(`not a DER X.509 CRL: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * The entry for a serial number; with `certificateIssuerKey`, only an entry
   * for a certificate of that issuer (indirect CRLs list several issuers' serials).
   */
  entryFor(serialNumberHex: string, certificateIssuerKey?: string): CrlEntry | undefined {
    if (serialNumberHex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(serialNumberHex)) return undefined;
    const offsets = this.offsetsOf(fromHexLower(serialNumberHex));
    const hit = certificateIssuerKey === undefined ? offsets[0] : offsets.find((at) => this.issuerKeysAt(at).includes(certificateIssuerKey));
    return hit === undefined ? undefined : this.decodeEntry(hit);
  }

}

const isTime = (el: DerElement | undefined): boolean => isUniversal(el, TAG.utcTime) || isUniversal(el, TAG.generalizedTime);

/**
 * A revocationDate in the forms RFC 5280 5.1.2.6 allows (UTCTime
 * YYMMDDHHMMSSZ, GeneralizedTime YYYYMMDDHHMMSSZ, here also with DER's
 * fractional seconds), checked during the walk so a lookup never meets a date
 * that does not decode; asn1js decodes it when the entry is looked up.
 */
function checkDerTime(bytes: Uint8Array, tag: number, contentStart: number, end: number): void {
  const digits = tag === 0x17 ? 12 : tag === 0x18 ? 14 : -1;
  const n = end - contentStart;
  let ok = digits > 0 && n >= digits + 1 && bytes[end - 1] === 0x5a; // 'Z'
  for (let k = 0; ok && k < digits; k++) ok = isDigit(bytes[contentStart + k]!);
  if (ok && n !== digits + 1) {
    // Only GeneralizedTime's fractional seconds may follow: '.', digits, the last not '0' (X.690 11.7.3).
    ok = digits === 14 && n > digits + 2 && bytes[contentStart + digits] === 0x2e && bytes[end - 2] !== 0x30;
    for (let k = contentStart + digits + 1; ok && k < end - 1; k++) ok = isDigit(bytes[k]!);
  }
  if (!ok) throw new InputFormatError('revokedCertificates: revocationDate must be a UTCTime or GeneralizedTime in Z form');
}
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;

/*
 * The walk's header reader writes its result here instead of allocating a
 * range per element: revokedCertificates may hold millions of elements.
 * Single-threaded and never re-entered between a call and the reads of its result.
 */
const H = new Int32Array(3);
const hTag = () => H[0]!;
const hContent = () => H[1]!;
const hEnd = () => H[2]!;

/** tlvAt without the allocation: false for every form tlvAt refuses. */
function header(bytes: Uint8Array, at: number, limit: number): boolean {
  if (at + 2 > limit) return false;
  const tag = bytes[at]!;
  if ((tag & 0x1f) === 0x1f) return false;
  let p = at + 1;
  let len = bytes[p++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return false;
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + bytes[p++]!;
  }
  if (p + len > limit) return false;
  H[0] = tag;
  H[1] = p;
  H[2] = p + len;
  return true;
}

/** FNV-1a of bytes[start, end). */
function hashRange(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

function fromHexLower(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

/**
 * Whether the crlEntryExtensions contents [from, end) hold only extensions in
 * the form almost every CRL uses, checked by headers alone: SEQUENCE { OID
 * 2.5.29.21 reasonCode | 2.5.29.24 invalidityDate | 2.5.29.29 certificateIssuer
 * (not in an indirect CRL, where it must be read), OCTET STRING }, no critical
 * flag. Their values are decoded when a lookup finds the entry. False sends the
 * entry to the full decode (entryExtensions), which judges every other form.
 */
function commonEntryExtensions(bytes: Uint8Array, from: number, end: number, indirect: boolean): boolean {
  if (from === end) return false; // an empty SEQUENCE: let the decode judge it
  for (let p = from; p < end; ) {
    if (!header(bytes, p, end) || hTag() !== 0x30) return false;
    const extEnd = hEnd();
    p = extEnd;
    if (!header(bytes, hContent(), extEnd) || hTag() !== 0x06 || hEnd() - hContent() !== 3) return false;
    const o = hContent();
    if (bytes[o] !== 0x55 || bytes[o + 1] !== 0x1d) return false;
    const last = bytes[o + 2];
    if (last !== 0x15 && last !== 0x18 && !(last === 0x1d && !indirect)) return false;
    if (!header(bytes, hEnd(), extEnd) || hTag() !== 0x04 || hEnd() !== extEnd) return false;
  }
  return true;
}

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }, for each entry extension. */
function entryExtensions(el: DerElement): EntryExtension[] {
  const what = 'crlEntryExtension';
  return seqOf(el, 'crlEntryExtensions').map((e) => {
    const parts = seqOf(e, what);
    const oid = oidOf(parts[0], what);
    let k = 1;
    let critical = false;
    if (isUniversal(parts[k], TAG.boolean)) critical = booleanOf(parts[k++], `${what} ${oid} critical`);
    const value = primitiveOf(parts[k++], TAG.octetString, `${what} ${oid} extnValue`);
    if (k !== parts.length) throw new InputFormatError(`${what} ${oid}: unexpected element`);
    return { oid, critical, value };
  });
}

/**
 * Locates the elements of a CertificateList inside a larger structure (a CMS
 * walk charging `budget`-counted elements), except the entries of
 * revokedCertificates: ParsedCrl indexes those with its own header walk and
 * decodes none of them, so a CRL of any length within the input size counts
 * only what is decoded.
 */
export function locateCertificateList(el: DerElement, depthLeft: number, depthLimit: { readonly name: string; readonly max: number }): void {
  if (!(el instanceof TlvElement) || !el.constructed || !isUniversal(el, TAG.sequence)) return locateAll(el, depthLeft, depthLimit);
  if (depthLeft <= 1) throw new LimitExceededError(depthLimit.name, depthLimit.max);
  const [tbs, ...rest] = el.children('CertificateList');
  for (const c of rest) locateAll(c, depthLeft - 1, depthLimit);
  if (!tbs || !isUniversal(tbs, TAG.sequence) || !tbs.constructed) return tbs && locateAll(tbs, depthLeft - 1, depthLimit);
  const fields = tbs.children('tbsCertList');
  fields.forEach((f, j) => {
    // revokedCertificates is the SEQUENCE right after thisUpdate / nextUpdate; itself located, its entries not.
    if (j > 0 && isTime(fields[j - 1]) && isUniversal(f, TAG.sequence)) return;
    locateAll(f, depthLeft - 2, depthLimit);
  });
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
