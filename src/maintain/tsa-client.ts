/**
 * An RFC 3161 time-stamping client over HTTP (RFC 3161 3.4: POST application/timestamp-query), for
 * XAdES-T trusted lists. Network is used only when the operator names a TSA (`trust-list sign --tsa URL`).
 * The URL is the operator's choice, not read from untrusted input, so private and loopback addresses are
 * allowed (an in-house TSA); time and size stay bounded by the Fetcher.
 */
import { Fetcher, type FetchFunction } from '../net/fetcher.js';
import { acceptTimestampResponse, createTimestampRequest } from '../tsp/request.js';

/** Time-stamps `data`: returns the DER of an RFC 3161 TimeStampToken whose imprint is SHA-256 over exactly `data`. */
export type Timestamper = (data: Uint8Array) => Promise<Uint8Array>;

/** How the HTTP time-stamping client reaches its TSA. */
export interface HttpTimestamperOptions {
  /** Transport (default `globalThis.fetch`). */
  readonly fetch?: FetchFunction;
  /** Per request, default 10 000 ms. */
  readonly timeoutMs?: number;
}

/**
 * A Timestamper asking the TSA at `url` (http or https). Each answer is checked against its request
 * (granted, SHA-256 imprint over the data, nonce) before it is returned: a TSA that stamps other bytes is
 * refused with TimestampResponseError, never embedded.
 */
export function httpTimestamper(url: string, options: HttpTimestamperOptions = {}): Timestamper {
  const fetcher = new Fetcher({
    ...(options.fetch ? { fetch: options.fetch } : {}),
    timeoutMs: options.timeoutMs ?? 10_000,
    maxBytes: 256 * 1024,
    allowPrivateNetwork: true,
    cacheEntries: 1,
    cacheTtlMs: 0,
  });
  return async (data) => {
    const request = await createTimestampRequest(data);
    const response = await fetcher.post(url, request.der, 'application/timestamp-query', 'application/timestamp-reply');
    return acceptTimestampResponse(response, request).der;
  };
}
