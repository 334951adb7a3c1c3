import { LimitExceededError } from '../errors.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { findPath } from '../pki/path.js';
import { primaryFailure } from '../pki/path-validator.js';
import { crlChecker } from '../pki/revocation.js';
import type { CertificatePool } from '../pki/pool.js';
import type { CheckList } from '../report/check.js';
import { indicationFor } from '../report/indication.js';
import type { CertificateSummary, RevocationSummary } from '../report/model.js';
import { summarizeCertificate } from '../report/summary.js';
import type { ValidationContext } from './options.js';

export interface ChainOutcome {
  readonly chain: readonly ParsedCertificate[];
  readonly summaries: readonly CertificateSummary[];
  readonly revocation: readonly RevocationSummary[];
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
): Promise<ChainOutcome | undefined> {
  let outcome;
  try {
    outcome = await findPath(
      target,
      pool,
      ctx.anchors,
      {
        time: ctx.time,
        registry: ctx.registry,
        algorithmPolicy: ctx.algorithmPolicy,
        revocation: crlChecker(ctx.crls, ctx.registry),
        targetKeyUsage: ['digitalSignature', 'nonRepudiation'],
      },
      ctx.pathLimits,
    );
  } catch (e) {
    if (!(e instanceof LimitExceededError)) throw e;
    checks.indeterminate('XCV', 'xcv.path-building', `path building stopped: ${e.message}`, 'NO_CERTIFICATE_CHAIN_FOUND');
    return undefined;
  }
  const best = outcome.best;
  if (!best) {
    const tried = outcome.tried.length
      ? `; candidates tried: ${outcome.tried.map((r) => `[${r.chain.map((c) => c.subject.text).join(' <- ')}]: ${r.failures.map((f) => f.detail).join('; ')}`).join(' | ')}`
      : '';
    checks.indeterminate('XCV', 'xcv.path-building', `no path from ${target.subject.text} to a trust anchor${tried}`, 'NO_CERTIFICATE_CHAIN_FOUND');
    return undefined;
  }
  if (best.valid) {
    checks.pass('XCV', 'xcv.path', `valid path of ${best.chain.length} certificates to anchor ${best.chain[best.chain.length - 1]!.subject.text}`);
  } else {
    const primary = primaryFailure(best)!;
    for (const f of [primary, ...best.failures.filter((x) => x !== primary)]) {
      const status = indicationFor(f.subIndication) === 'TOTAL-FAILED' ? 'FAILED' : 'INDETERMINATE';
      checks.add({ id: `xcv.${f.kind}`, block: 'XCV', status, detail: `${f.subject}: ${f.detail}`, subIndication: f.subIndication });
    }
  }
  const revocation: RevocationSummary[] = [];
  best.revocation.forEach((r, i) => {
    const c = best.chain[i]!;
    if (r.status === 'unknown') warnings.push(`revocation status of ${c.subject.text} not checked: ${r.reason}`);
    else if (r.status === 'good' && !r.fresh) warnings.push(`revocation data for ${c.subject.text} is past its nextUpdate`);
    revocation.push({
      certificate: c.subject.text,
      status: r.status,
      source: r.status === 'unknown' ? null : r.source,
      revocationTime: r.status === 'revoked' ? r.revocationTime.toISOString() : null,
      detail: r.status === 'unknown' ? r.reason : r.status === 'revoked' ? (r.reason ?? null) : null,
    });
  });
  return { chain: best.chain, summaries: await Promise.all(best.chain.map(summarizeCertificate)), revocation };
}
