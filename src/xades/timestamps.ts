/**
 * XAdES time-stamps (EN 319 132-1 5.3, 5.5). Each EncapsulatedTimeStamp
 * (RFC 3161 TimeStampToken) is validated with the RFC 3161 module (src/tsp/:
 * token signature, ESS binding, TSA path, genTime) and bound to its XAdES
 * input: for SignatureTimeStamp the ds:SignatureValue element canonicalised
 * with the time-stamp's CanonicalizationMethod (default C14N 1.0).
 *
 * A time-stamp is used as proof of existence only when it PASSES; the earliest
 * such SignatureTimeStamp genTime becomes the best-signature-time. A failing
 * time-stamp does not change the basic signature verdict (it is unsigned data an
 * attacker could add): it is reported with a SKIPPED check and a warning.
 * ArchiveTimeStamp / SigAndRefs / RefsOnly inputs (EN 319 132-1 5.5.2) are not
 * computed yet: their token is validated without binding to data and they are
 * reported, never used as proof of existence.
 */
import { validateTimestampToken } from '../tsp/index.js';
import type { CheckList } from '../report/check.js';
import { certificateCache } from '../pki/cache.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import type { ValidationContext } from '../validation/options.js';
import { C14N_10, C14N_METHODS } from './algorithms.js';
import { canonicalize } from './c14n.js';
import type { EncapsulatedTimeStamp, QualifyingProperties } from './properties.js';
import type { XmlSignatureResult } from './xmldsig.js';
import { child, DSIG_NS } from './dom.js';

export interface TimestampOutcome {
  /** Earliest genTime of a SignatureTimeStamp that passed validation. */
  readonly bestSignatureTime?: Date;
}

export async function validateXadesTimestamps(
  qp: QualifyingProperties,
  _xml: XmlSignatureResult | undefined,
  signature: Element,
  ctx: ValidationContext,
  checks: CheckList,
  warnings: string[],
): Promise<TimestampOutcome> {
  let i = 0;
  let best: Date | undefined;
  const extra: ParsedCertificate[] = [];
  for (const der of qp.certificateValues) {
    try {
      extra.push(certificateCache.get(der));
    } catch {
      // reported by the signature validation already
    }
  }
  for (const ts of qp.timeStamps) {
    const id = `tst.${ts.kind}[${i++}]`;
    if (!ts.token) {
      checks.skip('TST', id, `${ts.kind}: no EncapsulatedTimeStamp to validate`);
      continue;
    }
    let input: Uint8Array | undefined;
    try {
      input = imprintInput(ts, signature);
    } catch (e) {
      warnings.push(`${ts.kind}: time-stamped data could not be computed: ${(e as Error).message}`);
    }
    const v = await validateTimestampToken(ts.token, { ctx, idPrefix: id, certificates: extra, imprint: input ? { data: input } : undefined });
    const when = v.genTime ? `genTime ${v.genTime.toISOString()}` : 'no genTime';
    const tsa = v.tsa ? `TSA ${v.tsa.subject.text}` : 'TSA not identified';
    if (v.status === 'PASSED' && input) {
      checks.pass('TST', id, `${ts.kind} valid: ${when}, ${tsa}, message imprint over the ${ts.kind === 'SignatureTimeStamp' ? 'canonical ds:SignatureValue' : 'time-stamped data'} matches`);
      if (ts.kind === 'SignatureTimeStamp' && v.genTime && (!best || v.genTime < best)) best = v.genTime;
    } else {
      const why = v.checks.filter((c) => c.status !== 'PASSED').map((c) => `${c.id}: ${c.detail}`);
      if (!input) why.unshift(`the data a ${ts.kind} covers is not computed by this version, so it is not bound to this signature`);
      checks.skip('TST', id, `${ts.kind} not used as proof of existence (${v.status}${v.subIndication ? `/${v.subIndication}` : ''}): ${when}, ${tsa}; ${why.join('; ')}`);
      if (input) warnings.push(`${ts.kind} ${i - 1} failed validation (${v.subIndication ?? v.status}) and was ignored`);
    }
    for (const w of v.warnings) warnings.push(`${ts.kind}: ${w}`);
  }
  if (best && qp.signingTime && qp.signingTime.getTime() > best.getTime()) {
    checks.indeterminate('TST', 'tst.signing-time-order', `claimed SigningTime ${qp.signingTime.toISOString()} is after the signature time-stamp ${best.toISOString()}`, 'TIMESTAMP_ORDER_FAILURE');
  }
  if (qp.certificateValues.length || qp.crlValues.length || qp.ocspValues.length) {
    checks.skip(
      'RFC',
      'rfc.embedded-validation-data',
      `embedded validation data: ${qp.certificateValues.length} certificate(s) used for path building, ${qp.crlValues.length} CRL(s) and ${qp.ocspValues.length} OCSP response(s) reported but not yet used for revocation`,
    );
  }
  return { bestSignatureTime: best };
}

/** The octets a time-stamp's imprint covers, where this module computes them; undefined otherwise. */
function imprintInput(ts: EncapsulatedTimeStamp, signature: Element): Uint8Array | undefined {
  if (ts.kind !== 'SignatureTimeStamp') return undefined;
  const sv = child(signature, DSIG_NS, 'SignatureValue');
  if (!sv) return undefined;
  const method = C14N_METHODS[ts.canonicalizationMethod ?? C14N_10];
  if (!method) return undefined;
  return new TextEncoder().encode(canonicalize(sv, sv, method));
}
