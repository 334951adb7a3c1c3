import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { InputFormatError } from '../errors.js';
import { toArrayBuffer, toHex } from '../util/bytes.js';
import type { AlgorithmId } from '../crypto/algorithms.js';
import { algorithmId } from './certificate.js';
import { readName, type DistinguishedName } from './name.js';
import { OID } from './oids.js';

export interface CrlEntry {
  readonly serialNumberHex: string;
  readonly revocationDate: Date;
  /** RFC 5280 CRLReason name, when present. */
  readonly reason?: string;
}

const CRL_REASONS = [
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

/** A CRL parsed once: issuer, update times, the revoked serials indexed for O(1) lookup. */
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
  readonly criticalExtensions: readonly string[];
  private readonly entries: Map<string, CrlEntry>;

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
    let delta = false;
    for (const e of raw.crlExtensions?.extensions ?? []) {
      if (e.critical) crit.push(e.extnID);
      if (e.extnID === OID.deltaCRLIndicator) delta = true;
      if (e.extnID === OID.authorityKeyIdentifier) {
        const pv = e.parsedValue as unknown;
        if (pv instanceof pkijs.AuthorityKeyIdentifier && pv.keyIdentifier) {
          this.authorityKeyIdentifier = toHex(pv.keyIdentifier.valueBlock.valueHexView);
        }
      }
    }
    this.isDelta = delta;
    this.criticalExtensions = crit;
    this.entries = new Map();
    for (const rc of raw.revokedCertificates ?? []) {
      const serial = toHex(rc.userCertificate.valueBlock.valueHexView);
      let reason: string | undefined;
      for (const e of rc.crlEntryExtensions?.extensions ?? []) {
        if (e.extnID === OID.reasonCode) {
          const pv = e.parsedValue as unknown;
          if (pv instanceof asn1js.Enumerated) reason = CRL_REASONS[pv.valueBlock.valueDec] ?? String(pv.valueBlock.valueDec);
        }
      }
      this.entries.set(serial, { serialNumberHex: serial, revocationDate: rc.revocationDate.value, reason });
    }
  }

  static fromDer(input: Uint8Array): ParsedCrl {
    let raw: pkijs.CertificateRevocationList;
    try {
      const asn = asn1js.fromBER(toArrayBuffer(input));
      if (asn.offset === -1 || asn.offset !== input.byteLength) throw new Error(asn.result.error || 'trailing data');
      raw = new pkijs.CertificateRevocationList({ schema: asn.result });
    } catch (e) {
      throw new InputFormatError(`not a DER X.509 CRL: ${(e as Error).message}`, { cause: e });
    }
    return new ParsedCrl(input, raw);
  }

  entryFor(serialNumberHex: string): CrlEntry | undefined {
    return this.entries.get(serialNumberHex);
  }

  get size(): number {
    return this.entries.size;
  }
}
