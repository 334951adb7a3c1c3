import { DEFAULT_ALGORITHM_POLICY, evaluateAlgorithm, type AlgorithmPolicy } from '../crypto/policy.js';
import type { ResolvedSignatureAlgorithm } from '../crypto/provider.js';
import type { AlgorithmRegistry } from '../crypto/registry.js';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { copyBytes, toArrayBuffer } from '../util/bytes.js';
import type { ParsedCertificate } from './certificate.js';
import { ALL_REASONS, distributionPointNames, readDistributionPointName, reasonFlags, type ParsedCrl } from './crl.js';
import type { GeneralNameValue } from './general-name.js';
import { OID } from './oids.js';
import { findPath } from './path.js';
import { CertificatePool, type TrustAnchor } from './pool.js';
import type { RevocationChecker, RevocationStatus } from './revocation-status.js';
import { readName as readNameOf } from './name.js';
import { verifySignedBy } from './signature.js';
import { isoTime } from '../util/iso-time.js';

export type { RevocationChecker, RevocationProvenance, RevocationStatus } from './revocation-status.js';

/**
 * Where to find and how to validate a CRL signer that is not the certificate's
 * issuer (RFC 5280 6.3.3 (f): separate CRL-signing keys, indirect CRLs).
 * Without it only CRLs signed by the issuer itself count.
 */
export interface CrlSignerContext {
  /** Candidate CRL signer certificates (typically the same pool path building uses). */
  readonly certificates?: Iterable<ParsedCertificate>;
  /** Anchors the CRL signer's own path must reach. */
  readonly anchors?: CertificatePool<TrustAnchor>;
  readonly algorithmPolicy?: AlgorithmPolicy;
  /** Nesting of CRL-signer validations (each may need CRLs itself); default 3. */
  readonly maxDepth?: number;
}

/** A checker over a fixed set of CRLs. */
export function crlChecker(crls: readonly ParsedCrl[], registry: AlgorithmRegistry, context: CrlSignerContext = {}): RevocationChecker {
  return (cert, issuer, time) => crlStatus(cert, issuer, crls, time, registry, context);
}

/** RFC 5280 4.2.1.13 distribution points of a certificate (names, reasons, cRLIssuer), decoded. */
interface CertDistributionPoint {
  readonly names?: readonly GeneralNameValue[];
  readonly reasons: number;
  readonly crlIssuer?: readonly GeneralNameValue[];
}

/**
 * cRLDistributionPoints of a certificate, decoded here rather than by pkijs,
 * which drops distribution points named relative to the CRL issuer.
 * Undefined when the extension is absent or unreadable.
 */
function distributionPointsOf(cert: ParsedCertificate): CertDistributionPoint[] | undefined | 'unreadable' {
  const ext = cert.extension(OID.cRLDistributionPoints);
  if (!ext) return undefined;
  try {
    return readDistributionPoints(cert, ext.value) ?? 'unreadable';
  } catch {
    return 'unreadable';
  }
}

function readDistributionPoints(cert: ParsedCertificate, value: Uint8Array): CertDistributionPoint[] | undefined {
  const ext = { value };
  const asn = asn1js.fromBER(toArrayBuffer(ext.value));
  if (asn.offset === -1 || !(asn.result instanceof asn1js.Sequence)) return undefined;
  const out: CertDistributionPoint[] = [];
  for (const dp of asn.result.valueBlock.value) {
    if (!(dp instanceof asn1js.Sequence)) return undefined;
    let dpName: pkijs.DistributionPointName | undefined;
    let reasons = ALL_REASONS;
    let crlIssuer: pkijs.GeneralName[] | undefined;
    for (const el of dp.valueBlock.value) {
      if (el.idBlock.tagClass !== 3) return undefined;
      const inner = (el as asn1js.Constructed).valueBlock.value as asn1js.AsnType[] | undefined;
      if (el.idBlock.tagNumber === 0) {
        dpName = readDistributionPointName(el);
      } else if (el.idBlock.tagNumber === 1) {
        // A malformed ReasonFlags throws: the whole extension is then unreadable (status unknown), never read loosely.
        if (el.idBlock.isConstructed) return undefined;
        reasons = reasonFlags(new Uint8Array((el as asn1js.Primitive).valueBlock.valueHexView), 'cRLDistributionPoints reasons');
      } else if (el.idBlock.tagNumber === 2 && inner) {
        crlIssuer = inner.map((g) => new pkijs.GeneralName({ schema: g }));
      }
    }
    const issuerDn = crlIssuer?.find((g) => g.type === 4)?.value as pkijs.RelativeDistinguishedNames | undefined;
    out.push({
      // The issuer name is decoded only for a name relative to it.
      names: distributionPointNames(dpName, (dpName && !Array.isArray(dpName) ? (issuerDn ?? issuerRdns(cert)) : undefined) as pkijs.RelativeDistinguishedNames),
      reasons,
      crlIssuer: crlIssuer?.length ? readGenerals(crlIssuer) : undefined,
    });
  }
  return out;
}

/** The certificate's issuer as pkijs RDNs (only for distribution points named relative to it). */
function issuerRdns(cert: ParsedCertificate): pkijs.RelativeDistinguishedNames {
  return pkijs.RelativeDistinguishedNames.fromBER(copyBytes(cert.issuerDer));
}

function readGenerals(list: pkijs.GeneralName[]): GeneralNameValue[] {
  return list.flatMap((g) => (g.type === 4 && g.value instanceof pkijs.RelativeDistinguishedNames ? [{ kind: 'directory' as const, value: readNameOf(g.value) }] : []));
}

/** Exact equality of two general names (distribution point matching, RFC 5280 6.3.3 (b)(2)). */
function sameName(a: GeneralNameValue, b: GeneralNameValue): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'directory':
      return a.value.key === (b as typeof a).value.key;
    case 'ip':
      return a.value.length === (b as typeof a).value.length && a.value.every((x, i) => x === (b as typeof a).value[i]);
    case 'dns':
      return a.value.toLowerCase() === (b as typeof a).value.toLowerCase();
    case 'other':
      return false;
    default:
      return a.value === (b as typeof a).value;
  }
}
const anyCommon = (a: readonly GeneralNameValue[], b: readonly GeneralNameValue[]) => a.some((x) => b.some((y) => sameName(x, y)));

/**
 * Whether `crl` covers `cert` (RFC 5280 6.3.3 (b)), and for which reasons.
 * Returns the ReasonFlags mask covered, or a string saying why it is out of scope.
 */
function scopeOf(crl: ParsedCrl, cert: ParsedCertificate, dps: CertDistributionPoint[] | undefined): number | string {
  const idp = crl.issuingDistributionPoint;
  const crlIssuerName: GeneralNameValue = { kind: 'directory', value: crl.issuer };
  const direct = crl.issuer.key === cert.issuer.key;
  // Distribution points that name this CRL's issuer (directly, or as cRLIssuer for an indirect CRL).
  const dpCandidates: CertDistributionPoint[] = (dps ?? [{ reasons: ALL_REASONS }]).filter((dp) =>
    dp.crlIssuer ? idp?.indirectCRL === true && anyCommon(dp.crlIssuer, [crlIssuerName]) : direct,
  );
  if (dpCandidates.length === 0) return direct ? 'the certificate names another CRL issuer' : `CRL issuer ${crl.issuer.text} is not the certificate's issuer nor named as its cRLIssuer`;
  if (idp?.onlyContainsUserCerts && cert.isCA) return 'CRL only covers end-entity certificates';
  if (idp?.onlyContainsCACerts && !cert.isCA) return 'CRL only covers CA certificates';
  if (idp?.onlyContainsAttributeCerts) return 'CRL only covers attribute certificates';
  let reasons = 0;
  for (const dp of dpCandidates) {
    if (idp?.names) {
      const dpNames = dp.names ?? dp.crlIssuer;
      if (!dpNames || !anyCommon(idp.names, dpNames)) continue;
    }
    reasons |= dp.reasons;
  }
  if (reasons === 0) return 'distribution point names do not match the CRL issuingDistributionPoint';
  return reasons & (idp?.onlySomeReasons ?? ALL_REASONS);
}

/**
 * Status of `cert` (issued by `issuer`) at `time` from caller-supplied CRLs,
 * following RFC 5280 6.3: a CRL counts when it is in the certificate's scope
 * (issuer or indirect cRLIssuer, issuingDistributionPoint names, user/CA-only,
 * reasons), its signer is the issuer or a certificate from `context` that
 * validates to the same anchors with keyUsage cRLSign, its signature verifies,
 * it was issued at or before `time`, it carries cRLNumber and no critical
 * extension (CRL or entry) we do not process. Delta CRLs are applied over the
 * newest complete CRL of the same scope whose number they are based on. The
 * status is `good` only when the usable CRLs cover every reason code.
 */
export async function crlStatus(
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
  crls: readonly ParsedCrl[],
  time: Date,
  registry: AlgorithmRegistry,
  context: CrlSignerContext = {},
): Promise<RevocationStatus> {
  const reasons: string[] = [];
  const dps = distributionPointsOf(cert);
  // A CRL's scope cannot be decided against distribution points we cannot read: no CRL may answer.
  if (dps === 'unreadable') return { status: 'unknown', reason: 'the certificate\'s cRLDistributionPoints extension is malformed' };
  const usable: { crl: ParsedCrl; covers: number }[] = [];
  const deltas: ParsedCrl[] = [];
  for (const crl of crls) {
    const scope = scopeOf(crl, cert, dps);
    if (typeof scope === 'string') {
      if (crl.issuer.key === cert.issuer.key) reasons.push(`CRL from ${crl.issuer.text}: ${scope}`);
      continue;
    }
    const problem = await unusable(crl, issuer, crls, time, registry, context);
    if (problem) {
      reasons.push(`CRL from ${crl.issuer.text} thisUpdate ${isoTime(crl.thisUpdate)}: ${problem}`);
      continue;
    }
    if (crl.isDelta) deltas.push(crl);
    else usable.push({ crl, covers: scope });
  }
  if (usable.length === 0) return { status: 'unknown', reason: reasons.length ? reasons.join('; ') : 'no CRL from this issuer was supplied' };

  // Newest complete CRL per scope (issuer + issuingDistributionPoint).
  const newest = new Map<string, { crl: ParsedCrl; covers: number }>();
  for (const u of usable) {
    const k = `${u.crl.issuer.key}|${u.crl.issuingDistributionPoint?.der ?? ''}`;
    const cur = newest.get(k);
    if (!cur || u.crl.thisUpdate > cur.crl.thisUpdate) newest.set(k, u);
  }
  let covered = 0;
  let fresh = true;
  let latest: ParsedCrl | undefined;
  const issuerKey = cert.issuer.key;
  for (const { crl, covers } of newest.values()) {
    if (!latest || crl.thisUpdate > latest.thisUpdate) latest = crl;
    const source = `CRL ${crl.issuer.text} thisUpdate ${isoTime(crl.thisUpdate)}`;
    // Without delta CRLs (the usual case) the search is not even entered, so it is compiled only where deltas occur.
    const delta = deltas.length ? deltaOver(crl, deltas) : undefined;
    if (delta) {
      const de = delta.entryFor(cert.serialNumberHex, issuerKey);
      if (de && de.reason !== 'removeFromCRL' && de.revocationDate.getTime() <= time.getTime()) {
        return { status: 'revoked', source: `delta ${source}`, revocationTime: de.revocationDate, reason: de.reason };
      }
      if (delta.nextUpdate && delta.nextUpdate.getTime() < time.getTime()) fresh = false;
      if (de?.reason === 'removeFromCRL') {
        covered |= covers;
        if (crl.nextUpdate && crl.nextUpdate.getTime() < time.getTime()) fresh = false;
        continue;
      }
    }
    const entry = crl.entryFor(cert.serialNumberHex, issuerKey);
    if (entry && entry.reason !== 'removeFromCRL' && entry.revocationDate.getTime() <= time.getTime()) {
      return { status: 'revoked', source, revocationTime: entry.revocationDate, reason: entry.reason };
    }
    covered |= covers;
    if (crl.nextUpdate && crl.nextUpdate.getTime() < time.getTime()) fresh = false;
  }
  if ((covered & ALL_REASONS) !== ALL_REASONS || !latest) {
    return { status: 'unknown', reason: ['the usable CRLs do not cover every revocation reason', ...reasons].join('; ') };
  }
  return {
    status: 'good',
    source: `CRL ${latest.issuer.text} thisUpdate ${isoTime(latest.thisUpdate)}`,
    thisUpdate: latest.thisUpdate,
    nextUpdate: latest.nextUpdate,
    fresh,
  };
}

/** The newest delta CRL of `crl`'s scope that is based on it (its base CRL number at most `crl`'s, its own number above). */
function deltaOver(crl: ParsedCrl, deltas: readonly ParsedCrl[]): ParsedCrl | undefined {
  return deltas
    .filter((d) => d.issuer.key === crl.issuer.key && (d.issuingDistributionPoint?.der ?? '') === (crl.issuingDistributionPoint?.der ?? ''))
    .filter((d) => d.baseCrlNumber !== undefined && crl.crlNumber !== undefined && d.baseCrlNumber <= crl.crlNumber && (d.crlNumber ?? 0n) > crl.crlNumber)
    .sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0];
}

/** A CRL signed with an algorithm the policy does not accept at the time in question says nothing (EN 319 102-1 5.2.8). */
function weakAlgorithm(alg: ResolvedSignatureAlgorithm, time: Date, context: CrlSignerContext): string | undefined {
  const v = evaluateAlgorithm(context.algorithmPolicy ?? DEFAULT_ALGORITHM_POLICY, alg, time);
  return v.acceptable ? undefined : `CRL signature ${alg.name}: ${v.reason}`;
}

const SIGNER_DEPTH = new WeakMap<CrlSignerContext, number>();
const SIGNERS_IN_PROGRESS = new WeakMap<CrlSignerContext, Set<ParsedCertificate>>();

/** Why `crl` cannot be relied on for `cert`, or undefined when it can. */
async function unusable(
  crl: ParsedCrl,
  issuer: ParsedCertificate,
  allCrls: readonly ParsedCrl[],
  time: Date,
  registry: AlgorithmRegistry,
  context: CrlSignerContext,
): Promise<string | undefined> {
  if (crl.problems.length) return crl.problems.join('; ');
  if (crl.unsupportedCriticalExtensions.length) return `unsupported critical extension(s) ${crl.unsupportedCriticalExtensions.join(', ')}`;
  if (crl.hasUnknownCriticalEntryExtension) return 'an entry has an unsupported critical extension';
  if (crl.crlNumber === undefined) return 'no cRLNumber (RFC 5280 5.2.3 requires it)';
  if (crl.thisUpdate.getTime() > time.getTime()) return 'issued after the time in question';
  return crlSignerProblem(crl, issuer, allCrls, time, registry, context);
}

async function crlSignerProblem(
  crl: ParsedCrl,
  issuer: ParsedCertificate,
  allCrls: readonly ParsedCrl[],
  time: Date,
  registry: AlgorithmRegistry,
  context: CrlSignerContext,
): Promise<string | undefined> {
  const problems: string[] = [];
  // The certificate's issuer signs its own CRLs in the usual case.
  if (crl.issuer.key === issuer.subject.key && (!crl.authorityKeyIdentifier || !issuer.subjectKeyIdentifier || crl.authorityKeyIdentifier === issuer.subjectKeyIdentifier)) {
    if (issuer.keyUsage && !issuer.keyUsage.has('cRLSign')) problems.push(`issuer ${issuer.subject.text} lacks keyUsage cRLSign`);
    else {
      const sig = await verifySignedBy(registry, crl, issuer);
      if (sig.ok) {
        const weak = weakAlgorithm(sig.algorithm, time, context);
        if (!weak) return undefined;
        problems.push(weak);
      } else problems.push(`signature by the issuer does not verify (${sig.reason})`);
    }
  }
  // Otherwise a separate CRL signer, which must itself validate to the anchors.
  if (!context.certificates || !context.anchors) return problems.join('; ') || 'not signed by the certificate issuer';
  const depth = SIGNER_DEPTH.get(context) ?? 0;
  if (depth >= (context.maxDepth ?? 3)) return 'CRL signer validation nested too deep';
  const certs = [...context.certificates];
  // Only certificates named like the CRL issuer can have signed it: the anchors are looked up by that name, not scanned.
  const anchorCerts = context.anchors.withSubject(crl.issuer.key).map((a) => a.certificate);
  for (const signer of [...certs, ...anchorCerts]) {
    if (signer === issuer || signer.subject.key !== crl.issuer.key) continue;
    if (crl.authorityKeyIdentifier && signer.subjectKeyIdentifier && crl.authorityKeyIdentifier !== signer.subjectKeyIdentifier) continue;
    if (signer.keyUsage && !signer.keyUsage.has('cRLSign')) {
      problems.push(`candidate signer ${signer.subject.text} lacks cRLSign`);
      continue;
    }
    const sig = await verifySignedBy(registry, crl, signer);
    if (!sig.ok) continue;
    const weak = weakAlgorithm(sig.algorithm, time, context);
    if (weak) {
      problems.push(weak);
      continue;
    }
    if (context.anchors.has(signer)) return undefined;
    // The signer's own path is being validated further up: a CRL it signed may speak for itself (indirect CRLs covering their issuer).
    const inProgress = SIGNERS_IN_PROGRESS.get(context) ?? new Set<ParsedCertificate>();
    if (inProgress.has(signer)) return undefined;
    // Validate the signer's own path, revocation included, one level deeper.
    SIGNER_DEPTH.set(context, depth + 1);
    inProgress.add(signer);
    SIGNERS_IN_PROGRESS.set(context, inProgress);
    try {
      const outcome = await findPath(signer, new CertificatePool(certs.map((certificate) => ({ certificate }))), context.anchors, {
        time,
        registry,
        algorithmPolicy: context.algorithmPolicy ?? DEFAULT_ALGORITHM_POLICY,
        revocation: (c, i, t) => crlStatus(c, i, allCrls, t, registry, context),
      });
      const best = outcome.best;
      if (!best?.valid) {
        problems.push(`CRL signer ${signer.subject.text} does not validate`);
        continue;
      }
      const unknown = best.revocation.find((r) => r?.status === 'unknown' || (r?.status === 'good' && !r.fresh));
      if (unknown) problems.push(`CRL signer ${signer.subject.text}: revocation ${unknown.status === 'unknown' ? `unknown (${unknown.reason})` : 'data stale'}`);
      else return undefined;
    } finally {
      SIGNER_DEPTH.set(context, depth);
      inProgress.delete(signer);
    }
  }
  return problems.join('; ') || `no certificate of CRL issuer ${crl.issuer.text} verifies its signature`;
}
