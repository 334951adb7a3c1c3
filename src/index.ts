// Public API. Everything not exported here is internal and may change.
export { verify, collect, evaluate, type SignatureInput, type CollectedFacts, type EvaluateOptions } from './validation/verify.js';
export type { SignatureFacts } from './stage/facts.js';
export type { VerifyOptions, CertificateInput, CrlInput, OcspInput, SignaturePolicyDocumentInput } from './validation/options.js';
export { validateTimestampToken, parseTimestampToken, type TimestampValidation, type TimestampedData, type TimestampToken, type TstInfo } from './tsp/index.js';
export { ParsedOcspResponse } from './revocation/ocsp.js';
export { Fetcher, FetchError, type FetchFunction, type FetchResponseLike, type FetcherOptions } from './net/fetcher.js';
export { DEFAULT_LIMITS, type Limits } from './limits.js';
export { loadCertificates, loadCrls } from './validation/options.js';
export type {
  ValidationReport,
  SignatureReport,
  SignatureTimes,
  CertificateSummary,
  RevocationSummary,
  TimestampSummary,
  IsoTime,
} from './report/model.js';
export type { Check, CheckStatus, BuildingBlock } from './report/check.js';
export { SUB_INDICATIONS, type Indication, type SubIndication } from './report/indication.js';
export { formatText } from './report/text.js';
export { formatTextLocalized, type TextReportOptions } from './report/text-i18n.js';
export { formatHtml, type HtmlReportOptions } from './report/html.js';
export { LANGUAGES as REPORT_LANGUAGES, pickLanguage as pickReportLanguage, type Language as ReportLanguage } from './report/i18n/languages.js';
export { Translator, checkKey } from './report/i18n/translate.js';
export type {
  RecognitionReport,
  RecognitionStatus,
  RecognitionBasis,
  RecognitionEvaluation,
  MatchedService,
  TrustReport,
  TrustListSummary,
  AgreementSummary,
  SignaturePolicySummary,
} from './report/model.js';
// Trusted lists (ETSI TS 119 612 XML / JSON form), agreements and recognition.
export { loadTrustLists, type TrustListInput, type TrustSet, type LoadedTrustList, type ListIntegrity } from './trust/load.js';
export type { ListSignatureStatus, ListSignatureOutcome } from './trust/list-signature.js';
export { parseTrustedListJson, trustedListToJson, TRUST_LIST_JSON_KIND, type TrustListJson } from './trust/json.js';
export { convertTrustedListXmlToJson } from './trust/convert.js';
export { parseAgreementJson, type Agreement, type AgreementEquivalence, type AgreementConstraints } from './trust/agreements.js';
export type { AgreementInput } from './trust/context.js';
export type { AgreementSignerInput } from './trust/inputs.js';
export { recognize, type RecognitionPolicy } from './trust/recognize.js';
export { serviceStatusAt, type StatusAt } from './trust/status.js';
export { TrustListError } from './trust/errors.js';
export type {
  TrustedList,
  SchemeInformation,
  TrustServiceProvider,
  TrustService,
  ServiceHistoryInstance,
  DigitalIdentity,
  TslPointer,
  MutualRecognitionInfo,
  ServiceEquivalence,
  TrustListProvenance,
} from './trust/model.js';
export { formatEtsiXml } from './report/etsi-xml.js';
// ASiC containers (EN 319 162-1): verify() reads them; these list and extract what they hold.
export { openContainer, signedDataObjects, type OpenedContainer, type ContainerFile } from './asic/extract.js';
export type { ContainerReport, ContainerEntry, ContainerEntryRole, ContainerCoverage, ContainerTimestamp, ContainerType, ManifestMismatch } from './report/container.js';
export {
  OtsEsigError,
  InputFormatError,
  InvalidOptionError,
  LimitExceededError,
  UnsupportedAlgorithmError,
  type ErrorCode,
} from './errors.js';
export { AlgorithmRegistry } from './crypto/registry.js';
export { WebCryptoProvider } from './crypto/webcrypto-provider.js';
export type { CryptoProvider, VerifyRequest, ResolvedSignatureAlgorithm } from './crypto/provider.js';
export { DEFAULT_ALGORITHM_POLICY, type AlgorithmPolicy, type KeySizeRule } from './crypto/policy.js';
export { DEFAULT_POLICY, LENIENT_POLICY, TR_PROFILE_POLICY, TR_SIGNATURE_POLICIES, POLICY_PRESETS } from './policy/presets.js';
export { parsePolicy, policyIdentity } from './policy/parse.js';
export type {
  ValidationPolicy,
  CertificateConstraints,
  RevocationConstraints,
  RevocationScope,
  TimestampConstraints,
  TrustServiceConstraints,
  Severity,
  SeverityFinding,
  PolicyIdentity,
  SignaturePolicyConstraints,
  KnownSignaturePolicy,
  SignerConstraints,
} from './policy/model.js';
export { ParsedCertificate, type KeyUsageName } from './pki/certificate.js';
export { ParsedCrl } from './pki/crl.js';
export { CertificatePool, type TrustAnchor } from './pki/pool.js';
export { VERSION } from './version.js';
export { verifyCertificate, type VerifyCertificateOptions, type CertificateValidationReport } from './validation/verify-certificate.js';
