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
  | 'FALSE-ACCEPT'
  | 'TOTAL-FAILED'
  | 'INDETERMINATE'
  | 'no-signatures'
  | 'CRASH'
  | 'TIMEOUT'
  | 'SLOW'
  | 'unchanged'
  | `error:${string}`;

export const BAD_OUTCOMES: ReadonlySet<string> = new Set(['FALSE-ACCEPT', 'CRASH', 'TIMEOUT', 'SLOW']);

export interface InputResult {
  readonly index: number;
  readonly seed: string;
  readonly family: string;
  readonly outcome: Outcome;
  readonly ms: number;
  readonly detail?: string;
  readonly input?: Uint8Array;
}

/** Deterministic mutation for input `index`: the seed, the family and the bytes. */
export function mutationFor(corpus: Corpus, seedStr: string, index: number): { seed: Seed; family: string; bytes: Uint8Array | undefined } {
  const rng = rngFor(seedStr, index);
  const seed = rng.pick(corpus.seeds);
  const families = familiesFor(seed.kind);
  const names = Object.keys(families);
  const family = rng.pick(names);
  let bytes: Uint8Array | undefined;
  for (let attempt = 0; attempt < 4 && !bytes; attempt++) {
    const b = families[family]!(seed, rng, corpus);
    if (b && !(b.length === seed.bytes.length && b.every((x, i) => x === seed.bytes[i]))) bytes = b;
  }
  return { seed, family, bytes };
}

export async function fuzzOne(corpus: Corpus, seedStr: string, index: number, timeoutMs: number): Promise<InputResult> {
  const { seed, family, bytes } = mutationFor(corpus, seedStr, index);
  if (!bytes) return { index, seed: seed.id, family, outcome: 'unchanged', ms: 0 };
  const t0 = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((res) => {
    timer = setTimeout(() => res('timeout'), timeoutMs);
  });
  let outcome: Outcome;
  let detail: string | undefined;
  try {
    const r = await Promise.race([verify(bytes, seed.options), timeout]);
    if (r === 'timeout') {
      outcome = 'TIMEOUT';
      detail = `no result after ${timeoutMs} ms`;
    } else if (r.signatures.length === 0) outcome = 'no-signatures';
    else {
      const passed = r.signatures.filter((s) => s.indication === 'TOTAL-PASSED');
      outcome = r.signatures.some((s) => s.indication === 'TOTAL-FAILED') ? 'TOTAL-FAILED' : passed.length ? 'TOTAL-PASSED (signed bytes intact)' : 'INDETERMINATE';
      for (const s of passed) {
        const key = await signedTupleKey(bytes, s, seed.options);
        if (key && corpus.validTuples.has(key)) continue;
        // A genuine signature over a fixture signer's signed data (a repaired negative, a grafted SignerInfo; see oracle.ts).
        const data = await cadesSignedDataKey(bytes, s, seed.options);
        const revokedBy = data ? corpus.signedData.get(data) : undefined;
        const given = revocationDataKeys(seed.options);
        if (revokedBy && !revokedBy.some((k) => given.includes(k)) && (await independentlyVerified(bytes, s, seed.options))) {
          outcome = 'TOTAL-PASSED (genuine signature, verified independently)';
          continue;
        }
        {
          outcome = 'FALSE-ACCEPT';
          detail = `${s.id} is TOTAL-PASSED but its signed bytes are ${key ? 'not those of any valid sample' : 'not establishable'}`;
          break;
        }
      }
    }
  } catch (e) {
    if (e instanceof OtsEsigError) outcome = `error:${e.code}`;
    else {
      outcome = 'CRASH';
      detail = `${(e as Error)?.name}: ${(e as Error)?.message}\n${((e as Error)?.stack ?? '').split('\n').slice(1, 6).join('\n')}`;
    }
  } finally {
    clearTimeout(timer);
  }
  const ms = performance.now() - t0;
  if (outcome !== 'TIMEOUT' && outcome !== 'CRASH' && outcome !== 'FALSE-ACCEPT' && ms > timeoutMs) {
    detail = `${outcome} after ${Math.round(ms)} ms (limit ${timeoutMs} ms)`;
    outcome = 'SLOW';
  }
  const bad = BAD_OUTCOMES.has(outcome);
  return { index, seed: seed.id, family, outcome, ms, detail, input: bad ? bytes : undefined };
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
