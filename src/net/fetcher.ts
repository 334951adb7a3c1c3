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

/** The subset of WHATWG `fetch` used here, so any compatible implementation (undici, a proxy, a test double) fits. */
export type FetchFunction = (
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: Uint8Array; signal: AbortSignal },
) => Promise<FetchResponseLike>;

export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly headers?: { get(name: string): string | null };
  readonly body?: ReadableStream<Uint8Array> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

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
   * URLs come from certificates, i.e. from untrusted input: by default a URL whose host is
   * `localhost` or a literal loopback / private / link-local IP address is refused (SSRF).
   * Names that *resolve* to such addresses are not detected here: a server-side deployment
   * should also egress-filter, or pass a `fetch` that does.
   */
  readonly allowPrivateNetwork?: boolean;
}

/** A request that could not be answered (network, timeout, HTTP status, size). Callers turn it into TRY_LATER. */
export class FetchError extends OtsEsigError {
  readonly url: string;
  constructor(url: string, message: string, options?: { cause?: unknown }) {
    super('ERR_FETCH', `${url}: ${message}`, options);
    this.url = url;
  }
}

export class Fetcher {
  private readonly fetchFn: FetchFunction;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly ttl: number;
  private readonly allowPrivate: boolean;
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
    this.cache = new LruCache(opts.cacheEntries ?? 256);
  }

  get(url: string, accept: string): Promise<Uint8Array> {
    return this.cached(`GET ${url}`, () => this.request(url, { method: 'GET', headers: { accept } }));
  }

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
    if (!this.allowPrivate && isPrivateHost(parsed.hostname)) throw new FetchError(url, 'host is local or private; not fetched (allowPrivateNetwork is off)');
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

/** `localhost`, or a literal IPv4/IPv6 address in a loopback, private, link-local or unspecified range. */
export function isPrivateHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  if (h.includes(':')) {
    if (h === '::' || h === '::1') return true;
    if (/^f[cd]/.test(h) || /^fe[89ab]/.test(h)) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    if (mapped) return isPrivateHost(mapped[1]!);
  }
  return false;
}
