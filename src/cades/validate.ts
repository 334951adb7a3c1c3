import * as asn1js from 'asn1js';
import { checkDigest, evaluateAlgorithm } from '../crypto/policy.js';
import { recordAlgorithm } from '../validation/crypto-checks.js';
import type { ResolvedSignatureAlgorithm } from '../crypto/provider.js';
import { OtsEsigError } from '../errors.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { OID } from '../pki/oids.js';
import { CertificatePool } from '../pki/pool.js';
import { CheckList } from '../report/check.js';
import type { SignatureReport } from '../report/model.js';
import { copyBytes, equalBytes, toHex } from '../util/bytes.js';
import { asn1Of } from '../util/der.js';
import type { ValidationContext } from '../validation/options.js';
import { validateChain } from '../validation/chain.js';
import { decide } from '../validation/verdict.js';
import type { EssCertId } from './ess.js';
import type { CadesSignature, CadesSignerInfo } from './model.js';
import { singleValuedProblems } from './attributes.js';
import { summarizeCertificate } from '../report/summary.js';
import { readEmbeddedValidationData } from '../revocation/cms-values.js';
import { revocationChecker } from '../revocation/checker.js';
import { contentTimestampRules, pastSignatureValidation, signerValidityRules, validateArchiveTimestamps, validateSignatureTimestamps } from '../validation/poe.js';
import type { TimestampValidation } from '../tsp/validate.js';

/** id-aa-ets-contentTimestamp (EN 319 122-1 5.2.8). */
const CONTENT_TIMESTAMP_OID = '1.2.840.113549.1.9.16.2.20';

/** The latest genTime of the valid content time-stamps: the tightest lower bound on the signing time. */
function latest(results: readonly TimestampValidation[]): Date {
  const ok = results.filter((r) => r.status === 'PASSED' && r.genTime).map((r) => r.genTime!.getTime());
  return new Date(Math.max(...ok));
}
import { ATS_V3_OID } from '../tsp/atsv3.js';
import { fetchMissingIssuers } from '../net/aia.js';

/** EN 319 102-1 basic signature validation of one SignerInfo: FC, ISC, CV, XCV, SAV. */
export async function validateCadesSigner(
  sig: CadesSignature,
  si: CadesSignerInfo,
  ctx: ValidationContext,
): Promise<SignatureReport> {
  const checks = new CheckList();
  const warnings: string[] = [];
  const digestName = ctx.registry.digestName(si.digestAlgorithm.oid);

  // --- FC: format checking (RFC 5652 5.3 / 11, EN 319 122-1 CAdES-B) ---
  let level = 'CAdES-BASELINE-B';
  let formatOk = true;
  if (!si.signedAttributesDer) {
    level = 'CMS';
    warnings.push('no signed attributes: a plain CMS signature, not CAdES; the signing certificate is not bound by the signature');
    if (sig.eContentType !== OID.data) {
      checks.fail('FC', 'fc.signed-attributes', 'eContentType is not id-data, so signed attributes are required (RFC 5652 5.3)', 'FORMAT_FAILURE');
      formatOk = false;
    }
  } else {
    const once = (oid: string, name: string) => {
      const a = si.signedAttributes.get(oid);
      if (!a) {
        checks.fail('FC', `fc.${name}`, `signed attribute ${name} is missing`, 'FORMAT_FAILURE');
        return undefined;
      }
      if (a.length !== 1 || a[0]!.values.length !== 1) {
        checks.fail('FC', `fc.${name}`, `signed attribute ${name} must occur once with one value`, 'FORMAT_FAILURE');
        return undefined;
      }
      // Signed attribute values were decoded (and found decodable) while parsing: this is a cache hit.
      return asn1Of(a[0]!.values[0]!, `signed attribute ${name}`);
    };
    const ct = once(OID.contentType, 'content-type');
    const md = once(OID.messageDigest, 'message-digest');
    if (ct instanceof asn1js.ObjectIdentifier) {
      const v = ct.valueBlock.toString();
      if (v === sig.eContentType) checks.pass('FC', 'fc.content-type', `content-type attribute ${v} matches eContentType`);
      else checks.fail('FC', 'fc.content-type', `content-type attribute ${v} differs from eContentType ${sig.eContentType}`, 'FORMAT_FAILURE');
    } else if (ct) {
      checks.fail('FC', 'fc.content-type', 'content-type attribute is not an OBJECT IDENTIFIER', 'FORMAT_FAILURE');
    }
    if (md && !(md instanceof asn1js.OctetString)) {
      checks.fail('FC', 'fc.message-digest', 'message-digest attribute is not an OCTET STRING', 'FORMAT_FAILURE');
    }
    // content-type and message-digest were reported by once(); the other single-valued attributes here.
    for (const problem of singleValuedProblems(si.signedAttributes, [OID.contentType, OID.messageDigest])) {
      checks.fail('FC', 'fc.attribute-cardinality', problem, 'FORMAT_FAILURE');
    }
    formatOk = checks.items.every((c) => c.status === 'PASSED');
    if (si.essSigningCertificates?.v2 === 'malformed' || si.essSigningCertificates?.v1 === 'malformed') {
      checks.fail('FC', 'fc.signing-certificate', 'ESS signing-certificate attribute is malformed', 'FORMAT_FAILURE');
      formatOk = false;
    }
    if (!si.essSigningCertificates) {
      level = 'CMS';
      warnings.push('no ESS signing-certificate(-v2) attribute: not CAdES-B; the signer certificate is identified by SignerIdentifier only');
    }
  }
  if (formatOk) checks.pass('FC', 'fc.structure', `${level} structure is well formed`);
  if (si.signedAttributesReencoded) {
    warnings.push('the signed attributes were not DER-encoded (SET OF order or lengths); the signature was checked over their DER encoding, as RFC 5652 5.4 requires');
  }

  // --- ISC: identification of the signing certificate ---
  // CAdES-LT validation data (certValues, revocationValues, RevocationInfoChoices): material, verified before use.
  const embedded = readEmbeddedValidationData(sig, si);
  for (const p of embedded.problems) warnings.push(p);
  const pool = new CertificatePool([...sig.certificates, ...embedded.certificates, ...ctx.intermediates].map((certificate) => ({ certificate })));
  // Path building and CRL-issuer search consult ctx.anchors through its own index; the pool only needs the
  // anchors the SignerIdentifier names (a directly trusted signer), looked up without scanning every anchor.
  const sidAnchors = si.sid.type === 'issuerAndSerialNumber' ? ctx.anchors.withIssuerSerial(si.sid.issuerKey, si.sid.serialNumberHex) : ctx.anchors.withSubjectKeyIdentifier(si.sid.keyIdentifier);
  for (const a of sidAnchors) pool.add(a);
  const candidates = [...pool.values()].map((x) => x.certificate).filter((c) => matchesSid(c, si));
  let signer: ParsedCertificate | undefined;
  const ess = si.essSigningCertificates?.v2 ?? si.essSigningCertificates?.v1;
  if (candidates.length === 0) {
    checks.indeterminate('ISC', 'isc.signer-identifier', 'no available certificate matches the SignerIdentifier', 'NO_SIGNING_CERTIFICATE_FOUND');
  } else if (ess && ess !== 'malformed') {
    for (const c of candidates) {
      if (await essMatches(ess[0]!, c, ctx)) {
        signer = c;
        break;
      }
    }
    if (signer) {
      checks.pass('ISC', 'isc.signing-certificate-reference', `ESS signing-certificate${ess[0]!.version === 2 ? '-v2' : ''} digest and issuer/serial match ${signer.subject.text}`);
    } else {
      checks.indeterminate(
        'ISC',
        'isc.signing-certificate-reference',
        `no candidate certificate matches the ESS signing-certificate${ess[0]!.version === 2 ? '-v2' : ''} reference`,
        'NO_SIGNING_CERTIFICATE_FOUND',
      );
    }
  } else if (ess !== 'malformed') {
    signer = candidates[0];
    checks.pass('ISC', 'isc.signer-identifier', `SignerIdentifier matches ${signer!.subject.text}`);
  }

  // --- CV: cryptographic verification ---
  // The content digest and the signature value are independent, so both start before either is awaited:
  // an asynchronous provider (WebCrypto runs each as a thread-pool job) then works on them at once.
  let resolved: ResolvedSignatureAlgorithm | undefined;
  let unresolved: OtsEsigError | undefined;
  const content = sig.eContent ?? ctx.detachedContent;
  const contentSource = sig.eContent ? 'encapsulated content' : 'supplied detached content';
  // A document supplied with an attached signature is the document the caller wants verified: it must BE the
  // encapsulated content. Verifying the encapsulated content instead made any attached signature "verify" any document.
  if (sig.eContent && ctx.detachedContent) {
    const supplied = ctx.detachedContent;
    const fingerprint = async (b: Uint8Array) => (ctx.registry.supportsDigest(si.digestAlgorithm.oid) ? `${digestName} ${toHex(await ctx.registry.digest(si.digestAlgorithm.oid, b))}` : `${b.length} bytes`);
    if (equalBytes(sig.eContent, supplied)) checks.pass('CV', 'cv.supplied-content', `the supplied document is the content encapsulated in the signature (${await fingerprint(supplied)})`);
    else {
      checks.fail(
        'CV',
        'cv.supplied-content',
        `the supplied document is not the signed content: it differs from the content encapsulated in the signature (supplied ${await fingerprint(supplied)}, encapsulated ${await fingerprint(sig.eContent)})`,
        'HASH_FAILURE',
      );
    }
  }
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
    const digest = await ctx.registry.digest(si.digestAlgorithm.oid, content);
    if (si.signedAttributesDer) {
      const mdValue = si.signedAttributes.get(OID.messageDigest)?.[0]?.values[0];
      const md = mdValue && asn1Of(mdValue, 'signed attribute message-digest');
      if (md instanceof asn1js.OctetString) {
        if (equalBytes(md.valueBlock.valueHexView, digest)) checks.pass('CV', 'cv.message-digest', `${digestName} of the ${contentSource} ${toHex(digest)} matches message-digest`);
        else checks.fail('CV', 'cv.message-digest', `${digestName} of the ${contentSource} ${toHex(digest)} differs from message-digest ${toHex(md.valueBlock.valueHexView)}`, 'HASH_FAILURE');
      }
    } else {
      checks.pass('CV', 'cv.signed-data', `the signature value is over the ${contentSource} itself (no signed attributes): ${digestName} ${toHex(digest)}`);
    }
  }
  if (unresolved) checks.indeterminate('CV', 'cv.signature-algorithm', unresolved.message, 'CRYPTO_CONSTRAINTS_FAILURE');
  if (resolved && verifying) {
    const outcome = await verifying;
    if (outcome instanceof Error) warnings.push(`signature verification raised: ${outcome.message}`);
    if (outcome === true) checks.pass('CV', 'cv.signature-value', `${resolved.name} signature verifies with the signer's ${resolved.key} key`);
    else checks.fail('CV', 'cv.signature-value', `${resolved.name} signature does not verify with the signer's key`, 'SIG_CRYPTO_FAILURE');
  }

  // --- XCV: certificate path at the validation time ---
  const sigCtx: ValidationContext = {
    ...ctx,
    revocation: revocationChecker({
      registry: ctx.registry,
      algorithmPolicy: ctx.algorithmPolicy,
      crls: [...ctx.crls.map((crl) => ({ crl, origin: 'supplied' as const })), ...embedded.crls.map((crl) => ({ crl, origin: 'embedded' as const }))],
      ocsps: [
        ...(ctx.ocspResponses ?? []).map((response) => ({ response, origin: 'supplied' as const })),
        ...embedded.ocsps.map((response) => ({ response, origin: 'embedded' as const })),
      ],
      fetcher: ctx.fetcher,
      certificates: [...sig.certificates, ...embedded.certificates, ...ctx.intermediates],
    }),
  };
  if (signer && ctx.fetcher) warnings.push(...(await fetchMissingIssuers(signer, pool, ctx.anchors, ctx.fetcher, ctx.pathLimits.maxDepth)));
  const chain = signer ? await validateChain(signer, pool, sigCtx, checks, warnings) : undefined;

  // --- SAV: cryptographic constraints of the signature itself ---
  if (resolved) {
    const verdict = evaluateAlgorithm(ctx.algorithmPolicy, resolved, ctx.time);
    recordAlgorithm(checks, 'SAV', 'sav.crypto-constraints', resolved.name, verdict, `${resolved.name} with ${resolved.keyBits}-bit ${resolved.key} key is acceptable`);
  }
  // The SignerInfo digestAlgorithm is the hash that binds the content (message-digest), whatever hash the
  // signature algorithm names: it is under the same policy (a SHA-1 digest under sha256WithRSA binds nothing).
  recordAlgorithm(checks, 'SAV', 'sav.digest-algorithm', `SignerInfo digestAlgorithm ${digestName}`, checkDigest(ctx.algorithmPolicy, digestName, ctx.time));
  // The ESS signing-certificate(-v2) reference only identifies the certificate (the signature binds it;
  // a second certificate with the same hash would need a CA to sign a collision): below policy is a warning,
  // as DSS's default policy has it (SigningCertificateDigestAlgorithm WARN).
  if (ess && ess !== 'malformed') {
    const essDigest = ctx.registry.digestName(ess[0]!.hashAlgorithmOid);
    const v = checkDigest(ctx.algorithmPolicy, essDigest, ctx.time);
    if (!v.acceptable) warnings.push(`ESS signing-certificate reference digest: ${v.reason}`);
  }

  // --- archive-time-stamp-v3 (CAdES-LTA), first: it is the POE for the signature time-stamps' own validation ---
  const certsForTst = [...sig.certificates, ...embedded.certificates];
  const archive = content ? await validateArchiveTimestamps(sig, si, content, sigCtx, certsForTst, checks, warnings) : undefined;
  if (!content && si.unsignedAttributes.has(ATS_V3_OID)) {
    checks.skip('TST', 'tst.archive-timestamp', 'archive-time-stamp-v3 not checked: the signed content is not available');
  }

  // --- signature time-stamps (CAdES-T: imprint over the SignatureValue octets) and past signature validation ---
  const tstTokens = (si.unsignedAttributes.get(OID.signatureTimeStampToken) ?? []).flatMap((a) => a.values.map((x) => copyBytes(x.encoding)));
  const tsts = await validateSignatureTimestamps(tstTokens, si.signatureValue, sigCtx, certsForTst, checks, warnings, archive?.earliest);
  // --- content-time-stamp (signed attribute, imprint over the content): a lower bound on the signing time ---
  const ctsTokens = (si.signedAttributes.get(CONTENT_TIMESTAMP_OID) ?? []).flatMap((a) => a.values.map((x) => copyBytes(x.encoding)));
  const cts = ctsTokens.length && content ? await validateSignatureTimestamps(ctsTokens, content, sigCtx, certsForTst, checks, warnings, archive?.earliest, 'content-timestamp') : undefined;
  let poe = tsts.poe;
  let poeSource: 'validation-time' | 'signature-timestamp' | 'archive-timestamp' = poe ? 'signature-timestamp' : 'validation-time';
  if (!poe && archive?.earliest) {
    poe = archive.earliest;
    poeSource = 'archive-timestamp';
  }
  const poeAccuracy = poe ? tsts.results.find((r) => r.genTime?.getTime() === poe!.getTime())?.accuracyMs : undefined;
  if (poe) {
    pastSignatureValidation({ checks, poe, chain, signatureAlgorithm: resolved, claimedSigningTime: si.claimedSigningTime, accuracyMs: poeAccuracy, ctx: sigCtx });
  }
  signerValidityRules({ checks, signer, bestSignatureTime: poe, accuracyMs: poeAccuracy, claimedSigningTime: si.claimedSigningTime });
  if (cts?.poe) contentTimestampRules({ checks, contentTime: latest(cts.results), signatureTimestampTime: tsts.poe, chain });
  if (tsts.poe && level === 'CAdES-BASELINE-B') level = embedded.locations.length ? 'CAdES-BASELINE-LT' : 'CAdES-BASELINE-T';
  if (archive?.earliest) {
    if (tsts.poe && archive.earliest.getTime() < tsts.poe.getTime()) {
      checks.indeterminate('PSV', 'psv.archive-timestamp-order', `archive time-stamp ${archive.earliest.toISOString()} precedes the signature time-stamp ${tsts.poe.toISOString()}`, 'TIMESTAMP_ORDER_FAILURE');
    }
    if (level === 'CAdES-BASELINE-LT') level = 'CAdES-BASELINE-LTA';
  }

  const v = decide(checks.items);
  return {
    id: `signerInfo[${si.index}]`,
    format: 'CAdES',
    level,
    indication: v.indication,
    subIndication: v.subIndication,
    signer: signer ? await summarizeCertificate(signer) : null,
    chain: chain?.summaries ?? [],
    signatureAlgorithm: resolved?.name ?? si.signatureAlgorithm.oid,
    digestAlgorithm: digestName,
    times: {
      validationTime: ctx.time.toISOString(),
      claimedSigningTime: si.claimedSigningTime?.toISOString() ?? null,
      bestSignatureTime: (poe ?? ctx.time).toISOString(),
      bestSignatureTimeSource: poeSource,
    },
    revocation: chain?.revocation ?? [],
    ...(chain ? { validPolicies: chain.policies } : {}),
    ...(tsts.summaries.length || archive?.summaries.length || cts?.summaries.length
      ? { timestamps: [...(cts?.summaries ?? []), ...tsts.summaries, ...(archive?.summaries ?? [])] }
      : {}),
    checks: checks.items,
    warnings,
  };
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

