/**
 * BDOC 2.1 time-marks (SK ID Solutions, "BDOC – Format for Digital Signatures", v2.1, the ASiC-E "time-mark"
 * profile Estonia used before time-stamps): a XAdES signature naming the BDOC 2.1 signature policy
 * (SigPolicyId urn:oid:1.3.6.1.4.1.10015.1000.3.2.1) and carrying, instead of a SignatureTimeStamp, an OCSP
 * response for the signer's certificate in RevocationValues. The OCSP request's nonce was a DER DigestInfo of the
 * hash of the ds:SignatureValue value (its decoded octets), so a response whose nonce holds that DigestInfo was
 * asked for this signature: it existed when the response was produced (producedAt), as a time-stamp would show.
 *
 * Without that binding an OCSP response says nothing about when this signature existed (it could be one issued
 * for another signature, or before the key was compromised): no time-mark is recorded, and the signature is
 * judged without that proof of existence. Whether the response itself is genuine (its responder and signature)
 * is the stage's question (stage/signature.ts), as for any OCSP response.
 */
import * as asn1js from 'asn1js';
import type { Check } from '../etsi/check.js';
import { CheckList } from '../etsi/check.js';
import type { SignatureFacts, TimeMarkFact } from '../stage/facts.js';
import { equalBytes, fromBase64, toArrayBuffer } from '../util/bytes.js';
import type { ValidationContext } from '../validation/options.js';
import { children, DSIG_NS } from '../xades/dom.js';

/** The BDOC 2.1 signature policy identifier (its time-mark profile). */
export const BDOC_21_POLICY_OID = '1.3.6.1.4.1.10015.1000.3.2.1';

/** What the BDOC time-mark of a signature came to: the fact when the nonce binds, else checks and warnings saying why not. */
export interface TimeMarkCollection {
  readonly timeMark?: TimeMarkFact;
  readonly checks: readonly Check[];
  readonly warnings: readonly string[];
}

/** A DER DigestInfo (RFC 8017 9.2), optionally wrapped once more in an OCTET STRING (as OpenSSL-made requests have it). */
function readDigestInfo(nonce: Uint8Array): { oid: string; digest: Uint8Array } | undefined {
  const parse = (b: Uint8Array) => {
    const r = asn1js.fromBER(toArrayBuffer(b));
    return r.offset === b.length ? r.result : undefined;
  };
  let node = parse(nonce);
  if (node instanceof asn1js.OctetString && !node.idBlock.isConstructed) node = parse(node.valueBlock.valueHexView);
  if (!(node instanceof asn1js.Sequence) || node.valueBlock.value.length !== 2) return undefined;
  const [alg, digest] = node.valueBlock.value;
  if (!(alg instanceof asn1js.Sequence) || !(digest instanceof asn1js.OctetString)) return undefined;
  const algParts = alg.valueBlock.value;
  const oid = algParts[0];
  if (!(oid instanceof asn1js.ObjectIdentifier) || algParts.length > 2 || (algParts[1] && !(algParts[1] instanceof asn1js.Null))) return undefined;
  return { oid: oid.valueBlock.toString(), digest: digest.valueBlock.valueHexView };
}

/**
 * The BDOC time-mark of `facts` (a XAdES signature `signature` of an ASiC-E), or undefined when the signature is not
 * of the time-mark profile: it must name the BDOC 2.1 policy, carry OCSP responses and no SignatureTimeStamp.
 */
export async function collectTimeMark(signature: Element, facts: SignatureFacts, ctx: ValidationContext): Promise<TimeMarkCollection | undefined> {
  if (facts.signaturePolicy?.id !== BDOC_21_POLICY_OID || facts.ocsps.length === 0) return undefined;
  if (facts.timestamps.some((t) => t.kind === 'signature')) return undefined;
  const checks = new CheckList();
  const warnings: string[] = [];
  const noPoe = (why: string) => {
    checks.skip('PSV', 'psv.time-mark', `BDOC time-mark: ${why}; its producedAt is not taken as proof of existence of the signature`);
    warnings.push(`BDOC time-mark: ${why}: the OCSP response does not prove when the signature existed`);
    return { checks: checks.items, warnings };
  };
  const sv = children(signature, DSIG_NS, 'SignatureValue')[0];
  let value: Uint8Array;
  try {
    value = fromBase64(sv?.textContent ?? '');
  } catch {
    return noPoe('the ds:SignatureValue is not base64');
  }
  const problems: string[] = [];
  for (const ocsp of facts.ocsps) {
    if (!ocsp.nonce) {
      problems.push(`the OCSP response produced at ${ocsp.producedAt.toISOString()} has no nonce`);
      continue;
    }
    const info = readDigestInfo(ocsp.nonce);
    if (!info) {
      problems.push(`the nonce of the OCSP response produced at ${ocsp.producedAt.toISOString()} is not a DigestInfo`);
      continue;
    }
    if (!ctx.registry.supportsDigest(info.oid)) {
      problems.push(`the nonce of the OCSP response produced at ${ocsp.producedAt.toISOString()} uses the unsupported digest ${info.oid}`);
      continue;
    }
    if (!equalBytes(await ctx.registry.digest(info.oid, value), info.digest)) {
      problems.push(`the nonce of the OCSP response produced at ${ocsp.producedAt.toISOString()} is not the ${ctx.registry.digestName(info.oid)} digest of this signature's value`);
      continue;
    }
    return { timeMark: { ocsp, digest: ctx.registry.digestName(info.oid) }, checks: [], warnings: [] };
  }
  return noPoe(problems.join('; '));
}
