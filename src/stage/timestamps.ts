/**
 * Time-stamp validation for every format (EN 319 102-1 5.4, 5.6.2.1): each token of a signature's
 * facts is validated (tsp/validate.ts: token signature, TSA path to a TSA anchor, genTime, imprint over
 * the bytes the front end computed). Archive time-stamps first: the earliest valid one is a proof of
 * existence for the other tokens, so a token whose only failures are of the *_NO_POE kind (its TSA
 * certificate has since expired or been revoked, an algorithm has passed its cut-off) is validated
 * again at that time. An invalid time-stamp never fails the signature (it is unsigned data anyone can
 * add): it is reported (SKIPPED check, warning) and not used. At most `policy.timestamps.maxPerSignature`
 * tokens of each kind are validated (each costs a path validation).
 */
import type { Check, CheckList } from '../etsi/check.js';
import type { SubIndication } from '../etsi/indication.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { validateTimestampToken, type TimestampValidation } from '../tsp/validate.js';
import type { ValidationContext } from '../validation/options.js';
import type { TimestampFact, TimestampKind } from './facts.js';

export interface ValidTimestamp {
  readonly fact: TimestampFact;
  readonly genTime: Date;
  readonly accuracyMs?: number;
}

/** What came of validating one content, signature or archive time-stamp (the report writes it as a TimestampSummary). */
export interface TimestampOutcome {
  readonly fact: TimestampFact & { readonly kind: ReportedTimestampKind };
  readonly status: 'PASSED' | 'FAILED' | 'INDETERMINATE';
  readonly subIndication: SubIndication | null;
  readonly genTime: Date | null;
  /** The TSA's certificate, when the token identified it. */
  readonly tsa: ParsedCertificate | null;
  /** True when the time-stamp served as proof of existence (best-signature-time); set by the signature stage. */
  readonly usedAsPoe: boolean;
  /** See `validAtOwnTime` in {@link TimestampsOutcome.others}. */
  readonly validAtOwnTime?: boolean;
  readonly checks: readonly Check[];
}

/** The kinds of time-stamp a signature's outcome lists (others are validated, never listed). */
export type ReportedTimestampKind = Exclude<TimestampKind, 'other'>;

export interface TimestampsOutcome {
  /** Valid tokens per kind. */
  readonly valid: Readonly<Record<TimestampKind, readonly ValidTimestamp[]>>;
  /** Outcomes in the order of the facts (content, signature and archive time-stamps only). */
  readonly outcomes: readonly TimestampOutcome[];
  /**
   * What came of the other tokens (XAdES SigAndRefsTimeStamp, RefsOnlyTimeStamp, IndividualDataObjectsTimeStamp):
   * validated and never listed, but a policy that requires every time-stamp to validate counts them too.
   */
  readonly others: readonly {
    readonly fact: TimestampFact;
    readonly status: TimestampOutcome['status'];
    readonly subIndication: SubIndication | null;
    /**
     * Not PASSED only because its TSA certificate was revoked or expired after its genTime with no earlier proof of
     * existence (REVOKED_NO_POE and the like), and PASSED when its TSA path is validated at its own genTime. Such a
     * token is never proof of existence; a policy requiring every time-stamp to validate does not count it as broken
     * (MA3: "ZD sertifikası iptal olmuş; sertifika imza tarihinden sonra iptal edilmiş" is valid). Only computed when
     * the policy has timestamps.requireAllValid.
     */
    readonly validAtOwnTime?: boolean;
  }[];
}

const REPORTED: ReadonlySet<TimestampKind> = new Set<ReportedTimestampKind>(['content', 'signature', 'archive']);
const isReported = (f: TimestampFact): f is TimestampFact & { readonly kind: ReportedTimestampKind } => REPORTED.has(f.kind);

const NO_POE_SUBS = new Set(['OUT_OF_BOUNDS_NO_POE', 'OUT_OF_BOUNDS_NOT_REVOKED', 'REVOKED_NO_POE', 'REVOKED_CA_NO_POE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE']);
/** The *_NO_POE kinds that only the passage of time causes (a certificate of the TSA path revoked or expired since). */
const TIME_ONLY_SUBS = new Set(['OUT_OF_BOUNDS_NO_POE', 'OUT_OF_BOUNDS_NOT_REVOKED', 'REVOKED_NO_POE', 'REVOKED_CA_NO_POE']);

/** True when every non-passing check of a token is of a kind in `subs` (default: what an earlier proof of existence can resolve). */
function onlyNoPoeFailures(r: TimestampValidation, subs: ReadonlySet<string> = NO_POE_SUBS): boolean {
  const bad = r.checks.filter((c) => c.status === 'FAILED' || c.status === 'INDETERMINATE');
  return bad.length > 0 && bad.every((c) => c.subIndication !== undefined && subs.has(c.subIndication));
}

export async function validateTimestamps(
  facts: readonly TimestampFact[],
  ctx: ValidationContext,
  certificates: readonly ParsedCertificate[],
  checks: CheckList,
  warnings: string[],
): Promise<TimestampsOutcome> {
  // A signature without time-stamps (CAdES-B, the bulk of a batch): nothing to validate. Answered here so that the
  // work below is compiled only where time-stamps occur (each batch thread compiles what runs, #19).
  if (facts.length === 0) return { valid: { content: [], signature: [], archive: [], other: [] }, outcomes: [], others: [] };
  const max = ctx.policy.timestamps.maxPerSignature;
  const valid: Record<TimestampKind, ValidTimestamp[]> = { content: [], signature: [], archive: [], other: [] };
  const outcomes = new Map<TimestampFact, TimestampOutcome>();
  const others: { fact: TimestampFact; status: TimestampOutcome['status']; subIndication: SubIndication | null; validAtOwnTime?: boolean }[] = [];
  const capped = new Set<TimestampFact>();
  for (const kind of ['content', 'signature', 'archive', 'other'] as const) {
    const all = facts.filter((f) => f.kind === kind);
    if (all.length > max) {
      warnings.push(`${all.length} ${kind === 'other' ? 'other' : kind} time-stamps: only the first ${max} are validated (policy timestamps.maxPerSignature)`);
      for (const f of all.slice(max)) {
        capped.add(f);
        checks.skip('TST', f.id, `${f.label} not validated: more than ${max} ${kind} time-stamps on one signature; not used as proof of existence`);
      }
    }
  }
  const run = async (kind: TimestampKind, tokenPoe?: Date) => {
    for (const f of facts) {
      if (f.kind !== kind || capped.has(f)) continue;
      const r = await validateOne(f, ctx, certificates, checks, warnings, tokenPoe);
      if (r.valid) valid[kind].push({ fact: f, genTime: r.valid.genTime!, accuracyMs: r.valid.accuracyMs });
      if (isReported(f)) outcomes.set(f, { fact: f, ...r.outcome });
      else others.push({ fact: f, status: r.outcome.status, subIndication: r.outcome.subIndication, ...(r.outcome.validAtOwnTime ? { validAtOwnTime: true } : {}) });
    }
  };
  // Archive time-stamps first: the earliest valid one is the proof of existence for the others.
  await run('archive');
  const archivePoe = earliest(valid.archive);
  await run('signature', archivePoe);
  await run('content', archivePoe);
  await run('other', archivePoe);
  const inOrder: TimestampOutcome[] = [];
  for (const f of facts) {
    const o = outcomes.get(f);
    if (o) inOrder.push(o);
  }
  return { valid, outcomes: inOrder, others };
}

export function earliest(list: readonly ValidTimestamp[]): Date | undefined {
  let t: Date | undefined;
  for (const v of list) if (!t || v.genTime.getTime() < t.getTime()) t = v.genTime;
  return t;
}

async function validateOne(
  f: TimestampFact,
  ctx: ValidationContext,
  certificates: readonly ParsedCertificate[],
  checks: CheckList,
  warnings: string[],
  tokenPoe: Date | undefined,
): Promise<{ valid?: TimestampValidation; outcome: Omit<TimestampOutcome, 'fact'> }> {
  if (f.problem) {
    const { reason, genTime } = f.problem;
    checks.skip('TST', f.id, `${f.label} is not valid (${reason}); not used as proof of existence`);
    warnings.push(`${f.label} ${f.ordinal} ignored: ${reason}`);
    return {
      outcome: {
        status: 'FAILED',
        subIndication: 'HASH_FAILURE',
        genTime: genTime ?? null,
        tsa: null,
        usedAsPoe: false,
        checks: [{ id: `${f.id}.message-imprint`, block: 'TST', status: 'FAILED', detail: reason, subIndication: 'HASH_FAILURE' }],
      },
    };
  }
  const imprint = f.data ? { data: f.data } : undefined;
  let r = await validateTimestampToken(f.token, { imprint, ctx, idPrefix: f.id, certificates });
  let atPoe = false;
  // A TSA certificate expired/revoked since, or an algorithm past its cut-off: the token is judged at the archive POE.
  if (imprint && r.status !== 'PASSED' && tokenPoe && r.genTime && r.genTime.getTime() <= tokenPoe.getTime() && onlyNoPoeFailures(r)) {
    const again = await validateTimestampToken(f.token, { imprint, ctx, idPrefix: f.id, certificates, time: tokenPoe });
    if (again.status === 'PASSED') {
      r = again;
      atPoe = true;
    }
  }
  const used = imprint !== undefined && r.status === 'PASSED' && r.genTime !== undefined;
  // Not proof of existence; asked only for a policy that requires every time-stamp to validate (see validAtOwnTime).
  let validAtOwnTime = false;
  if (!used && imprint && ctx.policy.timestamps.requireAllValid && r.genTime && onlyNoPoeFailures(r, TIME_ONLY_SUBS)) {
    const own = await validateTimestampToken(f.token, { imprint, ctx, idPrefix: f.id, certificates, time: r.genTime });
    validAtOwnTime = own.status === 'PASSED';
    if (validAtOwnTime) warnings.push(`${f.label} ${f.ordinal} is valid at its own genTime ${r.genTime.toISOString()} but its TSA path no longer validates and no earlier proof of existence covers it: not used as proof of existence`);
  }
  if (used) {
    checks.pass(
      'TST',
      f.id,
      `${f.label} of ${r.genTime!.toISOString()} by ${r.tsa?.subject.text} is valid, its message imprint covers the time-stamped data` +
        `${atPoe ? ` (its TSA path validated at the archive time-stamp ${tokenPoe!.toISOString()})` : ''}${f.kind === 'other' ? '' : ': proof of existence'}`,
    );
  } else {
    const bad = r.checks.filter((c) => c.status === 'FAILED' || c.status === 'INDETERMINATE').map((c) => `${c.id}: ${c.detail}`);
    if (!imprint) bad.unshift(`the data a ${f.label} covers is not computed by this version, so it is not bound to this signature`);
    const verdict = imprint ? `${r.status}/${r.subIndication}` : `not bound to this signature (token ${r.status}${r.subIndication ? `/${r.subIndication}` : ''})`;
    const why = `${verdict}${bad.length ? ` (${bad.join('; ')})` : ''}`;
    checks.skip('TST', f.id, `${f.label} is not valid, ${why}; not used as proof of existence`);
    if (imprint) warnings.push(`${f.label} ${f.ordinal} ignored: failed validation (${r.subIndication ?? r.status}): ${why}`);
  }
  for (const w of r.warnings) warnings.push(`${f.label} ${f.ordinal}: ${w}`);
  return {
    ...(used ? { valid: r } : {}),
    outcome: {
      status: imprint ? r.status : 'INDETERMINATE',
      subIndication: imprint ? r.subIndication : (r.subIndication ?? 'SIGNED_DATA_NOT_FOUND'),
      genTime: r.genTime ?? null,
      tsa: r.tsa ?? null,
      usedAsPoe: false,
      ...(validAtOwnTime ? { validAtOwnTime: true } : {}),
      checks: r.checks,
    },
  };
}
