/**
 * A tiny certificate factory for the pki-*.test.ts files: ECDSA P-256 keys
 * generated in memory (fast, never written anywhere), certificates made with
 * @peculiar/x509, extensions that library lacks encoded with pkijs.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { DEFAULT_ALGORITHM_POLICY } from '../src/crypto/policy.js';
import { getDefaultRegistry } from '../src/crypto/registry.js';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { findPath, type PathOutcome } from '../src/pki/path.js';
import type { PathBuildLimits } from '../src/pki/path-builder.js';
import { DEFAULT_PATH_LIMITS } from '../src/pki/path-builder.js';
import type { PathValidationOptions } from '../src/pki/path-validator.js';
import { CertificatePool, type TrustAnchor } from '../src/pki/pool.js';

x509.cryptoProvider.set(globalThis.crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface TestCert {
  readonly name: string;
  readonly keys: CryptoKeyPair;
  readonly x: x509.X509Certificate;
  readonly cert: ParsedCertificate;
}

export interface IssueOptions {
  /** Subject DN (RFC 4514 string, as @peculiar/x509 takes it). */
  readonly subject: string;
  /** Issuer; self-signed when absent. */
  readonly issuer?: TestCert;
  readonly ca?: boolean;
  readonly pathLen?: number;
  /** Reuse a key (self-issued certificates, re-issued CAs, cross certificates). */
  readonly keys?: CryptoKeyPair;
  readonly san?: readonly { type: 'dns' | 'ip' | 'email' | 'url'; value: string }[];
  readonly extensions?: readonly x509.Extension[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly keyUsage?: x509.KeyUsageFlags;
  /** Leave out subject/authority key identifiers (legacy CAs; hostile pools). */
  readonly noKeyIds?: boolean;
  /** Put this key's identifier in the AKI instead of the signer's (forgeries). */
  readonly akiKey?: CryptoKey;
}

let serial = 1;

export async function issue(o: IssueOptions): Promise<TestCert> {
  const keys = o.keys ?? ((await globalThis.crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair);
  const signer = o.issuer?.keys ?? keys;
  const ca = o.ca ?? false;
  const exts: x509.Extension[] = [
    new x509.BasicConstraintsExtension(ca, o.pathLen, true),
    new x509.KeyUsagesExtension(o.keyUsage ?? (ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature), true),
  ];
  if (!o.noKeyIds) {
    exts.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
    exts.push(await x509.AuthorityKeyIdentifierExtension.create(o.akiKey ?? signer.publicKey));
  }
  if (o.san) exts.push(new x509.SubjectAlternativeNameExtension(o.san.map((s) => ({ type: s.type, value: s.value }))));
  exts.push(...(o.extensions ?? []));
  const x = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(4, '0'),
    subject: o.subject,
    issuer: o.issuer ? o.issuer.x.subject : o.subject,
    notBefore: o.notBefore ?? new Date('2020-01-01T00:00:00Z'),
    notAfter: o.notAfter ?? new Date('2040-01-01T00:00:00Z'),
    publicKey: keys.publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm: ALG,
    extensions: exts,
  });
  return { name: o.subject, keys, x, cert: ParsedCertificate.fromDer(new Uint8Array(x.rawData)) };
}

/** An extension whose value is a pkijs object (name constraints, policy extensions). */
export function pkijsExtension(oid: string, critical: boolean, value: { toSchema(): { toBER(sizeOnly?: boolean): ArrayBuffer } }): x509.Extension {
  return new x509.Extension(oid, critical, value.toSchema().toBER(false));
}

export const dns = (value: string) => new pkijs.GeneralSubtree({ base: new pkijs.GeneralName({ type: 2, value }) });
export const email = (value: string) => new pkijs.GeneralSubtree({ base: new pkijs.GeneralName({ type: 1, value }) });
export const ip = (bytes: number[]) =>
  new pkijs.GeneralSubtree({ base: new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: new Uint8Array(bytes).buffer }) }) });

export function nameConstraints(permitted: pkijs.GeneralSubtree[], excluded: pkijs.GeneralSubtree[] = [], critical = true): x509.Extension {
  const nc = new pkijs.NameConstraints({
    ...(permitted.length ? { permittedSubtrees: permitted } : {}),
    ...(excluded.length ? { excludedSubtrees: excluded } : {}),
  });
  return pkijsExtension('2.5.29.30', critical, nc);
}

export function policies(...oids: string[]): x509.Extension {
  return new x509.CertificatePolicyExtension(oids, false);
}

export const AT = new Date('2026-01-01T00:00:00Z');

/** findPath with no revocation data (status unknown, which is not a failure) at AT. */
export async function validate(
  target: TestCert,
  intermediates: readonly TestCert[],
  anchors: readonly TestCert[],
  options: Partial<PathValidationOptions> = {},
  limits: PathBuildLimits = DEFAULT_PATH_LIMITS,
): Promise<PathOutcome> {
  return findPath(
    target.cert,
    new CertificatePool(intermediates.map((c) => ({ certificate: c.cert }))),
    new CertificatePool<TrustAnchor>(anchors.map((c) => ({ certificate: c.cert }))),
    {
      time: AT,
      registry: getDefaultRegistry(),
      algorithmPolicy: DEFAULT_ALGORITHM_POLICY,
      revocation: async () => ({ status: 'unknown', reason: 'no revocation data in this test' }),
      ...options,
    },
    limits,
  );
}

/** The failure kinds of the best path, for compact assertions. */
export function kinds(o: PathOutcome): string[] {
  return (o.best?.failures ?? []).map((f) => f.kind);
}
