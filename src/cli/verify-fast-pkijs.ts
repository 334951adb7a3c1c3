/**
 * Entry of dist/cli-verify-pkijs.cjs: the pkijs classes the library uses at run time, for dist/cli-verify.js (#19
 * cliStart). A CAdES-B verify with supplied CRLs runs no pkijs code (certificates, CMS and CRLs are header-walked),
 * yet compiling pkijs and creating its ~100 classes was about 13 ms of every one-file `ots-esig verify`. So
 * cli-verify.js does not contain pkijs: each name below is there a stand-in that loads this file synchronously
 * the first time it is constructed, called or read (time-stamp tokens, OCSP responses, issuingDistributionPoint,
 * name constraints, ...) and then forwards to the real class (tsup.config.ts, lazyPkijs). The file shares
 * cli-verify.js's asn1js, which pkijs's schema checks compare classes of. A name missing here fails the build.
 */
export {
  AlgorithmIdentifier,
  AltName,
  AuthorityKeyIdentifier,
  BasicOCSPResponse,
  CertID,
  Certificate,
  CertificatePolicies,
  CRLDistributionPoints,
  Extensions,
  GeneralName,
  GeneralNames,
  InfoAccess,
  IssuingDistributionPoint,
  MessageImprint,
  NameConstraints,
  OCSPRequest,
  OCSPResponse,
  PolicyConstraints,
  PolicyMappings,
  RelativeDistinguishedNames,
  Request,
  RSASSAPSSParams,
  SignedData,
  SignerInfo,
  TimeStampReq,
  TimeStampResp,
  TSTInfo,
} from 'pkijs';
