import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { InputFormatError } from '../errors.js';
import { toArrayBuffer, toHex } from '../util/bytes.js';
import { readPublicKey, type PublicKeyFacts } from '../crypto/spki.js';
import type { AlgorithmId } from '../crypto/algorithms.js';
import { readName, nameAttribute, type DistinguishedName } from './name.js';
import { OID } from './oids.js';

export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];

export interface BasicConstraintsValue {
  readonly cA: boolean;
  readonly pathLenConstraint?: number;
}

export interface ExtensionInfo {
  readonly oid: string;
  readonly critical: boolean;
  /** DER of extnValue's contents. */
  readonly value: Uint8Array;
}

/**
 * An X.509 certificate parsed once, with the fields path validation needs read
 * up front. Instances are immutable and cached by the caller; `der` is the
 * exact input (never re-encoded) so digests and fingerprints are over real bytes.
 */
export class ParsedCertificate {
  readonly der: Uint8Array;
  readonly raw: pkijs.Certificate;
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  /** DER of the subject / issuer Names, for ESS IssuerSerial and exact matching. */
  readonly subjectDer: Uint8Array;
  readonly issuerDer: Uint8Array;
  readonly serialNumberHex: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: AlgorithmId;
  readonly signatureValue: Uint8Array;
  readonly publicKey: PublicKeyFacts;
  readonly extensions: readonly ExtensionInfo[];
  readonly subjectKeyIdentifier?: string;
  readonly authorityKeyIdentifier?: string;
  readonly basicConstraints?: BasicConstraintsValue;
  /** Undefined when the extension is absent (which RFC 5280 treats as "any usage"). */
  readonly keyUsage?: ReadonlySet<KeyUsageName>;
  readonly extKeyUsage?: readonly string[];
  private sha256?: Promise<string>;

  private constructor(der: Uint8Array, raw: pkijs.Certificate) {
    this.der = der;
    this.raw = raw;
    this.subject = readName(raw.subject);
    this.issuer = readName(raw.issuer);
    this.subjectDer = new Uint8Array(raw.subject.valueBeforeDecode);
    this.issuerDer = new Uint8Array(raw.issuer.valueBeforeDecode);
    this.serialNumberHex = toHex(raw.serialNumber.valueBlock.valueHexView);
    this.notBefore = raw.notBefore.value;
    this.notAfter = raw.notAfter.value;
    this.tbs = raw.tbsView;
    this.signatureAlgorithm = algorithmId(raw.signatureAlgorithm);
    this.signatureValue = raw.signatureValue.valueBlock.valueHexView;
    this.publicKey = readPublicKey(new Uint8Array(raw.subjectPublicKeyInfo.toSchema().toBER(false)));
    const exts: ExtensionInfo[] = [];
    for (const e of raw.extensions ?? []) {
      exts.push({ oid: e.extnID, critical: e.critical, value: e.extnValue.valueBlock.valueHexView });
      const pv = e.parsedValue as unknown;
      switch (e.extnID) {
        case OID.subjectKeyIdentifier:
          if (pv instanceof asn1js.OctetString) this.subjectKeyIdentifier = toHex(pv.valueBlock.valueHexView);
          break;
        case OID.authorityKeyIdentifier:
          if (pv instanceof pkijs.AuthorityKeyIdentifier && pv.keyIdentifier) {
            this.authorityKeyIdentifier = toHex(pv.keyIdentifier.valueBlock.valueHexView);
          }
          break;
        case OID.basicConstraints:
          if (pv instanceof pkijs.BasicConstraints) {
            const pl = pv.pathLenConstraint;
            this.basicConstraints = {
              cA: pv.cA === true,
              pathLenConstraint: pl === undefined ? undefined : typeof pl === 'number' ? pl : pl.valueBlock.valueDec,
            };
          }
          break;
        case OID.keyUsage:
          if (pv instanceof asn1js.BitString) this.keyUsage = readKeyUsage(pv);
          break;
        case OID.extKeyUsage:
          if (pv instanceof pkijs.ExtKeyUsage) this.extKeyUsage = pv.keyPurposes;
          break;
      }
    }
    this.extensions = exts;
  }

  static fromDer(input: Uint8Array): ParsedCertificate {
    let raw: pkijs.Certificate;
    try {
      const asn = asn1js.fromBER(toArrayBuffer(input));
      if (asn.offset === -1 || asn.offset !== input.byteLength) throw new Error(asn.result.error || 'trailing data');
      raw = new pkijs.Certificate({ schema: asn.result });
    } catch (e) {
      throw new InputFormatError(`not a DER X.509 certificate: ${(e as Error).message}`, { cause: e });
    }
    return new ParsedCertificate(input, raw);
  }

  get isSelfIssued(): boolean {
    return this.subject.key === this.issuer.key;
  }

  get isCA(): boolean {
    return this.basicConstraints?.cA === true;
  }

  get country(): string | undefined {
    return nameAttribute(this.subject, OID.countryName);
  }

  get commonName(): string | undefined {
    return nameAttribute(this.subject, OID.commonName);
  }

  extension(oid: string): ExtensionInfo | undefined {
    return this.extensions.find((e) => e.oid === oid);
  }

  isValidAt(t: Date): boolean {
    return t.getTime() >= this.notBefore.getTime() && t.getTime() <= this.notAfter.getTime();
  }

  /** SHA-256 of the DER, hex; the identity used in reports, caches and trust lists. */
  fingerprint(): Promise<string> {
    return (this.sha256 ??= globalThis.crypto.subtle
      .digest('SHA-256', this.der as BufferSource)
      .then((d) => toHex(new Uint8Array(d))));
  }
}

export function algorithmId(alg: pkijs.AlgorithmIdentifier): AlgorithmId {
  const p = alg.algorithmParams as asn1js.BaseBlock | undefined;
  if (!p || p instanceof asn1js.Null) return { oid: alg.algorithmId };
  return { oid: alg.algorithmId, params: new Uint8Array(p.toBER(false)) };
}

function readKeyUsage(bits: asn1js.BitString): Set<KeyUsageName> {
  const bytes = bits.valueBlock.valueHexView;
  const out = new Set<KeyUsageName>();
  KEY_USAGE_BITS.forEach((name, i) => {
    const byte = bytes[i >> 3];
    if (byte !== undefined && (byte & (0x80 >> (i & 7))) !== 0) out.add(name);
  });
  return out;
}
