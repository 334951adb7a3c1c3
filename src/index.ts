// Public API. Everything not exported here is internal and may change.
import type { AlgorithmRegistry } from './crypto/registry.js';
import type { ParsedCertificate } from './pki/certificate.js';
import type { CertificateInput } from './pki/inputs.js';
import type { ContainerFile, OpenedContainer } from './asic/extract.js';
import type { Limits } from './limits.js';
import type { RecognitionReport, SignatureReport, ValidationReport } from './report/model.js';
import type { TrustListJson } from './trust/json.js';
import type { LoadTrustListsOptions, TrustListInput, TrustSet } from './trust/load.js';
import type { RecognitionPolicy } from './trust/recognize.js';
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
export type { TrustListInput, TrustSet, LoadedTrustList, ListIntegrity } from './trust/load.js';
export type { ListSignatureStatus, ListSignatureOutcome } from './trust/list-signature.js';
export { parseTrustedListJson, trustedListToJson, TRUST_LIST_JSON_KIND, type TrustListJson } from './trust/json.js';
export { parseAgreementJson, type Agreement, type AgreementEquivalence, type AgreementConstraints } from './trust/agreements.js';
export type { AgreementInput } from './trust/context.js';
export type { AgreementSignerInput } from './trust/inputs.js';
export type { RecognitionPolicy } from './trust/recognize.js';
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
export type { OpenedContainer, ContainerFile } from './asic/extract.js';
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

/*
 * The trust layer's asynchronous entry points load their modules on first call. A bundler with code splitting
 * (esbuild, as `npm run size` measures) puts every module the root entry reaches statically, and that a lazily
 * loaded chunk also uses, into a chunk the entry loads: re-exported as they were, the list loader and
 * recognition (used by verify() only when lists or a relying party are given) cost a CAdES-only page ~6 KB gzip.
 */

/**
 * Loads trusted lists in two passes: first every list whose signers the
 * caller pinned (typically the list-of-lists), then every list that one of
 * those verified lists points to, verified with the certificates the pointer
 * announces. A list whose integrity cannot be established is kept in the
 * result (so reports can say why) but marked unusable: it contributes no
 * anchors and no recognition. Throws only on unreadable input or options.
 */
export async function loadTrustLists(inputs: readonly TrustListInput[], options: LoadTrustListsOptions): Promise<TrustSet> {
  return (await import('./trust/load.js')).loadTrustLists(inputs, options);
}

/**
 * Converts a TS 119 612 XML list to the JSON form, recording the SHA-256 of
 * the exact XML bytes and the outcome of its signature check, so whoever
 * bundles the JSON can show which signed list it came from. Refuses a list
 * whose signature does not verify with `signingCertificates`.
 */
export async function convertTrustedListXmlToJson(
  xml: Uint8Array | string,
  signingCertificates: readonly CertificateInput[],
  options: { readonly time?: Date; readonly registry?: AlgorithmRegistry } = {},
): Promise<TrustListJson> {
  return (await import('./trust/convert.js')).convertTrustedListXmlToJson(xml, signingCertificates, options);
}

/**
 * Decides whether `policy.relyingParty` recognizes a validated signature
 * (layer 2). `chain` is the path layer 1 built, signer first, anchor last.
 * The service's status and the agreement periods are taken at the
 * best-signature-time, so a service withdrawn after a proven signing time
 * still supports it; list expiry is judged at the validation time.
 */
export async function recognize(report: SignatureReport, chain: readonly ParsedCertificate[], policy: RecognitionPolicy): Promise<RecognitionReport> {
  return (await import('./trust/recognize.js')).recognize(report, chain, policy);
}

/**
 * Reads the entries of an ASiC container (each file's name, role and bytes). Throws InputFormatError /
 * LimitExceededError like verify(). Asynchronous so that the ZIP reader loads on first use: a page that never
 * opens a container does not carry it.
 */
export async function openContainer(input: Uint8Array | ArrayBuffer, options: { readonly limits?: Partial<Limits> } = {}): Promise<OpenedContainer> {
  return (await import('./asic/extract.js')).openContainer(input, options);
}

/**
 * The data objects of `input` that a TOTAL-PASSED signature (or a PASSED time-stamp) in `report` covers, when
 * the container as a whole passed; an empty list otherwise. `report` must be verify()'s report of these bytes:
 * the entries are matched by name and SHA-256.
 */
export async function signedDataObjects(input: Uint8Array | ArrayBuffer, report: ValidationReport, options: { readonly limits?: Partial<Limits> } = {}): Promise<ContainerFile[]> {
  return (await import('./asic/extract.js')).signedDataObjects(input, report, options);
}
