import { InvalidOptionError } from '../errors.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { CertificatePool, type TrustAnchor } from '../pki/pool.js';
import type { AgreementSummary, SignatureReport, TrustListSummary, TrustReport } from '../report/model.js';
import { certificateCache } from '../pki/cache.js';
import { fromBase64 } from '../util/bytes.js';
import type { ValidationContext } from '../validation/options.js';
import { loadAgreements, type LoadedAgreement } from './agreement-load.js';
import type { Agreement } from './agreements.js';
import type { RejectedAgreement } from './recognize.js';
import { TrustIndex } from './anchors.js';
import { listExpiredAt, loadTrustLists, type TrustSet } from './load.js';
import type { AgreementInput, AgreementSignerInput, TrustOptions } from './inputs.js';
import { withTimestampServices } from './timestamp-services.js';
import { recognize } from './recognize.js';

// The caller's trust inputs are declared in trust/inputs.ts (validation options name them without importing this module).
export type { AgreementInput, TrustOptions } from './inputs.js';

/**
 * The caller's trust inputs, loaded and checked once (lists verified, agreements parsed) and not yet applied
 * to any validation: `applyTrust` derives a validation's anchors, time-stamp trust, warnings and trust report
 * from it under that validation's policy and time, so facts collected once can be judged under other trust.
 */
export interface PreparedTrust {
  readonly set: TrustSet;
  /** Agreements used for recognition (a signed one only when every party's signature verified). */
  readonly agreements: readonly Agreement[];
  /** Agreements given but not used (a party's signature missing), so recognition can say why. */
  readonly rejectedAgreements: readonly RejectedAgreement[];
  /** Every agreement as loaded, with its authentication, for the trust report. */
  readonly loadedAgreements: readonly LoadedAgreement[];
  /**
   * The caller's agreement inputs and pinned signers, kept so an evaluation under other lists checks the
   * signatures again against the signers those lists announce.
   */
  readonly agreementInputs: readonly (Agreement | AgreementInput)[];
  readonly agreementSigners: readonly AgreementSignerInput[];
  readonly relyingParty: string | undefined;
  readonly purpose: string | undefined;
  /** Whether lists or agreements were given (not only a relying party). */
  readonly given: boolean;
}

/** A validation context with trust applied, and what the report says about that trust. */
export interface AppliedTrust {
  readonly ctx: ValidationContext;
  readonly report: TrustReport;
}

function isTrustSet(x: TrustOptions['trustLists']): x is TrustSet {
  return !!x && !Array.isArray(x) && 'index' in (x as object);
}

/** Checks a relying party and purpose as given by a caller. */
export function checkRecognitionInputs(relyingParty: string | undefined, purpose: string | undefined): void {
  if (relyingParty !== undefined && !/^[A-Z]{2}$/.test(relyingParty)) {
    throw new InvalidOptionError(`relyingParty must be an ISO 3166 alpha-2 country code in upper case (got "${relyingParty}")`);
  }
  if (purpose !== undefined && (typeof purpose !== 'string' || purpose.length === 0)) throw new InvalidOptionError('purpose must be a non-empty string');
}

/**
 * Loads the caller's trusted lists (verifying their signatures, at `ctx.time`) and agreements.
 * Undefined when the caller gave no lists, agreements or relying party.
 */
export async function prepareTrust(options: TrustOptions, ctx: Pick<ValidationContext, 'time' | 'registry' | 'xmlLimits'>): Promise<PreparedTrust | undefined> {
  const { relyingParty, purpose } = options;
  const hasLists = isTrustSet(options.trustLists) || (options.trustLists?.length ?? 0) > 0;
  const hasAgreements = (options.agreements?.length ?? 0) > 0;
  if (!hasLists && !hasAgreements && relyingParty === undefined) return undefined;
  checkRecognitionInputs(relyingParty, purpose);

  const set = await loadTrustSet(options.trustLists, ctx);
  return { ...(await agreementsUnder(set, options.agreements ?? [], options.agreementSigners ?? [], ctx)), set, relyingParty, purpose, given: hasLists || hasAgreements };
}

/**
 * The caller's agreements loaded under a trust set: signed ones are checked against the pinned signers and
 * those the set's usable lists of lists announce (trust/agreement-load.ts).
 */
export async function agreementsUnder(
  set: TrustSet,
  agreementInputs: readonly (Agreement | AgreementInput)[],
  agreementSigners: readonly AgreementSignerInput[],
  ctx: Pick<ValidationContext, 'registry'>,
): Promise<Pick<PreparedTrust, 'agreements' | 'rejectedAgreements' | 'loadedAgreements' | 'agreementInputs' | 'agreementSigners'>> {
  const loadedAgreements = await loadAgreements(agreementInputs, { signers: agreementSigners, set, registry: ctx.registry });
  return {
    agreements: loadedAgreements.filter((l) => l.used).map((l) => l.agreement),
    rejectedAgreements: loadedAgreements.filter((l) => !l.used).map((l) => ({ agreement: l.agreement, reason: l.reason ?? 'not used' })),
    loadedAgreements,
    agreementInputs,
    agreementSigners,
  };
}

/** The caller's lists loaded and verified at `ctx.time` (a TrustSet is used as is; none gives an empty set). */
export async function loadTrustSet(lists: TrustOptions['trustLists'], ctx: Pick<ValidationContext, 'time' | 'registry' | 'xmlLimits'>): Promise<TrustSet> {
  if (isTrustSet(lists)) return lists;
  if (lists?.length) return loadTrustLists(lists, { time: ctx.time, registry: ctx.registry, xmlLimits: ctx.xmlLimits });
  return { lists: [], index: await TrustIndex.build([]), time: ctx.time };
}

/**
 * The validation context `ctx` (the caller's own anchors, its policy and time) with the prepared trust applied:
 * the CA certificates of usable lists join the anchors, their time-stamping services join the time-stamp trust,
 * and every TEST, unusable, unsigned or expired list is named in the run's warnings. `ctx` is not changed.
 */
export function applyTrust(ctx: ValidationContext, trust: PreparedTrust): AppliedTrust {
  const { set, loadedAgreements, relyingParty, purpose } = trust;
  const warnings = [...ctx.warnings];
  // No anchors of the caller's own: use the list's pool, built once per TrustSet, instead of re-indexing every anchor per call.
  // Otherwise a new pool: the caller's may be shared between calls (a trustAnchorPool, a cached array's pool).
  // Signer paths end only at CA certificates of services of a type the policy accepts for signers (a CA listed
  // only as a time-stamping service anchors no signer): policy.trustServices.signerServiceTypes.
  const listed = set.index.anchorPoolFor(ctx.policy.trustServices.signerServiceTypes);
  const anchors = ctx.anchors.size === 0 ? listed : new CertificatePool<TrustAnchor>([...ctx.anchors.values(), ...listed.values()]);
  if (anchors.size === 0) warnings.push('no trust anchors: no usable trusted list gave a CA certificate of an accepted service type and none was supplied directly');
  // Time-stamps: the lists' time-stamping services (policy.trustServices.timestampServiceTypes) join the caller's timestampAnchors.
  const timestampTrust = withTimestampServices(ctx.timestampTrust, set, ctx.time, ctx.policy.trustServices.timestampServiceTypes);

  // A TrustSet may have been loaded for another time: freshness is judged at this validation's time.
  const expiredNow = (l: TrustSet['lists'][number]) => listExpiredAt(l, ctx.time);

  for (const l of set.lists) {
    const label = `${l.list.id} seq ${l.list.scheme.sequenceNumber} (${l.name})`;
    if (l.list.test) warnings.push(`TEST LIST in use: ${label} is a test trusted list, NOT FOR PRODUCTION decisions`);
    if (!l.usable) warnings.push(`trusted list ${label} NOT USED: ${l.signature.detail}`);
    else if (l.format === 'json') {
      warnings.push(
        l.integrity === 'pinned-digest'
          ? `trusted list ${label} is a JSON list without signature; its integrity rests on the SHA-256 ${l.sha256} the caller pinned`
          : `trusted list ${label} is a JSON list without signature, trusted as supplied by the caller (nothing authenticates it)`,
      );
    }
    if (expiredNow(l)) warnings.push(`trusted list ${label} is EXPIRED: NextUpdate ${l.list.scheme.nextUpdate} has passed at the validation time ${ctx.time.toISOString()}`);
  }
  for (const l of loadedAgreements) {
    const a = l.agreement;
    if (!l.used) warnings.push(`agreement ${a.id} NOT USED: ${l.reason}`);
    else if (l.authentication === 'unsigned') warnings.push(`agreement ${a.id} is not signed: trusted as supplied by the caller (unauthenticated)`);
    if (l.used && a.test) warnings.push(`TEST AGREEMENT in use: ${a.id}, NOT FOR PRODUCTION decisions`);
  }
  for (const p of set.index.problems) warnings.push(p);
  if (relyingParty === undefined && trust.given) warnings.push('no relying party given: recognition was not evaluated');

  const lists: TrustListSummary[] = set.lists.map((l) => ({
    id: l.list.id,
    name: l.name,
    territory: l.list.scheme.territory,
    type: l.list.scheme.type,
    version: l.list.scheme.version,
    sequenceNumber: l.list.scheme.sequenceNumber,
    issueDate: l.list.scheme.issueDate,
    nextUpdate: l.list.scheme.nextUpdate,
    format: l.format,
    sha256: l.sha256,
    integrity: l.integrity,
    signature: { ...l.signature },
    via: l.via ? `${l.via.id} seq ${l.via.sequenceNumber}` : null,
    expired: expiredNow(l),
    usable: l.usable,
    test: l.list.test,
    // The load-time expiry note is replaced by the one at this validation time.
    problems: [
      ...l.problems.filter((p) => !p.startsWith('expired: ')),
      ...(expiredNow(l) ? [`expired: NextUpdate ${l.list.scheme.nextUpdate} is before ${ctx.time.toISOString()}`] : []),
    ],
  }));
  const agreementSummaries: AgreementSummary[] = loadedAgreements.map(({ agreement: a, used, authentication, signatures, reason }) => ({
    id: a.id,
    title: a.title,
    parties: a.parties,
    direction: a.direction,
    issuerParty: a.issuerParty,
    relyingParty: a.relyingParty,
    effectiveFrom: a.effectiveFrom,
    effectiveUntil: a.effectiveUntil,
    test: a.test,
    sha256: a.sha256 ?? null,
    used,
    authentication,
    signatures: signatures ? signatures.map((x) => ({ ...x })) : null,
    reason,
  }));
  return {
    ctx: { ...ctx, anchors, timestampTrust, warnings },
    report: { relyingParty: relyingParty ?? null, purpose: purpose ?? null, lists, agreements: agreementSummaries, anchorsFromLists: set.index.anchors.length },
  };
}

/**
 * Adds the recognition outcome to each signature report. The signature stage hands over each signature's
 * validated chain (its certificates, not their summaries) with the report: nothing is looked up again.
 */
export async function addRecognition(
  signatures: readonly { readonly report: SignatureReport; readonly chain: readonly ParsedCertificate[] }[],
  trust: PreparedTrust,
  validationTime: Date,
): Promise<SignatureReport[]> {
  if (trust.relyingParty === undefined) return signatures.map((s) => s.report);
  const out: SignatureReport[] = [];
  for (const { report, chain } of signatures) {
    const recognition = await recognize(report, chain, {
      validationTime,
      relyingParty: trust.relyingParty,
      trust: trust.set,
      agreements: trust.agreements,
      rejectedAgreements: trust.rejectedAgreements,
      ...(trust.purpose !== undefined ? { purpose: trust.purpose } : {}),
    });
    out.push({ ...report, recognition });
  }
  return out;
}

const CERT_ELEMENTS: readonly [string, string][] = [
  ['http://www.w3.org/2000/09/xmldsig#', 'X509Certificate'],
  ['http://uri.etsi.org/01903/v1.3.2#', 'EncapsulatedX509Certificate'],
];

/** Every certificate an XML signature document carries (KeyInfo, CertificateValues), for chain resolution only. */
export function xmlCertificates(doc: Document): ParsedCertificate[] {
  const out: ParsedCertificate[] = [];
  for (const [ns, local] of CERT_ELEMENTS) {
    const els = doc.getElementsByTagNameNS(ns, local);
    for (let i = 0; i < els.length; i++) {
      try {
        out.push(certificateCache.get(fromBase64((els[i]!.textContent ?? '').replace(/\s+/g, ''))));
      } catch {
        // unreadable certificates are reported by the signature validation itself
      }
    }
  }
  return out;
}
