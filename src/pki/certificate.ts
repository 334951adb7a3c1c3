import { sha256Hex } from '../util/sha256.js';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { InputFormatError } from '../errors.js';
import { bytesKey, copyBytes, equalBytes, fnv1a, toHex } from '../util/bytes.js';
import { readPublicKeyElement, type PublicKeyFacts } from '../crypto/spki.js';
import type { AlgorithmId } from '../crypto/algorithms.js';
import { readNameElement, nameAttribute, type DistinguishedName } from './name.js';
import { bitString, decodeWhole, encodingOf, integer, oid, optionalBoolean, sequence, type Asn1Node } from '../util/asn1-tree.js';
import {
  Asn1Element,
  DecodeMemo,
  ElementBudget,
  NotWalkable,
  TAG,
  TlvElement,
  explicitOf,
  isContextTag,
  isUniversal,
  oidOf,
  primitiveOf,
  seqOf,
  smallIntegerOf,
  timeOf,
  type DerElement,
} from '../util/der.js';
import { bitStringOf, booleanOf, checkDecodes, elementOf, fitsDecodeLimits } from '../util/der-values.js';
import { OID } from './oids.js';
import { namedBits } from '../util/named-bits.js';

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
/** A key usage bit name (RFC 5280 4.2.1.3). */
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
 * The fields are read over src/util/der.ts's element view: the structure is
 * located by reading tag and length headers, plain byte contents (serial,
 * key identifiers, BIT STRINGs) are taken as located, and asn1js decodes only
 * values (OIDs, times, name attributes, extension values), once per distinct
 * encoding where encodings recur. Decoding whole certificates with asn1js cost
 * ~10x more; pkijs.Certificate ~2x more again. Input the header walk does not
 * follow is decoded whole by asn1js and read by the same code.
 * `raw` (the pkijs object) is built only if asked for.
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
  private exactHash?: number;
  private exactSpkiKey?: string;
  private exactIssuerSerialKey?: string;
  private digests?: Map<string, Promise<Uint8Array>>;

  /**
   * `root` is the certificate as an element: header-walked (`budget` bounds
   * the walk and nested encodings are walked too) or decoded by asn1js
   * (`budget` undefined: nested encodings are decoded as well). One reader
   * for both, so the two paths cannot drift apart.
   */
  private constructor(der: Uint8Array, root: DerElement, budget: ElementBudget | undefined) {
    const what = 'X.509 certificate';
    this.der = der;
    const top = seqOf(root, what);
    if (top.length !== 3) throw new InputFormatError(`${what}: expected tbsCertificate, signatureAlgorithm, signatureValue`);
    const tbs = seqOf(top[0], `${what} tbsCertificate`);
    let i = 0;
    if (isContextTag(tbs[0], 0)) {
      const v = smallIntegerOf(explicitOf(tbs[0], 0, `${what} version`), `${what} version`);
      if (v < 0 || v > 2) throw new InputFormatError(`${what}: unknown version ${v + 1}`);
      i++;
    }
    // The serial's magnitude is plain bytes: taken as located, never decoded.
    this.serialNumberHex = toHex(primitiveOf(tbs[i++], TAG.integer, `${what} serialNumber`));
    algorithmIdentifierOf(tbs[i++], `${what} tbsCertificate.signature`);
    const issuer = tbs[i++];
    this.issuer = readNameElement(issuer, `${what} issuer`);
    this.issuerDer = issuer!.encoding;
    const validity = seqOf(tbs[i++], `${what} validity`);
    if (validity.length !== 2) throw new InputFormatError(`${what}: validity must have notBefore and notAfter`);
    this.notBefore = timeOf(validity[0], `${what} notBefore`);
    this.notAfter = timeOf(validity[1], `${what} notAfter`);
    const subject = tbs[i++];
    // A self-issued certificate's subject is its issuer's encoding: read once.
    this.subject = subject && equalBytes(subject.encoding, this.issuerDer) ? this.issuer : readNameElement(subject, `${what} subject`);
    this.subjectDer = subject!.encoding;
    const spki = tbs[i++];
    if (!spki) throw new InputFormatError(`${what}: subjectPublicKeyInfo is missing`);
    this.publicKey = readPublicKeyElement(spki, spki.encoding);
    if (isContextTag(tbs[i], 1)) tbs[i++]!.content(`${what} issuerUniqueID`);
    if (isContextTag(tbs[i], 2)) tbs[i++]!.content(`${what} subjectUniqueID`);
    const exts: ExtensionInfo[] = [];
    if (isContextTag(tbs[i], 3)) {
      const seen = new Set<string>();
      for (const e of seqOf(explicitOf(tbs[i], 3, `${what} extensions`), `${what} extensions`)) exts.push(this.readExtension(e, seen, budget));
      i++;
    }
    if (i !== tbs.length) throw new InputFormatError(`${what}: unexpected element in tbsCertificate`);
    this.extensions = exts;
    this.tbs = top[0]!.encoding;
    this.signatureAlgorithm = algorithmIdentifierOf(top[1], `${what} signatureAlgorithm`);
    this.signatureValue = bitStringOf(top[2], `${what} signatureValue`);
  }

  /** Records one Extension and reads the values path validation uses; a malformed one makes the certificate unreadable. */
  private readExtension(el: DerElement, seen: Set<string>, budget: ElementBudget | undefined): ExtensionInfo {
    const what = 'X.509 certificate extension';
    const parts = seqOf(el, what);
    const extnID = oidOf(parts[0], what);
    let k = 1;
    let critical = false;
    if (isUniversal(parts[k], TAG.boolean)) critical = booleanOf(parts[k++], `${what} ${extnID} critical`);
    const value = primitiveOf(parts[k++], TAG.octetString, `${what} ${extnID} extnValue`);
    if (k !== parts.length) throw new InputFormatError(`${what} ${extnID}: unexpected element`);
    if (seen.has(extnID)) throw new InputFormatError(`X.509 certificate: extension ${extnID} occurs more than once (RFC 5280 4.2)`);
    seen.add(extnID);
    const out = this as { -readonly [K in keyof ParsedCertificate]: ParsedCertificate[K] };
    const name = `${what} ${extnID}`;
    switch (extnID) {
      case OID.subjectKeyIdentifier:
        // Key identifiers are plain bytes: taken as located.
        out.subjectKeyIdentifier = toHex(primitiveOf(elementOf(value, name, budget), TAG.octetString, name));
        break;
      case OID.authorityKeyIdentifier: {
        const aki = seqOf(elementOf(value, name, budget), name);
        // keyIdentifier is [0] IMPLICIT KeyIdentifier; authorityCertIssuer [1] and serial [2] are not used for
        // chaining here, but must decode as they did when the whole extension was decoded.
        for (const [j, part] of aki.entries()) {
          if (j === 0 && isContextTag(part, 0)) out.authorityKeyIdentifier = toHex(part.content(name));
          else checkDecodes(part, name);
        }
        break;
      }
      case OID.basicConstraints:
        out.basicConstraints = basicConstraintsMemo.get(elementOf(value, name, budget), name);
        break;
      case OID.keyUsage:
        out.keyUsage = keyUsageMemo.get(elementOf(value, name, budget), name);
        break;
      case OID.extKeyUsage:
        out.extKeyUsage = extKeyUsageMemo.get(elementOf(value, name, budget), name);
        break;
    }
    return { oid: extnID, critical, value };
  }

/** Parses a DER X.509 certificate (the bytes are copied); InputFormatError when it is not one. */
  static fromDer(input: Uint8Array): ParsedCertificate {
    // A private buffer of exactly the certificate: the views kept below must not pin a larger enclosing buffer,
    // and a parsed (cached, byte-compared) certificate must not change when the caller reuses its memory.
    const der = copyBytes(input);
    try {
      // Located by header walking, decoding only what is read; input the walk does not follow (BER indefinite
      // lengths, high tag numbers, framing errors) is decoded whole by asn1js, which also reports what is wrong.
      if (der.length <= MAX_WALKED_BYTES && fitsDecodeLimits(der, MAX_WALKED_ELEMENTS, MAX_WALKED_DEPTH)) {
        const budget = new ElementBudget(MAX_WALKED_ELEMENTS, 'x509.asn1Elements');
        const root = TlvElement.of(der, budget);
        if (root) {
          try {
            return new ParsedCertificate(der, root, budget);
          } catch (e) {
            if (!(e instanceof NotWalkable)) throw e;
          }
        }
      }
      return ParsedCertificate.fromElement(der, new Asn1Element(decodeWhole(der, 'X.509 certificate')));
    } catch (e) {
      throw new InputFormatError(`not a DER X.509 certificate: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * The certificate read from an element asn1js already decoded (`der` is its
   * exact encoding); nested encodings are decoded by asn1js too. fromDer uses
   * it for input the header walk does not follow; tests use it to check both
   * paths agree. Throws InputFormatError (unwrapped) on malformed input.
   */
  static fromElement(der: Uint8Array, root: Asn1Element): ParsedCertificate {
    return new ParsedCertificate(der, root, undefined);
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

  /**
   * A cheap map key for the DER (FNV-1a and length), computed once per
   * instance; equal keys must still be confirmed by comparing the bytes.
   */
  get derHash(): number {
    return (this.exactHash ??= fnv1a(this.der) + this.der.length * 0x100000000);
  }

/** Subject and issuer are the same name (RFC 5280 self-issued; not necessarily self-signed). */
  get isSelfIssued(): boolean {
    return this.subject.key === this.issuer.key;
  }

/** basicConstraints has cA set. */
  get isCA(): boolean {
    return this.basicConstraints?.cA === true;
  }

/** The subject's countryName (C), if any. */
  get country(): string | undefined {
    return nameAttribute(this.subject, OID.countryName);
  }

/** The subject's commonName (CN), if any. */
  get commonName(): string | undefined {
    return nameAttribute(this.subject, OID.commonName);
  }

/** The extension with this OID, if the certificate has it. */
  extension(oid: string): ExtensionInfo | undefined {
    return this.extensions.find((e) => e.oid === oid);
  }

/** Whether `t` lies within notBefore..notAfter (both included). */
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
    return (this.sha256 ??= sha256Hex(this.der));
  }
}

/** AlgorithmIdentifier read from a decoded node; parameters are their exact encoding (absent for NULL). */
export function algorithmIdOf(node: Asn1Node | undefined, what: string): AlgorithmId {
  return algorithmIdentifierOf(node && new Asn1Element(node), what);
}

/** AlgorithmIdentifiers by exact encoding: a few distinct ones serve every certificate and signature. */
const algorithmMemo = new DecodeMemo<AlgorithmId>((node, what) => {
  const parts = sequence(node, what);
  if (parts.length < 1 || parts.length > 2) throw new InputFormatError(`${what}: AlgorithmIdentifier must have 1 or 2 elements`);
  const id = oid(parts[0], what);
  const p = parts[1];
  if (!p || p instanceof asn1js.Null) return { oid: id };
  return { oid: id, params: encodingOf(p) };
}, 512);

/** AlgorithmIdentifier from its element (header-walked or decoded); parameters are their exact encoding (absent for NULL). */
export function algorithmIdentifierOf(el: DerElement | undefined, what: string): AlgorithmId {
  if (!isUniversal(el, TAG.sequence) || !el.constructed) throw new InputFormatError(`${what}: expected a SEQUENCE`);
  return algorithmMemo.get(el, what);
}

export function algorithmId(alg: pkijs.AlgorithmIdentifier): AlgorithmId {
  const p = alg.algorithmParams as asn1js.BaseBlock | undefined;
  if (!p || p instanceof asn1js.Null) return { oid: alg.algorithmId };
  return { oid: alg.algorithmId, params: new Uint8Array(p.toBER(false)) };
}

/**
 * What the header walk takes on: well inside asn1js's default limits for one
 * decode (16 MiB of content, 10,000 nodes, depth 100), which a full decode
 * applied to every certificate before. Anything larger is decoded whole, so
 * asn1js alone decides whether it is refused, as it did.
 */
const MAX_WALKED_BYTES = 4 * 2 ** 20;
const MAX_WALKED_ELEMENTS = 4096;
const MAX_WALKED_DEPTH = 50;

// Extension values that recur across certificates (a CA's basicConstraints, the usual key usages) are decoded
// by asn1js once per distinct encoding; the values are shared and immutable.
const basicConstraintsMemo = new DecodeMemo<BasicConstraintsValue>((node, name) => {
  const bc = sequence(node, name);
  let j = 0;
  const cA = optionalBoolean(bc[j], `${name} cA`) ?? false;
  if (bc[j] instanceof asn1js.Boolean) j++;
  let pathLenConstraint: number | undefined;
  if (bc[j] !== undefined) {
    pathLenConstraint = integer(bc[j++], `${name} pathLenConstraint`).valueBlock.valueDec;
    if (pathLenConstraint < 0) throw new InputFormatError(`${name}: negative pathLenConstraint`);
  }
  if (j !== bc.length) throw new InputFormatError(`${name}: unexpected element`);
  return Object.freeze({ cA, pathLenConstraint });
}, 256);

const keyUsageMemo = new DecodeMemo<ReadonlySet<KeyUsageName>>((node, name) => readKeyUsage(bitString(node, name), name), 256);

const extKeyUsageMemo = new DecodeMemo<readonly string[]>((node, name) => Object.freeze(sequence(node, name).map((p) => oid(p, name))), 256);

function readKeyUsage(bits: asn1js.BitString, what: string): Set<KeyUsageName> {
  // The content octets as encoded (asn1js splits off the unused-bits octet; a zero-length content has none).
  const content = bits.lenBlock.length === 0 ? new Uint8Array(0) : Uint8Array.of(bits.valueBlock.unusedBits, ...bits.valueBlock.valueHexView);
  const mask = namedBits(content, KEY_USAGE_BITS.length, what);
  return new Set(KEY_USAGE_BITS.filter((_, i) => (mask & (1 << i)) !== 0));
}
