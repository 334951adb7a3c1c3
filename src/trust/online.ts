/**
 * Trusted lists fetched from https URLs (opt-in, for servers and CI; the library itself stays
 * offline): the configured lists (typically the list of lists, with its operator's certificate
 * pinned) and, one level down, the national lists their TSLLocation pointers name. Each list is
 * cached by URL with its ETag / Last-Modified (a refresh is a conditional GET; 304 reuses the
 * copy), verified completely before use exactly as a list file is (enveloped signature by a pinned
 * signer, or by a signer its list of lists announces), and a failed fetch or verification keeps
 * the last good copy. The state of every list (source, fetched at, validators, sequence number,
 * next update, signature, last refresh result) is reported.
 *
 * No Node built-in here: the default transport (net/https-get.ts) and the folder cache (trust/online-cache.ts) are
 * Node adapters loaded on first use; another runtime passes its own `get` and no `cacheDir`. Exported by `ots-esig/node`.
 */
import { InvalidOptionError } from '../errors.js';
import { FetchError } from '../net/fetcher.js';
import type { CacheValidators, ConditionalGetResult, HttpsGetOptions } from '../net/https-get.js';
import type { AlgorithmRegistry } from '../crypto/registry.js';
import { asBytes, type CertificateInput } from '../pki/inputs.js';
import { fromBase64 } from '../util/bytes.js';
import { sha256Hex } from '../util/sha256.js';
import type { XmlLimits } from '../xml/parse.js';
import { loadTrustLists, type TrustListInput, type TrustSet } from './load.js';
import type { LoadedTrustList } from './loaded.js';
import { isListOfListsType } from './uris.js';

/** A list to fetch: its URL and the certificates allowed to sign it (for a list of lists: its operator's, pinned out of band). */
export interface OnlineListSource {
  readonly url: string;
  readonly signingCertificates?: readonly CertificateInput[];
}

/** The transport: a conditional GET (net/https-get.ts by default; tests and embedders may pass their own). */
export type ConditionalGetFunction = (url: string, validators: CacheValidators) => Promise<ConditionalGetResult>;

/** How online lists are fetched, cached and verified. */
export interface OnlineTrustListsOptions {
  readonly sources: readonly OnlineListSource[];
  /** Network limits and trust for node:https (https only unless allowHttp; server certificates always verified). */
  readonly http?: HttpsGetOptions;
  /** Replaces the node:https transport (and `http`). */
  readonly get?: ConditionalGetFunction;
  /**
   * A folder where each list's last good copy and its validators are kept, so a restart starts from
   * them (verified again before use, like any copy) and asks the server with a conditional GET.
   */
  readonly cacheDir?: string;
  /** Follow the TSLLocation pointers of verified lists of lists (one level). Default true. */
  readonly followPointers?: boolean;
  /**
   * Pivots walked at most when a list of lists is signed by a key the pins do not name (EU LOTL key
   * rotation: each pivot is signed by the key trusted so far and announces the next). Default 10; 0: none.
   */
  readonly maxPivots?: number;
  readonly registry?: AlgorithmRegistry;
  readonly xmlLimits?: XmlLimits;
}

/** The outcome of the last refresh of one list. */
export interface OnlineRefreshOutcome {
  readonly at: string;
  /** `updated`: a new copy verified and in use; `not-modified`: 304, the copy kept; `unchanged`: 200 with the same bytes; `failed`: fetch or verification failed (the last good copy, if any, stays). */
  readonly result: 'updated' | 'not-modified' | 'unchanged' | 'failed';
  readonly error?: string;
}

/** What is known of one online list: where it comes from, the copy in use and how the last refresh went. */
export interface OnlineListState {
  readonly url: string;
  /** `configured` by the caller, or reached through a `pointer` of the list of lists `pointedBy`. */
  readonly origin: 'configured' | 'pointer';
  readonly pointedBy: string | null;
  /** When the copy in use was last confirmed by the server (200 or 304). */
  readonly fetchedAt: string | null;
  readonly etag: string | null;
  readonly lastModified: string | null;
  /** SHA-256 (hex) of the copy in use. */
  readonly sha256: string | null;
  readonly id: string | null;
  readonly territory: string | null;
  readonly sequenceNumber: number | null;
  readonly issueDate: string | null;
  readonly nextUpdate: string | null;
  /** Signature status of the copy in use (VALID), or of the refused copy when there is none. */
  readonly signature: string | null;
  /** Pivot lists of lists (oldest first) through which the pinned key led to the signer of the copy in use; empty when a pin or pointer signed it. */
  readonly pivots: readonly string[];
  /** A verified copy is in use. */
  readonly inUse: boolean;
  readonly lastRefresh: OnlineRefreshOutcome | null;
}

/** The result of `OnlineTrustLists.refresh`. */
export interface OnlineRefreshResult {
  readonly at: string;
  /** Every list fetched (or confirmed) and verified. */
  readonly ok: boolean;
  /** Some list in use changed. */
  readonly changed: boolean;
  /** `URL: reason` for each list whose refresh failed. */
  readonly errors: readonly string[];
}

interface GoodCopy {
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly fetchedAt: string;
  readonly loaded: LoadedTrustList;
  /** The certificates that verified it: the pins, or those the last pivot announced. */
  readonly signers: readonly CertificateInput[];
  readonly pivots: readonly string[];
}

/** A copy that verified, and how. */
interface Verified {
  readonly loaded: LoadedTrustList;
  readonly signers: readonly CertificateInput[];
  readonly pivots: readonly string[];
}

interface Entry {
  readonly url: string;
  readonly origin: 'configured' | 'pointer';
  pointedBy: string | null;
  pins: readonly CertificateInput[];
  /** For a pointed list: the territory and type its pointer announces. */
  expect: { territory: string | null; type: string | null } | null;
  good: GoodCopy | undefined;
  cacheLoaded: boolean;
  last: OnlineRefreshOutcome | null;
  lastSignature: string | null;
}

/**
 * Online trusted lists with a per-URL cache: `refresh()` fetches and verifies, `inputs` /
 * `trustSet()` give the verified copies in use, `states` reports each list.
 */
export class OnlineTrustLists {
  readonly #o: OnlineTrustListsOptions;
  readonly #entries = new Map<string, Entry>();
  #running: Promise<OnlineRefreshResult> | undefined;
  #get: ConditionalGetFunction | undefined;

  constructor(options: OnlineTrustListsOptions) {
    if (!options.sources.length) throw new InvalidOptionError('online trusted lists: no source URL given');
    for (const s of options.sources) {
      checkSourceUrl(s.url, options.http?.allowHttp === true);
      this.#entries.set(s.url, newEntry(s.url, 'configured', null, s.signingCertificates ?? [], null));
    }
    this.#o = options;
  }

  /** Each list's state, configured lists first. */
  get states(): OnlineListState[] {
    return [...this.#entries.values()].map(stateOf);
  }

  /**
   * The verified copies in use, as `loadTrustLists` inputs named by URL: configured lists with their
   * pins, pointed lists without (their list of lists announces their signers).
   */
  get inputs(): TrustListInput[] {
    const out: TrustListInput[] = [];
    for (const e of this.#entries.values()) {
      if (!e.good) continue;
      out.push({ data: e.good.bytes, name: e.url, ...(e.origin === 'configured' ? { signingCertificates: e.good.signers } : {}) });
    }
    return out;
  }

  /** The copies in use loaded as a TrustSet at `time`. */
  trustSet(time: Date = new Date()): Promise<TrustSet> {
    return loadTrustLists(this.inputs, { time, ...(this.#o.registry ? { registry: this.#o.registry } : {}), ...(this.#o.xmlLimits ? { xmlLimits: this.#o.xmlLimits } : {}) });
  }

  /** Fetches and verifies every list (one refresh at a time: a call during a refresh waits for it). */
  refresh(time: Date = new Date()): Promise<OnlineRefreshResult> {
    this.#running ??= this.#refresh(time).finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #refresh(time: Date): Promise<OnlineRefreshResult> {
    const at = new Date().toISOString();
    const errors: string[] = [];
    let changed = false;
    const configured = [...this.#entries.values()].filter((e) => e.origin === 'configured');
    for (const r of await Promise.all(configured.map((e) => this.#refreshOne(e, time, at, (bytes) => this.#verify(bytes, e, time))))) {
      if (r.error) errors.push(r.error);
      changed ||= r.changed;
    }
    if (this.#o.followPointers !== false) {
      const wanted = this.#pointed(configured);
      // Lists no list of lists in use points to any more leave the set.
      for (const [url, e] of this.#entries) {
        if (e.origin === 'pointer' && !wanted.has(url)) {
          this.#entries.delete(url);
          changed = true;
        }
      }
      const children: Entry[] = [];
      for (const [url, w] of wanted) {
        let e = this.#entries.get(url);
        if (!e) {
          e = newEntry(url, 'pointer', w.lotl.url, w.pins, w.expect);
          this.#entries.set(url, e);
        } else {
          e.pointedBy = w.lotl.url;
          e.pins = w.pins;
          e.expect = w.expect;
        }
        children.push(e);
      }
      for (const r of await Promise.all(children.map((e) => this.#refreshOne(e, time, at, (bytes) => this.#verify(bytes, e, time))))) {
        if (r.error) errors.push(r.error);
        changed ||= r.changed;
      }
    }
    return { at, ok: errors.length === 0, changed, errors };
  }

  /** The lists the verified lists of lists in use point to: URL → expected territory/type and announced signers. */
  #pointed(configured: readonly Entry[]): Map<string, { lotl: Entry; pins: Uint8Array[]; expect: { territory: string | null; type: string | null } }> {
    const out = new Map<string, { lotl: Entry; pins: Uint8Array[]; expect: { territory: string | null; type: string | null } }>();
    for (const lotl of configured) {
      const list = lotl.good?.loaded.list;
      if (!list || !isListOfListsType(list.scheme.type)) continue;
      for (const p of list.scheme.pointers) {
        // A pointer to a list of lists (the LOTL's pointer to itself, a pivot) is not followed here; nor are
        // human-readable (PDF) copies.
        if (p.type && isListOfListsType(p.type)) continue;
        if (p.mimeType && !/xml/i.test(p.mimeType)) continue;
        if (this.#entries.get(p.location)?.origin === 'configured' || out.has(p.location)) continue;
        try {
          checkSourceUrl(p.location, this.#o.http?.allowHttp === true);
        } catch {
          continue;
        }
        const pins = p.signingCertificates.flatMap((b64) => {
          try {
            return [fromBase64(b64)];
          } catch {
            return [];
          }
        });
        out.set(p.location, { lotl, pins, expect: { territory: p.territory, type: p.type } });
      }
    }
    return out;
  }

  /** `bytes` as one list verified with `signers` (the loader's own check, as for a file). */
  async #load(bytes: Uint8Array, name: string, signers: readonly CertificateInput[], time: Date): Promise<LoadedTrustList> {
    const set = await loadTrustLists([{ data: bytes, name, signingCertificates: signers }], {
      time,
      ...(this.#o.registry ? { registry: this.#o.registry } : {}),
      ...(this.#o.xmlLimits ? { xmlLimits: this.#o.xmlLimits } : {}),
    });
    return set.lists[0]!;
  }

  /**
   * A copy verified the way a list file is: signature by a pin (configured) or by its pointer's announced signers,
   * and the territory/type the pointer names. A configured list of lists signed by a key the pins do not name is
   * tried through its pivots (#pivotSigners).
   */
  async #verify(bytes: Uint8Array, e: Entry, time: Date): Promise<Verified> {
    let loaded = await this.#load(bytes, e.url, e.pins, time);
    let signers: readonly CertificateInput[] = e.pins;
    let pivots: string[] = [];
    e.lastSignature = loaded.signature.status;
    if (loaded.format !== 'xml') throw new VerificationError('an online list must be a signed TS 119 612 XML list (a JSON list carries no signature)');
    if (!loaded.usable && e.origin === 'configured' && e.pins.length && isListOfListsType(loaded.list.scheme.type) && pivotUris(loaded).length) {
      const walked = await this.#pivotSigners(loaded, e, time);
      const again = await this.#load(bytes, e.url, walked.signers, time);
      e.lastSignature = again.signature.status;
      if (!again.usable) throw new VerificationError(`signature ${again.signature.status} with the key its pivots lead to (${walked.pivots.join(', ')}): ${again.signature.detail}`);
      ({ loaded, signers, pivots } = { loaded: again, signers: walked.signers, pivots: walked.pivots });
    }
    if (!loaded.usable || loaded.integrity !== 'xades-signature') {
      throw new VerificationError(`signature ${loaded.signature.status}: ${loaded.signature.detail}${e.pins.length ? '' : ' (no signer pinned or announced)'}`);
    }
    if (e.expect) {
      const s = loaded.list.scheme;
      if (e.expect.territory && s.territory !== e.expect.territory) throw new VerificationError(`the list is for territory ${s.territory ?? 'none'}, but the pointer of ${e.pointedBy} announces ${e.expect.territory}`);
      if (e.expect.type && s.type !== e.expect.type) throw new VerificationError(`the list's type is ${s.type}, but its pointer announces ${e.expect.type}`);
    }
    return { loaded, signers, pivots };
  }

  /**
   * The EU LOTL key rotation (as DSS follows it): the current list of lists names earlier issues ("pivots") in its
   * SchemeInformationURI, newest first. Walked oldest first, each pivot must verify with the keys trusted so far
   * (at the start: the pins) and then the certificates its pointer to its own scheme (a list-of-lists pointer of the
   * same territory) announces become the trusted keys. A pivot that does not verify ends the walk: the list is refused.
   */
  async #pivotSigners(current: LoadedTrustList, e: Entry, time: Date): Promise<{ signers: readonly CertificateInput[]; pivots: string[] }> {
    const uris = pivotUris(current).reverse();
    const max = this.#o.maxPivots ?? 10;
    if (uris.length > max) throw new VerificationError(`${uris.length} pivots named, more than the ${max} walked`);
    let trusted: readonly CertificateInput[] = e.pins;
    for (const uri of uris) {
      checkSourceUrl(uri, this.#o.http?.allowHttp === true);
      let answer: ConditionalGetResult;
      try {
        answer = await this.#transport()(uri, {});
      } catch (err) {
        throw new VerificationError(`pivot ${uri}: ${(err as Error).message}`);
      }
      if (answer.status !== 200) throw new VerificationError(`pivot ${uri}: no body`);
      const pivot = await this.#load(answer.body!, uri, trusted, time);
      if (!pivot.usable) throw new VerificationError(`pivot ${uri} does not verify with the keys trusted so far: ${pivot.signature.detail}`);
      const self = pivot.list.scheme.pointers.find((p) => p.type !== null && isListOfListsType(p.type) && p.territory === pivot.list.scheme.territory);
      const next = (self?.signingCertificates ?? []).flatMap((b64) => {
        try {
          return [fromBase64(b64)];
        } catch {
          return [];
        }
      });
      if (!next.length) throw new VerificationError(`pivot ${uri} announces no signing certificate for its own scheme`);
      trusted = next;
    }
    return { signers: trusted, pivots: uris };
  }

  async #refreshOne(e: Entry, time: Date, at: string, verify: (bytes: Uint8Array) => Promise<Verified>): Promise<{ changed: boolean; error?: string }> {
    const failed = (msg: string): { changed: boolean; error: string } => {
      e.last = { at, result: 'failed', error: msg };
      return { changed: false, error: `${e.url}: ${msg}` };
    };
    if (!e.good && !e.cacheLoaded) await this.#fromCache(e, time);
    // A cached copy whose pointer now announces other signers must pass again before it is offered as current.
    if (e.good) {
      try {
        e.good = { ...e.good, ...(await verify(e.good.bytes)) };
      } catch (err) {
        e.good = undefined;
        if (!(err instanceof VerificationError)) throw err;
      }
    }
    let answer: ConditionalGetResult;
    try {
      answer = await this.#transport()(e.url, e.good ? { etag: e.good.etag, lastModified: e.good.lastModified } : {});
    } catch (err) {
      return failed(err instanceof FetchError ? err.message.replace(`${e.url}: `, '') : (err as Error).message);
    }
    if (answer.status === 304) {
      if (!e.good) return failed('HTTP 304 Not Modified, but no copy is held');
      e.good = { ...e.good, fetchedAt: at, etag: answer.etag ?? e.good.etag, lastModified: answer.lastModified ?? e.good.lastModified };
      e.last = { at, result: 'not-modified' };
      await this.#toCache(e);
      return { changed: false };
    }
    const bytes = answer.body!;
    const sha256 = await sha256Hex(bytes);
    if (e.good?.sha256 === sha256) {
      e.good = { ...e.good, fetchedAt: at, etag: answer.etag, lastModified: answer.lastModified };
      e.last = { at, result: 'unchanged' };
      await this.#toCache(e);
      return { changed: false };
    }
    let verified: Verified;
    try {
      verified = await verify(bytes);
    } catch (err) {
      if (err instanceof VerificationError || (err as { code?: string }).code?.startsWith('ERR_')) return failed(`refused: ${(err as Error).message}`);
      throw err;
    }
    // A validly signed older issue served again (a replay, or a stale mirror) must not replace a newer one.
    const held = e.good?.loaded.list.scheme.sequenceNumber;
    const got = verified.loaded.list.scheme.sequenceNumber;
    if (held !== undefined && got < held) return failed(`refused: sequence number ${got} is lower than the ${held} in use (an older issue)`);
    e.good = { bytes, sha256, etag: answer.etag, lastModified: answer.lastModified, fetchedAt: at, ...verified };
    e.last = { at, result: 'updated' };
    await this.#toCache(e);
    return { changed: true };
  }

  #transport(): ConditionalGetFunction {
    if (this.#o.get) return this.#o.get;
    this.#get ??= async (url, validators) => (await import('../net/https-get.js')).conditionalGet(url, validators, this.#o.http ?? {});
    return this.#get;
  }

  /** The cached copy, verified before it is held (a file on disk is no more trusted than a download). */
  async #fromCache(e: Entry, time: Date): Promise<void> {
    e.cacheLoaded = true;
    if (!this.#o.cacheDir) return;
    const { readCachedList } = await import('./online-cache.js');
    const cached = await readCachedList(this.#o.cacheDir, e.url);
    if (!cached) return;
    try {
      const v = await this.#verify(cached.bytes, e, time);
      e.good = { bytes: cached.bytes, sha256: await sha256Hex(cached.bytes), etag: cached.meta.etag ?? null, lastModified: cached.meta.lastModified ?? null, fetchedAt: cached.meta.fetchedAt ?? new Date(0).toISOString(), ...v };
    } catch {
      // A cached copy that no longer verifies: fetched afresh.
    }
  }

  async #toCache(e: Entry): Promise<void> {
    if (!this.#o.cacheDir || !e.good) return;
    const { writeCachedList } = await import('./online-cache.js');
    await writeCachedList(this.#o.cacheDir, e.good.bytes, { url: e.url, etag: e.good.etag, lastModified: e.good.lastModified, fetchedAt: e.good.fetchedAt, sha256: e.good.sha256 });
  }
}

/** A copy that was read but does not verify (not a transport failure). */
class VerificationError extends Error {}

function newEntry(url: string, origin: Entry['origin'], pointedBy: string | null, pins: readonly CertificateInput[], expect: Entry['expect']): Entry {
  return { url, origin, pointedBy, pins: pins.map((p) => (typeof p === 'string' || p instanceof ArrayBuffer ? asBytes(p) : p)), expect, good: undefined, cacheLoaded: false, last: null, lastSignature: null };
}

function stateOf(e: Entry): OnlineListState {
  const g = e.good;
  const s = g?.loaded.list.scheme;
  return {
    url: e.url,
    origin: e.origin,
    pointedBy: e.pointedBy,
    fetchedAt: g?.fetchedAt ?? null,
    etag: g?.etag ?? null,
    lastModified: g?.lastModified ?? null,
    sha256: g?.sha256 ?? null,
    id: g?.loaded.list.id ?? null,
    territory: s?.territory ?? null,
    sequenceNumber: s?.sequenceNumber ?? null,
    issueDate: s?.issueDate ?? null,
    nextUpdate: s?.nextUpdate ?? null,
    signature: g ? g.loaded.signature.status : e.lastSignature,
    pivots: g?.pivots ?? [],
    inUse: g !== undefined,
    lastRefresh: e.last,
  };
}

/** SchemeInformationURI entries naming XML documents: the pivots of a list of lists (EU LOTL practice), newest first. */
function pivotUris(l: LoadedTrustList): string[] {
  return l.list.scheme.schemeInformationUris.filter((u) => /^https?:\/\/.*\.xml$/i.test(u) && u !== l.name);
}

/** True when `s` is an http(s) URL: how the CLI and the service tell a list URL from a file name. */
export function isListUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

function checkSourceUrl(url: string, allowHttp: boolean): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidOptionError(`online trusted list ${url}: not a URL`);
  }
  if (u.protocol === 'https:' || (u.protocol === 'http:' && allowHttp)) return;
  throw new InvalidOptionError(
    `online trusted list ${url}: ${u.protocol === 'http:' ? 'plain http is refused: online lists are fetched over https (allowHttp is for tests and labs)' : `scheme ${u.protocol} is not fetched`}`,
  );
}
