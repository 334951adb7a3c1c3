import { parseCades } from '../cades/parse.js';
import { collectCadesSigner } from '../cades/validate.js';
import { detectInput } from '../detect.js';
import { InputFormatError, InvalidOptionError, LimitExceededError } from '../errors.js';
import { fetchMissingIssuers } from '../net/aia.js';
import type { ValidationPolicy } from '../policy/model.js';
import type { SignatureReport, ValidationReport } from '../report/model.js';
import { signatureReport } from '../report/signature.js';
import type { SignatureFacts } from '../stage/facts.js';
import { evaluateSignature, type SignatureOutcome } from '../stage/signature.js';
import { RecordedFetcher } from '../stage/recorded-fetcher.js';
import { toBytes } from '../util/bytes.js';
import { WorkBudget } from '../util/work-budget.js';
import type { DetachedContent } from '../xades/xmldsig.js';
import { VERSION } from '../version.js';
import { createContext, resolvePolicy, type ValidationContext, type VerifyOptions } from './options.js';
import type { PreparedTrust } from '../trust/context.js';
import type { TrustOptions } from '../trust/inputs.js';
import { policyIdentity } from '../policy/parse.js';
import type { ContainerFacts } from '../asic/collect.js';
import { isoTime } from '../util/iso-time.js';

/** A signature as given to `verify`/`collect`: DER or PEM CMS, XML (bytes or text), or base64 text. */
export type SignatureInput = Uint8Array | ArrayBuffer | string;

/**
 * Everything `collect` established about an input: the facts of each signature (parsed, integrity checks
 * and their cryptography done, missing issuers fetched) and the context they were collected in (anchors,
 * trusted lists, supplied revocation data, the fetcher with its cache). `evaluate` judges them, as often as
 * needed, under any policy, relying party or validation time. Opaque to callers; do not mutate.
 */
export interface CollectedFacts {
  /** The caller's context before any trusted list is applied (evaluate applies the trust it judges under). */
  readonly ctx: ValidationContext;
  readonly trust: PreparedTrust | undefined;
  readonly signatures: readonly SignatureFacts[];
  /** For an ASiC container: what the container adds (structure, coverage, its time-stamps). */
  readonly container?: ContainerFacts;
}

/**
 * What may change between evaluations of the same facts. `trustLists`, `agreements` and `agreementSigners`
 * replace the ones `collect` was given (anchors from the caller's trustAnchors stay): a list operator's
 * regression run judges the same facts under the old and the new list. A signer certificate that only the collection's anchors held stays
 * the signer candidate; its path is judged under the evaluation's anchors.
 */
export interface EvaluateOptions extends Pick<TrustOptions, 'trustLists' | 'agreements' | 'agreementSigners'> {
  /** A preset name or a policy object; default the one `collect` was given (VerifyOptions.policy and its overrides). */
  readonly policy?: ValidationPolicy | string;
  /** ISO 3166 alpha-2 relying party for recognition; default the one `collect` was given. */
  readonly relyingParty?: string;
  readonly purpose?: string;
  /** Default the one `collect` was given. Trusted-list freshness in the trust report stays as judged at collection. */
  readonly validationTime?: Date;
}

/**
 * Validates every signature in `input` (CMS/CAdES as DER, PEM or base64, or XAdES XML) and
 * returns one report per signature. Throws only when the input is not a
 * signature at all or an option is unusable (`OtsEsigError` with a `code`);
 * a bad signature is a report with TOTAL-FAILED or INDETERMINATE, never a throw.
 * The same as `evaluate(await collect(input, options))`.
 */
export async function verify(input: SignatureInput, options: VerifyOptions = {}): Promise<ValidationReport> {
  return evaluate(await collect(input, options));
}

/**
 * Parses `input` and collects the facts of each signature (stage/facts.ts): format checks, signer
 * identification, the signature's cryptographic verification, carried certificates and revocation data,
 * time-stamp tokens with the bytes they cover. Nothing is judged yet.
 */
export async function collect(input: SignatureInput, options: VerifyOptions = {}): Promise<CollectedFacts> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : toBytes(input);
  const created = createContext(options);
  // Whatever is fetched for these facts (issuers now, revocation data when they are judged) is recorded with them:
  // evaluating them again replays it instead of fetching again.
  const base: ValidationContext = created.fetcher ? { ...created, fetcher: new RecordedFetcher(created.fetcher) } : created;
  if (bytes.byteLength > base.limits.maxInputBytes) throw new LimitExceededError('input.bytes', base.limits.maxInputBytes);
  const detected = detectInput(bytes);
  // prepareTrust has nothing to prepare without lists, agreements or a relying party: the trust code is then not
  // even loaded (an empty agreements array, as the CLI passes, is no agreement; start-up of a plain verify, #19).
  const wantsTrust = options.trustLists !== undefined || (options.agreements?.length ?? 0) > 0 || options.relyingParty !== undefined;
  const trust = wantsTrust ? await (await trustModule()).prepareTrust(options, base) : undefined;
  // Collection sees the lists' anchors too (a signer that is itself an anchor, where issuer fetching stops).
  const ctx = trust ? (await trustModule()).applyTrust(base, trust).ctx : base;
  const signatures: SignatureFacts[] = [];
  let container: ContainerFacts | undefined;
  if (detected.kind === 'zip') {
    // Loaded on first use like the XML stack: a CAdES-only bundle carries no ZIP reader.
    const { collectAsic } = await import('../asic/index.js');
    const collected = await collectAsic(detected.bytes, ctx);
    signatures.push(...collected.signatures);
    container = collected.container;
  } else if (detected.kind === 'cms') {
    const sig = parseCades(detected.der, ctx.cmsLimits);
    // Counter-signatures count against limits.maxSigners with the SignerInfos: one allowance for the whole SignedData.
    const allowance = { left: ctx.limits.maxSigners - sig.signers.length };
    for (const si of sig.signers) signatures.push(await collectCadesSigner(sig, si, ctx, allowance));
  } else {
    // The XML stack (parser, C14N, XML-DSig) is loaded on first use, so a CAdES-only
    // browser bundle does not carry it (bundlers split it into its own chunk; `npm run size` checks).
    const [{ findSignatures, collectXadesSignature }, { parseXml }, { indexIds }] = await xmlStack();
    const doc = parseXml(detected.bytes, ctx.xmlLimits);
    // DigiDoc 1.x (DDOC, http://www.sk.ee/DigiDoc/v1.x#) predates XAdES baseline and ASiC: refused, not judged as XAdES.
    const root = doc.documentElement;
    if (root?.localName === 'SignedDoc' && root.namespaceURI?.startsWith('http://www.sk.ee/DigiDoc/')) {
      throw new InputFormatError(`legacy DigiDoc (DDOC, ${root.namespaceURI}) is not supported: DDOC signatures are not validated by this library (convert to ASiC-E/BDOC or use a DigiDoc validator)`);
    }
    const found = findSignatures(doc);
    if (found.length === 0) throw new InputFormatError('XML input contains no ds:Signature');
    // Each signature may canonicalize the whole document: their number is bounded like CMS SignerInfos.
    if (found.length > ctx.limits.maxSigners) throw new LimitExceededError('xml.signatures', ctx.limits.maxSigners);
    const detachedContent = xmlDetachedContent(options, ctx.detachedContent);
    // One work budget for the whole document: its signatures share it (limits.maxXmlWork).
    const budget = new WorkBudget(ctx.limits.maxXmlWork);
    // The Id index is one walk of the document, shared by its signatures (validation never changes the DOM).
    const ids = indexIds(doc);
    // Counter-signatures count against limits.maxSigners with the signatures: one allowance for the document.
    const allowance = { left: ctx.limits.maxSigners - found.length };
    for (let i = 0; i < found.length; i++) signatures.push(await collectXadesSignature({ doc, signature: found[i]!, index: i, detachedContent, budget, ids, allowance }, ctx));
  }
  // Online: issuers the signature does not carry are fetched (AIA caIssuers) now, so evaluations do not fetch.
  if (ctx.fetcher) {
    const fetcher = ctx.fetcher;
    const withIssuers = async (f: SignatureFacts): Promise<SignatureFacts> => {
      const warnings = f.signer ? await fetchMissingIssuers(f.signer, f.pool, ctx.anchors, fetcher, ctx.pathLimits.maxDepth) : [];
      let counterSignatures: SignatureFacts[] | undefined;
      for (const c of f.counterSignatures ?? []) (counterSignatures ??= []).push(await withIssuers(c));
      return { ...f, warnings: [...f.warnings, ...warnings], ...(counterSignatures ? { counterSignatures } : {}) };
    };
    for (const [i, f] of signatures.entries()) signatures[i] = await withIssuers(f);
  }
  return { ctx: base, trust, signatures, ...(container ? { container } : {}) };
}

/**
 * Judges collected facts (the signature stage, then recognition) and builds the report. Re-evaluating
 * under another policy, relying party or validation time parses nothing and verifies no signature value
 * again; paths, revocation status and time-stamps are re-judged (certificate and CRL signature outcomes
 * are memoised, src/pki/cache.ts; revocation data fetched by an earlier evaluation is replayed from the
 * facts' RecordedFetcher; time-stamp tokens are validated again, their own signature included).
 */
export async function evaluate(facts: CollectedFacts, options: EvaluateOptions = {}): Promise<ValidationReport> {
  const base = contextFor(facts.ctx, options);
  const trust = await trustFor(facts.trust, base, options);
  const applied = trust ? (await trustModule()).applyTrust(base, trust) : undefined;
  const ctx = applied?.ctx ?? base;
  const outcomes = [];
  for (const f of facts.signatures) outcomes.push(await evaluateSignature(f, ctx));
  // The judging is done: the reports are built from the stage's outcomes, recognition added to them.
  const reports: SignatureReport[] = [];
  for (const o of outcomes) reports.push(await signatureReport(o));
  const signatures = trust ? await recognizeAll(outcomes, reports, trust, ctx.time) : reports;
  const container = facts.container ? await (await import('../asic/index.js')).containerReport(facts.container, signatures, ctx) : undefined;
  return {
    tool: { name: 'ots-esig', version: VERSION },
    validationTime: isoTime(ctx.time),
    signatures,
    warnings: ctx.warnings,
    ...(applied ? { trust: applied.report } : {}),
    policy: await policyIdentity(ctx.policy),
    ...(container ? { container } : {}),
  };
}

/**
 * Recognition of each signature and, the same way, of each of its counter-signatures (a signature of its own):
 * the report of each, with the path the stage judged (its certificates) from the outcome.
 */
async function recognizeAll(outcomes: readonly SignatureOutcome[], reports: readonly SignatureReport[], trust: PreparedTrust, time: Date): Promise<SignatureReport[]> {
  const recognized = await (await trustModule()).addRecognition(
    outcomes.map((o, i) => ({ report: reports[i]!, chain: o.chain })),
    trust,
    time,
  );
  const out: SignatureReport[] = [];
  for (const [i, report] of recognized.entries()) {
    const counters = outcomes[i]!.counterSignatures;
    out.push(counters.length ? { ...report, counterSignatures: await recognizeAll(counters, reports[i]!.counterSignatures ?? [], trust, time) } : report);
  }
  return out;
}

/** The collection context with this evaluation's policy and time (and its own warnings list). */
function contextFor(base: ValidationContext, options: EvaluateOptions): ValidationContext {
  let ctx: ValidationContext = { ...base, warnings: [...base.warnings] };
  if (options.policy !== undefined) {
    // The same resolution as verify(): a preset by name, or a caller's object checked like a policy file.
    const policy = resolvePolicy({ policy: options.policy });
    ctx = { ...ctx, policy, algorithmPolicy: policy.algorithms, acceptablePolicies: policy.certificate.acceptablePolicies, requireRevocation: policy.revocation.signer !== 'none' };
  }
  if (options.validationTime !== undefined) {
    const time = options.validationTime;
    if (!(time instanceof Date) || Number.isNaN(time.getTime())) throw new InvalidOptionError('validationTime is not a valid Date');
    ctx = { ...ctx, time };
  }
  return ctx;
}

/**
 * The trust this evaluation judges under: the collection's, with the evaluation's trusted lists, agreements,
 * relying party and purpose where given (new lists are loaded and verified at the evaluation's time).
 */
async function trustFor(base: PreparedTrust | undefined, ctx: ValidationContext, options: EvaluateOptions): Promise<PreparedTrust | undefined> {
  const { relyingParty, purpose, trustLists, agreements, agreementSigners } = options;
  if (relyingParty === undefined && purpose === undefined && trustLists === undefined && agreements === undefined && agreementSigners === undefined) return base;
  const { agreementsUnder, checkRecognitionInputs, loadTrustSet, prepareTrust } = await trustModule();
  checkRecognitionInputs(relyingParty, purpose);
  if (!base) return prepareTrust({ trustLists, agreements, agreementSigners, relyingParty, purpose }, ctx);
  // What the evaluation does not replace is the collection's, as loaded then (not parsed again). Agreement
  // signatures are checked again when the lists change: the signers a list of lists announces change with it.
  const set = trustLists === undefined ? base.set : await loadTrustSet(trustLists, ctx);
  const sameAgreements = trustLists === undefined && agreements === undefined && agreementSigners === undefined;
  const loaded = sameAgreements ? base : await agreementsUnder(set, agreements ?? base.agreementInputs, agreementSigners ?? base.agreementSigners, ctx);
  return {
    ...loaded,
    set,
    relyingParty: relyingParty ?? base.relyingParty,
    purpose: purpose ?? base.purpose,
    given: trustLists === undefined && agreements === undefined ? base.given : set.lists.length > 0 || loaded.loadedAgreements.length > 0,
  };
}

/**
 * Trusted lists, agreements and recognition, loaded on first use: a verification without them (a portal
 * checking CAdES against its own anchors) does not carry the list parsers, the agreement JWS check or
 * the recognition rules (bundlers split them into their own chunk; `npm run size` measures).
 */
let xmlModules: Promise<[typeof import('../xades/validate.js'), typeof import('../xml/parse.js'), typeof import('../xades/dom.js')]> | undefined;

/** The XML stack, imported once: an `import()` per call goes through the module loader each time (~10 µs, more under a loader hook). */
function xmlStack(): NonNullable<typeof xmlModules> {
  if (!xmlModules) {
    const loading = Promise.all([import('../xades/validate.js'), import('../xml/parse.js'), import('../xades/dom.js')] as const);
    // A failed load (a bundler's chunk not found) is not remembered: the next input tries again.
    loading.catch(() => {
      if (xmlModules === loading) xmlModules = undefined;
    });
    xmlModules = loading;
  }
  return xmlModules;
}

function trustModule(): Promise<typeof import('../trust/context.js')> {
  return import('../trust/context.js');
}

/** Named detached files (by reference URI) when given; else the single detachedContent blob. */
function xmlDetachedContent(options: VerifyOptions, single: Uint8Array | undefined): DetachedContent | undefined {
  if (!options.detachedFiles) return single;
  const map = new Map<string, Uint8Array>();
  const entries = options.detachedFiles instanceof Map ? [...options.detachedFiles] : Object.entries(options.detachedFiles);
  for (const [name, bytes] of entries) map.set(name, toBytes(bytes));
  if (single && !map.has('')) map.set('', single);
  return map;
}
