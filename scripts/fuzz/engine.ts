/**
 * One fuzz input: pick a seed and a mutation family from (seed, index), mutate,
 * verify with the seed's options under a timeout, and classify the outcome.
 * Shared by the CLI worker (scripts/fuzz/worker.ts) and the smoke test.
 */
import { verify, OtsEsigError } from '../../src/index.js';
import { revocationDataKeys, type Corpus, type Seed } from './corpus.js';
import { ASN1_MUTATIONS, corruptLength, graft } from './mutate-asn1.js';
import { flipBits, setBytes, shiftRun, truncate } from './mutate-bytes.js';
import { parseForMutation, serializeXml, XML_MUTATIONS } from './mutate-xml.js';
import { cadesSignedDataKey, independentlyVerified, signedTupleKey } from './oracle.js';
import { crossCheck } from './differential.js';
import {
  agreementMutation,
  checkListProperty,
  checkProperty,
  loadListTarget,
  mutateListXml,
  narrowJson,
  passInvariants,
  revCorrupt,
  timeShift,
  trustListMutation,
  tstCorrupt,
  type OptionFamily,
  type OptionMutation,
} from './metamorphic.js';
import { donorRoots, type ListSeed } from './seeds-extra.js';
import type { TrustListInput } from '../../src/index.js';
import { rngFor, type Rng } from './prng.js';
import { parseTlv, serialize } from './tlv.js';

type Mutator = (seed: Seed, rng: Rng, corpus: Corpus) => Uint8Array | undefined;

const byteFamilies: Record<string, Mutator> = {
  'byte-flip': (s, r) => flipBits(s.bytes, r),
  'byte-set': (s, r) => setBytes(s.bytes, r),
  truncate: (s, r) => truncate(s.bytes, r),
  'shift-run': (s, r) => shiftRun(s.bytes, r),
};

function asn1Tree(mutations: ((root: ReturnType<typeof parseTlv> & object, rng: Rng) => boolean)[]): Mutator {
  return (s, rng) => {
    const root = parseTlv(s.bytes);
    if (!root) return undefined;
    let changed = false;
    for (const m of mutations) changed = m(root, rng) || changed;
    return changed ? serialize(root) : undefined;
  };
}

const asn1Families: Record<string, Mutator> = {
  'asn1-length': (s, r) => corruptLength(s.bytes, r),
  'asn1-wrap': asn1Tree([ASN1_MUTATIONS.wrap]),
  'asn1-unwrap': asn1Tree([ASN1_MUTATIONS.unwrap]),
  'asn1-duplicate': asn1Tree([ASN1_MUTATIONS.duplicate]),
  'asn1-remove': asn1Tree([ASN1_MUTATIONS.remove]),
  'asn1-move': asn1Tree([ASN1_MUTATIONS.move]),
  'asn1-retag': asn1Tree([ASN1_MUTATIONS.retag]),
  'asn1-edit-primitive': asn1Tree([ASN1_MUTATIONS.editPrimitive]),
  'asn1-graft': (s, rng, corpus) => {
    const root = parseTlv(s.bytes);
    return root && graft(root, rng, corpus.donors) ? serialize(root) : undefined;
  },
  'asn1-multi': (s, rng, corpus) => {
    const root = parseTlv(s.bytes);
    if (!root) return undefined;
    const all = [...Object.values(ASN1_MUTATIONS), (t: typeof root, r: Rng) => graft(t, r, corpus.donors)];
    let changed = false;
    for (let i = 2 + rng.int(3); i > 0; i--) changed = rng.pick(all)(root, rng) || changed;
    return changed ? serialize(root) : undefined;
  },
};

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function xmlFamily(names: (keyof typeof XML_MUTATIONS)[], times = 1): Mutator {
  return (s, rng) => {
    const doc = parseForMutation(decoder.decode(s.bytes));
    if (!doc) return undefined;
    let changed = false;
    for (let i = 0; i < times; i++) changed = XML_MUTATIONS[rng.pick(names)](doc, rng) || changed;
    return changed ? encoder.encode(serializeXml(doc)) : undefined;
  };
}

const xmlNames = Object.keys(XML_MUTATIONS) as (keyof typeof XML_MUTATIONS)[];
const xmlFamilies: Record<string, Mutator> = Object.fromEntries([
  ...xmlNames.map((n) => [`xml-${n}`, xmlFamily([n])] as const),
  ['xml-multi', xmlFamily(xmlNames, 3)] as const,
]);

export function familiesFor(kind: Seed['kind']): Record<string, Mutator> {
  if (kind === 'cms') return { ...byteFamilies, ...asn1Families };
  if (kind === 'xml') return { ...byteFamilies, ...xmlFamilies };
  return byteFamilies;
}

export type Outcome =
  | 'TOTAL-PASSED (signed bytes intact)'
  | 'TOTAL-PASSED (genuine signature, verified independently)'
  | 'TOTAL-PASSED (options mutated)'
  | 'FALSE-ACCEPT'
  | 'DIFF-DISAGREE'
  | 'PROPERTY-VIOLATION'
  | 'TOTAL-FAILED'
  | 'INDETERMINATE'
  | 'no-signatures'
  | 'CRASH'
  | 'TIMEOUT'
  | 'SLOW'
  | 'unchanged'
  | `list-${string}`
  | `error:${string}`;

/**
 * FALSE-ACCEPT: passed with signed bytes that are no valid sample's. DIFF-DISAGREE: we pass, the
 * independent tool (openssl / xmlsec1) fails. PROPERTY-VIOLATION: a metamorphic property or a pass
 * invariant (scripts/fuzz/metamorphic.ts) is broken. The others: robustness.
 */
export const BAD_OUTCOMES: ReadonlySet<string> = new Set(['FALSE-ACCEPT', 'DIFF-DISAGREE', 'PROPERTY-VIOLATION', 'CRASH', 'TIMEOUT', 'SLOW']);

export interface InputResult {
  readonly index: number;
  readonly seed: string;
  readonly family: string;
  readonly outcome: Outcome;
  readonly ms: number;
  readonly detail?: string;
  readonly input?: Uint8Array;
  /** Differential results of this input's passes, e.g. `openssl:pass`, `xmlsec1:unsupported`. */
  readonly diff?: readonly string[];
  /** What the option/list mutation did (to reproduce and describe a finding). */
  readonly note?: string;
  /** Mutated option files of a bad outcome (trust lists, agreements, CRLs, OCSP), by name. */
  readonly artifacts?: Readonly<Record<string, Uint8Array>>;
}

export interface FuzzOptions {
  /** Re-check every pass with openssl / xmlsec1 (default true; OTS_FUZZ_NO_DIFF=1 turns it off). */
  readonly differential?: boolean;
}

export interface Mutation {
  readonly seedId: string;
  readonly seed?: Seed;
  readonly listSeed?: ListSeed;
  readonly family: string;
  /** The signature bytes to verify (for option families: the seed's own, or with a corrupted time-stamp). */
  readonly bytes: Uint8Array | undefined;
  readonly option?: OptionMutation;
  readonly lists?: readonly TrustListInput[];
  readonly note?: string;
}

let donors: Uint8Array[] | undefined;
const donorCerts = () => (donors ??= donorRoots());

/** Option families that apply to a seed (those whose inputs it has). */
function optionFamiliesFor(seed: Seed): Record<string, OptionFamily> {
  const out: Record<string, OptionFamily> = {};
  if (!seed.report?.signatures.length) return out;
  if (Array.isArray(seed.options.trustLists) && seed.options.trustLists.length) out['opt-trust-list'] = trustListMutation(donorCerts());
  if (seed.options.agreements?.length) out['opt-agreement'] = agreementMutation;
  if ((seed.options.crls?.length ?? 0) + (seed.options.ocspResponses?.length ?? 0) > 0) out['opt-revocation'] = revCorrupt;
  if (seed.report.signatures.some((s) => s.timestamps?.length)) out['opt-timestamp'] = tstCorrupt;
  out['opt-time'] = timeShift;
  return out;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Deterministic mutation for input `index`: the seed, the family and the bytes (and mutated options or lists). */
export function mutationFor(corpus: Corpus, seedStr: string, index: number): Mutation {
  const rng = rngFor(seedStr, index);
  const k = rng.int(corpus.seeds.length + corpus.listSeeds.length);
  if (k >= corpus.seeds.length) {
    const ls = corpus.listSeeds[k - corpus.seeds.length]!;
    const target = ls.lists[ls.target]!;
    const data = target.data as Uint8Array;
    const isJson = data[0] === 0x7b;
    for (let attempt = 0; attempt < 4; attempt++) {
      const m = isJson ? (rng.chance(0.5) ? { data: flipBits(data, rng), note: 'byte flip' } : narrowJson(data, rng)) : mutateListXml(data, rng, donorCerts());
      if (!m || same(m.data, data)) continue;
      const lists = ls.lists.map((x, i) => (i === ls.target ? { ...x, data: m.data } : x));
      return { seedId: ls.id, listSeed: ls, family: 'list-load', bytes: m.data, lists, note: m.note };
    }
    return { seedId: ls.id, listSeed: ls, family: 'list-load', bytes: undefined };
  }
  const seed = corpus.seeds[k]!;
  const opt = optionFamiliesFor(seed);
  const structural = seed.origin === 'scenario' ? {} : familiesFor(seed.kind);
  const names = [...Object.keys(structural), ...Object.keys(opt)];
  if (!names.length) return { seedId: seed.id, seed, family: 'none', bytes: undefined };
  const family = rng.pick(names);
  if (family in opt) {
    for (let attempt = 0; attempt < 4; attempt++) {
      const o = opt[family]!(seed, rng);
      if (o && !(o.bytes && same(o.bytes, seed.bytes))) return { seedId: seed.id, seed, family, bytes: o.bytes ?? seed.bytes, option: o, note: o.note };
    }
    return { seedId: seed.id, seed, family, bytes: undefined };
  }
  let bytes: Uint8Array | undefined;
  for (let attempt = 0; attempt < 4 && !bytes; attempt++) {
    const b = structural[family]!(seed, rng, corpus);
    if (b && !same(b, seed.bytes)) bytes = b;
  }
  return { seedId: seed.id, seed, family, bytes };
}

function artifactsOf(m: Mutation): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const o = m.option?.options;
  const u8 = (x: unknown) => (typeof x === 'string' ? new TextEncoder().encode(x) : new Uint8Array(x as ArrayBuffer));
  if (o && m.seed) {
    (o.crls ?? []).forEach((c, i) => (out[`crl-${i}.crl`] = u8(c)));
    (o.ocspResponses ?? []).forEach((c, i) => (out[`ocsp-${i}.der`] = u8(c)));
    ((o.trustLists as readonly TrustListInput[] | undefined) ?? []).forEach((l, i) => (out[`list-${i}-${l.name ?? ''}`] = u8(l.data)));
    ((o.agreements as readonly { data: unknown; name?: string }[] | undefined) ?? []).forEach((a, i) => (out[`agreement-${i}-${a.name ?? ''}`] = u8(a.data)));
  }
  for (const [i, l] of (m.lists ?? []).entries()) out[`list-${i}-${l.name ?? ''}`] = u8(l.data);
  return out;
}

async function listOne(corpus: Corpus, m: Mutation, index: number): Promise<InputResult> {
  const ls = m.listSeed!;
  const t0 = performance.now();
  let base = corpus.listBaselines.get(ls.id);
  if (!corpus.listBaselines.has(ls.id)) {
    base = await loadListTarget(ls, ls.lists).catch(() => undefined);
    corpus.listBaselines.set(ls.id, base);
  }
  let outcome: Outcome;
  let detail: string | undefined;
  try {
    const mutant = await loadListTarget(ls, m.lists!);
    detail = checkListProperty(base, mutant, m.note ?? '');
    outcome = detail ? 'PROPERTY-VIOLATION' : mutant?.usable ? `list-usable:${mutant.integrity}` : 'list-not-usable';
  } catch (e) {
    if (e instanceof OtsEsigError) outcome = `error:${e.code}`;
    else {
      outcome = 'CRASH';
      detail = `${(e as Error)?.name}: ${(e as Error)?.message}\n${((e as Error)?.stack ?? '').split('\n').slice(1, 6).join('\n')}`;
    }
  }
  const bad = BAD_OUTCOMES.has(outcome);
  return { index, seed: ls.id, family: m.family, outcome, ms: performance.now() - t0, detail, note: m.note, input: bad ? m.bytes : undefined, artifacts: bad ? artifactsOf(m) : undefined };
}

export async function fuzzOne(corpus: Corpus, seedStr: string, index: number, timeoutMs: number, fo: FuzzOptions = {}): Promise<InputResult> {
  const m = mutationFor(corpus, seedStr, index);
  const { seed, family, bytes } = m;
  if (!bytes) return { index, seed: m.seedId, family, outcome: 'unchanged', ms: 0 };
  if (m.listSeed) return listOne(corpus, m, index);
  if (!seed) return { index, seed: m.seedId, family, outcome: 'unchanged', ms: 0 };
  const options = m.option?.options ?? seed.options;
  const differential = fo.differential ?? process.env.OTS_FUZZ_NO_DIFF !== '1';
  const t0 = performance.now();
  let ms = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((res) => {
    timer = setTimeout(() => res('timeout'), timeoutMs);
  });
  let outcome: Outcome;
  let detail: string | undefined;
  const diff: string[] = [];
  try {
    const r = await Promise.race([verify(bytes, options), timeout]);
    ms = performance.now() - t0;
    if (r === 'timeout') {
      outcome = 'TIMEOUT';
      detail = `no result after ${timeoutMs} ms`;
    } else if (r.signatures.length === 0) outcome = 'no-signatures';
    else {
      const passed = r.signatures.filter((s) => s.indication === 'TOTAL-PASSED');
      outcome = r.signatures.some((s) => s.indication === 'TOTAL-FAILED') ? 'TOTAL-FAILED' : passed.length ? 'TOTAL-PASSED (signed bytes intact)' : 'INDETERMINATE';
      // Option-only mutations verify the seed's own (intact) bytes: the signed-bytes oracle does not apply.
      const bytesChanged = !m.option || !!m.option.bytes;
      if (!bytesChanged && passed.length) outcome = 'TOTAL-PASSED (options mutated)';
      for (const s of bytesChanged ? passed : []) {
        const key = await signedTupleKey(bytes, s, options);
        if (key && corpus.validTuples.has(key)) continue;
        // A genuine signature over a fixture signer's signed data (a repaired negative, a grafted SignerInfo; see oracle.ts).
        const data = await cadesSignedDataKey(bytes, s, options);
        const revokedBy = data ? corpus.signedData.get(data) : undefined;
        const given = revocationDataKeys(options);
        if (revokedBy && !revokedBy.some((k) => given.includes(k)) && (await independentlyVerified(bytes, s, options))) {
          outcome = 'TOTAL-PASSED (genuine signature, verified independently)';
          continue;
        }
        {
          outcome = 'FALSE-ACCEPT';
          detail = `${s.id} is TOTAL-PASSED but its signed bytes are ${key ? 'not those of any valid sample' : 'not establishable'}`;
          break;
        }
      }
      if (outcome !== 'FALSE-ACCEPT') {
        // Invariants of any pass, and the property of the option mutation against the unmutated seed.
        const broken = passed.map(passInvariants).find(Boolean) ?? (m.option ? checkProperty(m.option, seed.report, r) : undefined);
        if (broken) {
          outcome = 'PROPERTY-VIOLATION';
          detail = broken;
        }
      }
      if (differential && outcome !== 'FALSE-ACCEPT') {
        for (const s of passed) {
          const d = await crossCheck(bytes, s, options, { extraAnchors: seed.extraAnchors });
          diff.push(`${d.tool}:${d.verdict}`);
          if (d.verdict === 'fail' && outcome !== 'PROPERTY-VIOLATION') {
            outcome = 'DIFF-DISAGREE';
            detail = `${s.id} TOTAL-PASSED by ots-esig, ${d.tool} fails: ${d.detail}\n  ${d.command ?? ''}`;
          } else if (d.verdict === 'unsupported') diff.push(`${d.tool}:unsupported:${d.detail.replace(/\s+/g, ' ').slice(0, 80)}`);
        }
      }
    }
  } catch (e) {
    ms = performance.now() - t0;
    if (e instanceof OtsEsigError) outcome = `error:${e.code}`;
    else {
      outcome = 'CRASH';
      detail = `${(e as Error)?.name}: ${(e as Error)?.message}\n${((e as Error)?.stack ?? '').split('\n').slice(1, 6).join('\n')}`;
    }
  } finally {
    clearTimeout(timer);
  }
  if (!BAD_OUTCOMES.has(outcome) && ms > timeoutMs) {
    detail = `${outcome} after ${Math.round(ms)} ms (limit ${timeoutMs} ms)`;
    outcome = 'SLOW';
  }
  const bad = BAD_OUTCOMES.has(outcome);
  return { index, seed: seed.id, family, outcome, ms, detail, input: bad ? bytes : undefined, diff: diff.length ? diff : undefined, note: m.note, artifacts: bad ? artifactsOf(m) : undefined };
}

/** Counts by family and outcome. */
export class Tally {
  readonly counts = new Map<string, Map<string, number>>();
  total = 0;
  add(family: string, outcome: string, n = 1): void {
    let m = this.counts.get(family);
    if (!m) this.counts.set(family, (m = new Map()));
    m.set(outcome, (m.get(outcome) ?? 0) + n);
    this.total += n;
  }
  merge(o: Record<string, Record<string, number>>): void {
    for (const [f, m] of Object.entries(o)) for (const [k, n] of Object.entries(m)) this.add(f, k, n);
  }
  toJSON(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.counts].map(([f, m]) => [f, Object.fromEntries(m)]));
  }
  byOutcome(): Map<string, number> {
    const out = new Map<string, number>();
    for (const m of this.counts.values()) for (const [k, n] of m) out.set(k, (out.get(k) ?? 0) + n);
    return out;
  }
  /** A markdown table: one row per family, one column per outcome. */
  table(): string {
    const outcomes = [...this.byOutcome().keys()].sort();
    const head = `| family | ${outcomes.join(' | ')} | total |`;
    const sep = `|---|${outcomes.map(() => '---:').join('|')}|---:|`;
    const rows = [...this.counts.keys()].sort().map((f) => {
      const m = this.counts.get(f)!;
      const total = [...m.values()].reduce((a, b) => a + b, 0);
      return `| ${f} | ${outcomes.map((o) => m.get(o) ?? 0).join(' | ')} | ${total} |`;
    });
    const bo = this.byOutcome();
    rows.push(`| **all** | ${outcomes.map((o) => bo.get(o) ?? 0).join(' | ')} | ${this.total} |`);
    return [head, sep, ...rows].join('\n');
  }
}
