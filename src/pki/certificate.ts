import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { InputFormatError } from '../errors.js';
import { bytesKey, toHex } from '../util/bytes.js';
import { readPublicKeyNode, type PublicKeyFacts } from '../crypto/spki.js';
import type { AlgorithmId } from '../crypto/algorithms.js';
import { readNameNode, nameAttribute, type DistinguishedName } from './name.js';
import {
  bitString,
  decodeWhole,
  encodingOf,
  explicit,
  integer,
  isContext,
  octetString,
  oid,
  optionalBoolean,
  primitiveContent,
  sequence,
  time,
  type Asn1Node,
} from '../util/asn1-tree.js';
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
 *
 * The fields are read by walking the asn1js tree (src/util/asn1-tree.ts), not
 * through pkijs.Certificate: pkijs's schema comparison made parsing ~2x slower
 * than decoding itself. `raw` (the pkijs object) is built only if asked for.
 */
export class ParsedCertificate {
  readonly der: Uint8Array;
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
  private pkijsCertificate?: pkijs.Certificate;
  private exactKey?: string;
  private exactSpkiKey?: string;
  private exactIssuerSerialKey?: string;
  private digests?: Map<string, Promise<Uint8Array>>;

  private constructor(der: Uint8Array, root: Asn1Node) {
    const what = 'X.509 certificate';
    this.der = der;
    const top = sequence(root, what);
    if (top.length !== 3) throw new InputFormatError(`${what}: expected tbsCertificate, signatureAlgorithm, signatureValue`);
    const tbs = sequence(top[0], `${what} tbsCertificate`);
    let i = 0;
    if (isContext(tbs[0], 0)) {
      const v = integer(explicit(tbs[0], 0, `${what} version`), `${what} version`).valueBlock.valueDec;
      if (v < 0 || v > 2) throw new InputFormatError(`${what}: unknown version ${v + 1}`);
      i++;
    }
    this.serialNumberHex = toHex(integer(tbs[i++], `${what} serialNumber`).valueBlock.valueHexView);
    algorithmIdOf(tbs[i++], `${what} tbsCertificate.signature`);
    const issuer = tbs[i++]!;
    this.issuer = readNameNode(issuer, `${what} issuer`);
    this.issuerDer = encodingOf(issuer);
    const validity = sequence(tbs[i++], `${what} validity`);
    if (validity.length !== 2) throw new InputFormatError(`${what}: validity must have notBefore and notAfter`);
    this.notBefore = time(validity[0], `${what} notBefore`);
    this.notAfter = time(validity[1], `${what} notAfter`);
    const subject = tbs[i++]!;
    this.subject = readNameNode(subject, `${what} subject`);
    this.subjectDer = encodingOf(subject);
    const spki = tbs[i++];
    if (!spki) throw new InputFormatError(`${what}: subjectPublicKeyInfo is missing`);
    this.publicKey = readPublicKeyNode(spki, encodingOf(spki));
    if (isContext(tbs[i], 1)) primitiveContent(tbs[i++], `${what} issuerUniqueID`);
    if (isContext(tbs[i], 2)) primitiveContent(tbs[i++], `${what} subjectUniqueID`);
    const exts: ExtensionInfo[] = [];
    if (isContext(tbs[i], 3)) {
      const seen = new Set<string>();
      for (const e of sequence(explicit(tbs[i], 3, `${what} extensions`), `${what} extensions`)) exts.push(this.readExtension(e, seen));
      i++;
    }
    if (i !== tbs.length) throw new InputFormatError(`${what}: unexpected element in tbsCertificate`);
    this.extensions = exts;
    this.tbs = encodingOf(top[0]!);
    this.signatureAlgorithm = algorithmIdOf(top[1], `${what} signatureAlgorithm`);
    this.signatureValue = bitString(top[2], `${what} signatureValue`).valueBlock.valueHexView;
  }

  /** Records one Extension and reads the values path validation uses; a malformed one makes the certificate unreadable. */
  private readExtension(node: Asn1Node, seen: Set<string>): ExtensionInfo {
    const what = 'X.509 certificate extension';
    const parts = sequence(node, what);
    const extnID = oid(parts[0], what);
    let k = 1;
    const critical = optionalBoolean(parts[k], `${what} ${extnID} critical`) ?? false;
    if (parts[k] instanceof asn1js.Boolean) k++;
    const value = octetString(parts[k++], `${what} ${extnID} extnValue`).valueBlock.valueHexView;
    if (k !== parts.length) throw new InputFormatError(`${what} ${extnID}: unexpected element`);
    if (seen.has(extnID)) throw new InputFormatError(`X.509 certificate: extension ${extnID} occurs more than once (RFC 5280 4.2)`);
    seen.add(extnID);
    const out = this as { -readonly [K in keyof ParsedCertificate]: ParsedCertificate[K] };
    const name = `${what} ${extnID}`;
    switch (extnID) {
      case OID.subjectKeyIdentifier:
        out.subjectKeyIdentifier = toHex(octetString(decodeWhole(value, name), name).valueBlock.valueHexView);
        break;
      case OID.authorityKeyIdentifier: {
        const aki = sequence(decodeWhole(value, name), name);
        // keyIdentifier is [0] IMPLICIT KeyIdentifier; authorityCertIssuer [1] and serial [2] are not used for chaining here.
        if (isContext(aki[0], 0)) out.authorityKeyIdentifier = toHex(primitiveContent(aki[0], name));
        break;
      }
      case OID.basicConstraints: {
        const bc = sequence(decodeWhole(value, name), name);
        let j = 0;
        const cA = optionalBoolean(bc[j], `${name} cA`) ?? false;
        if (bc[j] instanceof asn1js.Boolean) j++;
        let pathLenConstraint: number | undefined;
        if (bc[j] !== undefined) {
          pathLenConstraint = integer(bc[j++], `${name} pathLenConstraint`).valueBlock.valueDec;
          if (pathLenConstraint < 0) throw new InputFormatError(`${name}: negative pathLenConstraint`);
        }
        if (j !== bc.length) throw new InputFormatError(`${name}: unexpected element`);
        out.basicConstraints = { cA, pathLenConstraint };
        break;
      }
      case OID.keyUsage:
        out.keyUsage = readKeyUsage(bitString(decodeWhole(value, name), name));
        break;
      case OID.extKeyUsage:
        out.extKeyUsage = sequence(decodeWhole(value, name), name).map((p) => oid(p, name));
        break;
    }
    return { oid: extnID, critical, value };
  }

  static fromDer(input: Uint8Array): ParsedCertificate {
    // One buffer of exactly the certificate: the views kept below must not pin a larger enclosing buffer.
    const der = input.byteOffset === 0 && input.byteLength === input.buffer.byteLength ? input : input.slice();
    try {
      return new ParsedCertificate(der, decodeWhole(der, 'X.509 certificate'));
    } catch (e) {
      throw new InputFormatError(`not a DER X.509 certificate: ${(e as Error).message}`, { cause: e });
    }
  }

  /** The pkijs object, for the rare caller that needs a field not read above (built on first use). */
  get raw(): pkijs.Certificate {
    return (this.pkijsCertificate ??= new pkijs.Certificate({ schema: decodeWhole(this.der, 'X.509 certificate') }));
  }

  /** `issuer name key|serial hex`: how a CMS SignerIdentifier names this certificate (pool index key), computed once. */
  get issuerSerialKey(): string {
    return (this.exactIssuerSerialKey ??= `${this.issuer.key}|${this.serialNumberHex}`);
  }

  /** The SubjectPublicKeyInfo DER as an exact string key (same key, different certificates), computed once. */
  get spkiKey(): string {
    return (this.exactSpkiKey ??= bytesKey(this.publicKey.spki));
  }

  /** The DER as an exact string key (for Maps), computed once per instance. */
  get derKey(): string {
    return (this.exactKey ??= bytesKey(this.der));
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

  /**
   * Digest of the DER with the algorithm `oid` (ESS certificate references,
   * CertIDs), computed once per certificate and algorithm: a batch signed
   * with the same certificate hashes it once, not once per signature.
   */
  digest(registry: { digest(oid: string, data: Uint8Array): Promise<Uint8Array> }, oid: string): Promise<Uint8Array> {
    const memo = (this.digests ??= new Map());
    let d = memo.get(oid);
    if (!d) {
      d = registry.digest(oid, this.der);
      memo.set(oid, d);
      d.catch(() => memo.delete(oid));
    }
    return d;
  }

  /** SHA-256 of the DER, hex; the identity used in reports, caches and trust lists. */
  fingerprint(): Promise<string> {
    return (this.sha256 ??= globalThis.crypto.subtle
      .digest('SHA-256', this.der as BufferSource)
      .then((d) => toHex(new Uint8Array(d))));
  }
}

/** AlgorithmIdentifier read from a decoded node; parameters are their exact encoding (absent for NULL). */
export function algorithmIdOf(node: Asn1Node | undefined, what: string): AlgorithmId {
  const parts = sequence(node, what);
  if (parts.length < 1 || parts.length > 2) throw new InputFormatError(`${what}: AlgorithmIdentifier must have 1 or 2 elements`);
  const id = oid(parts[0], what);
  const p = parts[1];
  if (!p || p instanceof asn1js.Null) return { oid: id };
  return { oid: id, params: encodingOf(p) };
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
