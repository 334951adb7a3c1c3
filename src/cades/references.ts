/**
 * CAdES-C references (EN 319 122-1 A.1.1 / RFC 5126 6.2): complete-certificate-references and
 * complete-revocation-references, read as the digests they carry. The checks (are the referenced certificates and
 * revocation values the ones used?) are cades/validate.ts's (revocation values) and the stage's (the path).
 *
 *   CompleteCertificateRefs ::= SEQUENCE OF OtherCertID { otherCertHash OtherHash, issuerSerial OPTIONAL }
 *   CompleteRevocationRefs ::= SEQUENCE OF CrlOcspRef { crlids [0] CRLListID OPTIONAL, ocspids [1] OcspListID OPTIONAL, otherRev [2] … }
 *   CRLListID ::= SEQUENCE { crls SEQUENCE OF CrlValidatedID { crlHash OtherHash, crlIdentifier OPTIONAL } }
 *   OcspListID ::= SEQUENCE { ocspResponses SEQUENCE OF OcspResponsesID { ocspIdentifier, ocspRepHash OtherHash OPTIONAL } }
 *   OtherHash ::= CHOICE { sha1Hash OCTET STRING, otherHash SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashValue OCTET STRING } }
 */
import * as asn1js from 'asn1js';
import { explicit, isContext, octetString, oid, sequence, type Asn1Node } from '../util/asn1-tree.js';

export const COMPLETE_CERTIFICATE_REFERENCES_OID = '1.2.840.113549.1.9.16.2.21';
export const COMPLETE_REVOCATION_REFERENCES_OID = '1.2.840.113549.1.9.16.2.22';
const SHA1_OID = '1.3.14.3.2.26';

/** One referenced object: the OID of the hash and the hash. */
export interface DigestReference {
  readonly digestOid: string;
  readonly digest: Uint8Array;
}

function otherHash(node: Asn1Node | undefined, what: string): DigestReference {
  if (node instanceof asn1js.OctetString) return { digestOid: SHA1_OID, digest: octetString(node, what).valueBlock.valueHexView.slice() };
  const parts = sequence(node, what);
  return { digestOid: oid(sequence(parts[0], `${what} hashAlgorithm`)[0], `${what} hashAlgorithm`), digest: octetString(parts[1], `${what} hashValue`).valueBlock.valueHexView.slice() };
}

export function readCertificateReferences(value: Asn1Node): DigestReference[] {
  return sequence(value, 'CompleteCertificateRefs').map((id) => otherHash(sequence(id, 'OtherCertID')[0], 'OtherCertID otherCertHash'));
}

export function readRevocationReferences(value: Asn1Node): { crls: DigestReference[]; ocsps: DigestReference[] } {
  const crls: DigestReference[] = [];
  const ocsps: DigestReference[] = [];
  for (const ref of sequence(value, 'CompleteRevocationRefs')) {
    for (const part of sequence(ref, 'CrlOcspRef')) {
      if (isContext(part, 0)) {
        for (const id of sequence(sequence(explicit(part, 0, 'crlids'), 'CRLListID')[0], 'CRLListID crls')) crls.push(otherHash(sequence(id, 'CrlValidatedID')[0], 'CrlValidatedID crlHash'));
      } else if (isContext(part, 1)) {
        for (const id of sequence(sequence(explicit(part, 1, 'ocspids'), 'OcspListID')[0], 'OcspListID ocspResponses')) {
          const hash = sequence(id, 'OcspResponsesID')[1];
          if (hash) ocsps.push(otherHash(hash, 'OcspResponsesID ocspRepHash'));
        }
      }
    }
  }
  return { crls, ocsps };
}
