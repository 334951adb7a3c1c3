/**
 * The signature stage: one format-neutral judgement of a signature's facts (stage/facts.ts) under the
 * validation policy of `ctx` (EN 319 102-1 clause 5): XCV (path building, RFC 5280, revocation),
 * SAV (every hash and signature the facts list, against the algorithm policy), time-stamps and proof
 * of existence (stage/timestamps.ts), past signature validation (validation/poe.ts, pure functions of
 * the outcomes), the content-time-stamp and time-stamp order rules, the policy's time-stamp
 * requirement and severities, then the verdict. CAdES and XAdES both go through here, so a rule
 * added here holds for every format.
 *
 * It returns the stage's own outcome (SignatureOutcome: parsed certificates, Dates, checks and the
 * verdict), not a report: the report is built from it at the end (report/signature.ts, called by the
 * facade validation/verify.ts), and recognition takes the judged path from it, never from the report.
 */
import { checkDigest, evaluateAlgorithm } from '../crypto/policy.js';
import type { ResolvedSignatureAlgorithm } from '../crypto/provider.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import type { Severity } from '../policy/model.js';
import { CheckList, type BuildingBlock } from '../etsi/check.js';
import type { Check } from '../etsi/check.js';
import type { Indication, SubIndication } from '../etsi/indication.js';
import { revocationChecker, taggedCrls, taggedOcsps } from '../revocation/checker.js';
import { validateChain, type ChainOutcome, type RevocationOutcome } from '../validation/chain.js';
import { recordAlgorithm } from '../validation/crypto-checks.js';
import type { ValidationContext } from '../validation/options.js';
import { contentTimestampRules, pastSignatureValidation, signerValidityRules } from '../validation/poe.js';
import { decide } from '../validation/verdict.js';
import type { SeverityFact, SignatureFacts } from './facts.js';
import { earliest, validateTimestamps, type TimestampOutcome, type TimestampsOutcome, type ValidTimestamp } from './timestamps.js';
import { checkSignaturePolicy, type SignaturePolicyOutcome } from './signature-policy.js';
import { checkCertificateReferences } from './references.js';
import { checkTimeMark } from './time-mark.js';
import { hasUserNotice, qcStatementIds } from './signer-certificate.js';
import { mapped } from '../util/list.js';

/** Where the best-signature-time comes from (EN 319 102-1 clause 5.1). */
export type BestSignatureTimeSource = 'validation-time' | 'signature-timestamp' | 'time-mark' | 'archive-timestamp';

/** The times the verdict depends on: the claimed signing time is the signer's word only. */
export interface SignatureOutcomeTimes {
  readonly validationTime: Date;
  readonly claimedSigningTime: Date | undefined;
  /** The earliest proven existence (a valid time-stamp), else the validation time. */
  readonly bestSignatureTime: Date;
  readonly bestSignatureTimeSource: BestSignatureTimeSource;
}

/** What the signature stage concluded about one signature: the judged facts and the verdict. */
export interface SignatureOutcome {
  readonly id: string;
  readonly format: SignatureFacts['format'];
  /** The level the structure and the valid time-stamps reach. */
  readonly level: string;
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  readonly signer: ParsedCertificate | undefined;
  /** The signer's path as validated (signer first, anchor last); empty when none was built. */
  readonly chain: readonly ParsedCertificate[];
  /** Revocation status per certificate of `chain` (the anchor has none). */
  readonly revocation: readonly RevocationOutcome[];
  /** RFC 5280 6.1.5 valid policy set of the path; undefined when no path was built. */
  readonly validPolicies: readonly string[] | undefined;
  readonly signatureAlgorithm: string | null;
  readonly digestAlgorithm: string | null;
  readonly times: SignatureOutcomeTimes;
  /** Content, signature and archive time-stamps, in the order of the facts. */
  readonly timestamps: readonly TimestampOutcome[];
  readonly checks: readonly Check[];
  readonly warnings: readonly string[];
  /** The signature policy it names (EPES), as checked; absent when it names none. */
  readonly signaturePolicy?: SignaturePolicyOutcome;
  /** The outcomes of its counter-signatures, each a signature of its own. */
  readonly counterSignatures: readonly SignatureOutcome[];
}

/** How a FAIL of each policy-weighted finding is recorded: its building block, check id and ETSI sub-indication. */
const SEVERITY_FAILURE: Record<SeverityFact['finding'], { block: BuildingBlock; id: string; sub: SubIndication }> = {
  // The ESS / XAdES reference digest is a cryptographic constraint of the policy.
  signingCertificateDigestBelowPolicy: { block: 'SAV', id: 'sav.signing-certificate-digest', sub: 'CRYPTO_CONSTRAINTS_FAILURE' },
  // The signature is intact and its signer identified; the policy requires the signer to be bound by a signed attribute.
  signingCertificateNotSigned: { block: 'SAV', id: 'sav.signing-certificate-signed', sub: 'SIG_CONSTRAINTS_FAILURE' },
  // EN 319 132-1 4.3.2: Target shall reference the signature's Id: a format rule.
  qualifyingPropertiesTargetMismatch: { block: 'FC', id: 'fc.target', sub: 'FORMAT_FAILURE' },
  // The policy requires everything in the document to be signed.
  xmlMarkupNotCovered: { block: 'SAV', id: 'sav.document-coverage', sub: 'SIG_CONSTRAINTS_FAILURE' },
};

function applySeverity(severity: Severity, fact: SeverityFact, checks: CheckList, warnings: string[]): void {
  if (severity !== 'FAIL' && fact.note) checks.skip(fact.note.block, fact.note.id, fact.note.detail);
  if (severity === 'IGNORE') return;
  if (severity === 'WARN') {
    warnings.push(fact.detail);
    return;
  }
  const f = SEVERITY_FAILURE[fact.finding];
  const detail = `${fact.detail} (policy severity ${fact.finding}: FAIL)`;
  if (f.block === 'FC') checks.fail(f.block, f.id, detail, f.sub);
  else checks.indeterminate(f.block, f.id, detail, f.sub);
}

/**
 * Judges one signature's facts. The steps are functions of their own (the revocation sources, SAV, the signer
 * rules of the validation policy, the time rules, the outcome): every batch thread compiles this path with
 * TurboFan again, and one large async function was among its most expensive compiles (#19). Checks are added in
 * the same order as when it was one function.
 */
export async function evaluateSignature(facts: SignatureFacts, ctx: ValidationContext): Promise<SignatureOutcome> {
  const checks = new CheckList();
  checks.items.push(...facts.checks);
  const warnings = [...facts.warnings];
  const { policy } = ctx;
  for (const f of facts.findings) applySeverity(policy.severity[f.finding], f, checks, warnings);

  // --- XCV: the signer's path at the validation time; carried revocation data is material, verified before use ---
  const sigCtx = withCarriedRevocation(facts, ctx);
  const keyUsage = policy.signer?.keyUsage;
  const chain = facts.signer ? await validateChain(facts.signer, facts.pool, sigCtx, checks, warnings, keyUsage ? { targetKeyUsage: keyUsage } : {}) : undefined;

  if (chain) await checkCertificateReferences(facts, chain.chain, ctx, checks);

  // --- SAV: every hash and signature the signature relies on ---
  const signatureAlgorithm = algorithmChecks(facts, ctx, checks, warnings);

  // --- VCI: the signature policy it names (EPES), and the signer rules of the validation policy ---
  const signaturePolicy = await checkSignaturePolicy(facts.signaturePolicy, ctx, checks, warnings);
  signerRules(facts, ctx, chain, signaturePolicy, checks);

  // --- time-stamps and proof of existence ---
  const ts = await validateTimestamps(facts.timestamps, sigCtx, facts.certificates, checks, warnings);
  // A BDOC time-mark proves existence like a signature time-stamp (asic/bdoc.ts binds it, stage/time-mark.ts validates it).
  const timeMarkTime = facts.timeMark ? await checkTimeMark(facts.timeMark, facts, chain?.chain, sigCtx, checks, warnings) : undefined;
  const times = proofOfExistence(ts, timeMarkTime);
  timeRules(facts, sigCtx, chain, signatureAlgorithm, ts, times, checks);

  // Counter-signatures: each judged as a signature of its own under the same policy; their verdicts stay theirs.
  const counterSignatures: SignatureOutcome[] = [];
  for (const c of facts.counterSignatures ?? []) counterSignatures.push(await evaluateSignature(c, ctx));
  return outcomeOf(facts, ctx, chain, signaturePolicy, ts, times, checks, warnings, counterSignatures);
}

/** `ctx` with a revocation checker that reads the supplied revocation data and the data the signature carries. */
function withCarriedRevocation(facts: SignatureFacts, ctx: ValidationContext): ValidationContext {
  return {
    ...ctx,
    revocation: revocationChecker({
      registry: ctx.registry,
      algorithmPolicy: ctx.algorithmPolicy,
      crls: taggedCrls(ctx.crls, facts.crls),
      ocsps: taggedOcsps(ctx.ocspResponses ?? [], facts.ocsps),
      fetcher: ctx.fetcher,
      certificates: [...facts.certificates, ...ctx.intermediates],
      // A separate CRL-signing key's own path must reach the signer anchors (RFC 5280 6.3.3 (f)).
      anchors: ctx.anchors,
    }),
  };
}

/** SAV: every hash and signature algorithm the facts list, under the algorithm policy; returns the signature algorithm. */
function algorithmChecks(facts: SignatureFacts, ctx: ValidationContext, checks: CheckList, warnings: string[]): ResolvedSignatureAlgorithm | undefined {
  let signatureAlgorithm: ResolvedSignatureAlgorithm | undefined;
  for (const use of facts.algorithms) {
    if (use.kind === 'signature') {
      signatureAlgorithm = use.algorithm;
      const a = use.algorithm;
      recordAlgorithm(checks, 'SAV', 'sav.crypto-constraints', a.name, evaluateAlgorithm(ctx.algorithmPolicy, a, ctx.time), `${a.name} with ${a.keyBits}-bit ${a.key} key is acceptable`);
    } else if (use.role === 'binding') {
      recordAlgorithm(checks, 'SAV', use.id, use.what, checkDigest(ctx.algorithmPolicy, use.digest, ctx.time));
    } else {
      // It identifies the certificate only (a second certificate with the same hash needs a CA to sign a collision):
      // its weight is the policy's (DSS default: SigningCertificateDigestAlgorithm WARN).
      const v = checkDigest(ctx.algorithmPolicy, use.digest, ctx.time);
      if (v.acceptable) continue;
      const severity = ctx.policy.severity.signingCertificateDigestBelowPolicy;
      if (severity === 'FAIL') recordAlgorithm(checks, 'SAV', use.id, `${use.what} (policy severity signingCertificateDigestBelowPolicy: FAIL)`, v);
      else if (severity === 'WARN') warnings.push(`${use.what}: ${v.reason}`);
    }
  }
  return signatureAlgorithm;
}

/** The validation policy's rules for the signer: revocation kind a signature policy prescribes, QCStatements, user notice, signing time. */
function signerRules(facts: SignatureFacts, ctx: ValidationContext, chain: ChainOutcome | undefined, signaturePolicy: SignaturePolicyOutcome | undefined, checks: CheckList): void {
  const { policy } = ctx;
  // A signature policy may prescribe the kind of revocation data for the signer (Turkish P3: CRL, P4: OCSP).
  const prescribed = signaturePolicy?.status === 'PASSED' ? policy.signaturePolicy?.known.find((k) => k.id === signaturePolicy.id)?.signerRevocation : undefined;
  const signerStatus = chain?.revocation[0];
  if (prescribed && signerStatus?.kind) {
    // Any accepted answer of the prescribed kind will do: the status names the latest answer (a CRL issued after the
    // OCSP response, MA3 P4_31), the others that agreed are in alsoFrom.
    const raw = chain?.revocationStatuses[0];
    const answeredBy = new Set([signerStatus.kind, ...(raw?.status === 'good' ? (raw.alsoFrom ?? []) : [])]);
    if (!answeredBy.has(prescribed)) {
      checks.indeterminate(
        'VCI',
        'vci.signature-policy-revocation',
        `signature policy ${signaturePolicy!.id} prescribes ${prescribed.toUpperCase()} for the signer's revocation status; it came from ${signerStatus.kind.toUpperCase()}`,
        'SIG_CONSTRAINTS_FAILURE',
      );
    }
  }
  const qcRequired = policy.signer?.requiredQcStatements;
  if (qcRequired && facts.signer) {
    const have = qcStatementIds(facts.signer);
    const missing = have ? qcRequired.filter((q) => !have.includes(q)) : qcRequired;
    if (missing.length) {
      checks.indeterminate('XCV', 'xcv.qc-statements', `the signer's certificate ${have ? 'lacks' : 'has an unreadable QCStatements extension, so lacks'} the QCStatement(s) ${missing.join(', ')} the validation policy "${policy.name}" requires`, 'CHAIN_CONSTRAINTS_FAILURE');
    } else checks.pass('XCV', 'xcv.qc-statements', `the signer's certificate carries the required QCStatements ${qcRequired.join(', ')}`);
  }
  if (policy.signer?.requireUserNotice && facts.signer && !hasUserNotice(facts.signer)) {
    checks.indeterminate('XCV', 'xcv.user-notice', `no certificate policy of the signer's certificate carries a userNotice qualifier; the validation policy "${policy.name}" requires one`, 'CHAIN_CONSTRAINTS_FAILURE');
  }
  if (policy.signer?.requireSigningTime && !facts.claimedSigningTime) {
    checks.indeterminate('SAV', 'sav.signing-time-required', `the validation policy "${policy.name}" requires a signed signing time and the signature has none`, 'SIG_CONSTRAINTS_FAILURE');
  }
}

/** The proof of existence the valid time-stamps (and a BDOC time-mark) give, and where the best-signature-time comes from. */
interface ProofOfExistence {
  readonly signatureTime: Date | undefined;
  readonly archiveTime: Date | undefined;
  /** The earliest proven existence; undefined when nothing proves it. */
  readonly poe: Date | undefined;
  readonly source: BestSignatureTimeSource;
  /** The accuracy of the time-stamp that gives `poe` (none for a time-mark). */
  readonly accuracyMs: number | undefined;
}

function proofOfExistence(ts: TimestampsOutcome, timeMarkTime: Date | undefined): ProofOfExistence {
  const signatureTime = earliest(ts.valid.signature);
  const archiveTime = earliest(ts.valid.archive);
  const markFirst = timeMarkTime !== undefined && (!signatureTime || timeMarkTime.getTime() < signatureTime.getTime());
  const poe = markFirst ? timeMarkTime : (signatureTime ?? archiveTime);
  const source: BestSignatureTimeSource = markFirst ? 'time-mark' : signatureTime ? 'signature-timestamp' : archiveTime ? 'archive-timestamp' : 'validation-time';
  const poeToken = poe && !markFirst ? [...(signatureTime ? ts.valid.signature : ts.valid.archive)].find((v) => v.genTime.getTime() === poe.getTime()) : undefined;
  return { signatureTime, archiveTime, poe, source, accuracyMs: poeToken?.accuracyMs };
}

/**
 * PSV (findings at the validation time re-decided at the best-signature-time), the signer's validity, the content
 * time-stamp and time-stamp order rules, and the policy's time-stamp rules.
 */
function timeRules(
  facts: SignatureFacts,
  sigCtx: ValidationContext,
  chain: ChainOutcome | undefined,
  signatureAlgorithm: ResolvedSignatureAlgorithm | undefined,
  ts: TimestampsOutcome,
  times: ProofOfExistence,
  checks: CheckList,
): void {
  const { policy } = sigCtx;
  const { poe, accuracyMs, signatureTime, archiveTime } = times;
  if (poe) pastSignatureValidation({ checks, poe, chain, signatureAlgorithm, claimedSigningTime: facts.claimedSigningTime, accuracyMs, ctx: sigCtx });
  signerValidityRules({ checks, signer: facts.signer, bestSignatureTime: poe, accuracyMs, claimedSigningTime: facts.claimedSigningTime });
  if (ts.valid.content.length) contentTimestampRules({ checks, contentTime: latest(ts.valid.content), signatureTimestampTime: signatureTime, chain });
  // An archive time-stamp covers the signature time-stamps: one earlier than them is out of order (EN 319 102-1 5.6.2.4).
  if (archiveTime && signatureTime && archiveTime.getTime() < signatureTime.getTime()) {
    checks.indeterminate('PSV', 'psv.archive-timestamp-order', `archive time-stamp ${archiveTime.toISOString()} precedes the signature time-stamp ${signatureTime.toISOString()}`, 'TIMESTAMP_ORDER_FAILURE');
  }
  if (policy.timestamps.requireAllValid) {
    // Every time-stamp: the listed ones and the others (a broken XAdES SigAndRefsTimeStamp counts: MA3 ESXL1_62_1). One
    // valid at its own genTime whose TSA was revoked or expired only since is not broken (MA3 ESA_45, ESA_67_1): it is
    // merely not proof of existence (EN 319 102-1 drops it), and the verdict rests on the other evidence.
    const bad = [...ts.outcomes, ...ts.others].filter((s) => (s.status !== 'PASSED' && !s.validAtOwnTime) || !s.fact.data).map((s) => `${s.fact.label} ${s.fact.ordinal}${s.fact.data ? ` (${s.status}${s.subIndication ? '/' + s.subIndication : ''})` : ' (covered bytes not computed)'}`);
    if (bad.length) checks.indeterminate('TST', 'tst.all-valid', `the validation policy "${policy.name}" requires every time-stamp to validate: ${bad.join(', ')} did not`, 'SIG_CONSTRAINTS_FAILURE');
  }
  const maxLag = policy.signer?.maxSigningTimeToTimestampSeconds;
  if (maxLag !== undefined && signatureTime && facts.claimedSigningTime) {
    const lag = (signatureTime.getTime() - facts.claimedSigningTime.getTime()) / 1000;
    if (lag > maxLag) {
      checks.indeterminate(
        'SAV',
        'sav.signing-time-to-timestamp',
        `the claimed signing time ${facts.claimedSigningTime.toISOString()} is ${Math.round(lag)} s before the signature time-stamp ${signatureTime.toISOString()}; the validation policy "${policy.name}" allows ${maxLag} s`,
        'SIG_CONSTRAINTS_FAILURE',
      );
    }
  }
  if (policy.timestamps.requireSignatureTimestamp && !poe) {
    checks.indeterminate('SAV', 'sav.signature-timestamp-required', `the validation policy "${policy.name}" requires a valid signature or archive time-stamp (or BDOC time-mark) and the signature has none`, 'SIG_CONSTRAINTS_FAILURE');
  }
}

/** The verdict and the outcome the stage returns. */
function outcomeOf(
  facts: SignatureFacts,
  ctx: ValidationContext,
  chain: ChainOutcome | undefined,
  signaturePolicy: SignaturePolicyOutcome | undefined,
  ts: TimestampsOutcome,
  times: ProofOfExistence,
  checks: CheckList,
  warnings: string[],
  counterSignatures: SignatureOutcome[],
): SignatureOutcome {
  const { poe, source, signatureTime, archiveTime } = times;
  const v = decide(checks.items);
  const level = facts.levelWith ? facts.levelWith({ signatureTimestamp: signatureTime !== undefined, archiveTimestamp: archiveTime !== undefined }) : facts.level;
  const timestamps = mapped(ts.outcomes, (t) => ({
    ...t,
    usedAsPoe: poe !== undefined && t.status === 'PASSED' && t.genTime?.getTime() === poe.getTime() && t.fact.kind === (source === 'signature-timestamp' ? 'signature' : 'archive'),
  }));
  const best = poe ?? ctx.time;
  return {
    id: facts.id,
    format: facts.format,
    level,
    indication: v.indication,
    subIndication: v.subIndication,
    signer: facts.signer,
    chain: chain?.chain ?? [],
    revocation: chain?.revocation ?? [],
    validPolicies: chain?.policies,
    signatureAlgorithm: facts.signatureAlgorithmName,
    digestAlgorithm: facts.digestAlgorithmName,
    times: { validationTime: ctx.time, claimedSigningTime: facts.claimedSigningTime, bestSignatureTime: best, bestSignatureTimeSource: source },
    timestamps,
    ...(signaturePolicy ? { signaturePolicy } : {}),
    checks: checks.items,
    warnings,
    counterSignatures,
  };
}

/** The latest genTime of the valid content time-stamps: the tightest lower bound on the signing time. */
function latest(list: readonly ValidTimestamp[]): Date {
  return new Date(Math.max(...list.map((v) => v.genTime.getTime())));
}
