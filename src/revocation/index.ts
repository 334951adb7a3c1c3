/** Revocation: OCSP (RFC 6960) validation and the combined CRL + OCSP checker with its precedence rules. */
export { ParsedOcspResponse, ocspAnswer, buildOcspRequest, type OcspAnswer, type OcspSingleResponse, type ResponderId } from './ocsp.js';
export { revocationChecker, accessUrls, type RevocationSources, type RevocationOrigin } from './checker.js';
