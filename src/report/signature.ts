/**
 * The report builder: turns what the signature stage concluded (stage/signature.ts SignatureOutcome:
 * parsed certificates, Dates, checks, the verdict) into the report model (report/model.ts: subject
 * strings, ISO times, certificate summaries). Only the facades (validation/verify.ts,
 * validation/verify-certificate.ts) call it, once the judging is done: report types are the output,
 * never what the stages hand each other.
 */
import type { SignatureOutcome } from '../stage/signature.js';
import type { ReportedTimestampKind, TimestampOutcome } from '../stage/timestamps.js';
import type { RevocationOutcome } from '../validation/chain.js';
import type { RevocationSummary, SignatureReport, TimestampSummary } from './model.js';
import { summarizeCertificate, summarizeChain } from './summary.js';
import { mapped } from '../util/list.js';
import { isoTime } from '../util/iso-time.js';

const TIMESTAMP_TYPE: Record<ReportedTimestampKind, TimestampSummary['type']> = {
  content: 'content-timestamp',
  signature: 'signature-timestamp',
  archive: 'archive-timestamp',
};

/** The report of one signature and, nested, of its counter-signatures (recognition is added by the caller). */
export async function signatureReport(o: SignatureOutcome): Promise<SignatureReport> {
  const timestamps = mapped(o.timestamps, timestampSummary);
  const counterSignatures: SignatureReport[] = [];
  for (const c of o.counterSignatures) counterSignatures.push(await signatureReport(c));
  return {
    id: o.id,
    format: o.format,
    level: o.level,
    indication: o.indication,
    subIndication: o.subIndication,
    signer: o.signer ? await summarizeCertificate(o.signer) : null,
    chain: await summarizeChain(o.chain),
    signatureAlgorithm: o.signatureAlgorithm,
    digestAlgorithm: o.digestAlgorithm,
    times: {
      validationTime: isoTime(o.times.validationTime),
      claimedSigningTime: o.times.claimedSigningTime ? isoTime(o.times.claimedSigningTime) : null,
      bestSignatureTime: isoTime(o.times.bestSignatureTime),
      bestSignatureTimeSource: o.times.bestSignatureTimeSource,
    },
    revocation: mapped(o.revocation, revocationSummary),
    ...(o.validPolicies ? { validPolicies: o.validPolicies } : {}),
    ...(o.signaturePolicy ? { signaturePolicy: { ...o.signaturePolicy } } : {}),
    ...(timestamps.length ? { timestamps } : {}),
    checks: o.checks,
    warnings: o.warnings,
    ...(counterSignatures.length ? { counterSignatures } : {}),
  };
}

export function revocationSummary(r: RevocationOutcome): RevocationSummary {
  return {
    certificate: r.certificate.subject.text,
    status: r.status,
    source: r.source,
    revocationTime: r.revocationTime ? isoTime(r.revocationTime) : null,
    detail: r.detail,
    kind: r.kind,
    origin: r.origin,
    thisUpdate: r.thisUpdate ? isoTime(r.thisUpdate) : null,
  };
}

function timestampSummary(t: TimestampOutcome): TimestampSummary {
  return {
    type: TIMESTAMP_TYPE[t.fact.kind],
    status: t.status,
    subIndication: t.subIndication,
    genTime: t.genTime ? isoTime(t.genTime) : null,
    tsa: t.tsa?.subject.text ?? null,
    usedAsPoe: t.usedAsPoe,
    checks: t.checks,
  };
}
