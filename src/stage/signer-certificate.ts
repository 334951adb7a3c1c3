/**
 * Signer-certificate contents national profiles require. The QCStatements extension (RFC 3739 3.2.6, ETSI EN 319 412-5) of a signer's certificate, read for the statement
 * identifiers a national profile requires (e.g. the Turkish profiles: ETSI QcCompliance and the BTK statement).
 *   QCStatements ::= SEQUENCE OF QCStatement { statementId OBJECT IDENTIFIER, statementInfo ANY OPTIONAL }
 */
import { OtsEsigError } from '../errors.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { OID } from '../pki/oids.js';
import { decodeWhole, oid, sequence } from '../util/asn1-tree.js';

/** The statement ids of `certificate`'s QCStatements; [] without the extension; undefined when it is unreadable. */
export function qcStatementIds(certificate: ParsedCertificate): string[] | undefined {
  const ext = certificate.extensions.find((e) => e.oid === OID.qcStatements);
  if (!ext) return [];
  try {
    return sequence(decodeWhole(ext.value, 'QCStatements'), 'QCStatements').map((s) => oid(sequence(s, 'QCStatement')[0], 'QCStatement statementId'));
  } catch (e) {
    if (!(e instanceof OtsEsigError)) throw e;
    return undefined;
  }
}

const USER_NOTICE_QUALIFIER = '1.3.6.1.5.5.7.2.2';

/**
 * Whether a certificate policy of `certificate` carries a userNotice qualifier (RFC 5280 4.2.1.4; the Turkish profiles'
 * "ibare", the statement a qualified certificate shows its relying parties); undefined when the extension is unreadable.
 *   certificatePolicies ::= SEQUENCE OF PolicyInformation { policyIdentifier, policyQualifiers SEQUENCE OF PolicyQualifierInfo OPTIONAL }
 */
export function hasUserNotice(certificate: ParsedCertificate): boolean | undefined {
  const ext = certificate.extensions.find((e) => e.oid === OID.certificatePolicies);
  if (!ext) return false;
  try {
    return sequence(decodeWhole(ext.value, 'certificatePolicies'), 'certificatePolicies').some((pi) => {
      const qualifiers = sequence(pi, 'PolicyInformation')[1];
      return qualifiers !== undefined && sequence(qualifiers, 'policyQualifiers').some((q) => oid(sequence(q, 'PolicyQualifierInfo')[0], 'policyQualifierId') === USER_NOTICE_QUALIFIER);
    });
  } catch (e) {
    if (!(e instanceof OtsEsigError)) throw e;
    return undefined;
  }
}
