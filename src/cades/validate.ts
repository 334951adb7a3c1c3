/**
 * CAdES front end: collects the facts of one SignerInfo (stage/facts.ts) — FC (RFC 5652 / EN 319 122-1
 * structure), ISC (signer identification), CV (message digest and signature value), the algorithms
 * used, carried validation data and the time-stamp tokens with the bytes each covers (the
 * archive-time-stamp-v3 input is CAdES-specific and computed here). No path, no verdict: the signature
 * stage (stage/signature.ts) judges the facts.
 */
import type { ResolvedSignatureAlgorithm } from '../crypto/provider.js';
import { OtsEsigError } from '../errors.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { OID } from '../pki/oids.js';
import { CertificatePool } from '../pki/pool.js';
import { CheckList } from '../etsi/check.js';
import { copyBytes, equalBytes, toHex } from '../util/bytes.js';
import { asn1Of, isUniversal, octetStringBytes, oidOf, TAG, type DerElement } from '../util/der.js';
import type { ValidationContext } from '../validation/options.js';
import type { EssCertId } from './ess.js';
import type { CadesSignature, CadesSignerInfo } from './model.js';
import { readCounterSignerInfos } from './parse.js';
import { MAX_COUNTER_SIGNATURE_DEPTH } from '../limits.js';
import { singleValuedProblems } from './attributes.js';
import { readSignaturePolicy, SIGNATURE_POLICY_IDENTIFIER_OID } from './signature-policy.js';
import { COMPLETE_CERTIFICATE_REFERENCES_OID, COMPLETE_REVOCATION_REFERENCES_OID, readCertificateReferences, readRevocationReferences, type DigestReference } from './references.js';
import { CMS_VALUE_OIDS, readEmbeddedValidationData } from '../revocation/cms-values.js';
import { parseTimestampToken } from '../tsp/token.js';
import { ATS_V3_OID, archiveTimestampV3Input } from '../tsp/atsv3.js';
import { ATS_V1_OID, ATS_V2_OID, archiveTimestampV2Inputs } from '../tsp/atsv2.js';
import { CERT_CRL_TIMESTAMP_OID, ESC_TIMESTAMP_OID, cadesXTimestampInputs } from '../tsp/esc-timestamp.js';
import type { AlgorithmUse, SeverityFact, SignatureFacts, SignaturePolicyFact, TimestampFact } from '../stage/facts.js';

/** id-aa-ets-contentTimestamp (EN 319 122-1 5.2.8). */
const CONTENT_TIMESTAMP_OID = '1.2.840.113549.1.9.16.2.20';
/** TS 101 733 archive-time-stamp (v1, id-aa-ets-archiveTimestamp) and id-aa-ets-archiveTimestampV2. */

/**
 * How many more counter-signatures one input may have validated (limits.maxSigners less its SignerInfos and the
 * counter-signatures already taken): one object shared by every SignerInfo of the SignedData.
 */
export interface CounterSignatureAllowance {
  left: number;
}

/** The SignerInfo a counter-signature counter-signs (RFC 5652 11.4), its report id and the counter-signature's nesting depth. */
interface Countersigned {
  readonly signerInfo: CadesSignerInfo;
  readonly id: string;
  readonly depth: number;
}

/**
 * The facts of one SignerInfo: FC, ISC and CV done here; XCV, SAV, time-stamps, PSV and the verdict are the stage's.
 * Its counter-signatures (RFC 5652 11.4) are collected the same way, as signatures whose content is this
 * SignerInfo's signature value octets, up to MAX_COUNTER_SIGNATURE_DEPTH levels and `allowance` in number.
 *
 * Each step is a function of its own (formatChecks, identifySigner, verifySignature, timestampFacts, ...): every
 * batch thread compiles this path with TurboFan again, and one large async function with many awaits was its
 * most expensive compile (#19, the JIT cost of a batch); the steps add their checks in the same order as before.
 */
export async function collectCadesSigner(
  sig: CadesSignature,
  si: CadesSignerInfo,
  ctx: ValidationContext,
  allowance: CounterSignatureAllowance = { left: ctx.limits.maxSigners - sig.signers.length },
  countersigned?: Countersigned,
): Promise<SignatureFacts> {
  const id = countersigned ? countersigned.id : `signerInfo[${si.index}]`;
  const checks = new CheckList();
  const warnings: string[] = [];
  const findings: SeverityFact[] = [];
  const digestName = ctx.registry.digestName(si.digestAlgorithm.oid);

  // --- FC: format checking (RFC 5652 5.3 / 11, EN 319 122-1 CAdES-B) ---
  const format = formatChecks(sig, si, ctx, countersigned !== undefined, checks, findings);
  if (si.signedAttributesReencoded) {
    warnings.push('the signed attributes were not DER-encoded (SET OF order or lengths); the signature was checked over their DER encoding, as RFC 5652 5.4 requires');
  }

  // --- ISC: identification of the signing certificate ---
  // CAdES-LT validation data (certValues, revocationValues, RevocationInfoChoices): material, verified before use.
  const embedded = readEmbeddedValidationData(sig, si);
  for (const p of embedded.problems) warnings.push(p);
  const references = await completeReferences(si, sig.certificates, embedded, ctx, checks);
  const pool = signerPool(sig, si, embedded.certificates, ctx);
  const ess = si.essSigningCertificates?.v2 ?? si.essSigningCertificates?.v1;
  const signer = await identifySigner(si, pool, ess, ctx, checks);

  // --- CV: cryptographic verification ---
  // A counter-signature's content is the contents octets of the countersigned SignerInfo's signature field (RFC 5652 11.4).
  const content = countersigned ? countersigned.signerInfo.signatureValue : (sig.eContent ?? ctx.detachedContent);
  // A document supplied with an attached signature is the document the caller wants verified: it must BE the
  // encapsulated content. Verifying the encapsulated content instead made any attached signature "verify" any document.
  if (!countersigned && sig.eContent && ctx.detachedContent) await checkSuppliedContent(sig.eContent, ctx.detachedContent, si, digestName, ctx, checks);
  const resolved = await verifySignature(sig, si, signer, content, countersigned, digestName, ctx, checks, warnings);

  // --- what the stage judges: algorithms used, carried validation data, time-stamps with their covered bytes ---
  const algorithms = algorithmUses(resolved, digestName, ess, ctx);
  const timestamps = await timestampFacts(sig, si, content, countersigned !== undefined, ctx, checks);
  const counterSignatures = await counterSignatureFacts(sig, si, id, countersigned?.depth ?? 0, ctx, allowance, warnings);

  const level = format.level;
  const hasLongTermData = embedded.locations.length > 0;
  const { signaturePolicy } = format;
  return {
    id,
    format: 'CAdES',
    level,
    levelWith: ({ signatureTimestamp, archiveTimestamp }) => {
      let l = level;
      if (signatureTimestamp && l === 'CAdES-BASELINE-B') l = hasLongTermData ? 'CAdES-BASELINE-LT' : 'CAdES-BASELINE-T';
      if (archiveTimestamp && l === 'CAdES-BASELINE-LT') l = 'CAdES-BASELINE-LTA';
      return l;
    },
    checks: checks.items,
    warnings,
    signer,
    pool,
    certificates: [...sig.certificates, ...embedded.certificates],
    crls: embedded.crls,
    ocsps: embedded.ocsps,
    signatureAlgorithmName: resolved?.name ?? si.signatureAlgorithm.oid,
    digestAlgorithmName: digestName,
    algorithms,
    claimedSigningTime: si.claimedSigningTime,
    timestamps,
    findings,
    ...(signaturePolicy ? { signaturePolicy } : {}),
    ...(references ? { certificateReferences: references } : {}),
    ...(counterSignatures.length ? { counterSignatures } : {}),
  };
}

/** What format checking establishes besides its checks: the level the structure reaches and the signature policy named. */
interface FormatFacts {
  readonly level: string;
  readonly signaturePolicy: SignaturePolicyFact | undefined;
}

/** FC (RFC 5652 5.3 / 11, EN 319 122-1 CAdES-B): the checks go to `checks`, a missing binding of the signer to `findings`. */
function formatChecks(sig: CadesSignature, si: CadesSignerInfo, ctx: ValidationContext, counter: boolean, checks: CheckList, findings: SeverityFact[]): FormatFacts {
  let level = 'CAdES-BASELINE-B';
  let formatOk = true;
  let signaturePolicy: SignaturePolicyFact | undefined;
  if (!si.signedAttributesDer) {
    level = 'CMS';
    findings.push({ finding: 'signingCertificateNotSigned', detail: 'no signed attributes: a plain CMS signature, not CAdES; the signing certificate is not bound by the signature' });
    // A counter-signature without signed attributes signs the digest of the countersigned value itself (RFC 5652 11.4).
    if (!counter && sig.eContentType !== OID.data) {
      checks.fail('FC', 'fc.signed-attributes', 'eContentType is not id-data, so signed attributes are required (RFC 5652 5.3)', 'FORMAT_FAILURE');
      formatOk = false;
    }
  } else {
    // RFC 5652 11.4: a counter-signature has no content type, so its signed attributes carry no content-type.
    const ct = counter ? undefined : singleSignedAttribute(si, OID.contentType, 'content-type', checks);
    if (counter && si.signedAttributes.has(OID.contentType)) {
      checks.fail('FC', 'fc.content-type', 'a counter-signature has no content type: its signed attributes must not carry content-type (RFC 5652 11.4)', 'FORMAT_FAILURE');
    }
    const md = singleSignedAttribute(si, OID.messageDigest, 'message-digest', checks);
    if (isUniversal(ct, TAG.oid)) {
      const v = oidOf(ct, 'signed attribute content-type');
      if (v === sig.eContentType) checks.pass('FC', 'fc.content-type', `content-type attribute ${v} matches eContentType`);
      else checks.fail('FC', 'fc.content-type', `content-type attribute ${v} differs from eContentType ${sig.eContentType}`, 'FORMAT_FAILURE');
    } else if (ct) {
      checks.fail('FC', 'fc.content-type', 'content-type attribute is not an OBJECT IDENTIFIER', 'FORMAT_FAILURE');
    }
    if (md && !isUniversal(md, TAG.octetString)) {
      checks.fail('FC', 'fc.message-digest', 'message-digest attribute is not an OCTET STRING', 'FORMAT_FAILURE');
    }
    // content-type and message-digest were reported above; the other single-valued attributes here.
    for (const problem of singleValuedProblems(si.signedAttributes, [OID.contentType, OID.messageDigest])) {
      checks.fail('FC', 'fc.attribute-cardinality', problem, 'FORMAT_FAILURE');
    }
    // signature-policy-identifier (CAdES-EPES): a fact for the stage; an unreadable one is a format failure.
    const spi = si.signedAttributes.get(SIGNATURE_POLICY_IDENTIFIER_OID);
    if (spi?.length === 1 && spi[0]!.values.length === 1) {
      signaturePolicy = readSignaturePolicy(asn1Of(spi[0]!.values[0]!, 'signed attribute signature-policy-identifier'), (oid) => ctx.registry.digestName(oid));
      if (signaturePolicy.problem) checks.fail('FC', 'fc.signature-policy-identifier', `signature-policy-identifier is malformed: ${signaturePolicy.problem}`, 'FORMAT_FAILURE');
    }
    formatOk = checks.items.every((c) => c.status === 'PASSED');
    if (si.essSigningCertificates?.v2 === 'malformed' || si.essSigningCertificates?.v1 === 'malformed') {
      checks.fail('FC', 'fc.signing-certificate', 'ESS signing-certificate attribute is malformed', 'FORMAT_FAILURE');
      formatOk = false;
    }
    if (!si.essSigningCertificates) {
      level = 'CMS';
      findings.push({ finding: 'signingCertificateNotSigned', detail: 'no ESS signing-certificate(-v2) attribute: not CAdES-B; the signer certificate is identified by SignerIdentifier only' });
    }
  }
  if (formatOk) checks.pass('FC', 'fc.structure', `${level} structure is well formed`);
  return { level, signaturePolicy };
}

/** The one value of a signed attribute that must occur once with one value; a FORMAT_FAILURE check and undefined otherwise. */
function singleSignedAttribute(si: CadesSignerInfo, oid: string, name: string, checks: CheckList): DerElement | undefined {
  const a = si.signedAttributes.get(oid);
  if (!a) {
    checks.fail('FC', `fc.${name}`, `signed attribute ${name} is missing`, 'FORMAT_FAILURE');
    return undefined;
  }
  if (a.length !== 1 || a[0]!.values.length !== 1) {
    checks.fail('FC', `fc.${name}`, `signed attribute ${name} must occur once with one value`, 'FORMAT_FAILURE');
    return undefined;
  }
  // Found decodable while parsing (readAttributes); read from its located bytes.
  return a[0]!.values[0]!;
}

/**
 * The certificates the signer and its path are looked for among: the SignedData's, the carried ones and the caller's
 * intermediates, with the anchors the SignerIdentifier names. Path building and CRL-issuer search consult ctx.anchors
 * through its own index; the pool only needs the anchors the SignerIdentifier names (a directly trusted signer),
 * looked up without scanning every anchor.
 */
function signerPool(sig: CadesSignature, si: CadesSignerInfo, carried: readonly ParsedCertificate[], ctx: ValidationContext): CertificatePool {
  const pool = new CertificatePool<{ certificate: ParsedCertificate }>();
  for (const certificate of sig.certificates) pool.add({ certificate });
  for (const certificate of carried) pool.add({ certificate });
  for (const certificate of ctx.intermediates) pool.add({ certificate });
  const sidAnchors = si.sid.type === 'issuerAndSerialNumber' ? ctx.anchors.withIssuerSerial(si.sid.issuerKey, si.sid.serialNumberHex) : ctx.anchors.withSubjectKeyIdentifier(si.sid.keyIdentifier);
  for (const a of sidAnchors) pool.add(a);
  return pool;
}

type EssReference = NonNullable<CadesSignerInfo['essSigningCertificates']>['v2'];

/** ISC: the certificate of `pool` the SignerIdentifier and the ESS signing-certificate reference name, with its check. */
async function identifySigner(si: CadesSignerInfo, pool: CertificatePool, ess: EssReference, ctx: ValidationContext, checks: CheckList): Promise<ParsedCertificate | undefined> {
  const candidates: ParsedCertificate[] = [];
  for (const x of pool.values()) if (matchesSid(x.certificate, si)) candidates.push(x.certificate);
  if (candidates.length === 0) {
    checks.indeterminate('ISC', 'isc.signer-identifier', 'no available certificate matches the SignerIdentifier', 'NO_SIGNING_CERTIFICATE_FOUND');
    return undefined;
  }
  if (ess === 'malformed') return undefined;
  if (!ess) {
    const signer = candidates[0]!;
    checks.pass('ISC', 'isc.signer-identifier', `SignerIdentifier matches ${signer.subject.text}`);
    return signer;
  }
  const v2 = ess[0]!.version === 2 ? '-v2' : '';
  for (const c of candidates) {
    if (await essMatches(ess[0]!, c, ctx)) {
      checks.pass('ISC', 'isc.signing-certificate-reference', `ESS signing-certificate${v2} digest and issuer/serial match ${c.subject.text}`);
      return c;
    }
  }
  checks.indeterminate('ISC', 'isc.signing-certificate-reference', `no candidate certificate matches the ESS signing-certificate${v2} reference`, 'NO_SIGNING_CERTIFICATE_FOUND');
  return undefined;
}

/** CV: a document supplied with an attached signature must be the encapsulated content. */
async function checkSuppliedContent(eContent: Uint8Array, supplied: Uint8Array, si: CadesSignerInfo, digestName: string, ctx: ValidationContext, checks: CheckList): Promise<void> {
  const fingerprint = async (b: Uint8Array) => (ctx.registry.supportsDigest(si.digestAlgorithm.oid) ? `${digestName} ${toHex(await ctx.registry.digest(si.digestAlgorithm.oid, b))}` : `${b.length} bytes`);
  if (equalBytes(eContent, supplied)) checks.pass('CV', 'cv.supplied-content', `the supplied document is the content encapsulated in the signature (${await fingerprint(supplied)})`);
  else {
    checks.fail(
      'CV',
      'cv.supplied-content',
      `the supplied document is not the signed content: it differs from the content encapsulated in the signature (supplied ${await fingerprint(supplied)}, encapsulated ${await fingerprint(eContent)})`,
      'HASH_FAILURE',
    );
  }
}

/**
 * CV: the content digest against message-digest and the signature value under the signer's key. The two are
 * independent, so both start before either is awaited: an asynchronous provider (WebCrypto runs each as a
 * thread-pool job) then works on them at once. Returns the signature algorithm when it resolved.
 */
async function verifySignature(
  sig: CadesSignature,
  si: CadesSignerInfo,
  signer: ParsedCertificate | undefined,
  content: Uint8Array | undefined,
  countersigned: Countersigned | undefined,
  digestName: string,
  ctx: ValidationContext,
  checks: CheckList,
  warnings: string[],
): Promise<ResolvedSignatureAlgorithm | undefined> {
  let resolved: ResolvedSignatureAlgorithm | undefined;
  let unresolved: OtsEsigError | undefined;
  const signedBytes = si.signedAttributesDer ?? content;
  if (signer) {
    try {
      resolved = ctx.registry.resolveSignature({ signatureAlgorithm: si.signatureAlgorithm, digestAlgorithm: si.digestAlgorithm, publicKey: signer.publicKey });
    } catch (e) {
      if (!(e instanceof OtsEsigError)) throw e;
      unresolved = e;
    }
  }
  const verifying =
    signer && resolved && signedBytes
      ? ctx.registry
          .verify({ signatureAlgorithm: si.signatureAlgorithm, digestAlgorithm: si.digestAlgorithm, publicKey: signer.publicKey, data: signedBytes, signature: si.signatureValue })
          .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))
      : undefined;
  if (!content) {
    checks.indeterminate('CV', 'cv.signed-data', 'detached signature and no content was supplied', 'SIGNED_DATA_NOT_FOUND');
  } else if (!ctx.registry.supportsDigest(si.digestAlgorithm.oid)) {
    checks.indeterminate('CV', 'cv.digest-algorithm', `digest algorithm ${digestName} is not supported by any provider`, 'CRYPTO_CONSTRAINTS_FAILURE');
  } else {
    const contentSource = countersigned ? `signature value of ${countersigned.id.slice(0, countersigned.id.lastIndexOf('/'))}` : sig.eContent ? 'encapsulated content' : 'supplied detached content';
    await checkContentDigest(si, content, contentSource, digestName, ctx, checks);
  }
  if (unresolved) checks.indeterminate('CV', 'cv.signature-algorithm', unresolved.message, 'CRYPTO_CONSTRAINTS_FAILURE');
  if (resolved && verifying) {
    const outcome = await verifying;
    if (outcome instanceof Error) warnings.push(`signature verification raised: ${outcome.message}`);
    if (outcome === true) checks.pass('CV', 'cv.signature-value', `${resolved.name} signature verifies with the signer's ${resolved.key} key`);
    else checks.fail('CV', 'cv.signature-value', `${resolved.name} signature does not verify with the signer's key`, 'SIG_CRYPTO_FAILURE');
  }
  return resolved;
}

/** CV: the digest of the content against the message-digest attribute (or, without signed attributes, noted as signed itself). */
async function checkContentDigest(si: CadesSignerInfo, content: Uint8Array, contentSource: string, digestName: string, ctx: ValidationContext, checks: CheckList): Promise<void> {
  const digest = await ctx.registry.digest(si.digestAlgorithm.oid, content);
  if (si.signedAttributesDer) {
    const mdValue = si.signedAttributes.get(OID.messageDigest)?.[0]?.values[0];
    if (isUniversal(mdValue, TAG.octetString)) {
      const md = octetStringBytes(mdValue, 'signed attribute message-digest');
      if (equalBytes(md, digest)) checks.pass('CV', 'cv.message-digest', `${digestName} of the ${contentSource} ${toHex(digest)} matches message-digest`);
      else checks.fail('CV', 'cv.message-digest', `${digestName} of the ${contentSource} ${toHex(digest)} differs from message-digest ${toHex(md)}`, 'HASH_FAILURE');
    }
  } else {
    checks.pass('CV', 'cv.signed-data', `the signature value is over the ${contentSource} itself (no signed attributes): ${digestName} ${toHex(digest)}`);
  }
}

/** The algorithms the signature relies on, for SAV: its signature algorithm, the binding digest, the ESS reference digest. */
function algorithmUses(resolved: ResolvedSignatureAlgorithm | undefined, digestName: string, ess: EssReference, ctx: ValidationContext): AlgorithmUse[] {
  const algorithms: AlgorithmUse[] = [];
  if (resolved) algorithms.push({ kind: 'signature', algorithm: resolved });
  // The SignerInfo digestAlgorithm is the hash that binds the content (message-digest), whatever hash the
  // signature algorithm names: it is under the same policy (a SHA-1 digest under sha256WithRSA binds nothing).
  algorithms.push({ kind: 'digest', role: 'binding', id: 'sav.digest-algorithm', what: `SignerInfo digestAlgorithm ${digestName}`, digest: digestName });
  if (ess && ess !== 'malformed') {
    const essDigest = ctx.registry.digestName(ess[0]!.hashAlgorithmOid);
    algorithms.push({ kind: 'digest', role: 'signing-certificate-reference', id: 'sav.signing-certificate-digest', what: `ESS signing-certificate reference digest ${essDigest}`, digest: essDigest });
  }
  return algorithms;
}

/** The time-stamp tokens of `si` with the bytes each covers (content, signature, archive; older kinds under requireAllValid). */
async function timestampFacts(sig: CadesSignature, si: CadesSignerInfo, content: Uint8Array | undefined, counter: boolean, ctx: ValidationContext, checks: CheckList): Promise<TimestampFact[]> {
  const timestamps: TimestampFact[] = [];
  // content-time-stamp (signed attribute, imprint over the content): a lower bound on the signing time.
  if (content) {
    let i = 0;
    for (const a of si.signedAttributes.get(CONTENT_TIMESTAMP_OID) ?? []) {
      for (const x of a.values) {
        timestamps.push({ kind: 'content', id: `tst.content-timestamp[${i}]`, label: 'content time-stamp', ordinal: i, token: copyBytes(x.encoding), data: content });
        i++;
      }
    }
  }
  // signature time-stamps (CAdES-T: imprint over the SignatureValue octets).
  let i = 0;
  for (const a of si.unsignedAttributes.get(OID.signatureTimeStampToken) ?? []) {
    for (const x of a.values) {
      timestamps.push({ kind: 'signature', id: `tst.signature-timestamp[${i}]`, label: 'signature time-stamp', ordinal: i, token: copyBytes(x.encoding), data: si.signatureValue });
      i++;
    }
  }
  // archive-time-stamp-v3 (CAdES-LTA): its input (EN 319 122-1 5.5.3) is CAdES-specific and computed here.
  // Its input (EN 319 122-1 5.5.3) is defined for a SignerInfo of the SignedData, not for a counter-signature.
  if (counter) {
    if (si.unsignedAttributes.has(ATS_V3_OID)) checks.skip('TST', 'tst.archive-timestamp', 'archive-time-stamp-v3 on a counter-signature not checked: its input is defined for a SignerInfo of the SignedData only');
  } else if (content) timestamps.push(...(await archiveTimestampFacts(sig, si, content, ctx, ctx.policy.timestamps.maxPerSignature)));
  else if (si.unsignedAttributes.has(ATS_V3_OID)) checks.skip('TST', 'tst.archive-timestamp', 'archive-time-stamp-v3 not checked: the signed content is not available');

  // archive-time-stamp (v1) / archive-time-stamp-v2 (TS 101 733, as MA3 writes CAdES-A): input computed by
  // tsp/atsv2.ts. Collected only under a policy requiring every time-stamp to be verified (timestamps.requireAllValid,
  // a collection-time choice as maxPerSignature): elsewhere they would add tokens (a TSA path each) few callers need.
  // CAdES-X time-stamps (escTimeStamp, certCRLTimestamp) likewise: validated, reported, never proof of existence.
  if (!counter && ctx.policy.timestamps.requireAllValid) timestamps.push(...(await olderArchiveTimestampFacts(sig, si, content, ctx)), ...(await cadesXTimestampFacts(sig, si, ctx)));
  return timestamps;
}

/**
 * The CAdES-C references (cades/references.ts). complete-revocation-references are checked here against the
 * revocation values the signature carries (CAdES-X-L): every value must be referenced and every reference must name a
 * carried value, by digest; a mismatch is a FORMAT_FAILURE. The certificate references are returned for the stage,
 * which checks them against the path it builds. Unreadable references are a FORMAT_FAILURE.
 */
async function completeReferences(
  si: CadesSignerInfo,
  sigCertificates: readonly ParsedCertificate[],
  embedded: ReturnType<typeof readEmbeddedValidationData>,
  ctx: ValidationContext,
  checks: CheckList,
): Promise<SignatureFacts['certificateReferences']> {
  const one = (oid: string) => si.unsignedAttributes.get(oid)?.[0]?.values[0];
  const certAttr = one(COMPLETE_CERTIFICATE_REFERENCES_OID);
  const revAttr = one(COMPLETE_REVOCATION_REFERENCES_OID);
  let certs: DigestReference[] | undefined;
  try {
    if (certAttr) certs = readCertificateReferences(asn1Of(certAttr, 'complete-certificate-references'));
    // CAdES-X-L: certificate-values carry the values of the referenced certificates; a referenced certificate that the
    // signature does not carry (SignedData.certificates or certificate-values) is missing validation data.
    if (certs && si.unsignedAttributes.has(CMS_VALUE_OIDS.certValues)) {
      const carried = [...sigCertificates, ...embedded.certificates];
      const absent: string[] = [];
      for (const r of certs) {
        let hit = false;
        if (ctx.registry.supportsDigest(r.digestOid)) for (const c of carried) if (equalBytes(await ctx.registry.digest(r.digestOid, c.der), r.digest)) hit = true;
        if (!hit) absent.push(`${ctx.registry.digestName(r.digestOid)} ${toHex(r.digest)}`);
      }
      if (absent.length) checks.fail('FC', 'fc.certificate-values', `complete-certificate-references reference certificates the signature does not carry in certificate-values: ${absent.join(', ')}`, 'FORMAT_FAILURE');
      else checks.pass('FC', 'fc.certificate-values', `every certificate complete-certificate-references names (${certs.length}) is carried`);
    }
    if (revAttr && embedded.locations.includes('revocationValues')) {
      const refs = readRevocationReferences(asn1Of(revAttr, 'complete-revocation-references'));
      const problems: string[] = [];
      // Each carried value hashed once per algorithm: both directions compare the same digests (a national CRL is megabytes).
      const digests = new Map<Uint8Array, Map<string, Promise<Uint8Array>>>();
      const digestOnce = (oid: string, der: Uint8Array) => {
        let byOid = digests.get(der);
        if (!byOid) digests.set(der, (byOid = new Map()));
        let d = byOid.get(oid);
        if (!d) byOid.set(oid, (d = ctx.registry.digest(oid, der)));
        return d;
      };
      const digestOf = async (r: DigestReference, der: Uint8Array) => (ctx.registry.supportsDigest(r.digestOid) ? equalBytes(await digestOnce(r.digestOid, der), r.digest) : false);
      const matches = async (list: readonly DigestReference[], der: Uint8Array) => {
        for (const r of list) if (await digestOf(r, der)) return true;
        return false;
      };
      for (const crl of embedded.crls) if (!(await matches(refs.crls, crl.der))) problems.push(`the carried CRL of ${crl.issuer.text} (thisUpdate ${crl.thisUpdate.toISOString()}) is not referenced`);
      for (const o of embedded.ocsps) if (!(await matches(refs.ocsps, o.der))) problems.push(`the carried OCSP response produced at ${o.producedAt.toISOString()} is not referenced`);
      for (const r of refs.crls) {
        let hit = false;
        for (const crl of embedded.crls) if (await digestOf(r, crl.der)) hit = true;
        if (!hit) problems.push(`a CRL reference (${ctx.registry.digestName(r.digestOid)} ${toHex(r.digest)}) names no carried CRL`);
      }
      for (const r of refs.ocsps) {
        let hit = false;
        for (const o of embedded.ocsps) if (await digestOf(r, o.der)) hit = true;
        if (!hit) problems.push(`an OCSP reference (${ctx.registry.digestName(r.digestOid)} ${toHex(r.digest)}) names no carried OCSP response`);
      }
      if (problems.length) checks.fail('FC', 'fc.revocation-references', `complete-revocation-references and revocationValues disagree: ${problems.join('; ')}`, 'FORMAT_FAILURE');
      else checks.pass('FC', 'fc.revocation-references', `complete-revocation-references reference exactly the carried revocation values (${refs.crls.length} CRL, ${refs.ocsps.length} OCSP)`);
    }
  } catch (e) {
    if (!(e instanceof OtsEsigError)) throw e;
    checks.fail('FC', 'fc.complete-references', `CAdES-C references are malformed: ${e.message}`, 'FORMAT_FAILURE');
    return undefined;
  }
  return certs?.map((r) => ({ ...r, label: 'complete-certificate-references' }));
}

/**
 * The counter-signatures of `si` (at nesting `depth`), each collected as a signature of its own. Bounded: none
 * deeper than MAX_COUNTER_SIGNATURE_DEPTH, none beyond `allowance`; those left out are named in `warnings`.
 */
async function counterSignatureFacts(
  sig: CadesSignature,
  si: CadesSignerInfo,
  id: string,
  depth: number,
  ctx: ValidationContext,
  allowance: CounterSignatureAllowance,
  warnings: string[],
): Promise<SignatureFacts[]> {
  if (!si.unsignedAttributes.has(OID.counterSignature)) return [];
  const { signers, problems } = readCounterSignerInfos(si, id);
  for (const p of problems) warnings.push(`${p}: not validated`);
  if (!signers.length) return [];
  if (depth >= MAX_COUNTER_SIGNATURE_DEPTH) {
    warnings.push(`${signers.length} counter-signature(s) of ${id} not validated: nested deeper than ${MAX_COUNTER_SIGNATURE_DEPTH} levels`);
    return [];
  }
  const out: SignatureFacts[] = [];
  for (const c of signers) {
    if (allowance.left <= 0) {
      warnings.push(`${signers.length - out.length} counter-signature(s) of ${id} not validated: the input holds more signatures and counter-signatures than limits.maxSigners (${ctx.limits.maxSigners})`);
      break;
    }
    allowance.left--;
    out.push(await collectCadesSigner(sig, c, ctx, allowance, { signerInfo: si, id: `${id}/countersignature[${c.index}]`, depth: depth + 1 }));
  }
  return out;
}

/**
 * The archive-time-stamp-v3 tokens of `si` with the bytes each covers (EN 319 122-1 5.5.3, tsp/atsv3.ts). A token
 * whose input cannot be computed is a fact with its `problem` (the stage reports it, never uses it). Inputs are
 * computed for at most `max` tokens: the stage validates no more (policy timestamps.maxPerSignature).
 */
async function archiveTimestampFacts(sig: CadesSignature, si: CadesSignerInfo, content: Uint8Array, ctx: ValidationContext, max: number): Promise<TimestampFact[]> {
  const out: TimestampFact[] = [];
  let i = 0;
  for (const attr of si.unsignedAttributes.get(ATS_V3_OID) ?? []) {
    for (const value of attr.values) {
      const ordinal = i++;
      const base = { kind: 'archive' as const, id: `tst.archive-timestamp[${ordinal}]`, label: 'archive-time-stamp-v3', ordinal, token: copyBytes(value.encoding) };
      if (ordinal >= max) {
        // Beyond the cap of the policy the facts were collected under: never bound, so never proof of existence.
        out.push({ ...base, problem: { reason: `input not computed: more than ${max} archive time-stamps (policy timestamps.maxPerSignature when collected)` } });
        continue;
      }
      let reason: string | undefined;
      let token;
      try {
        token = parseTimestampToken(base.token);
      } catch (e) {
        reason = `unreadable token: ${(e as Error).message}`;
      }
      let input: Awaited<ReturnType<typeof archiveTimestampV3Input>> | undefined;
      try {
        input = token ? await archiveTimestampV3Input(sig, si, value, token, content, ctx.registry) : undefined;
      } catch (e) {
        reason = `archive input not computable: ${(e as Error).message}`;
      }
      if (input && !input.ok) reason = input.reason;
      if (reason || !input?.ok) out.push({ ...base, problem: { reason: reason ?? 'not computed', genTime: token?.tstInfo.genTime } });
      else out.push({ ...base, data: input.data });
    }
  }
  return out;
}

/**
 * The archive-time-stamp-v2 and (v1) archive-time-stamp tokens of `si` with the bytes each covers: the reading of
 * the TS 101 733 input whose hash the token's imprint matches, else the first (then the imprint check fails). A token
 * whose input cannot be computed (unreadable, detached content absent) is collected without data: never proof of
 * existence, and a policy requiring every time-stamp to be verified counts it as not verified.
 */
async function olderArchiveTimestampFacts(sig: CadesSignature, si: CadesSignerInfo, content: Uint8Array | undefined, ctx: ValidationContext): Promise<TimestampFact[]> {
  const out: TimestampFact[] = [];
  let ordinal = 0;
  for (const [oid, version] of [[ATS_V2_OID, 2], [ATS_V1_OID, 1]] as const) {
    for (const attr of si.unsignedAttributes.get(oid) ?? []) {
      for (const value of attr.values) {
        const token = copyBytes(value.encoding);
        const label = version === 2 ? 'archive-time-stamp-v2' : 'archive-time-stamp (v1)';
        const base = { kind: 'archive' as const, id: `tst.archive-timestamp-v${version}[${ordinal}]`, label, ordinal: ordinal++, token };
        let candidates: Uint8Array[] = [];
        try {
          candidates = archiveTimestampV2Inputs(sig, si, value, version, content);
        } catch {
          // An encoding that cannot be read: collected without data (never verified).
        }
        const data = await matchingInput(token, candidates, ctx);
        out.push({ ...base, ...(data ? { data } : {}) });
      }
    }
  }
  return out;
}

/** The reading of `candidates` whose hash `token`'s imprint matches, else the first; undefined for an unreadable token. */
async function matchingInput(token: Uint8Array, candidates: readonly Uint8Array[], ctx: ValidationContext): Promise<Uint8Array | undefined> {
  try {
    const tst = parseTimestampToken(token).tstInfo;
    if (ctx.registry.supportsDigest(tst.hashAlgorithmOid)) {
      for (const c of candidates) if (equalBytes(await ctx.registry.digest(tst.hashAlgorithmOid, c), tst.hashedMessage)) return c;
    }
  } catch {
    // An unreadable token: collected without data (its own validation names the problem).
    return undefined;
  }
  return candidates[0];
}

/** The CAdES-X Type 1 / Type 2 time-stamps of `si` (tsp/esc-timestamp.ts), kind 'other': validated, never proof of existence. */
async function cadesXTimestampFacts(sig: CadesSignature, si: CadesSignerInfo, ctx: ValidationContext): Promise<TimestampFact[]> {
  const out: TimestampFact[] = [];
  for (const [oid, kind, label] of [[ESC_TIMESTAMP_OID, 'esc', 'CAdES-C time-stamp (escTimeStamp)'], [CERT_CRL_TIMESTAMP_OID, 'certCrl', 'certificates and CRLs time-stamp']] as const) {
    let ordinal = 0;
    for (const attr of si.unsignedAttributes.get(oid) ?? []) {
      for (const value of attr.values) {
        const token = copyBytes(value.encoding);
        const data = await matchingInput(token, cadesXTimestampInputs(sig, si, kind), ctx);
        out.push({ kind: 'other', id: `tst.${kind === 'esc' ? 'esc-timestamp' : 'cert-crl-timestamp'}[${ordinal}]`, label, ordinal: ordinal++, token, ...(data ? { data } : {}) });
      }
    }
  }
  return out;
}

function matchesSid(c: ParsedCertificate, si: CadesSignerInfo): boolean {
  if (si.sid.type === 'issuerAndSerialNumber') return c.serialNumberHex === si.sid.serialNumberHex && c.issuer.key === si.sid.issuerKey;
  return c.subjectKeyIdentifier === si.sid.keyIdentifier;
}

async function essMatches(ref: EssCertId, c: ParsedCertificate, ctx: ValidationContext): Promise<boolean> {
  if (!ctx.registry.supportsDigest(ref.hashAlgorithmOid)) return false;
  const h = await c.digest(ctx.registry, ref.hashAlgorithmOid);
  if (!equalBytes(h, ref.certHash)) return false;
  if (ref.issuerSerial) {
    if (ref.issuerSerial.serialNumberHex !== c.serialNumberHex) return false;
    if (ref.issuerSerial.issuerKeys.length && !ref.issuerSerial.issuerKeys.includes(c.issuer.key)) return false;
  }
  return true;
}

