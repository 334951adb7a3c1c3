/**
 * Signature policy (EPES) checks of the signature stage: EN 319 102-1 5.2.4 validation context initialisation
 * for a signature that names a signature policy (EN 319 122-1 / EN 319 132-1 5.2.9 signature-policy-identifier).
 *
 * The SigPolicyHash is checked against the policy document the caller supplies for that identifier
 * (VerifyOptions.signaturePolicies), else against the digest the validation policy knows
 * (ValidationPolicy.signaturePolicy.known). A mismatch is INDETERMINATE / POLICY_PROCESSING_ERROR (the policy
 * "could not be processed": DSS SignaturePolicyHashValidCheck); an identifier the validation policy does not
 * accept, or no identifier when one is required, is POLICY_PROCESSING_ERROR too (DSS SignaturePolicyIdentifierCheck).
 * A policy nothing can check the hash of is, by the policy's `unknown` severity, SIGNATURE_POLICY_NOT_AVAILABLE
 * (FAIL) or a warning (DSS default: PolicyAvailable INFORM). The policy's hash algorithm binds the policy
 * document: it is judged by the algorithm policy like any other binding digest (SAV, rescued by a POE).
 */
import { DIGEST_OID_BY_NAME } from '../crypto/algorithms.js';
import { checkDigest } from '../crypto/policy.js';
import type { SignaturePolicyConstraints } from '../policy/model.js';
import type { CheckList } from '../etsi/check.js';
import { equalBytes, fromHex, toHex } from '../util/bytes.js';
import { recordAlgorithm } from '../validation/crypto-checks.js';
import type { ValidationContext } from '../validation/options.js';
import type { SignaturePolicyFact } from './facts.js';

/** What applies when the validation policy says nothing about signature policies (DSS default). */
/** What the stage concluded about the signature policy a signature names (the report's signaturePolicy). */
export interface SignaturePolicyOutcome {
  /** SigPolicyId (dotted OID, or the XAdES identifier as written); null for an implied policy or an unreadable one. */
  readonly id: string | null;
  readonly implied: boolean;
  /** The SigPolicyHash digest algorithm (e.g. `SHA-256`). */
  readonly digestAlgorithm: string | null;
  /** What the hash was compared with: a policy document the caller supplied, a digest the validation policy knows, or nothing. */
  readonly checkedAgainst: 'supplied-document' | 'known-digest' | null;
  readonly status: 'PASSED' | 'FAILED' | 'NOT_CHECKED';
}

const NO_CONSTRAINTS: SignaturePolicyConstraints = { required: false, known: [], unknown: 'WARN' };

export async function checkSignaturePolicy(
  fact: SignaturePolicyFact | undefined,
  ctx: ValidationContext,
  checks: CheckList,
  warnings: string[],
): Promise<SignaturePolicyOutcome | undefined> {
  const rules = ctx.policy.signaturePolicy ?? NO_CONSTRAINTS;
  const policyName = ctx.policy.name;
  if (!fact || fact.implied) {
    if (rules.required) {
      const what = fact ? 'the signature policy is only implied (SignaturePolicyImplied)' : 'the signature names no signature policy';
      checks.indeterminate('VCI', 'vci.signature-policy', `${what}; the validation policy "${policyName}" requires an explicit signature policy identifier`, 'POLICY_PROCESSING_ERROR');
    }
    return fact ? { id: null, implied: true, digestAlgorithm: null, checkedAgainst: null, status: rules.required ? 'FAILED' : 'NOT_CHECKED' } : undefined;
  }
  const summary = (status: SignaturePolicyOutcome['status'], checkedAgainst: SignaturePolicyOutcome['checkedAgainst'] = null): SignaturePolicyOutcome => ({
    id: fact.id,
    implied: false,
    digestAlgorithm: fact.digestAlgorithm,
    checkedAgainst,
    status,
  });
  // A malformed identifier is a FORMAT_FAILURE the front end recorded.
  if (fact.problem || !fact.id) return summary('FAILED');
  if (rules.acceptable && !rules.acceptable.includes(fact.id)) {
    checks.indeterminate(
      'VCI',
      'vci.signature-policy',
      `signature policy ${fact.id} is not one the validation policy "${policyName}" accepts (${rules.acceptable.join(', ')})`,
      'POLICY_PROCESSING_ERROR',
    );
    return summary('FAILED');
  }

  // --- the hash: against the caller's document, else the digest the validation policy knows ---
  const digestName = fact.digestAlgorithm!;
  const digestOid = DIGEST_OID_BY_NAME[digestName] ?? digestName;
  const documents = (ctx.signaturePolicyDocuments ?? []).filter((d) => d.id === fact.id);
  const known = rules.known.filter((k) => k.id === fact.id);
  let expected: { readonly digest: Uint8Array; readonly source: string } | undefined;
  let checkedAgainst: SignaturePolicyOutcome['checkedAgainst'] = null;
  if (documents.length) {
    if (!ctx.registry.supportsDigest(digestOid)) {
      checks.indeterminate('VCI', 'vci.signature-policy-hash', `signature policy ${fact.id}: SigPolicyHash algorithm ${digestName} is not supported by any provider`, 'POLICY_PROCESSING_ERROR');
      return summary('FAILED', 'supplied-document');
    }
    // Several documents for one identifier (versions): the hash must be the digest of one of them.
    const digests = await Promise.all(documents.map((d) => ctx.registry.digest(digestOid, d.document)));
    const hit = digests.find((d) => equalBytes(d, fact.digest!));
    expected = { digest: hit ?? digests[0]!, source: `the supplied policy document${documents.length > 1 ? 's' : ''}` };
    checkedAgainst = 'supplied-document';
  } else if (known.length) {
    const same = known.filter((k) => k.digestAlgorithm === digestName);
    if (!same.length) {
      // The signature hashed the policy with another algorithm than the registry knows: nothing to compare with.
      return unavailable(`signature policy ${fact.id}: the validation policy knows its digest in ${[...new Set(known.map((k) => k.digestAlgorithm))].join(', ')}, the signature gives ${digestName}`);
    }
    const hit = same.find((k) => equalBytes(fromHex(k.digest), fact.digest!));
    expected = { digest: fromHex((hit ?? same[0]!).digest), source: `the digest the validation policy "${policyName}" knows` };
    checkedAgainst = 'known-digest';
  } else {
    return unavailable(`signature policy ${fact.id}: no policy document was supplied and the validation policy "${policyName}" knows no digest for it, so its SigPolicyHash is not checked`);
  }

  recordAlgorithm(checks, 'SAV', 'sav.signature-policy-digest', `SigPolicyHash algorithm ${digestName}`, checkDigest(ctx.algorithmPolicy, digestName, ctx.time));
  if (equalBytes(expected.digest, fact.digest!)) {
    checks.pass('VCI', 'vci.signature-policy-hash', `signature policy ${fact.id}: SigPolicyHash ${digestName} ${toHex(fact.digest!)} matches ${expected.source}`);
    return summary('PASSED', checkedAgainst);
  }
  checks.indeterminate(
    'VCI',
    'vci.signature-policy-hash',
    `signature policy ${fact.id}: SigPolicyHash ${digestName} ${toHex(fact.digest!)} differs from ${expected.source} (${toHex(expected.digest)})`,
    'POLICY_PROCESSING_ERROR',
  );
  return summary('FAILED', checkedAgainst);

  function unavailable(detail: string): SignaturePolicyOutcome {
    if (rules.unknown === 'FAIL') {
      checks.indeterminate('VCI', 'vci.signature-policy-hash', `${detail} (validation policy "${policyName}" requires known signature policies)`, 'SIGNATURE_POLICY_NOT_AVAILABLE');
      return summary('FAILED');
    }
    checks.skip('VCI', 'vci.signature-policy-hash', detail);
    if (rules.unknown === 'WARN') warnings.push(detail);
    return summary('NOT_CHECKED');
  }
}
