/**
 * The fetcher a collection's facts carry: every answer (and every failure) to a request is kept for
 * as long as the facts live, so evaluating the same facts again (another policy, relying party or
 * validation time) replays what was fetched instead of asking the network again. The underlying
 * Fetcher still applies its own limits, address guard and cache to the first request.
 */
import { Fetcher } from '../net/fetcher.js';

export class RecordedFetcher extends Fetcher {
  private readonly inner: Fetcher;
  private readonly answers = new Map<string, Promise<Uint8Array>>();

  constructor(inner: Fetcher) {
    // The base class is only the type: every request goes to `inner`.
    super({ fetch: () => Promise.reject(new Error('RecordedFetcher delegates every request')), resolve: async () => [] });
    this.inner = inner;
  }

  override get(url: string, accept: string): Promise<Uint8Array> {
    return this.once(`GET ${url} ${accept}`, () => this.inner.get(url, accept));
  }

  override post(url: string, body: Uint8Array, contentType: string, accept: string): Promise<Uint8Array> {
    let key = `POST ${url} ${contentType} ${accept} `;
    for (const b of body) key += b.toString(16).padStart(2, '0');
    return this.once(key, () => this.inner.post(url, body, contentType, accept));
  }

  private once(key: string, load: () => Promise<Uint8Array>): Promise<Uint8Array> {
    let p = this.answers.get(key);
    if (!p) {
      p = load();
      this.answers.set(key, p);
    }
    return p;
  }
}
