import type { ParsedCertificate } from './certificate.js';
import { subjectAltNames } from './general-name.js';
import { isEmptyName } from './name.js';
import { OID } from './oids.js';
import { tlvAt, tlvChildren } from '../util/asn1-tree.js';

/** Where a certificate sits in the path being validated. */
export type CertificateRole = 'target' | 'ca' | 'anchor';

export interface ProfileIssue {
  /** `structure`: the certificate is not a well-formed RFC 5280 certificate (always enforced). `profile`: a MUST for conforming CAs (strict mode). */
  readonly level: 'structure' | 'profile';
  readonly detail: string;
}

/**
 * RFC 5280 section 4 requirements on one certificate. Structural defects
 * (duplicate extensions, mismatched signature algorithms, empty issuer,
 * undecodable extensions we rely on) are always errors; the profile MUSTs
 * addressed to conforming CAs (criticality rules, AKI/SKI presence, keyCertSign
 * only with cA) are reported as `profile` so callers enable them with `strict`.
 */
export function profileIssues(cert: ParsedCertificate, role: CertificateRole, isTrustAnchor: boolean): readonly ProfileIssue[] {
  // A certificate is immutable, so its issues are worked out once per role (a batch meets the same CAs again and again).
  const key = `${role}|${isTrustAnchor}`;
  let byRole = issuesByCertificate.get(cert);
  if (!byRole) issuesByCertificate.set(cert, (byRole = new Map()));
  let issues = byRole.get(key);
  if (!issues) byRole.set(key, (issues = Object.freeze(findIssues(cert, role, isTrustAnchor))));
  return issues;
}

const issuesByCertificate = new WeakMap<ParsedCertificate, Map<string, readonly ProfileIssue[]>>();

function findIssues(cert: ParsedCertificate, role: CertificateRole, isTrustAnchor: boolean): ProfileIssue[] {
  const out: ProfileIssue[] = [];
  const structure = (detail: string) => out.push({ level: 'structure', detail });
  const profile = (detail: string) => out.push({ level: 'profile', detail });
  const seen = new Set<string>();
  for (const e of cert.extensions) {
    if (seen.has(e.oid)) structure(`extension ${e.oid} appears more than once`);
    seen.add(e.oid);
  }
  if (!sameSignatureAlgorithms(cert.der)) structure('signatureAlgorithm differs from the signature field inside tbsCertificate');
  if (isEmptyName(cert.issuer)) structure('issuer name is empty');
  if (role !== 'target' && isEmptyName(cert.subject)) structure('CA certificate has an empty subject name');

  const ext = (oid: string) => cert.extension(oid);
  if (ext(OID.extKeyUsage) && !cert.extKeyUsage?.length) structure('extendedKeyUsage is malformed or empty');
  const san = ext(OID.subjectAltName);
  if (san && !subjectAltNames(san.value)?.length) structure('subjectAltName is malformed or empty');
  if (ext(OID.basicConstraints) && !cert.basicConstraints) structure('basicConstraints is malformed');
  if (ext(OID.keyUsage) && !cert.keyUsage) structure('keyUsage is malformed');
  if (ext(OID.nameConstraints) && role === 'target' && !cert.isCA) structure('nameConstraints in an end-entity certificate');

  const aki = ext(OID.authorityKeyIdentifier);
  if (aki?.critical) profile('authorityKeyIdentifier is marked critical');
  // RFC 5280 4.2.1.1 exempts self-signed certificates; a trust anchor is configured, not chained to, so it is exempt too.
  if (!isTrustAnchor && !cert.authorityKeyIdentifier) profile('authorityKeyIdentifier keyIdentifier is missing');
  const ski = ext(OID.subjectKeyIdentifier);
  if (ski?.critical) profile('subjectKeyIdentifier is marked critical');
  if (cert.isCA && !cert.subjectKeyIdentifier) profile('CA certificate lacks subjectKeyIdentifier');
  const bc = ext(OID.basicConstraints);
  if (role !== 'target' && bc && !bc.critical && cert.isCA) profile('basicConstraints of a CA certificate is not critical');
  const nc = ext(OID.nameConstraints);
  if (nc && !nc.critical) profile('nameConstraints is not marked critical');
  const pc = ext(OID.policyConstraints);
  if (pc && !pc.critical) profile('policyConstraints is not marked critical');
  const aia = ext(OID.authorityInfoAccess);
  if (aia?.critical) profile('authorityInfoAccess is marked critical');
  if (isEmptyName(cert.subject) && !(san?.critical)) profile('subject is empty and subjectAltName is absent or not critical');
  if (cert.keyUsage?.has('keyCertSign') && !cert.isCA) profile('keyUsage keyCertSign without basicConstraints cA');
  return out;
}

/**
 * RFC 5280 4.1.1.2: signatureAlgorithm MUST equal tbsCertificate.signature. Compared as DER, byte for byte, as
 * OpenSSL does: the outer copy is not signed, so any difference (even NULL parameters present on one side and
 * absent on the other) means the certificate was altered or mis-made (fuzz: a CA certificate whose outer RSA
 * NULL was removed passed here and failed in openssl).
 */
function sameSignatureAlgorithms(der: Uint8Array): boolean {
  const top = tlvAt(der, 0, der.length);
  const parts = top && tlvChildren(der, top, 3);
  const tbs = parts?.[0] && tlvChildren(der, parts[0], 16);
  if (!parts?.[1] || !tbs) return false;
  const inner = tbs[tbs[0]?.tag === 0xa0 ? 2 : 1]; // after the [0] version, when present, and the serial number
  if (!inner) return false;
  const a = der.subarray(inner.start, inner.end);
  const b = der.subarray(parts[1].start, parts[1].end);
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
