/**
 * Opt-in network access for revocation data and AIA (DESIGN.md: offline by
 * default). Runtime-agnostic: it only needs a `fetch`-like function — the
 * caller's, or `globalThis.fetch` when the caller asks for `online: true`.
 * Every request has a timeout and a response size limit; answers are cached
 * (bounded LRU, with a time to live) so one validation run asks each URL once.
 */
import { OtsEsigError } from '../errors.js';
import { LruCache } from '../util/lru.js';
import { concatBytes } from '../util/bytes.js';

/** Resolves a host name to its addresses (all of them: A and AAAA). */
export type ResolveFunction = (hostname: string) => Promise<readonly string[]>;

/** The subset of WHATWG `fetch` used here, so any compatible implementation (undici, a proxy, a test double) fits. */
export type FetchFunction = (
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: Uint8Array; signal: AbortSignal },
) => Promise<FetchResponseLike>;

/** The part of a `fetch` Response the Fetcher reads, so a caller can supply its own transport. */
export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly headers?: { get(name: string): string | null };
  readonly body?: ReadableStream<Uint8Array> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** How a Fetcher fetches: the transport, timeouts, size limits and which addresses it may reach. */
export interface FetcherOptions {
  /** Default: `globalThis.fetch`. */
  readonly fetch?: FetchFunction;
  /** Per request, default 5 000 ms. */
  readonly timeoutMs?: number;
  /** Largest accepted response body, default 4 MiB. */
  readonly maxBytes?: number;
  /** Cached responses, default 256. */
  readonly cacheEntries?: number;
  /** How long a cached response is reused, default 5 minutes. */
  readonly cacheTtlMs?: number;
  /**
   * URLs come from certificates, i.e. from untrusted input: by default a URL whose host is `localhost`,
   * a literal address that is not public unicast (loopback, private, link-local, unique-local, CGNAT,
   * multicast, reserved, and IPv6 forms embedding such an IPv4 address), or a name that resolves to
   * one, is refused (SSRF). The name check resolves before fetching, so a name whose DNS answer changes
   * between the two (DNS rebinding) is not caught here: a server-side deployment should also
   * egress-filter, or pass a `fetch` that connects only to the addresses it was given.
   */
  readonly allowPrivateNetwork?: boolean;
  /**
   * How host names are resolved for that check. Default on Node: `dns.lookup` with `all: true`. Browsers
   * cannot resolve names (the browser's own network policy applies there), so without a resolver only
   * literal addresses and `localhost` names are checked.
   */
  readonly resolve?: ResolveFunction;
}

/** A request that could not be answered (network, timeout, HTTP status, size). Callers turn it into TRY_LATER. */
export class FetchError extends OtsEsigError {
  readonly url: string;
  constructor(url: string, message: string, options?: { cause?: unknown }) {
    super('ERR_FETCH', `${url}: ${message}`, options);
    this.url = url;
  }
}

/** Fetches OCSP responses and CRLs for online revocation checking (`online: true`): bounded in time and size, with a cache, refusing private and loopback addresses unless allowed. */
export class Fetcher {
  private readonly fetchFn: FetchFunction;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly ttl: number;
  private readonly allowPrivate: boolean;
  private readonly resolveHost?: ResolveFunction;
  private readonly cache: LruCache<string, { at: number; body: Promise<Uint8Array> }>;
  /** URLs asked, for the report and tests. */
  readonly log: string[] = [];

  constructor(opts: FetcherOptions = {}) {
    const f = opts.fetch ?? (globalThis.fetch as unknown as FetchFunction | undefined);
    if (!f) throw new OtsEsigError('ERR_INVALID_OPTION', 'online revocation needs a fetch function and globalThis.fetch is unavailable');
    this.fetchFn = f;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.maxBytes = opts.maxBytes ?? 4 * 1024 * 1024;
    this.ttl = opts.cacheTtlMs ?? 5 * 60 * 1000;
    this.allowPrivate = opts.allowPrivateNetwork === true;
    this.resolveHost = opts.resolve ?? nodeResolver();
    this.cache = new LruCache(opts.cacheEntries ?? 256);
  }

/** GET `url` (a CRL, an issuer certificate) within the time and size bounds; answers are cached for the TTL, failures are not. Throws FetchError. */
  get(url: string, accept: string): Promise<Uint8Array> {
    return this.cached(`GET ${url}`, () => this.request(url, { method: 'GET', headers: { accept } }));
  }

/** POST `body` to `url` (an OCSP request), bounded and cached like `get`, keyed by the URL and the exact body. Throws FetchError. */
  post(url: string, body: Uint8Array, contentType: string, accept: string): Promise<Uint8Array> {
    let key = `POST ${url} `;
    for (const b of body) key += b.toString(16).padStart(2, '0');
    return this.cached(key, () => this.request(url, { method: 'POST', headers: { 'content-type': contentType, accept }, body }));
  }

  private cached(key: string, load: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.ttl) return hit.body;
    const body = load();
    this.cache.set(key, { at: Date.now(), body });
    // A failure is not cached: the next validation may find the server back.
    body.catch(() => this.cache.delete(key));
    return body;
  }

  private async request(url: string, init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: Uint8Array }): Promise<Uint8Array> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new FetchError(url, 'not a URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new FetchError(url, `scheme ${parsed.protocol} is not fetched`);
    if (!this.allowPrivate) await this.checkPublic(url, parsed.hostname);
    this.log.push(`${init.method} ${url}`);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const res = await this.fetchFn(url, { ...init, signal: controller.signal });
      if (!res.ok) throw new FetchError(url, `HTTP ${res.status}`);
      const declared = Number(res.headers?.get('content-length') ?? NaN);
      if (declared > this.maxBytes) throw new FetchError(url, `response of ${declared} bytes exceeds the ${this.maxBytes}-byte limit`);
      return await this.readBody(url, res);
    } catch (e) {
      if (e instanceof FetchError) throw e;
      const msg = controller.signal.aborted ? `no answer within ${this.timeoutMs} ms` : (e as Error).message;
      throw new FetchError(url, msg, { cause: e });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Refuses a host that is, or resolves to, an address that is not public (see FetcherOptions.allowPrivateNetwork). */
  private async checkPublic(url: string, hostname: string): Promise<void> {
    // Loaded on the first online request only: offline validation (the default) and a CAdES-only browser
    // bundle do not carry the address parser.
    const { isIpLiteral, isNonPublicAddress, isNonPublicHost } = await import('./address.js');
    if (isNonPublicHost(hostname)) throw new FetchError(url, 'host is local or private; not fetched (allowPrivateNetwork is off)');
    if (isIpLiteral(hostname) || !this.resolveHost) return;
    let addresses: readonly string[];
    try {
      addresses = await this.resolveHost(hostname.replace(/\.$/, ''));
    } catch {
      // A name that does not resolve here reaches nothing through the same resolver; a caller's fetch that
      // resolves elsewhere (a proxy) answers for where it connects. The request goes on and fails or not there.
      return;
    }
    const bad = addresses.find(isNonPublicAddress);
    if (bad !== undefined) throw new FetchError(url, `host name resolves to ${bad}, which is local or private; not fetched (allowPrivateNetwork is off)`);
  }

  private async readBody(url: string, res: FetchResponseLike): Promise<Uint8Array> {
    if (!res.body) {
      const b = new Uint8Array(await res.arrayBuffer());
      if (b.length > this.maxBytes) throw new FetchError(url, `response exceeds the ${this.maxBytes}-byte limit`);
      return b;
    }
    const reader = res.body.getReader();
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > this.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new FetchError(url, `response exceeds the ${this.maxBytes}-byte limit`);
      }
      parts.push(value);
    }
    return concatBytes(parts);
  }
}

/** `dns.lookup(name, { all: true })` where the runtime hands out node:dns without an import (Node); else none. */
function nodeResolver(): ResolveFunction | undefined {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  let dns: { promises?: { lookup?: (h: string, o: { all: true; verbatim: true }) => Promise<{ address: string }[]> } } | undefined;
  try {
    dns = runtime?.getBuiltinModule?.('node:dns') as typeof dns;
  } catch {
    return undefined;
  }
  const lookup = dns?.promises?.lookup;
  if (typeof lookup !== 'function') return undefined;
  return async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
}
