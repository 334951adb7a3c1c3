import * as pkijs from 'pkijs';
import type { ParsedCertificate } from './certificate.js';
import { isEmptyName } from './name.js';
import { OID } from './oids.js';

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
export function profileIssues(cert: ParsedCertificate, role: CertificateRole, isTrustAnchor: boolean): ProfileIssue[] {
  const out: ProfileIssue[] = [];
  const structure = (detail: string) => out.push({ level: 'structure', detail });
  const profile = (detail: string) => out.push({ level: 'profile', detail });
  const raw = cert.raw;

  const seen = new Set<string>();
  for (const e of cert.extensions) {
    if (seen.has(e.oid)) structure(`extension ${e.oid} appears more than once`);
    seen.add(e.oid);
  }
  const inner = raw.signature;
  if (inner.algorithmId !== raw.signatureAlgorithm.algorithmId || !sameParams(inner, raw.signatureAlgorithm)) {
    structure('signatureAlgorithm differs from the signature field inside tbsCertificate');
  }
  if (isEmptyName(cert.issuer)) structure('issuer name is empty');
  if (role !== 'target' && isEmptyName(cert.subject)) structure('CA certificate has an empty subject name');

  const ext = (oid: string) => raw.extensions?.find((e) => e.extnID === oid);
  const eku = ext(OID.extKeyUsage);
  if (eku && !((eku.parsedValue as unknown) instanceof pkijs.ExtKeyUsage && (eku.parsedValue as pkijs.ExtKeyUsage).keyPurposes.length > 0)) {
    structure('extendedKeyUsage is malformed or empty');
  }
  const san = ext(OID.subjectAltName);
  if (san && !((san.parsedValue as unknown) instanceof pkijs.AltName && (san.parsedValue as pkijs.AltName).altNames.length > 0)) {
    structure('subjectAltName is malformed or empty');
  }
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

function sameParams(a: pkijs.AlgorithmIdentifier, b: pkijs.AlgorithmIdentifier): boolean {
  const enc = (x: pkijs.AlgorithmIdentifier) => {
    const p = x.algorithmParams as { toBER?: (s: boolean) => ArrayBuffer } | undefined;
    if (!p?.toBER) return '';
    const bytes = new Uint8Array(p.toBER(false));
    // An explicit NULL and absent parameters are treated alike (both occur for RSA in the wild).
    return bytes.length === 2 && bytes[0] === 5 && bytes[1] === 0 ? '' : Array.from(bytes).join(',');
  };
  return enc(a) === enc(b);
}
