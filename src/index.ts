// Public API. Everything not exported here is internal and may change.
export { verify, type SignatureInput } from './validation/verify.js';
export type { VerifyOptions, CertificateInput, CrlInput } from './validation/options.js';
export { loadCertificates, loadCrls } from './validation/options.js';
export type {
  ValidationReport,
  SignatureReport,
  SignatureTimes,
  CertificateSummary,
  RevocationSummary,
  IsoTime,
} from './report/model.js';
export type { Check, CheckStatus, BuildingBlock } from './report/check.js';
export { SUB_INDICATIONS, type Indication, type SubIndication } from './report/indication.js';
export { formatText } from './report/text.js';
export { formatEtsiXml } from './report/etsi-xml.js';
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
export { ParsedCertificate } from './pki/certificate.js';
export { ParsedCrl } from './pki/crl.js';
export { VERSION } from './version.js';
