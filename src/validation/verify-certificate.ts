/**
 * `verifyCertificate`: X.509 validation of one certificate (EN 319 102-1 5.2.6, the XCV building
 * block) under the same policy and options as `verify()`: the same context, the same path
 * validation and revocation rules (validation/chain.ts) and the same verdict (verdict.ts). It is
 * how a caller checks a certificate on its own, and how certificate-only suites (x509-limbo,
 * NIST PKITS: they ship no private keys, so no signature can be made) run through the public API.
 */
import { sha256Hex } from '../util/sha256.js';
import { InvalidOptionError } from '../errors.js';
import type { KeyUsageName } from '../pki/certificate.js';
import { KEY_USAGE_BITS } from '../pki/certificate.js';
import { CertificatePool } from '../pki/pool.js';
import { CheckList, type Check } from '../etsi/check.js';
import type { Indication, SubIndication } from '../etsi/indication.js';
import type { CertificateSummary, IsoTime, RevocationSummary } from '../report/model.js';
import { revocationSummary } from '../report/signature.js';
import { summarizeChain } from '../report/summary.js';
import type { ValidationPolicy } from '../policy/model.js';
import { validateChain } from './chain.js';
import { createContext, loadCertificates, type CertificateInput, type VerifyOptions } from './options.js';
import { decide } from './verdict.js';

/** The options of `verify()` that apply to a certificate on its own, plus the usage it is validated for. */
export interface VerifyCertificateOptions
  extends Pick<
    VerifyOptions,
    | 'policy'
    | 'trustAnchors'
    | 'trustAnchorPool'
    | 'intermediates'
    | 'crls'
    | 'ocspResponses'
    | 'validationTime'
    | 'acceptablePolicies'
    | 'algorithmPolicy'
    | 'registry'
    | 'limits'
    | 'online'
    | 'fetcher'
    | 'fetchLimits'
    | 'requireRevocation'
  > {
  /**
   * keyUsage bits the certificate must assert (any one of them; RFC 5280 4.2.1.3 names).
   * Default: digitalSignature or nonRepudiation, as for a signer; `[]`: no keyUsage requirement.
   */
  readonly keyUsage?: readonly KeyUsageName[];
  /** An extendedKeyUsage OID the certificate must allow (anyExtendedKeyUsage or no EKU extension allow every purpose). */
  readonly extendedKeyUsage?: string;
}

/** The result of `verifyCertificate`: the indication for a certificate alone (path, revocation, trust), its chain and checks. */
export interface CertificateValidationReport {
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  readonly validationTime: IsoTime;
  /** The validated (or nearest to valid) path, target first, anchor last; empty when none was built. */
  readonly chain: readonly CertificateSummary[];
  /** Revocation status per certificate of `chain` (the anchor has none). */
  readonly revocation: readonly RevocationSummary[];
  readonly checks: readonly Check[];
  readonly warnings: readonly string[];
  /** The policy the verdict was reached under. */
  readonly policy: { readonly name: string; readonly sha256: string };
}

/**
 * Validates `certificate` (DER, PEM or parsed; with several PEM blocks, the first) for the given
 * usage at `validationTime` (default now). Never throws for a bad certificate chain: that is the
 * report's indication. Throws InvalidOptionError for unusable options or an unreadable certificate.
 */
export async function verifyCertificate(certificate: CertificateInput, options: VerifyCertificateOptions = {}): Promise<CertificateValidationReport> {
  const target = loadCertificates(certificate)[0]!;
  for (const u of options.keyUsage ?? []) {
    if (!(KEY_USAGE_BITS as readonly string[]).includes(u)) throw new InvalidOptionError(`keyUsage: unknown name "${u}" (known: ${KEY_USAGE_BITS.join(', ')})`);
  }
  const eku = options.extendedKeyUsage;
  if (eku !== undefined && (typeof eku !== 'string' || !/^[0-2](\.(0|[1-9]\d*))+$/.test(eku))) throw new InvalidOptionError(`extendedKeyUsage: ${JSON.stringify(eku)} is not an OID`);
  const ctx = createContext(options);
  const checks = new CheckList();
  const warnings = ctx.warnings;
  const pool = new CertificatePool(ctx.intermediates.map((c) => ({ certificate: c })));
  const outcome = await validateChain(target, pool, ctx, checks, warnings, {
    targetKeyUsage: options.keyUsage === undefined ? undefined : options.keyUsage.length ? options.keyUsage : null,
    targetExtKeyUsage: eku,
  });
  const verdict = decide(checks.items);
  return {
    indication: verdict.indication,
    subIndication: verdict.subIndication,
    validationTime: ctx.time.toISOString(),
    chain: await summarizeChain(outcome?.chain ?? []),
    revocation: (outcome?.revocation ?? []).map(revocationSummary),
    checks: checks.items,
    warnings,
    policy: { name: ctx.policy.name, sha256: await policyDigest(ctx.policy) },
  };
}

/** SHA-256 (hex) of the policy's canonical JSON (keys sorted, no whitespace), as PolicyIdentity defines it. */
async function policyDigest(policy: ValidationPolicy): Promise<string> {
  const canonical = (v: unknown): string =>
    Array.isArray(v)
      ? `[${v.map(canonical).join(',')}]`
      : v && typeof v === 'object'
        ? `{${Object.keys(v)
            .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
            .join(',')}}`
        : JSON.stringify(v ?? null);
  const bytes = new TextEncoder().encode(canonical(policy));
  return sha256Hex(bytes);
}
