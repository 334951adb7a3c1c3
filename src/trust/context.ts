import { InvalidOptionError } from '../errors.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { CertificatePool, type TrustAnchor } from '../pki/pool.js';
import type { AgreementSummary, SignatureReport, TrustListSummary, TrustReport } from '../report/model.js';
import { certificateCache } from '../pki/cache.js';
import { fromBase64, toBytes, toHex } from '../util/bytes.js';
import type { ValidationContext } from '../validation/options.js';
import { loadAgreements } from './agreement-load.js';
import type { Agreement } from './agreements.js';
import type { RejectedAgreement } from './recognize.js';
import { TrustIndex } from './anchors.js';
import { listExpiredAt, loadTrustLists, type TrustListInput, type TrustSet } from './load.js';
import type { AgreementInput, TrustOptions } from './inputs.js';
import { withTimestampServices } from './timestamp-services.js';
import type { TimestampTrust } from './timestamp-trust.js';
import { recognize } from './recognize.js';

// The caller's trust inputs are declared in trust/inputs.ts (validation options name them without importing this module).
export type { AgreementInput, TrustOptions } from './inputs.js';

export interface PreparedTrust {
  readonly set: TrustSet;
  /** The validation time: list freshness is judged at it. */
  readonly validationTime: Date;
  readonly agreements: readonly Agreement[];
  /** Agreements given but not used (a party's signature missing), so recognition can say why. */
  readonly rejectedAgreements: readonly RejectedAgreement[];
  readonly relyingParty: string | undefined;
  readonly purpose: string | undefined;
  readonly report: TrustReport;
}

function isTrustSet(x: TrustOptions['trustLists']): x is TrustSet {
  return !!x && !Array.isArray(x) && 'index' in (x as object);
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as BufferSource)));
}

/**
 * Loads the caller's trusted lists and agreements once per `verify` call,
 * adds the CA certificates of usable lists to the context's anchors, and
 * records what was used (and every TEST list) in the run's warnings.
 */
export async function prepareTrust(options: TrustOptions, ctx: ValidationContext): Promise<PreparedTrust | undefined> {
  const { relyingParty, purpose } = options;
  const hasLists = isTrustSet(options.trustLists) || (options.trustLists?.length ?? 0) > 0;
  const hasAgreements = (options.agreements?.length ?? 0) > 0;
  if (!hasLists && !hasAgreements && relyingParty === undefined) return undefined;
  if (relyingParty !== undefined && !/^[A-Z]{2}$/.test(relyingParty)) {
    throw new InvalidOptionError(`relyingParty must be an ISO 3166 alpha-2 country code in upper case (got "${relyingParty}")`);
  }
  if (purpose !== undefined && (typeof purpose !== 'string' || purpose.length === 0)) throw new InvalidOptionError('purpose must be a non-empty string');

  const set: TrustSet = isTrustSet(options.trustLists)
    ? options.trustLists
    : hasLists
      ? await loadTrustLists(options.trustLists as readonly TrustListInput[], { time: ctx.time, registry: ctx.registry, xmlLimits: ctx.xmlLimits })
      : { lists: [], index: await TrustIndex.build([]), time: ctx.time };

  // Signed agreements are checked against the pinned signers and those the (usable) lists of lists announce.
  const loadedAgreements = await loadAgreements(options.agreements ?? [], { signers: options.agreementSigners ?? [], set, registry: ctx.registry });
  const agreements = loadedAgreements.filter((l) => l.used).map((l) => l.agreement);
  const rejectedAgreements: RejectedAgreement[] = loadedAgreements.filter((l) => !l.used).map((l) => ({ agreement: l.agreement, reason: l.reason ?? 'not used' }));

  // No anchors of the caller's own: use the list's pool, built once per TrustSet, instead of re-indexing every anchor per call.
  // Otherwise a new pool: the caller's may be shared between calls (a trustAnchorPool, a cached array's pool).
  // Signer paths end only at CA certificates of services of a type the policy accepts for signers (a CA listed
  // only as a time-stamping service anchors no signer): policy.trustServices.signerServiceTypes.
  const listed = set.index.anchorPoolFor(ctx.policy.trustServices.signerServiceTypes);
  if (ctx.anchors.size === 0) (ctx as { anchors: CertificatePool<TrustAnchor> }).anchors = listed;
  else (ctx as { anchors: CertificatePool<TrustAnchor> }).anchors = new CertificatePool<TrustAnchor>([...ctx.anchors.values(), ...listed.values()]);
  if (ctx.anchors.size === 0) ctx.warnings.push('no trust anchors: no usable trusted list gave a CA certificate of an accepted service type and none was supplied directly');
  // Time-stamps: the lists' time-stamping services (policy.trustServices.timestampServiceTypes) join the caller's timestampAnchors.
  (ctx as { timestampTrust: TimestampTrust }).timestampTrust = withTimestampServices(ctx.timestampTrust, set, ctx.time, ctx.policy.trustServices.timestampServiceTypes);

  // A TrustSet may have been loaded for another time: freshness is judged at this validation's time.
  const expiredNow = (l: TrustSet['lists'][number]) => listExpiredAt(l, ctx.time);

  for (const l of set.lists) {
    const label = `${l.list.id} seq ${l.list.scheme.sequenceNumber} (${l.name})`;
    if (l.list.test) ctx.warnings.push(`TEST LIST in use: ${label} is a test trusted list, NOT FOR PRODUCTION decisions`);
    if (!l.usable) ctx.warnings.push(`trusted list ${label} NOT USED: ${l.signature.detail}`);
    else if (l.format === 'json') {
      ctx.warnings.push(
        l.integrity === 'pinned-digest'
          ? `trusted list ${label} is a JSON list without signature; its integrity rests on the SHA-256 ${l.sha256} the caller pinned`
          : `trusted list ${label} is a JSON list without signature, trusted as supplied by the caller (nothing authenticates it)`,
      );
    }
    if (expiredNow(l)) ctx.warnings.push(`trusted list ${label} is EXPIRED: NextUpdate ${l.list.scheme.nextUpdate} has passed at the validation time ${ctx.time.toISOString()}`);
  }
  for (const l of loadedAgreements) {
    const a = l.agreement;
    if (!l.used) ctx.warnings.push(`agreement ${a.id} NOT USED: ${l.reason}`);
    else if (l.authentication === 'unsigned') ctx.warnings.push(`agreement ${a.id} is not signed: trusted as supplied by the caller (unauthenticated)`);
    if (l.used && a.test) ctx.warnings.push(`TEST AGREEMENT in use: ${a.id}, NOT FOR PRODUCTION decisions`);
  }
  for (const p of set.index.problems) ctx.warnings.push(p);
  if (relyingParty === undefined && (hasLists || hasAgreements)) ctx.warnings.push('no relying party given: recognition was not evaluated');

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
    set,
    validationTime: ctx.time,
    agreements,
    rejectedAgreements,
    relyingParty,
    purpose,
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
): Promise<SignatureReport[]> {
  if (trust.relyingParty === undefined) return signatures.map((s) => s.report);
  const out: SignatureReport[] = [];
  for (const { report, chain } of signatures) {
    const recognition = await recognize(report, chain, {
      validationTime: trust.validationTime,
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
