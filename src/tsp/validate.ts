/**
 * RFC 3161 time-stamp token validation (EN 319 102-1 5.4 "time-stamp validation building block").
 * Every token check is made here, not by pkijs' TimeStampResp.verify: the CMS
 * signature over the signed attributes, message-digest over the TSTInfo, ESS
 * signing-certificate binding, the TSA's path to a certificate trusted as a
 * TSA (trust/timestamp-trust.ts: a time-stamp anchor, or a time-stamping
 * service of a trusted list at genTime) with the library's own RFC 5280
 * validation (critical, sole EKU id-kp-timeStamping),
 * genTime inside the TSA certificate's validity, and the message imprint over
 * the bytes the caller says were time-stamped.
 */
import { DIGEST_OIDS } from '../crypto/algorithms.js';
import { checkDigest, evaluateAlgorithm, type AlgorithmVerdict } from '../crypto/policy.js';
import type { ResolvedSignatureAlgorithm } from '../crypto/provider.js';
import { OtsEsigError } from '../errors.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { OID } from '../pki/oids.js';
import { CertificatePool } from '../pki/pool.js';
import { CheckList, type Check } from '../etsi/check.js';
import type { SubIndication } from '../etsi/indication.js';
import { equalBytes, toHex } from '../util/bytes.js';
import { isUniversal, octetStringBytes, oidOf, TAG } from '../util/der.js';
import { validateChain } from '../validation/chain.js';
import type { ValidationContext } from '../validation/options.js';
import type { CadesSignerInfo } from '../cades/model.js';
import { singleValuedProblems } from '../cades/attributes.js';
import { parseTimestampToken, type TimestampToken } from './token.js';

/** What was time-stamped: the data itself, or its digest with the algorithm that made it. */
export type TimestampedData =
  | { readonly data: Uint8Array }
  | { readonly digest: Uint8Array; readonly digestAlgorithmOid: string };

export interface TimestampValidationOptions {
  /** The bytes (or digest) the message imprint must cover. Omit only to inspect a token without binding it to data. */
  readonly imprint?: TimestampedData;
  readonly ctx: ValidationContext;
  /** Prefix of the check ids (e.g. `tst.signature[0]`); default `tst`. */
  readonly idPrefix?: string;
  /** Extra certificates to find the TSA certificate and its issuers in (e.g. CAdES certValues). */
  readonly certificates?: readonly ParsedCertificate[];
  /** Time the TSA path is validated at; default the validation time. */
  readonly time?: Date;
}

/** The outcome of validating one RFC 3161 time-stamp token: its status, the time it proves, and the TSA path and trust it rests on. */
export interface TimestampValidation {
  /** PASSED: the token proves the imprinted data existed at `genTime` (± accuracy). */
  readonly status: 'PASSED' | 'FAILED' | 'INDETERMINATE';
  readonly subIndication: SubIndication | null;
  readonly token?: TimestampToken;
  readonly genTime?: Date;
  readonly accuracyMs?: number;
  readonly policy?: string;
  readonly serialNumberHex?: string;
  readonly tsa: ParsedCertificate | null;
  /** TSA first, trust anchor last; empty when no path was found. */
  readonly chain: readonly ParsedCertificate[];
  readonly checks: readonly Check[];
  readonly warnings: readonly string[];
}

/**
 * Validates one RFC 3161 TimeStampToken (DER ContentInfo, or a TimeStampResp)
 * and binds it to `imprint`. Never throws for a bad token: the outcome is in
 * `status`/`subIndication` with one `TST` check per finding.
 *
 * Usage (XAdES SignatureTimeStamp): `validateTimestampToken(der, { imprint: { data: c14nSignatureValue }, ctx })`;
 * the token is usable as proof of existence iff `status === 'PASSED'`, at `genTime`.
 */
export async function validateTimestampToken(tokenDer: Uint8Array, opts: TimestampValidationOptions): Promise<TimestampValidation> {
  const { ctx } = opts;
  const p = opts.idPrefix ?? 'tst';
  const checks = new CheckList();
  const warnings: string[] = [];
  const done = (extra: Partial<TimestampValidation> = {}): TimestampValidation => {
    const bad = checks.items.find((c) => c.status === 'FAILED') ?? checks.items.find((c) => c.status === 'INDETERMINATE');
    return {
      status: bad ? (bad.status as 'FAILED' | 'INDETERMINATE') : 'PASSED',
      subIndication: bad?.subIndication ?? null,
      tsa: null,
      chain: [],
      ...extra,
      checks: checks.items,
      warnings,
    };
  };

  let token: TimestampToken;
  try {
    token = parseTimestampToken(tokenDer);
  } catch (e) {
    checks.fail('TST', `${p}.format`, `not a usable RFC 3161 time-stamp token: ${(e as Error).message}`, 'FORMAT_FAILURE');
    return done();
  }
  const tst = token.tstInfo;
  const facts = { token, genTime: tst.genTime, accuracyMs: tst.accuracyMs, policy: tst.policy, serialNumberHex: tst.serialNumberHex };
  const cms = token.cms;
  if (cms.signers.length !== 1) {
    checks.fail('TST', `${p}.format`, `a time-stamp token has exactly one SignerInfo, found ${cms.signers.length}`, 'FORMAT_FAILURE');
    return done(facts);
  }
  const si = cms.signers[0]!;
  const hashName = (oid: string) => DIGEST_OIDS[oid] ?? oid;

  // --- signed attributes: content-type and message-digest over the TSTInfo (RFC 5652 5.4, RFC 3161 2.4.2) ---
  if (!si.signedAttributesDer) {
    checks.fail('TST', `${p}.format`, 'time-stamp SignerInfo has no signed attributes (RFC 3161 requires ESS signing-certificate)', 'FORMAT_FAILURE');
    return done(facts);
  }
  // The attributes RFC 5652 / ESS allow once occur once with one value: a token is read one way only.
  const repeated = singleValuedProblems(si.signedAttributes);
  if (repeated.length) {
    for (const problem of repeated) checks.fail('TST', `${p}.format`, `time-stamp token: ${problem}`, 'FORMAT_FAILURE');
    return done(facts);
  }
  // Signed attribute values were found decodable while parsing; read from their located bytes.
  const ct = si.signedAttributes.get(OID.contentType)?.[0]?.values[0];
  if (!isUniversal(ct, TAG.oid) || oidOf(ct, 'content-type') !== OID.tstInfo) {
    checks.fail('TST', `${p}.content-type`, 'content-type signed attribute is not id-ct-TSTInfo', 'FORMAT_FAILURE');
  }
  const mdValue = si.signedAttributes.get(OID.messageDigest)?.[0]?.values[0];
  if (!isUniversal(mdValue, TAG.octetString)) {
    checks.fail('TST', `${p}.message-digest`, 'message-digest signed attribute is missing', 'FORMAT_FAILURE');
    return done(facts);
  }
  if (!ctx.registry.supportsDigest(si.digestAlgorithm.oid)) {
    checks.indeterminate('TST', `${p}.message-digest`, `digest ${hashName(si.digestAlgorithm.oid)} is not supported`, 'CRYPTO_CONSTRAINTS_FAILURE');
    return done(facts);
  }
  const tstDigest = await ctx.registry.digest(si.digestAlgorithm.oid, cms.eContent!);
  if (!equalBytes(tstDigest, octetStringBytes(mdValue, 'message-digest'))) {
    checks.fail('TST', `${p}.message-digest`, 'message-digest does not match the TSTInfo', 'HASH_FAILURE');
  }

  // --- identify the TSA certificate (SignerIdentifier + ESS signing-certificate(-v2), RFC 3161 2.4.1 / RFC 5816) ---
  const pool = new CertificatePool([...cms.certificates, ...(opts.certificates ?? []), ...ctx.intermediates].map((certificate) => ({ certificate })));
  // As for the signer (src/cades/validate.ts): path building consults ctx.anchors through its own index, so the
  // pool only needs the anchors the token's SignerIdentifier names (a directly trusted TSA), found without a scan.
  // Naming a certificate here identifies the TSA only; whether it is trusted as a TSA is decided below.
  for (const anchors of [ctx.timestampTrust.anchors, ctx.anchors]) {
    const named = si.sid.type === 'issuerAndSerialNumber' ? anchors.withIssuerSerial(si.sid.issuerKey, si.sid.serialNumberHex) : anchors.withSubjectKeyIdentifier(si.sid.keyIdentifier);
    for (const a of named) pool.add({ certificate: a.certificate });
  }
  const ess = si.essSigningCertificates?.v2 ?? si.essSigningCertificates?.v1;
  let tsa: ParsedCertificate | undefined;
  if (!ess || ess === 'malformed') {
    checks.fail('TST', `${p}.signing-certificate`, 'ESS signing-certificate(-v2) attribute is missing or malformed', 'FORMAT_FAILURE');
    return done(facts);
  }
  for (const { certificate: c } of pool.values()) {
    if (!matchesSid(c, si)) continue;
    if (!ctx.registry.supportsDigest(ess[0]!.hashAlgorithmOid)) continue;
    if (equalBytes(await ctx.registry.digest(ess[0]!.hashAlgorithmOid, c.der), ess[0]!.certHash)) {
      tsa = c;
      break;
    }
  }
  if (!tsa) {
    checks.indeterminate('TST', `${p}.signing-certificate`, 'no available certificate matches the token SignerIdentifier and ESS reference', 'NO_SIGNING_CERTIFICATE_FOUND');
    return done(facts);
  }
  checks.pass('TST', `${p}.signing-certificate`, `TSA certificate ${tsa.subject.text} identified`);

  // --- the CMS signature ---
  let resolved: ResolvedSignatureAlgorithm | undefined;
  try {
    resolved = ctx.registry.resolveSignature({ signatureAlgorithm: si.signatureAlgorithm, digestAlgorithm: si.digestAlgorithm, publicKey: tsa.publicKey });
  } catch (e) {
    if (!(e instanceof OtsEsigError)) throw e;
    checks.indeterminate('TST', `${p}.signature-value`, e.message, 'CRYPTO_CONSTRAINTS_FAILURE');
    return done({ ...facts, tsa });
  }
  let sigOk = false;
  try {
    sigOk = await ctx.registry.verify({
      signatureAlgorithm: si.signatureAlgorithm,
      digestAlgorithm: si.digestAlgorithm,
      publicKey: tsa.publicKey,
      data: si.signedAttributesDer,
      signature: si.signatureValue,
    });
  } catch (e) {
    warnings.push(`time-stamp signature verification raised: ${(e as Error).message}`);
  }
  if (sigOk) checks.pass('TST', `${p}.signature-value`, `${resolved.name} token signature verifies with the TSA key`);
  else checks.fail('TST', `${p}.signature-value`, 'token signature does not verify with the TSA key', 'SIG_CRYPTO_FAILURE');
  // Every hash that binds the token is under the policy: the signature, the SignerInfo digest (message-digest
  // over the TSTInfo) and the message imprint (over the time-stamped data). Judged at the time the token is
  // relied on; one already below the policy at genTime can never make the token a proof of existence.
  const judged = opts.time ?? ctx.time;
  const algorithmCheck = (id: string, what: string, v: AlgorithmVerdict) => {
    if (v.acceptable) return;
    const never = v.until === null || v.until.getTime() <= tst.genTime.getTime();
    checks.indeterminate(
      'TST',
      `${p}.${id}`,
      `${what}: ${v.reason}${never && v.until ? `, and genTime ${tst.genTime.toISOString()} is not before that` : ''}`,
      never ? 'CRYPTO_CONSTRAINTS_FAILURE' : 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
    );
  };
  algorithmCheck('crypto-constraints', resolved.name, evaluateAlgorithm(ctx.algorithmPolicy, resolved, judged));
  algorithmCheck('digest-algorithm', `token SignerInfo digestAlgorithm ${hashName(si.digestAlgorithm.oid)}`, checkDigest(ctx.algorithmPolicy, ctx.registry.digestName(si.digestAlgorithm.oid), judged));
  algorithmCheck('imprint-algorithm', `message imprint ${hashName(tst.hashAlgorithmOid)}`, checkDigest(ctx.algorithmPolicy, ctx.registry.digestName(tst.hashAlgorithmOid), judged));

  // --- message imprint over the time-stamped data ---
  if (opts.imprint) {
    const want = tst.hashedMessage;
    let got: Uint8Array | undefined;
    if ('data' in opts.imprint) {
      if (ctx.registry.supportsDigest(tst.hashAlgorithmOid)) got = await ctx.registry.digest(tst.hashAlgorithmOid, opts.imprint.data);
      else checks.indeterminate('TST', `${p}.message-imprint`, `imprint digest ${hashName(tst.hashAlgorithmOid)} is not supported`, 'CRYPTO_CONSTRAINTS_FAILURE');
    } else if (opts.imprint.digestAlgorithmOid !== tst.hashAlgorithmOid) {
      checks.fail('TST', `${p}.message-imprint`, `imprint uses ${hashName(tst.hashAlgorithmOid)}, the caller's digest is ${hashName(opts.imprint.digestAlgorithmOid)}`, 'HASH_FAILURE');
    } else got = opts.imprint.digest;
    if (got) {
      if (equalBytes(got, want)) checks.pass('TST', `${p}.message-imprint`, `message imprint (${hashName(tst.hashAlgorithmOid)}) matches the time-stamped data`);
      else checks.fail('TST', `${p}.message-imprint`, `message imprint ${toHex(want)} differs from the ${hashName(tst.hashAlgorithmOid)} of the time-stamped data ${toHex(got)}`, 'HASH_FAILURE');
    }
  } else {
    warnings.push('time-stamp not bound to any data: message imprint not checked');
  }

  // --- TSA certificate: RFC 3161 2.3 — the only EKU is id-kp-timeStamping, marked critical ---
  const eku = tsa.extension(OID.extKeyUsage);
  if (!eku || !eku.critical || tsa.extKeyUsage?.length !== 1 || tsa.extKeyUsage[0] !== OID.kpTimeStamping) {
    checks.indeterminate(
      'TST',
      `${p}.tsa-eku`,
      `TSA certificate must carry exactly one extendedKeyUsage id-kp-timeStamping, critical (has ${eku ? `${eku.critical ? 'critical' : 'non-critical'} ${tsa.extKeyUsage?.join(', ')}` : 'none'})`,
      'CHAIN_CONSTRAINTS_FAILURE',
    );
  } else checks.pass('TST', `${p}.tsa-eku`, 'TSA certificate has the sole, critical EKU id-kp-timeStamping');

  // --- genTime: within the TSA certificate's validity and not in the future ---
  const at = opts.time ?? ctx.time;
  if (tst.genTime.getTime() < tsa.notBefore.getTime()) {
    checks.fail('TST', `${p}.gen-time`, `genTime ${tst.genTime.toISOString()} precedes the TSA certificate (valid from ${tsa.notBefore.toISOString()})`, 'NOT_YET_VALID');
  } else if (tst.genTime.getTime() > tsa.notAfter.getTime()) {
    checks.fail('TST', `${p}.gen-time`, `genTime ${tst.genTime.toISOString()} is after the TSA certificate expired (${tsa.notAfter.toISOString()})`, 'EXPIRED');
  } else if (tst.genTime.getTime() > at.getTime()) {
    // No clock-skew allowance: a token from after the validation time proves nothing at that time, and as a
    // POE it would move the best-signature-time past the validation time (fuzz finding bst-after-validation-time).
    checks.indeterminate('TST', `${p}.gen-time`, `genTime ${tst.genTime.toISOString()} is after the validation time ${at.toISOString()}`, 'TIMESTAMP_ORDER_FAILURE');
  } else {
    checks.pass('TST', `${p}.gen-time`, `genTime ${tst.genTime.toISOString()}${tst.accuracyMs !== undefined ? ` ± ${tst.accuracyMs} ms` : ''} within the TSA certificate validity`);
  }

  // --- TSA path to a certificate trusted *as a TSA* (trust/timestamp-trust.ts), with the library's own path validation ---
  // The signers' anchors are not used: a CA trusted for signing certificates could otherwise mint a TSA and
  // move the best-signature-time wherever it likes.
  const trust = ctx.timestampTrust;
  if (trust.anchors.size === 0) {
    checks.indeterminate(
      'TST',
      `${p}.tsa-trust`,
      `${tsa.subject.text} is not trusted as a time-stamping authority: ${trust.description}; the signature trust anchors are not time-stamp anchors`,
      'NO_CERTIFICATE_CHAIN_FOUND',
    );
    return done({ ...facts, tsa });
  }
  const chain = await validateChain(tsa, pool, ctx, checks, warnings, {
    block: 'TST',
    idPrefix: `${p}.tsa`,
    targetKeyUsage: ['digitalSignature', 'nonRepudiation'],
    targetExtKeyUsage: OID.kpTimeStamping,
    time: opts.time,
    anchors: trust.anchors,
    anchorsDescription: `a certificate trusted as a time-stamping authority (${trust.description}); it is not trusted as a TSA`,
  });
  if (chain?.valid) {
    const decision = trust.judge(chain.chain, tst.genTime);
    if (decision.trusted) checks.pass('TST', `${p}.tsa-trust`, `trusted as a time-stamping authority: ${decision.detail}`);
    else checks.indeterminate('TST', `${p}.tsa-trust`, `${tsa.subject.text} is not trusted as a time-stamping authority at genTime ${tst.genTime.toISOString()}: ${decision.detail}`, 'NO_CERTIFICATE_CHAIN_FOUND');
  }
  return done({ ...facts, tsa, chain: chain?.chain ?? [] });
}

function matchesSid(c: ParsedCertificate, si: CadesSignerInfo): boolean {
  if (si.sid.type === 'issuerAndSerialNumber') return c.serialNumberHex === si.sid.serialNumberHex && c.issuer.key === si.sid.issuerKey;
  return c.subjectKeyIdentifier === si.sid.keyIdentifier;
}
