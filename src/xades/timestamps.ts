/**
 * XAdES time-stamps (EN 319 132-1 5.3, 5.5): what this module does today is
 * parse each EncapsulatedTimeStamp (RFC 3161 TimeStampToken) and check its
 * message imprint against the XAdES-defined input — for SignatureTimeStamp the
 * canonicalised ds:SignatureValue element. It does NOT yet validate the token's
 * CMS signature nor the TSA's certificate path (that is the RFC 3161 module's
 * job, src/tsp/, not available when this was written), so no time-stamp is
 * used as proof of existence: the best-signature-time stays the validation
 * time and every time-stamp gets a `tst.*` check saying validation was not done.
 * ArchiveTimeStamp inputs (EN 319 132-1 5.5.2) are not computed: reported only.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { DIGEST_OIDS } from '../crypto/algorithms.js';
import type { CheckList } from '../report/check.js';
import { equalBytes, toArrayBuffer, toHex } from '../util/bytes.js';
import type { ValidationContext } from '../validation/options.js';
import { C14N_10, C14N_METHODS } from './algorithms.js';
import { canonicalize } from './c14n.js';
import type { EncapsulatedTimeStamp, QualifyingProperties } from './properties.js';
import type { XmlSignatureResult } from './xmldsig.js';
import { child, DSIG_NS } from './dom.js';

export interface TimestampOutcome {
  /** Only set once a time-stamp is fully validated (never, until src/tsp is wired in). */
  readonly bestSignatureTime?: Date;
}

interface TstInfoFacts {
  readonly genTime: Date;
  readonly hashOid: string;
  readonly imprint: Uint8Array;
}

function readToken(der: Uint8Array): TstInfoFacts {
  const asn = asn1js.fromBER(toArrayBuffer(der));
  if (asn.offset === -1) throw new Error('not DER');
  const ci = new pkijs.ContentInfo({ schema: asn.result });
  if (ci.contentType !== '1.2.840.113549.1.7.2') throw new Error('not a CMS SignedData');
  const sd = new pkijs.SignedData({ schema: ci.content });
  if (sd.encapContentInfo.eContentType !== '1.2.840.113549.1.9.16.1.4') throw new Error('eContentType is not id-ct-TSTInfo');
  const econtent = sd.encapContentInfo.eContent;
  if (!econtent) throw new Error('TSTInfo is missing');
  const inner = asn1js.fromBER(econtent.getValue());
  if (inner.offset === -1) throw new Error('TSTInfo is not DER');
  const tst = new pkijs.TSTInfo({ schema: inner.result });
  return { genTime: tst.genTime, hashOid: tst.messageImprint.hashAlgorithm.algorithmId, imprint: tst.messageImprint.hashedMessage.valueBlock.valueHexView };
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
  for (const ts of qp.timeStamps) {
    const id = `tst.${ts.kind}[${i++}]`;
    if (!ts.token) {
      checks.skip('TST', id, `${ts.kind}: no EncapsulatedTimeStamp to validate`);
      continue;
    }
    let facts: TstInfoFacts;
    try {
      facts = readToken(ts.token);
    } catch (e) {
      warnings.push(`${ts.kind} is unreadable: ${(e as Error).message}`);
      checks.skip('TST', id, `${ts.kind}: unreadable time-stamp token (${(e as Error).message}); not used`);
      continue;
    }
    const input = imprintInput(ts, signature);
    let imprint = 'message imprint not checked (input for this time-stamp type is not computed)';
    if (input !== undefined && ctx.registry.supportsDigest(facts.hashOid)) {
      const h = await ctx.registry.digest(facts.hashOid, input);
      imprint = equalBytes(h, facts.imprint)
        ? `message imprint (${DIGEST_OIDS[facts.hashOid] ?? facts.hashOid}) matches`
        : `message imprint ${toHex(facts.imprint)} does not match the ${DIGEST_OIDS[facts.hashOid] ?? facts.hashOid} of the time-stamped data ${toHex(h)}`;
      if (!equalBytes(h, facts.imprint)) warnings.push(`${ts.kind}: ${imprint}`);
    }
    checks.skip(
      'TST',
      id,
      `${ts.kind} genTime ${facts.genTime.toISOString()}; ${imprint}; token signature and TSA certificate NOT validated (RFC 3161 validation not wired in), so it is not used as proof of existence`,
    );
  }
  if (qp.certificateValues.length || qp.crlValues.length || qp.ocspValues.length) {
    checks.skip(
      'RFC',
      'rfc.embedded-validation-data',
      `embedded validation data: ${qp.certificateValues.length} certificate(s) used for path building, ${qp.crlValues.length} CRL(s) and ${qp.ocspValues.length} OCSP response(s) reported but not yet used for revocation`,
    );
  }
  return {};
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
