/**
 * ASiC front end (EN 319 162-1): reads the container (asic/container.ts), hands each signature to the CAdES or
 * XAdES front end with the container entries as its detached content, and records what each signature covers.
 * The facts go through the same signature stage as bare CAdES/XAdES; what binds a data object to a signature
 * inside the container (a ds:Reference naming an entry, an ASiCManifest digest) is added to that signature's CV
 * checks, so a container-level break is that signature's failure too. Time-stamp tokens of the container are
 * kept with the bytes they cover, for evaluation (asic/evaluate.ts).
 */
import { parseCades } from '../cades/parse.js';
import { collectCadesSigner } from '../cades/validate.js';
import { InputFormatError, LimitExceededError } from '../errors.js';
import { CheckList, type Check } from '../etsi/check.js';
import type { ContainerCoverage, ManifestMismatch } from './model.js';
import type { AlgorithmUse, SignatureFacts } from '../stage/facts.js';
import { equalBytes, toHex } from '../util/bytes.js';
import type { ValidationContext } from '../validation/options.js';
import { xmlDigestOid } from '../xades/algorithms.js';
import { children, DSIG_NS, indexIds } from '../xades/dom.js';
import { collectXadesSignature, findSignatures } from '../xades/validate.js';
import { WorkBudget } from '../util/work-budget.js';
import { parseXml } from '../xml/parse.js';
import { collectTimeMark } from './bdoc.js';
import { readAsic, type AsicEntry, type AsicStructure } from './container.js';
import { entryNameOfUri, parseAsicManifest, type AsicManifest } from './manifest.js';

/** A container time-stamp token and the bytes its imprint must cover (the data object, or an ASiCArchiveManifest). */
export interface ContainerTimestampFact {
  readonly file: string;
  readonly token: Uint8Array;
  readonly data: Uint8Array;
  readonly covers: readonly string[];
  /** Checks made at collection (the manifest's references), added to the token's own. */
  readonly checks: readonly Check[];
}

/** What the container adds to its signatures' facts; judged with them by asic/evaluate.ts. */
export interface ContainerFacts {
  readonly structure: AsicStructure;
  readonly coverage: readonly ContainerCoverage[];
  readonly timestamps: readonly ContainerTimestampFact[];
  readonly manifestMismatches: readonly ManifestMismatch[];
  readonly checks: readonly Check[];
  readonly warnings: readonly string[];
  /** Data objects that are ASiC containers themselves, collected in turn (their signatures are among the outer ones'). */
  readonly inner: readonly { readonly entry: string; readonly facts: ContainerFacts }[];
}

/** Where a container sits: its depth (1 outermost) and the id prefix of its signatures (`inner.asice!/` inside another). */
interface Nesting {
  readonly depth: number;
  readonly prefix: string;
  /** Signatures left under limits.maxSigners, shared by the whole tree of containers. */
  readonly allowance: { left: number };
}

/** In ASiC-S a CMS signature or time-stamp covers the data object's bytes only (a XAdES reference or an ASiCManifest names it too). */
const NAME_NOT_SIGNED = (file: string, name: string) => `${file} covers the bytes of ${name}, not its name: the file name is not signed`;

/** `id` under the file it is in (`META-INF/signatures0.xml#S0`), counter-signatures too. */
function prefixed(f: SignatureFacts, file: string): SignatureFacts {
  return { ...f, id: `${file}#${f.id}`, ...(f.counterSignatures ? { counterSignatures: f.counterSignatures.map((c) => prefixed(c, file)) } : {}) };
}

function withChecks(f: SignatureFacts, extra: readonly Check[], algorithms: readonly AlgorithmUse[] = []): SignatureFacts {
  return extra.length || algorithms.length ? { ...f, checks: [...f.checks, ...extra], algorithms: [...f.algorithms, ...algorithms] } : f;
}

/** Reads the container in `bytes` and collects the facts of every signature in it. */
export async function collectAsic(bytes: Uint8Array, ctx: ValidationContext, nesting?: Nesting): Promise<{ signatures: SignatureFacts[]; container: ContainerFacts }> {
  const depth = nesting?.depth ?? 1;
  const prefix = nesting?.prefix ?? '';
  const structure = readAsic(bytes, ctx.limits, depth);
  const checks = new CheckList();
  for (const c of structure.checks) checks.add(c);
  const warnings: string[] = [...structure.warnings];
  const signatures: SignatureFacts[] = [];
  const coverage: ContainerCoverage[] = [];
  const timestamps: ContainerTimestampFact[] = [];
  const mismatches: ManifestMismatch[] = [];
  const byName = new Map<string, AsicEntry>();
  // A duplicated name is already a FAILED check; the first of them is the one resolved (never the later one).
  for (const e of structure.entries) if (!e.isDirectory && !byName.has(e.name)) byName.set(e.name, e);
  const allowance = nesting?.allowance ?? { left: ctx.limits.maxSigners };
  // The ASiC-S data object, when there is exactly one (two are already a FAILED check, and neither is assumed signed).
  const single = structure.type === 'ASiC-S' && structure.dataObjects.length === 1 ? structure.dataObjects[0] : undefined;

  // --- XAdES: detached references resolved to entries by name ---
  for (const file of structure.xades) {
    let doc: Document;
    try {
      doc = parseXml(file.data, ctx.xmlLimits);
    } catch (e) {
      if (!(e instanceof InputFormatError)) throw e;
      checks.fail('FC', 'asic.signature-file', `${file.name} is not well-formed XML: ${e.message}`, 'FORMAT_FAILURE');
      continue;
    }
    const found = findSignatures(doc);
    if (found.length === 0) {
      checks.fail('FC', 'asic.signature-file', `${file.name} holds no ds:Signature`, 'FORMAT_FAILURE');
      continue;
    }
    if (found.length > allowance.left) throw new LimitExceededError('container.signatures', ctx.limits.maxSigners);
    allowance.left -= found.length;
    // Every entry but the signature file itself, keyed by its exact name.
    const content = new Map<string, Uint8Array>();
    for (const [name, e] of byName) if (e !== file) content.set(name, e.data);
    const budget = new WorkBudget(ctx.limits.maxXmlWork);
    const ids = indexIds(doc);
    for (let i = 0; i < found.length; i++) {
      const sig = found[i]!;
      const facts = await collectXadesSignature({ doc, signature: sig, index: i, detachedContent: content, budget, ids, allowance }, ctx);
      const extra = new CheckList();
      const covers: string[] = [];
      for (const uri of detachedUris(sig)) {
        const name = entryNameOfUri(uri);
        const entry = name === null ? undefined : byName.get(name);
        if (!entry || entry === file) {
          // The XML-DSig resolver also tries the URI's last segment; inside a container only the exact name counts.
          extra.indeterminate('CV', 'cv.asic-reference', `ds:Reference URI "${uri}" names no entry of the container`, 'SIGNED_DATA_NOT_FOUND');
        } else covers.push(entry.name);
      }
      if (single && !covers.includes(single.name)) extra.fail('CV', 'cv.asic-reference', `the signature does not cover the ASiC-S data object ${single.name}`, 'HASH_FAILURE');
      // BDOC 2.1 time-mark profile: the OCSP response whose nonce binds this signature value is its proof of existence.
      const tm = await collectTimeMark(sig, facts, ctx);
      const marked = tm ? { ...facts, ...(tm.timeMark ? { timeMark: tm.timeMark } : {}), warnings: [...facts.warnings, ...tm.warnings] } : facts;
      const f = prefixed(withChecks(marked, [...extra.items, ...(tm?.checks ?? [])]), prefix + file.name);
      signatures.push(f);
      coverage.push({ signature: f.id, file: file.name, covers: [...new Set(covers)] });
    }
  }

  // --- CAdES: ASiC-S over the data object, ASiC-E over the ASiCManifest naming the signature ---
  const manifests: AsicManifest[] = [];
  for (const m of structure.manifests) {
    try {
      manifests.push(parseAsicManifest(m.name, m.data, ctx.xmlLimits));
    } catch (e) {
      if (!(e instanceof InputFormatError)) throw e;
      checks.fail('FC', 'asic.manifest', `${m.name} is not well-formed XML: ${e.message}`, 'FORMAT_FAILURE');
    }
  }
  for (const file of structure.cades) {
    let manifest: AsicManifest | undefined;
    let content: Uint8Array | undefined;
    const extra = new CheckList();
    const algorithms: AlgorithmUse[] = [];
    let covers: string[] = [];
    if (single && file.name === 'META-INF/signature.p7s') {
      content = single.data;
      covers = [single.name];
      warnings.push(NAME_NOT_SIGNED(file.name, single.name));
    } else {
      const naming = manifests.filter((m) => m.sigReference === file.name);
      if (naming.length !== 1) {
        checks.fail('FC', 'asic.manifest', naming.length ? `${naming.length} ASiCManifests name ${file.name}; exactly one must` : `no ASiCManifest names ${file.name} in its SigReference`, 'FORMAT_FAILURE');
      } else {
        manifest = naming[0]!;
        content = byName.get(manifest.file)!.data;
        covers = await checkManifest(manifest, byName, ctx, extra, mismatches, algorithms);
      }
    }
    let sig;
    try {
      sig = parseCades(file.data, ctx.cmsLimits);
    } catch (e) {
      if (!(e instanceof InputFormatError)) throw e;
      checks.fail('FC', 'asic.signature-file', `${file.name} is not a CMS signature: ${e.message}`, 'FORMAT_FAILURE');
      continue;
    }
    if (sig.signers.length > allowance.left) throw new LimitExceededError('container.signatures', ctx.limits.maxSigners);
    allowance.left -= sig.signers.length;
    // The signed content is the container's, never the caller's detachedContent.
    const sctx: ValidationContext = { ...ctx, detachedContent: content };
    for (const si of sig.signers) {
      const facts = await collectCadesSigner(sig, si, sctx, allowance);
      const f = prefixed(withChecks(facts, extra.items, algorithms), prefix + file.name);
      signatures.push(f);
      coverage.push({ signature: f.id, file: file.name, ...(manifest ? { manifest: manifest.file } : {}), covers });
    }
  }

  // --- time-stamps: ASiC-S over the data object; ASiC-E over the ASiCArchiveManifest naming them ---
  for (const file of structure.timestamps) {
    if (single && file.name === 'META-INF/timestamp.tst') {
      timestamps.push({ file: file.name, token: file.data, data: single.data, covers: [single.name], checks: [] });
      warnings.push(NAME_NOT_SIGNED(file.name, single.name));
      continue;
    }
    const naming = manifests.filter((m) => m.sigReference === file.name);
    if (naming.length !== 1) {
      checks.fail('FC', 'asic.manifest', `no single ASiC(Archive)Manifest names the time-stamp ${file.name}`, 'FORMAT_FAILURE');
      continue;
    }
    const extra = new CheckList();
    const covers = await checkManifest(naming[0]!, byName, ctx, extra, mismatches, []);
    timestamps.push({ file: file.name, token: file.data, data: byName.get(naming[0]!.file)!.data, covers, checks: extra.items });
  }
  // --- inner containers: each data object that is an ASiC container is validated in turn, one level deeper
  // (readAsic already refused a tree deeper than limits.maxContainerDepth). Its signatures join this one's, their
  // ids prefixed by the entry, so every verdict and exit status sees them; what covers the inner container's bytes
  // here (a signature or time-stamp of this container) is this container's coverage, as for any data object.
  const inner: { entry: string; facts: ContainerFacts }[] = [];
  for (const d of structure.dataObjects) {
    if (d.nested?.kind !== 'ASiC-S' && d.nested?.kind !== 'ASiC-E') continue;
    const got = await collectAsic(d.data, ctx, { depth: depth + 1, prefix: `${prefix}${d.name}!/`, allowance });
    signatures.push(...got.signatures);
    inner.push({ entry: d.name, facts: got.container });
  }

  // --- coverage: every data object must be signed (or time-stamped) by something in the container ---
  const covered = new Set([...coverage.flatMap((c) => c.covers), ...timestamps.flatMap((t) => t.covers)]);
  // An entry whose manifest digest does not match is reported as a mismatch (that signature fails), not as unsigned.
  const mismatched = new Set(mismatches.map((m) => m.entry));
  const unsigned = structure.dataObjects.filter((d) => !covered.has(d.name) && !mismatched.has(d.name)).map((d) => d.name);
  // An unsigned file in a signed container is what an attacker adds after signing: a viewer must not present it
  // as signed, so the container as a whole does not pass (its signatures keep their own verdicts).
  if (unsigned.length) checks.fail('FC', 'asic.coverage', `data objects no signature or time-stamp covers: ${unsigned.join(', ')}`, 'FORMAT_FAILURE');
  else if (structure.dataObjects.length) checks.pass('FC', 'asic.coverage', `every data object is covered by a signature or time-stamp`);
  return { signatures, container: { structure, coverage, timestamps, manifestMismatches: mismatches, checks: checks.items, warnings, inner } };
}

/** The URIs of a signature's references to detached content (not same-document `#…` or `""`). */
function detachedUris(signature: Element): string[] {
  const out: string[] = [];
  for (const si of children(signature, DSIG_NS, 'SignedInfo')) {
    for (const r of children(si, DSIG_NS, 'Reference')) {
      const uri = r.getAttribute('URI');
      if (uri !== null && uri !== '' && !uri.startsWith('#')) out.push(uri);
    }
  }
  return out;
}

/** Checks each DataObjectReference of `manifest` against the entry it names; returns the entries it binds. */
async function checkManifest(manifest: AsicManifest, byName: ReadonlyMap<string, AsicEntry>, ctx: ValidationContext, checks: CheckList, mismatches: ManifestMismatch[], algorithms: AlgorithmUse[]): Promise<string[]> {
  const covers: string[] = [];
  if (manifest.references.length === 0) checks.fail('CV', 'cv.asic-manifest', `${manifest.file} names no data object`, 'FORMAT_FAILURE');
  for (const r of manifest.references) {
    const entry = r.name === null ? undefined : byName.get(r.name);
    const mismatch = (detail: string, sub: 'HASH_FAILURE' | 'SIGNED_DATA_NOT_FOUND' | 'FORMAT_FAILURE') => {
      mismatches.push({ manifest: manifest.file, entry: r.name ?? r.uri, detail });
      if (sub === 'SIGNED_DATA_NOT_FOUND') checks.indeterminate('CV', 'cv.asic-manifest', `${manifest.file}: ${detail}`, sub);
      else checks.fail('CV', 'cv.asic-manifest', `${manifest.file}: ${detail}`, sub);
    };
    if (!entry || entry.name === manifest.file) {
      mismatch(`DataObjectReference "${r.uri}" names no entry of the container`, 'SIGNED_DATA_NOT_FOUND');
      continue;
    }
    const oid = xmlDigestOid(r.digestMethod, ctx.registry);
    if (r.problem || !r.digestValue) {
      mismatch(`DataObjectReference "${r.uri}": ${r.problem ?? 'no digest'}`, 'FORMAT_FAILURE');
      continue;
    }
    if (!oid || !ctx.registry.supportsDigest(oid)) {
      mismatch(`DataObjectReference "${r.uri}": unsupported DigestMethod ${r.digestMethod}`, 'FORMAT_FAILURE');
      continue;
    }
    const actual = await ctx.registry.digest(oid, entry.data);
    if (!equalBytes(actual, r.digestValue)) {
      mismatch(`${entry.name} does not match its DataObjectReference digest (manifest ${toHex(r.digestValue)}, entry ${toHex(actual)})`, 'HASH_FAILURE');
      continue;
    }
    const digestName = ctx.registry.digestName(oid) ?? oid;
    // The manifest's digests bind the data objects: judged against the algorithm policy like a message-digest.
    algorithms.push({ kind: 'digest', role: 'binding', id: 'sav.asic-manifest-digest', what: `${manifest.file} DataObjectReference ${entry.name} DigestMethod ${digestName}`, digest: digestName });
    checks.pass('CV', 'cv.asic-manifest', `${manifest.file}: ${entry.name} matches its ${digestName} digest`);
    covers.push(entry.name);
  }
  return [...new Set(covers)];
}
