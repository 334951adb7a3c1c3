/**
 * A conditional GET over node:https for trust material fetched on a schedule (online trusted lists):
 * `If-None-Match` / `If-Modified-Since` so an unchanged list costs a 304, a time limit over the
 * whole exchange (redirects included), a body size limit, a bounded number of redirects that may
 * not leave https, and the address rules of net/address.ts. Node only: the CLI and the service load
 * it; the browser bundle never does.
 *
 * The server certificate is always verified. Callers that serve lists under a private PKI (tests,
 * labs) pass that PKI's roots as `ca`; nothing here turns verification off.
 */
import { lookup } from 'node:dns/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { X509Certificate } from 'node:crypto';
import { derObjectsFrom } from '../util/pem.js';
import { isIpLiteral, isNonPublicAddress, isNonPublicHost } from './address.js';
import { FetchError } from './fetcher.js';

/** Limits and trust for `conditionalGet`. */
export interface HttpsGetOptions {
  /**
   * Root certificates (PEM or DER) the server's TLS certificate must chain to, instead of Node's
   * bundled roots. Default: Node's roots.
   */
  readonly ca?: readonly (string | Uint8Array)[];
  /** Allow plain `http:` URLs (and redirects to them): for tests and labs only. Default false. */
  readonly allowHttp?: boolean;
  /** Allow loopback, private and other non-public addresses (see net/address.ts). Default false. */
  readonly allowPrivateNetwork?: boolean;
  /** The whole exchange, redirects included. Default 15 000 ms. */
  readonly timeoutMs?: number;
  /** Largest accepted body. Default 16 MiB (the EU list of lists and national lists are a few MiB at most). */
  readonly maxBytes?: number;
  /** Redirects followed. Default 3. */
  readonly maxRedirects?: number;
}

/** Validators of the copy the caller holds, sent as If-None-Match / If-Modified-Since. */
export interface CacheValidators {
  readonly etag?: string | null;
  readonly lastModified?: string | null;
}

/** What a conditional GET got: a new body (200) or "not modified" (304), and the validators to send next time. */
export interface ConditionalGetResult {
  readonly status: 200 | 304;
  /** The URL that answered (after redirects). */
  readonly url: string;
  /** The body of a 200 answer. */
  readonly body?: Uint8Array;
  readonly etag: string | null;
  readonly lastModified: string | null;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GET `url` unless the copy described by `validators` is still current. Throws FetchError (code
 * ERR_FETCH) on a refused URL, a network or TLS failure (the TLS error code is in the message), a
 * timeout, a status other than 200/304, or a body over the limit.
 */
export async function conditionalGet(url: string, validators: CacheValidators = {}, o: HttpsGetOptions = {}): Promise<ConditionalGetResult> {
  const timeoutMs = o.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  const ca = o.ca?.length ? caPems(o.ca) : undefined;
  let current = url;
  for (let hop = 0; ; hop++) {
    const target = checkUrl(current, url, o);
    const connectTo = await connectAddress(target, url, o);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new FetchError(url, `no answer within ${timeoutMs} ms`);
    const res = await exchange(target, connectTo, validators, ca, remaining, o.maxBytes ?? 16 * 1024 * 1024, url, timeoutMs);
    if (REDIRECTS.has(res.status)) {
      if (hop >= (o.maxRedirects ?? 3)) throw new FetchError(url, `more than ${o.maxRedirects ?? 3} redirects`);
      if (!res.location) throw new FetchError(url, `HTTP ${res.status} without Location`);
      current = new URL(res.location, target).toString();
      continue;
    }
    if (res.status === 304) return { status: 304, url: current, etag: res.etag ?? validators.etag ?? null, lastModified: res.lastModified ?? validators.lastModified ?? null };
    if (res.status !== 200) throw new FetchError(url, `HTTP ${res.status}${current !== url ? ` from ${current}` : ''}`);
    return { status: 200, url: current, body: res.body!, etag: res.etag, lastModified: res.lastModified };
  }
}

function caPems(ca: readonly (string | Uint8Array)[]): string[] {
  const out: string[] = [];
  for (const c of ca) {
    const bytes = typeof c === 'string' ? new TextEncoder().encode(c) : c;
    for (const der of derObjectsFrom(bytes, ['CERTIFICATE'])) out.push(new X509Certificate(Buffer.from(der)).toString());
  }
  return out;
}

function checkUrl(u: string, original: string, o: HttpsGetOptions): URL {
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    throw new FetchError(original, `not a URL: ${u}`);
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && o.allowHttp) return parsed;
  const where = u === original ? '' : ` (redirected to ${u})`;
  throw new FetchError(original, parsed.protocol === 'http:' ? `plain http is refused${where}: trust material is fetched over https (allowHttp is for tests and labs)` : `scheme ${parsed.protocol} is not fetched${where}`);
}

/**
 * The address to connect to. Without allowPrivateNetwork a name is resolved here, every answer must be
 * public, and the connection goes to the address checked (the TLS identity is still the name), so a DNS
 * answer that changes between the check and the connection cannot move it to a private address.
 */
async function connectAddress(target: URL, original: string, o: HttpsGetOptions): Promise<string | undefined> {
  if (o.allowPrivateNetwork) return undefined;
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (isNonPublicHost(target.hostname)) throw new FetchError(original, `host ${target.hostname} is local or private; not fetched (allowPrivateNetwork is off)`);
  if (isIpLiteral(host)) return undefined;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host.replace(/\.$/, ''), { all: true, verbatim: true });
  } catch (e) {
    throw new FetchError(original, `cannot resolve ${host}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const bad = addresses.find((a) => isNonPublicAddress(a.address));
  if (bad) throw new FetchError(original, `host ${host} resolves to ${bad.address}, which is local or private; not fetched (allowPrivateNetwork is off)`);
  if (!addresses.length) throw new FetchError(original, `${host} has no address`);
  return addresses[0]!.address;
}

interface RawAnswer {
  readonly status: number;
  readonly location?: string;
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly body?: Uint8Array;
}

function exchange(target: URL, connectTo: string | undefined, validators: CacheValidators, ca: string[] | undefined, timeoutMs: number, maxBytes: number, original: string, totalMs: number): Promise<RawAnswer> {
  const headers: Record<string, string> = { accept: 'application/xml, text/xml, application/vnd.etsi.tsl+xml, */*;q=0.1', 'accept-encoding': 'identity' };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  const secure = target.protocol === 'https:';
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const options: https.RequestOptions = {
    method: 'GET',
    host: connectTo ?? host,
    port: target.port || (secure ? 443 : 80),
    path: `${target.pathname}${target.search}`,
    headers: { ...headers, host: target.host },
    agent: false,
    ...(secure ? { rejectUnauthorized: true, ...(isIpLiteral(host) ? {} : { servername: host }), ...(ca ? { ca } : {}) } : {}),
  };
  return new Promise<RawAnswer>((resolve, reject) => {
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      if (e instanceof FetchError) return reject(e);
      const err = e as NodeJS.ErrnoException;
      const tls = err.code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO|HOSTNAME|ERR_TLS/.test(err.code) ? 'TLS: ' : '';
      reject(new FetchError(original, `${tls}${err.message}${err.code && !err.message.includes(err.code) ? ` (${err.code})` : ''}`, { cause: e }));
    };
    const timer = setTimeout(() => fail(new FetchError(original, `no answer within ${totalMs} ms`)), timeoutMs);
    const req = (secure ? https : http).request(options, (res) => {
      const status = res.statusCode ?? 0;
      const one = (h: string | string[] | undefined) => (Array.isArray(h) ? (h[0] ?? null) : (h ?? null));
      const meta = { status, etag: one(res.headers.etag), lastModified: one(res.headers['last-modified']), ...(res.headers.location ? { location: res.headers.location } : {}) };
      if (status !== 200) {
        res.resume();
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(meta);
        });
        res.on('error', fail);
        return;
      }
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (declared > maxBytes) return fail(new FetchError(original, `response of ${declared} bytes exceeds the ${maxBytes}-byte limit`));
      const parts: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes) return fail(new FetchError(original, `response exceeds the ${maxBytes}-byte limit`));
        parts.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...meta, body: new Uint8Array(Buffer.concat(parts)) });
      });
    });
    req.on('error', fail);
    req.end();
  });
}
