/**
 * Metamorphic fuzzing: mutate what the validator is *given* besides the
 * signature — revocation data, trust lists, agreements, time-stamp tokens,
 * the validation time — and compare the verdict with the unmutated seed's.
 * No expected verdict is needed: each property below relates the two runs and
 * holds for any correct validator (why is said next to each).
 */
import { loadTrustLists, type SignatureReport, type TrustListInput, type ValidationReport, type VerifyOptions } from '../../src/index.js';
import type { Seed } from './corpus.js';
import { flipBits, truncate } from './mutate-bytes.js';
import { ASN1_MUTATIONS } from './mutate-asn1.js';
import { parseForMutation, serializeXml, XML_MUTATIONS } from './mutate-xml.js';
import type { Rng } from './prng.js';
import type { ListSeed } from './seeds-extra.js';
import { allNodes, parseTlv, serialize, touch, type TlvNode } from './tlv.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const toU8 = (x: unknown): Uint8Array => (typeof x === 'string' ? enc.encode(x) : x instanceof Uint8Array ? x : new Uint8Array(x as ArrayBuffer));

/** Corrupts DER bytes: bit flips (often in the signature at the end), a primitive edit, truncation. */
export function corruptDer(der: Uint8Array, rng: Rng): Uint8Array {
  const r = rng.int(4);
  if (r === 0) return flipBits(der, rng);
  if (r === 1) {
    // In the last 300 bytes: the signature value (or the certificates after it).
    const out = der.slice();
    const from = Math.max(0, out.length - 300);
    out[from + rng.int(out.length - from)]! ^= 1 << rng.int(8);
    return out;
  }
  if (r === 2) {
    const root = parseTlv(der);
    if (root && ASN1_MUTATIONS.editPrimitive(root, rng)) return serialize(root);
    return flipBits(der, rng);
  }
  return truncate(der, rng);
}

// ---------------------------------------------------------------- mutations

export interface OptionMutation {
  readonly options: VerifyOptions;
  /** Mutated signature bytes (time-stamp corruption), else the seed's. */
  readonly bytes?: Uint8Array;
  readonly note: string;
  /** Which property applies. */
  readonly property: 'revocation' | 'trust' | 'timestamp' | 'time';
}

export type OptionFamily = (seed: Seed, rng: Rng) => OptionMutation | undefined;

/** Corrupts or removes one supplied CRL / OCSP response. */
export const revCorrupt: OptionFamily = (seed, rng) => {
  const crls = [...(seed.options.crls ?? [])].map(toU8);
  const ocsp = [...(seed.options.ocspResponses ?? [])].map(toU8);
  const all = [...crls.map((_, i) => ['crls', i] as const), ...ocsp.map((_, i) => ['ocspResponses', i] as const)];
  if (!all.length) return undefined;
  const [field, i] = rng.pick(all);
  const list = field === 'crls' ? crls : ocsp;
  const remove = rng.chance(0.25);
  if (remove) list.splice(i, 1);
  else list[i] = corruptDer(list[i]!, rng);
  return { options: { ...seed.options, crls, ocspResponses: ocsp }, note: `${remove ? 'removed' : 'corrupted'} ${field}[${i}]`, property: 'revocation' };
};

// Time-stamp attribute OIDs (DER content of the OID): signature-time-stamp, archive time-stamps v2/v3.
const TST_OIDS = ['2a864886f70d010910020e', '2a864886f70d010910021b', '04008d45020104', '2a864886f70d0109100230'];

/** Corrupts one time-stamp token inside the CMS unsigned attributes, or inside XAdES (EncapsulatedTimeStamp). */
export const tstCorrupt: OptionFamily = (seed, rng) => {
  if (!seed.report?.signatures.some((s) => s.timestamps?.length)) return undefined;
  if (seed.kind === 'cms') {
    const root = parseTlv(seed.bytes);
    if (!root) return undefined;
    const tokens: { node: TlvNode; ancestors: TlvNode[] }[] = [];
    for (const { node, ancestors } of allNodes(root)) {
      // Attribute ::= SEQUENCE { OID, SET OF token }: the token is a ContentInfo in the SET.
      const oid = node.children?.[0];
      if (node.tag[0] !== 0x30 || !oid || oid.tag[0] !== 0x06 || !TST_OIDS.includes(Buffer.from(oid.content).toString('hex'))) continue;
      const set = node.children![1];
      for (const tok of set?.children ?? []) tokens.push({ node: tok, ancestors: [...ancestors, node, set!] });
    }
    if (!tokens.length) return undefined;
    const t = rng.pick(tokens);
    const inner = allNodes(t.node).filter((x) => !x.node.children && x.node.content.length > 0);
    if (!inner.length) return undefined;
    const p = rng.pick(inner);
    const c = p.node.content.slice();
    c[rng.int(c.length)]! ^= 1 << rng.int(8);
    p.node.content = c;
    touch(p.node, [...t.ancestors, t.node, ...p.ancestors]);
    return { options: seed.options, bytes: serialize(root), note: `flipped a bit in a ${p.node.content.length}-byte primitive of a CMS time-stamp token`, property: 'timestamp' };
  }
  if (seed.kind === 'xml') {
    const doc = parseForMutation(dec.decode(seed.bytes));
    if (!doc) return undefined;
    const els = Array.from(doc.getElementsByTagNameNS('*', 'EncapsulatedTimeStamp'));
    if (!els.length) return undefined;
    const el = rng.pick(els);
    const der = new Uint8Array(Buffer.from(el.textContent ?? '', 'base64'));
    if (!der.length) return undefined;
    el.textContent = Buffer.from(corruptDer(der, rng)).toString('base64');
    return { options: seed.options, bytes: enc.encode(serializeXml(doc)), note: `corrupted ${el.parentNode ? (el.parentNode as Element).localName : ''}/EncapsulatedTimeStamp`, property: 'timestamp' };
  }
  return undefined;
};

/** Moves the validation time: small and large steps, and to just before/after the times the baseline report names. */
export const timeShift: OptionFamily = (seed, rng) => {
  const base = seed.options.validationTime?.getTime() ?? Date.now();
  const cands = [base - 86400e3, base + 86400e3, base - 365 * 86400e3, base + 365 * 86400e3, base + 5 * 365 * 86400e3, base + 30 * 365 * 86400e3];
  for (const s of seed.report?.signatures ?? []) {
    if (s.signer) cands.push(Date.parse(s.signer.notAfter) - 1000, Date.parse(s.signer.notAfter) + 1000, Date.parse(s.signer.notBefore) - 1000, Date.parse(s.signer.notBefore) + 1000);
    for (const r of s.revocation) if (r.revocationTime) cands.push(Date.parse(r.revocationTime) - 1000, Date.parse(r.revocationTime) + 1000);
    for (const t of s.timestamps ?? []) if (t.genTime) cands.push(Date.parse(t.genTime) - 1000, Date.parse(t.genTime) + 1000);
  }
  const t = rng.pick(cands.filter((x) => Number.isFinite(x) && x > 0));
  return { options: { ...seed.options, validationTime: new Date(t) }, note: `validationTime ${new Date(t).toISOString()}`, property: 'time' };
};

const GRANTED = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted';
const WITHDRAWN = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn';

/** A mutated XML trust list: structural XML mutations, raw bytes, or targeted content edits an attacker would make. */
export function mutateListXml(xml: Uint8Array, rng: Rng, donorCerts: readonly Uint8Array[]): { data: Uint8Array; note: string } | undefined {
  const r = rng.int(4);
  if (r === 0) return { data: flipBits(xml, rng), note: 'byte flip' };
  const doc = parseForMutation(dec.decode(xml));
  if (!doc) return undefined;
  if (r === 1) {
    const name = rng.pick(Object.keys(XML_MUTATIONS) as (keyof typeof XML_MUTATIONS)[]);
    return XML_MUTATIONS[name](doc, rng) ? { data: enc.encode(serializeXml(doc)), note: `xml-${name}` } : undefined;
  }
  const byName = (n: string) => Array.from(doc.getElementsByTagNameNS('*', n));
  if (r === 2) {
    // Content edits: status to granted, status start moved, a certificate swapped for another root, territory changed.
    const edits: [string, (e: Element) => void][] = [
      ['ServiceStatus', (e) => (e.textContent = GRANTED)],
      ['StatusStartingTime', (e) => (e.textContent = '2000-01-01T00:00:00Z')],
      ['X509Certificate', (e) => (e.textContent = Buffer.from(rng.pick(donorCerts)).toString('base64'))],
      ['SchemeTerritory', (e) => (e.textContent = rng.pick(['TR', 'UZ', 'KZ', 'AZ', 'OTS']))],
      ['NextUpdate', (e) => ((e.firstElementChild ?? e).textContent = '2099-01-01T00:00:00Z')],
    ];
    const [n, f] = rng.pick(edits);
    // Only outside ds:Signature (inside it, a certificate swap is a KeyInfo swap: handled by the xml mutations).
    const els = byName(n).filter((e) => !hasAncestor(e, 'Signature'));
    if (!els.length) return undefined;
    f(rng.pick(els));
    return { data: enc.encode(serializeXml(doc)), note: `edit ${n}` };
  }
  // Signature wrapping: a copy of a TSP with a swapped certificate appended (the signed original stays in place).
  const tsps = byName('TrustServiceProvider');
  if (!tsps.length || !donorCerts.length) return undefined;
  const copy = rng.pick(tsps).cloneNode(true) as Element;
  for (const c of Array.from(copy.getElementsByTagNameNS('*', 'X509Certificate'))) c.textContent = Buffer.from(rng.pick(donorCerts)).toString('base64');
  const where = rng.chance(0.5) ? tsps[0]!.parentNode! : rng.pick(Array.from(doc.getElementsByTagNameNS('*', 'Object')).concat([doc.documentElement as Element]));
  where.appendChild(copy);
  return { data: enc.encode(serializeXml(doc)), note: 'injected TSP copy with swapped certificate' };
}

function hasAncestor(e: Element, local: string): boolean {
  for (let p = e.parentNode; p; p = p.parentNode) if ((p as Element).localName === local) return true;
  return false;
}

/**
 * Narrowing (or corrupting) edits of a JSON trust list or agreement: each can only remove
 * what the file grants (a status no longer granted, a service or party gone, a period
 * shortened, a constraint added) or make the file malformed.
 */
export function narrowJson(data: Uint8Array, rng: Rng): { data: Uint8Array; note: string } | undefined {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(dec.decode(data)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const paths: { parent: Record<string, unknown> | unknown[]; key: string | number; value: unknown }[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 12 || v === null || typeof v !== 'object') return;
    for (const [k, c] of Object.entries(v as object)) {
      paths.push({ parent: v as Record<string, unknown>, key: Array.isArray(v) ? Number(k) : k, value: c });
      walk(c, depth + 1);
    }
  };
  walk(j, 0);
  const r = rng.int(6);
  let note: string;
  if (r === 0) {
    // A granted status (list) becomes withdrawn.
    const p = paths.filter((x) => x.value === GRANTED && !Array.isArray(x.parent));
    if (!p.length) return undefined;
    const x = rng.pick(p);
    (x.parent as Record<string, unknown>)[x.key as string] = WITHDRAWN;
    note = `${String(x.key)}: granted → withdrawn`;
  } else if (r === 1) {
    // An element removed from an array (a service, a party, an equivalence, an accepted status or type).
    const p = paths.filter((x) => Array.isArray(x.parent));
    if (!p.length) return undefined;
    const x = rng.pick(p);
    (x.parent as unknown[]).splice(x.key as number, 1);
    note = `removed an array element (${JSON.stringify(x.value).slice(0, 60)})`;
  } else if (r === 2) {
    // A start time moved later (statusStartingTime, effectiveFrom), an end time earlier (effectiveUntil, nextUpdate).
    // statusStartingTime only where the status it starts is a granted one: a *withdrawal* starting later widens
    // (the earlier granted status then covers more time), which a correct validator must honour in a list the
    // caller trusts (fuzz run ots-2026-12-03-final #91589 flagged exactly that, wrongly).
    const granted = (x: (typeof paths)[number]) => String((x.parent as Record<string, unknown>).status ?? (x.parent as Record<string, unknown>).serviceStatus ?? '').endsWith('/granted');
    const p = paths.filter(
      (x) => typeof x.value === 'string' && (/^(effectiveFrom|effectiveUntil|nextUpdate|issueDate)$/.test(String(x.key)) || (x.key === 'statusStartingTime' && granted(x))),
    );
    if (!p.length) return undefined;
    const x = rng.pick(p);
    const later = /StartingTime|From|issueDate/.test(String(x.key));
    (x.parent as Record<string, unknown>)[x.key as string] = later ? '2099-01-01T00:00:00Z' : '2000-01-01T00:00:00Z';
    note = `${String(x.key)} moved ${later ? 'later' : 'earlier'}`;
  } else if (r === 3) {
    // A stricter constraint: higher minimum key sizes, a purpose or policy that nothing carries.
    const c = ((j.constraints as Record<string, unknown>) ??= {});
    const k = rng.int(3);
    if (k === 0) c.minKeySizes = { RSA: 16384, EC: 1024 };
    else if (k === 1) c.purposes = ['no-such-purpose'];
    else c.certificatePolicies = ['1.2.3.4.5.6.7.8.9'];
    note = `constraint added (${Object.keys(c).join(',')})`;
  } else if (r === 4) {
    // A wrong type or value (malformed file): must be refused or grant nothing more.
    const p = paths.filter((x) => !Array.isArray(x.parent));
    if (!p.length) return undefined;
    const x = rng.pick(p);
    (x.parent as Record<string, unknown>)[x.key as string] = rng.pick([null, 0, '', [], {}, 'x', true]);
    note = `${String(x.key)} set to a wrong value`;
  } else {
    // A mutual agreement made one-way in one direction.
    if (j.direction !== 'mutual' || !Array.isArray(j.parties) || j.parties.length !== 2) return undefined;
    const [a, b] = rng.chance(0.5) ? j.parties : [...j.parties].reverse();
    Object.assign(j, { direction: 'one-way', issuerParty: a, relyingParty: b });
    note = `mutual → one-way ${String(a)} → ${String(b)}`;
  }
  return { data: enc.encode(JSON.stringify(j)), note };
}

/** Mutates one trust list (XML: anything; JSON pinned: anything — the pin must then fail; JSON unpinned: narrowing only). */
export function trustListMutation(donorCerts: readonly Uint8Array[]): OptionFamily {
  return (seed, rng) => {
    const lists = seed.options.trustLists as readonly TrustListInput[] | undefined;
    if (!Array.isArray(lists) || !lists.length) return undefined;
    const i = rng.int(lists.length);
    const l = lists[i]!;
    const data = toU8(l.data);
    const isJson = data[0] === 0x7b;
    const m = isJson ? (rng.chance(0.3) ? { data: flipBits(data, rng), note: 'byte flip' } : narrowJson(data, rng)) : mutateListXml(data, rng, donorCerts);
    if (!m) return undefined;
    // A JSON list's narrowing edit is tried both pinned (must now be refused) and caller-trusted (the edit must not widen).
    const unpin = isJson && rng.chance(0.5) && m.note !== 'byte flip';
    const next = lists.map((x, k) => (k === i ? { ...x, data: m.data, ...(unpin ? { sha256: undefined } : {}) } : x));
    return { options: { ...seed.options, trustLists: next }, note: `trustLists[${i}] ${l.name ?? ''}${unpin ? ' (pin dropped)' : ''}: ${m.note}`, property: 'trust' };
  };
}

export const agreementMutation: OptionFamily = (seed, rng) => {
  const ags = seed.options.agreements as readonly { data: Uint8Array; name?: string }[] | undefined;
  if (!ags?.length) return undefined;
  const i = rng.int(ags.length);
  const m = narrowJson(toU8(ags[i]!.data), rng);
  if (!m) return undefined;
  return { options: { ...seed.options, agreements: ags.map((a, k) => (k === i ? { ...a, data: m.data } : a)) }, note: `agreements[${i}] ${ags[i]!.name ?? ''}: ${m.note}`, property: 'trust' };
};

// ---------------------------------------------------------------- properties

const byId = (r: ValidationReport | undefined) => new Map((r?.signatures ?? []).map((s) => [s.id, s] as const));
const passed = (s: SignatureReport | undefined) => s?.indication === 'TOTAL-PASSED';

/**
 * Invariants of every TOTAL-PASSED, whatever was mutated:
 * - the signer's certificate is valid at the best-signature-time (a signature proven to exist only
 *   after its certificate expired, or before it was issued, cannot pass: EN 319 102-1 5.2.6 / 5.6.2.4);
 * - no certificate of the chain is reported revoked at or before the best-signature-time (a signature
 *   not proven to exist before the revocation cannot pass: REVOKED / REVOKED_NO_POE);
 * - the best-signature-time is not after the validation time (a proof of existence from the future is no proof).
 */
export function passInvariants(s: SignatureReport): string | undefined {
  if (!passed(s)) return undefined;
  const bst = Date.parse(s.times.bestSignatureTime);
  if (s.signer && (bst < Date.parse(s.signer.notBefore) || bst > Date.parse(s.signer.notAfter))) {
    return `${s.id} TOTAL-PASSED with best-signature-time ${s.times.bestSignatureTime} outside the signer's validity ${s.signer.notBefore}..${s.signer.notAfter}`;
  }
  for (const r of s.revocation) {
    if (r.status === 'revoked' && r.revocationTime && Date.parse(r.revocationTime) <= bst) {
      return `${s.id} TOTAL-PASSED though ${r.certificate} is revoked at ${r.revocationTime}, not after the best-signature-time ${s.times.bestSignatureTime}`;
    }
  }
  if (bst > Date.parse(s.times.validationTime)) return `${s.id} best-signature-time ${s.times.bestSignatureTime} after the validation time ${s.times.validationTime}`;
  return undefined;
}

/** The property of one option mutation: undefined when it holds, else what broke. */
export function checkProperty(m: OptionMutation, base: ValidationReport | undefined, mutant: ValidationReport): string | undefined {
  const b = byId(base);
  for (const s of mutant.signatures) {
    const o = b.get(s.id);
    if (m.property === 'revocation') {
      // Corrupted revocation data does not verify and removed data is gone: neither can *create* a
      // 'good' answer. Every certificate the mutant reports good was reported good before.
      for (const r of s.revocation) {
        if (r.status !== 'good') continue;
        const before = o?.revocation.find((x) => x.certificate === r.certificate);
        if (before?.status !== 'good') return `${s.id}: ${r.certificate} is 'good' (${r.kind ?? '?'} ${r.origin ?? ''}) after ${m.note}, was '${before?.status ?? 'absent'}'`;
      }
      // And so a signer revoked before cannot pass by losing the data that revoked it while other data says good.
      if (passed(s) && o && /^REVOKED/.test(o.subIndication ?? '') && s.revocation.some((r) => r.status === 'good')) return `${s.id}: was ${o.subIndication}, TOTAL-PASSED with a 'good' status after ${m.note}`;
    } else if (m.property === 'trust') {
      // A list that no longer verifies (or whose pin fails) is not used, and a list or agreement that
      // grants less cannot recognize more: recognition and validity are monotone in what is trusted.
      if (s.recognition?.status === 'RECOGNIZED' && o?.recognition?.status !== 'RECOGNIZED') {
        return `${s.id}: RECOGNIZED (${s.recognition.basis?.kind ?? '?'} ${s.recognition.basis?.listId ?? s.recognition.basis?.agreementId ?? ''}) after ${m.note}; unmutated: ${o?.recognition?.status ?? 'absent'}`;
      }
      if (passed(s) && !passed(o)) return `${s.id}: TOTAL-PASSED after ${m.note}; unmutated: ${o?.indication ?? 'absent'}/${o?.subIndication ?? ''}`;
    } else if (m.property === 'timestamp') {
      // A corrupted token no longer proves anything; the others are unchanged. The best-signature-time
      // (the earliest proven existence) can only stay or move later.
      if (o && Date.parse(s.times.bestSignatureTime) < Date.parse(o.times.bestSignatureTime)) {
        return `${s.id}: best-signature-time moved earlier ${o.times.bestSignatureTime} → ${s.times.bestSignatureTime} after ${m.note}`;
      }
    } else if (m.property === 'time') {
      // Moving the validation time never turns a signer revoked before the proven existence into a pass
      // (passInvariants checks the mutant's own revocation data; here the baseline's too).
      if (passed(s)) {
        const bst = Date.parse(s.times.bestSignatureTime);
        const rev = o?.revocation.find((r) => r.status === 'revoked' && r.revocationTime && Date.parse(r.revocationTime) <= bst);
        if (rev) return `${s.id}: TOTAL-PASSED at ${m.note} with best-signature-time ${s.times.bestSignatureTime}, but ${rev.certificate} was revoked at ${rev.revocationTime}`;
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- trust-list seeds

/** A canonical view of what a loaded list says (what recognition reads from it). */
function listContent(x: { list: unknown }): string {
  return JSON.stringify(x.list);
}

export interface ListBaseline {
  readonly usable: boolean;
  readonly integrity: string;
  readonly content: string;
}

export async function loadListTarget(seed: ListSeed, lists: readonly TrustListInput[]): Promise<ListBaseline | undefined> {
  const set = await loadTrustLists(lists, { time: seed.time });
  const name = lists[seed.target]!.name;
  const l = set.lists.find((x) => x.name === name);
  return l ? { usable: l.usable, integrity: l.integrity, content: listContent(l) } : undefined;
}

/**
 * A list whose integrity still holds (its signature verifies with the pinned or announced signer,
 * or its pinned digest matches) after a mutation must say exactly what the unmutated list says:
 * a signature covers the list's content, so a mutation either breaks the signature or changes
 * nothing the list is read for. Anything else is list signature wrapping.
 */
export function checkListProperty(base: ListBaseline | undefined, mutant: ListBaseline | undefined, note: string): string | undefined {
  if (!mutant?.usable || mutant.integrity === 'caller-trusted') return undefined;
  if (!base?.usable) return `mutated list usable (${mutant.integrity}) after ${note}, the unmutated list was not`;
  if (mutant.content !== base.content) return `mutated list still usable with integrity '${mutant.integrity}' after ${note}, but its content differs from the unmutated list's`;
  return undefined;
}
