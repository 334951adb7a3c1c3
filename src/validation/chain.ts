import { LimitExceededError } from '../errors.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { describeCandidates, findPath } from '../pki/path.js';
import type { PathFailure } from '../pki/path-validator.js';
import { primaryFailure, subIndicationOf } from './path-findings.js';
import { crlChecker } from '../pki/revocation.js';
import type { CertificatePool, TrustAnchor } from '../pki/pool.js';
import type { KeyUsageName } from '../pki/certificate.js';
import type { RevocationChecker, RevocationStatus } from '../pki/revocation.js';
import type { BuildingBlock, Check, CheckList } from '../etsi/check.js';
import { indicationFor } from '../etsi/indication.js';
import type { ValidationContext } from './options.js';
import { mapped } from '../util/list.js';
import { isoTime } from '../util/iso-time.js';

/**
 * The revocation status of one certificate of a path as the stage judged it (stale data reported
 * "unknown" unless the policy accepts it); the report writes it as a RevocationSummary.
 */
export interface RevocationOutcome {
  readonly certificate: ParsedCertificate;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly source: string | null;
  readonly revocationTime: Date | null;
  readonly detail: string | null;
  readonly kind: 'crl' | 'ocsp' | null;
  readonly origin: 'embedded' | 'supplied' | 'fetched' | null;
  /** When the data that answered "good" was issued. */
  readonly thisUpdate: Date | null;
}

export interface ChainOutcome {
  readonly chain: readonly ParsedCertificate[];
  /** Mutable: past signature validation may establish a stale entry as "good" (see `stale`). */
  readonly revocation: RevocationOutcome[];
  /** Each path failure with the check it produced, so past signature validation (validation/poe.ts) can revisit it. */
  readonly failures: readonly { readonly failure: PathFailure; readonly check: Check }[];
  /** Revocation status per certificate, same order as `chain` (the anchor has none). */
  readonly revocationStatuses: readonly RevocationStatus[];
  /**
   * Certificates whose only "good" is not fresh at the time the path was validated (EN 319 102-1 5.2.5),
   * with the TRY_LATER check it gave when revocation is required. Past signature validation accepts such
   * data when it was issued after the best-signature-time (validation/poe.ts), and then sets the
   * certificate's entry of `revocation` (reported "unknown" until then) back to "good".
   */
  readonly stale: readonly { readonly index: number; readonly check?: Check }[];
  /** True when the path validated without any failure (at the time it was validated). */
  readonly valid: boolean;
  /** RFC 5280 6.1.5 valid policy set of the path (valid_policy_tree leaves; may hold anyPolicy); empty when none. */
  readonly policies: readonly string[];
}

/** What differs when the same path validation serves another certificate role (e.g. a TSA in the TST block). */
export interface ChainCheckOptions {
  /** Building block the checks are recorded under; default XCV. */
  readonly block?: BuildingBlock;
  /** Prefix of check ids; default `xcv`. */
  readonly idPrefix?: string;
  /** Default: digitalSignature or nonRepudiation (a signer); null: no keyUsage requirement. */
  readonly targetKeyUsage?: readonly KeyUsageName[] | null;
  readonly targetExtKeyUsage?: string;
  /** Revocation source; default the context's (supplied CRLs/OCSP, fetching when enabled). */
  readonly revocation?: RevocationChecker;
  /** Time the path is validated at; default the validation time. */
  readonly time?: Date;
  /** Where the path must end; default the context's anchors (a signer's). A TSA's path ends at its own (validation/timestamp-trust.ts). */
  readonly anchors?: CertificatePool<TrustAnchor>;
  /** What `anchors` are, for the "no path" message; default "a trust anchor". */
  readonly anchorsDescription?: string;
}

/**
 * XCV for a signer certificate: builds and validates the path at the
 * validation time and records one check per finding. Returns the chain that
 * was chosen (valid, or the nearest to valid) for the report.
 */
export async function validateChain(
  target: ParsedCertificate,
  pool: CertificatePool,
  ctx: ValidationContext,
  checks: CheckList,
  warnings: string[],
  opts: ChainCheckOptions = {},
): Promise<ChainOutcome | undefined> {
  const block = opts.block ?? 'XCV';
  const p = opts.idPrefix ?? 'xcv';
  let outcome;
  try {
    outcome = await findPath(
      target,
      pool,
      opts.anchors ?? ctx.anchors,
      {
        time: opts.time ?? ctx.time,
        registry: ctx.registry,
        algorithmPolicy: ctx.algorithmPolicy,
        revocation:
          opts.revocation ??
          ctx.revocation ??
          crlChecker(ctx.crls, ctx.registry, { certificates: mapped([...pool.values()], (p) => p.certificate), anchors: ctx.anchors, algorithmPolicy: ctx.algorithmPolicy }),
        targetKeyUsage: opts.targetKeyUsage === null ? undefined : (opts.targetKeyUsage ?? ['digitalSignature', 'nonRepudiation']),
        targetExtKeyUsage: opts.targetExtKeyUsage,
        initialPolicySet: ctx.acceptablePolicies,
        requireExplicitPolicy: ctx.policy.certificate.explicitPolicy ?? (ctx.acceptablePolicies ? true : undefined),
        inhibitPolicyMapping: ctx.policy.certificate.inhibitPolicyMapping,
        inhibitAnyPolicy: ctx.policy.certificate.inhibitAnyPolicy,
        strict: ctx.policy.certificate.profile === 'strict',
      },
      ctx.pathLimits,
    );
  } catch (e) {
    if (!(e instanceof LimitExceededError)) throw e;
    checks.indeterminate(block, `${p}.path-building`, `path building stopped: ${e.message}`, 'NO_CERTIFICATE_CHAIN_FOUND');
    return undefined;
  }
  const best = outcome.best;
  if (!best) {
    const candidates = describeCandidates(outcome);
    const tried = candidates.length ? `; candidates tried: ${candidates.join(' | ')}` : '';
    checks.indeterminate(block, `${p}.path-building`, `no path from ${target.subject.text} to ${opts.anchorsDescription ?? 'a trust anchor'}${tried}`, 'NO_CERTIFICATE_CHAIN_FOUND');
    return undefined;
  }
  const failures: { failure: PathFailure; check: Check }[] = [];
  if (best.valid) {
    checks.pass(block, `${p}.path`, `valid path of ${best.chain.length} certificates to anchor ${best.chain[best.chain.length - 1]!.subject.text}`);
  } else {
    const primary = primaryFailure(best)!;
    for (const f of [primary, ...best.failures.filter((x) => x !== primary)]) {
      const sub = subIndicationOf(f);
      const status = indicationFor(sub) === 'TOTAL-FAILED' ? 'FAILED' : 'INDETERMINATE';
      const check: Check = { id: `${p}.${f.kind}`, block, status, detail: `${f.subject}: ${f.detail}`, subIndication: sub };
      checks.add(check);
      failures.push({ failure: f, check });
    }
  }
  const revocation: RevocationOutcome[] = [];
  const stale: { index: number; check?: Check }[] = [];
  const at = opts.time ?? ctx.time;
  // Which certificates of this path must have a status: the policy's scope for signers (XCV) or TSAs (TST).
  const scope = block === 'XCV' ? ctx.policy.revocation.signer : ctx.policy.revocation.timestampAuthority;
  const required = (i: number) => scope === 'signer-and-ca' || (scope === 'signer' && i === 0);
  const { acceptStale, maxAgeSeconds } = ctx.policy.revocation;
  best.revocation.forEach((r, i) => {
    const c = best.chain[i]!;
    // EN 319 102-1 5.2.5: data neither issued after the time in question nor valid at it (thisUpdate..nextUpdate)
    // is stale; so is data issued more than the policy's maxAgeSeconds before it (DSS RevocationFreshness).
    // Unless the policy accepts stale data, it never counts as "good": the status is reported unknown (and is
    // required → TRY_LATER).
    const tooOld = r.status === 'good' && maxAgeSeconds !== null && r.thisUpdate.getTime() < at.getTime() - maxAgeSeconds * 1000;
    const lapsed = r.status === 'good' && (!r.fresh || tooOld);
    const isStale = lapsed && !acceptStale;
    let staleDetail: string | undefined;
    if (lapsed && acceptStale) {
      staleDetail = `stale, accepted by the policy: ${staleWhy(r, at, tooOld, maxAgeSeconds)}`;
      warnings.push(`revocation status of ${c.subject.text} rests on stale data, accepted by policy "${ctx.policy.name}" (acceptStale): ${staleWhy(r, at, tooOld, maxAgeSeconds)}`);
    }
    if (r.status === 'good' && r.rejectedCarried?.length && block === 'XCV' && ctx.policy.revocation.rejectUnacceptableCarried) {
      checks.indeterminate(
        block,
        `${p}.revocation-data`,
        `the signature carries revocation data about ${c.subject.text} that is not acceptable (${r.rejectedCarried.join('; ')}); the validation policy "${ctx.policy.name}" requires the carried revocation data to hold`,
        'CHAIN_CONSTRAINTS_FAILURE',
      );
    }
    if (r.status === 'unknown' && r.tryLater) {
      // Revocation data was sought (online) and could not be had: never a pass (EN 319 102-1 5.2.6 TRY_LATER).
      checks.indeterminate(block, `${p}.revocation`, `revocation status of ${c.subject.text} unavailable: ${r.reason}`, 'TRY_LATER');
    } else if (r.status === 'unknown' && required(i)) {
      checks.indeterminate(block, `${p}.revocation`, `revocation status of ${c.subject.text} is required and not available: ${r.reason}`, 'TRY_LATER');
    } else if (r.status === 'unknown') warnings.push(`revocation status of ${c.subject.text} not checked: ${r.reason}`);
    else if (isStale) {
      staleDetail = `stale: ${staleWhy(r, at, tooOld, maxAgeSeconds)}`;
      if (required(i)) {
        const check: Check = { id: `${p}.revocation-freshness`, block, status: 'INDETERMINATE', detail: `revocation status of ${c.subject.text} is required and only stale data is available: ${staleDetail}`, subIndication: 'TRY_LATER' };
        checks.add(check);
        stale.push({ index: i, check });
      } else {
        warnings.push(`revocation status of ${c.subject.text} not established: its revocation data is ${staleDetail}`);
        stale.push({ index: i });
      }
    }
    revocation.push({
      certificate: c,
      status: isStale ? 'unknown' : r.status,
      source: r.status === 'unknown' ? null : r.source,
      revocationTime: r.status === 'revoked' ? r.revocationTime : null,
      detail: r.status === 'unknown' ? r.reason : r.status === 'revoked' ? (r.reason ?? null) : (staleDetail ?? null),
      kind: r.status === 'unknown' ? null : (r.kind ?? null),
      origin: r.status === 'unknown' ? null : (r.origin ?? null),
      thisUpdate: r.status === 'good' ? r.thisUpdate : null,
    });
  });
  return {
    chain: best.chain,
    revocation,
    failures,
    revocationStatuses: best.revocation,
    valid: best.valid,
    policies: best.policies,
    stale,
  };
}

/** Why a "good" is stale at `at`: outside its validity window, or older than the policy's maxAgeSeconds. */
function staleWhy(r: Extract<RevocationStatus, { status: 'good' }>, at: Date, tooOld: boolean, maxAgeSeconds: number | null): string {
  const data = `${r.source} (thisUpdate ${isoTime(r.thisUpdate)}${r.nextUpdate ? `, nextUpdate ${isoTime(r.nextUpdate)}` : ', no nextUpdate'})`;
  return r.fresh && tooOld
    ? `${data} was issued more than ${maxAgeSeconds} s (the policy's maxAgeSeconds) before ${isoTime(at)}`
    : `${data} is neither current at nor issued after ${isoTime(at)}`;
}
