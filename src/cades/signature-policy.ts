/**
 * The signature-policy-identifier signed attribute (EN 319 122-1 5.2.9, RFC 5126 5.8.1):
 *
 *   SignaturePolicyIdentifier ::= CHOICE { signaturePolicyId SignaturePolicyId, signaturePolicyImplied NULL }
 *   SignaturePolicyId ::= SEQUENCE { sigPolicyId OBJECT IDENTIFIER, sigPolicyHash OtherHashAlgAndValue,
 *                                    sigPolicyQualifiers SEQUENCE OF SigPolicyQualifierInfo OPTIONAL }
 *   OtherHashAlgAndValue ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashValue OCTET STRING }
 *
 * Read as a fact only; the stage (stage/signature-policy.ts) checks it.
 */
import * as asn1js from 'asn1js';
import { OtsEsigError } from '../errors.js';
import { oid, octetString, sequence, type Asn1Node } from '../util/asn1-tree.js';
import { copyBytes } from '../util/bytes.js';

/** What the attribute says (the stage's SignaturePolicyFact has this shape). */
export interface CadesSignaturePolicy {
  readonly implied: boolean;
  readonly id: string | null;
  readonly digestAlgorithm: string | null;
  readonly digest: Uint8Array | null;
  readonly problem?: string;
}

export const SIGNATURE_POLICY_IDENTIFIER_OID = '1.2.840.113549.1.9.16.2.15';

/** The fact of one attribute value; `digestName` names a hash OID (the registry's name, or the OID when unknown). */
export function readSignaturePolicy(value: Asn1Node, digestName: (oid: string) => string): CadesSignaturePolicy {
  if (value instanceof asn1js.Null) return { implied: true, id: null, digestAlgorithm: null, digest: null };
  try {
    const parts = sequence(value, 'SignaturePolicyId');
    const id = oid(parts[0], 'SignaturePolicyId sigPolicyId');
    // EN 319 122-1 makes sigPolicyHash mandatory; a signature without one names a policy nothing can check.
    if (parts[1] === undefined) return { implied: false, id, digestAlgorithm: null, digest: null, problem: 'SignaturePolicyId has no sigPolicyHash' };
    const hash = sequence(parts[1], 'SignaturePolicyId sigPolicyHash');
    const algorithm = oid(sequence(hash[0], 'sigPolicyHash hashAlgorithm')[0], 'sigPolicyHash hashAlgorithm algorithm');
    // A copy: asn1js's view may lie in the caller's buffer (a Node Buffer, whose .slice() is a view too).
    const digest = copyBytes(octetString(hash[1], 'sigPolicyHash hashValue').valueBlock.valueHexView);
    return { implied: false, id, digestAlgorithm: digestName(algorithm), digest };
  } catch (e) {
    if (!(e instanceof OtsEsigError)) throw e;
    return { implied: false, id: null, digestAlgorithm: null, digest: null, problem: e.message };
  }
}
