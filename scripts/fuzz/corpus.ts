/**
 * The seed corpus: every fixture signature named by a fixture manifest
 * (fixtures/manifest.json for CAdES, fixtures/<area>/manifest.json for the
 * others), with the verify() options its manifest gives, and the baseline:
 * the "signed tuples" of every unmutated signature that is TOTAL-PASSED.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verify, type ValidationReport, type VerifyOptions } from '../../src/index.js';
import { loadExtraSeeds, type ListSeed } from './seeds-extra.js';
import { donorNodes } from './mutate-asn1.js';
import { cadesSignedDataKey, signedTupleKey } from './oracle.js';
import { parseTlv, serialize, type TlvNode } from './tlv.js';
import { parseForMutation, serializeXml } from './mutate-xml.js';

export interface Seed {
  readonly id: string;
  readonly file: string;
  /** How structure-aware mutations read it: DER CMS, XML, or text-encoded CMS (byte mutations only). */
  readonly kind: 'cms' | 'xml' | 'text';
  readonly bytes: Uint8Array;
  readonly options: VerifyOptions;
  /** Baseline outcome, e.g. `TOTAL-PASSED` or `error:ERR_INPUT_FORMAT`. */
  baseline: string;
  /** The unmutated seed's report (metamorphic properties compare against it). */
  report?: ValidationReport;
  /** Where it comes from: a fixture manifest, the shared corpus (never saved into the repo), GOST fixtures, a trust/revocation scenario. */
  readonly origin?: 'fixture' | 'corpus' | 'gost' | 'scenario';
  /** Anchors the options do not list (recognition scenarios take theirs from the trust lists), for the differential oracle. */
  readonly extraAnchors?: readonly Uint8Array[];
}

export interface Corpus {
  readonly seeds: readonly Seed[];
  /** Signed tuples of the TOTAL-PASSED unmutated signatures: the only ones a mutation may reproduce and pass. */
  readonly validTuples: ReadonlySet<string>;
  /**
   * Signed data (no signature value) of the fixture CAdES signers that pass, or fail only for a reason
   * outside it: a corrupted signature value (SIG_CRYPTO_FAILURE), or revocation data their options give
   * (REVOKED*), mapped to that data (`revocationDataKeys`). A genuine signature over it may pass where
   * none of that data is given, if it verifies independently. Signers failing for a signed reason (wrong
   * ESS certificate, expired or weak signer...) are not here: a mutant of theirs that passes is a false accept.
   */
  readonly signedData: ReadonlyMap<string, readonly string[]>;
  readonly donors: readonly TlvNode[];
  /** Trust-list seeds (mutated lists, checked by loadTrustLists alone). */
  readonly listSeeds: readonly ListSeed[];
  /** Unmutated trust-list seeds as loaded (filled lazily by the engine). */
  readonly listBaselines: Map<string, import('./metamorphic.js').ListBaseline | undefined>;
}

export interface LoadCorpusOptions {
  /** Add the shared corpus (DSS samples, trust lists) when found; default true. */
  readonly external?: boolean;
  /** Add GOST, recognition and revocation scenario seeds and list seeds; default true. */
  readonly extra?: boolean;
}

interface ManifestSample {
  readonly id: string;
  readonly file: string;
  readonly content?: string | null;
  readonly detached?: Readonly<Record<string, string>> | null;
  readonly trustAnchors?: readonly string[];
  readonly timestampAnchors?: readonly string[];
  readonly intermediates?: readonly string[];
  readonly crls?: readonly string[];
  readonly ocspResponses?: readonly string[];
}

export function manifestPaths(fixtures: string): string[] {
  const out = [join(fixtures, 'manifest.json')].filter(existsSync);
  for (const d of readdirSync(fixtures, { withFileTypes: true })) {
    const m = join(fixtures, d.name, 'manifest.json');
    if (d.isDirectory() && existsSync(m)) out.push(m);
  }
  return out;
}

export async function loadCorpus(fixtures: string, opts: LoadCorpusOptions = {}): Promise<Corpus> {
  const read = (rel: string) => new Uint8Array(readFileSync(join(fixtures, rel)));
  const seeds: Seed[] = [];
  // The current CRLs of the fixture PKI (fixtures/gen-revocation.ts): the default policy requires every chain certificate's status.
  const currentCrls = existsSync(join(fixtures, 'crl/current')) ? readdirSync(join(fixtures, 'crl/current')).filter((f) => f.endsWith('.crl')).sort().map((f) => `crl/current/${f}`) : [];
  for (const path of manifestPaths(fixtures)) {
    // A manifest may give trust anchors once for all its samples (fixtures/ltv).
    const m = JSON.parse(readFileSync(path, 'utf8')) as { validationTime: string; trustAnchors?: readonly string[]; timestampAnchors?: readonly string[]; samples: ManifestSample[] };
    // Manifests of another shape (fixtures/gost: samples by file name, needing an optional provider) are not fuzzed.
    if (!Array.isArray(m.samples)) continue;
    for (const s of m.samples) {
      const bytes = read(s.file);
      // ASiC containers (ZIP) are fuzzed by test/asic-fuzz.test.ts, whose oracle knows what a container signs; the
      // signed-tuple oracle here reads bare CMS / XML only, so a container's passing signature is never establishable.
      if (bytes[0] === 0x50 && bytes[1] === 0x4b) continue;
      const kind = s.file.endsWith('.xml') ? 'xml' : bytes[0] === 0x30 ? 'cms' : 'text';
      const detachedFiles = s.detached ? Object.fromEntries(Object.entries(s.detached).map(([k, v]) => [k, read(v)])) : undefined;
      const options: VerifyOptions = {
        validationTime: new Date(m.validationTime),
        trustAnchors: (s.trustAnchors ?? m.trustAnchors ?? []).map(read),
        timestampAnchors: (s.timestampAnchors ?? m.timestampAnchors ?? []).map(read),
        intermediates: (s.intermediates ?? []).map(read),
        crls: [...(s.crls ?? []), ...currentCrls].map(read),
        ocspResponses: (s.ocspResponses ?? []).map(read),
        detachedContent: s.content ? read(s.content) : undefined,
        ...(detachedFiles ? { detachedFiles } : {}),
      };
      seeds.push({ id: s.id, file: s.file, kind, bytes, options, baseline: '', origin: 'fixture' });
    }
  }
  const extra = opts.extra === false ? { seeds: [], listSeeds: [] } : await loadExtraSeeds(fixtures, { external: opts.external });
  seeds.push(...extra.seeds);
  const validTuples = new Set<string>();
  const signedData = new Map<string, readonly string[]>();
  const sharedKeys = new Set(revocationDataKeys({ crls: currentCrls.map(read) }));
  for (const seed of seeds) {
    try {
      const r = await verify(seed.bytes, seed.options);
      seed.report = r;
      seed.baseline = r.signatures.map((x) => x.indication).join('+') || 'no-signatures';
      for (const sig of r.signatures) {
        const data = await cadesSignedDataKey(seed.bytes, sig, seed.options);
        // The fixture PKI's current CRLs go with every seed: the revoking data is the seed's own (its manifest CRLs / OCSP).
        const revokedBy = sig.subIndication?.startsWith('REVOKED') ? revocationDataKeys(seed.options).filter((k) => !sharedKeys.has(k)) : [];
        const outsideSignedData = sig.indication === 'TOTAL-PASSED' || sig.subIndication === 'SIG_CRYPTO_FAILURE' || revokedBy.length > 0;
        if (data && outsideSignedData) signedData.set(data, [...(signedData.get(data) ?? []), ...revokedBy]);
        if (sig.indication !== 'TOTAL-PASSED') continue;
        const key = await signedTupleKey(seed.bytes, sig, seed.options);
        if (!key) throw new Error(`fuzz oracle cannot compute the signed tuple of unmutated ${seed.id} ${sig.id}`);
        validTuples.add(key);
      }
    } catch (e) {
      seed.baseline = `error:${(e as { code?: string }).code ?? (e as Error).name}`;
    }
  }
  // A signature that fails only because of unsigned data (a time-stamp contradicting the claimed
  // signing-time, say) is a valid signature once that data is gone: its signed bytes may pass.
  for (const seed of seeds) {
    const stripped = withoutUnsignedData(seed);
    if (!stripped) continue;
    try {
      const r = await verify(stripped, seed.options);
      for (const sig of r.signatures) {
        if (sig.indication !== 'TOTAL-PASSED') continue;
        const key = await signedTupleKey(stripped, sig, seed.options);
        if (key) validTuples.add(key);
      }
    } catch {
      /* not verifiable without its unsigned data: adds nothing */
    }
  }
  const donors = seeds.filter((s) => s.kind === 'cms').flatMap((s) => donorNodes(s.bytes, 150));
  return { seeds, validTuples, signedData, donors, listSeeds: extra.listSeeds, listBaselines: new Map() };
}

/** The revocation data (CRLs, OCSP responses) options give, one string per item. */
export function revocationDataKeys(options: VerifyOptions): string[] {
  return [...(options.crls ?? []), ...(options.ocspResponses ?? [])].map((b) => Buffer.from(b as Uint8Array).toString('base64'));
}

/** The seed with every unsigned attribute (CMS SignerInfo [1]) or xades:UnsignedProperties removed; undefined if it has none. */
export function withoutUnsignedData(seed: Seed): Uint8Array | undefined {
  if (seed.kind === 'cms') {
    const root = parseTlv(seed.bytes);
    const signedData = root?.children?.[1]?.children?.[0];
    const signerInfos = signedData?.children?.[signedData.children.length - 1];
    if (!root || !signedData || !signerInfos?.children) return undefined;
    let changed = false;
    for (const si of signerInfos.children) {
      const kids = si.children ?? [];
      if (kids.length && kids[kids.length - 1]!.tag[0] === 0xa1) {
        si.children = kids.slice(0, -1);
        si.original = null;
        changed = true;
      }
    }
    if (!changed) return undefined;
    for (const n of [root, root.children![1]!, signedData, signerInfos]) n.original = null;
    return serialize(root);
  }
  if (seed.kind === 'xml') {
    const doc = parseForMutation(new TextDecoder().decode(seed.bytes));
    if (!doc) return undefined;
    const ups = Array.from(doc.getElementsByTagNameNS('*', 'UnsignedProperties'));
    if (!ups.length) return undefined;
    for (const u of ups) u.parentNode?.removeChild(u);
    return new TextEncoder().encode(serializeXml(doc));
  }
  return undefined;
}
