/**
 * A real https server on 127.0.0.1 (ephemeral port) serving trusted lists for the online-list tests,
 * with the TEST TLS certificate of fixtures/tls (gen-tls.ts). It answers conditional GETs (ETag is
 * the SHA-256 of the body), records every request's headers, and can be told to fail (status),
 * hang (timeout) or redirect a path. Lists are made here with the pilot operators' TEST keys.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pemKeySigner } from '../../src/cli/key-signer.js';
import { signTrustListXml } from '../../src/maintain/sign-list.js';
import { ROOT } from './cli.js';
import { fixture } from './fixtures.js';

export interface SeenRequest {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

type Behaviour = { kind: 'serve'; body: Uint8Array } | { kind: 'status'; status: number } | { kind: 'hang' } | { kind: 'redirect'; location: string };

export class ListServer {
  readonly seen: SeenRequest[] = [];
  readonly #paths = new Map<string, Behaviour>();
  #server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.#server = createServer({ key: Buffer.from(fixture('keys/tls-test-server.key.pem')), cert: Buffer.from(fixture('tls/server.pem')) }, (req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      this.seen.push({ path, headers: { ...req.headers } });
      const b = this.#paths.get(path);
      if (!b) return void res.writeHead(404).end();
      if (b.kind === 'hang') return; // never answers: the client's time limit must end it
      if (b.kind === 'status') return void res.writeHead(b.status).end('failure');
      if (b.kind === 'redirect') return void res.writeHead(302, { location: b.location }).end();
      const etag = `"${createHash('sha256').update(b.body).digest('hex').slice(0, 16)}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': 'application/xml', etag, 'last-modified': 'Wed, 01 Apr 2026 00:00:00 GMT' }).end(Buffer.from(b.body));
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  serve(path: string, body: Uint8Array | string): void {
    this.#paths.set(path, { kind: 'serve', body: typeof body === 'string' ? new TextEncoder().encode(body) : body });
  }
  fail(path: string, status: number): void {
    this.#paths.set(path, { kind: 'status', status });
  }
  hang(path: string): void {
    this.#paths.set(path, { kind: 'hang' });
  }
  redirect(path: string, location: string): void {
    this.#paths.set(path, { kind: 'redirect', location });
  }
  requests(path: string): SeenRequest[] {
    return this.seen.filter((r) => r.path === path);
  }

  close(): Promise<void> {
    this.#server?.closeAllConnections();
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

/** The TEST TLS root that issued the server's certificate. */
export const TLS_CA = (): Uint8Array => fixture('tls/test-root.pem');

export const pilotList = (file: string): string => readFileSync(join(ROOT, 'trust-lists', file), 'utf8');
const unsigned = (xml: string): string => xml.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');

/** A pilot list's unsigned XML, changed by `edit`, signed with operator `signer`'s TEST key (e.g. `kz-tl-operator`). */
export async function signedList(file: string, signer: string, edit: (xml: string) => string = (x) => x): Promise<string> {
  const s = pemKeySigner(fixture(`keys/${signer}.key.pem`), fixture(`pki/${signer}.pem`));
  return signTrustListXml(edit(unsigned(pilotList(file))), s, { signingTime: new Date('2026-04-01T00:00:00Z') });
}

/** The pilot list of lists with its pointers moved to `base` (the loopback server), signed by the LOTL operator. */
export function lotlPointingTo(base: string, signer = 'ots-lotl-operator', edit: (xml: string) => string = (x) => x): Promise<string> {
  return signedList('ots-lotl.xml', signer, (x) => edit(x.replaceAll('https://ots-esig.invalid/pilot/', `${base}/`)));
}

export const bumpSequence = (to: number) => (xml: string): string => xml.replace(/<TSLSequenceNumber>\d+<\/TSLSequenceNumber>/, `<TSLSequenceNumber>${to}</TSLSequenceNumber>`);

/** A certificate's base64 DER (one line), as lists carry it in X509Certificate. */
export const certB64 = (name: string): string => new TextDecoder().decode(fixture(`pki/${name}.pem`)).replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

/** The list of lists' pointer to itself announces `signer`'s certificate instead of the LOTL operator's (a key rotation). */
export const selfPointerAnnounces = (signer: string) => (xml: string): string => xml.replaceAll(certB64('ots-lotl-operator'), certB64(signer));

/** Adds a SchemeInformationURI entry (where the EU LOTL names its pivots). */
export const withSchemeUri = (uri: string) => (xml: string): string => xml.replace('<SchemeInformationURI>', `<SchemeInformationURI><URI xml:lang="en">${uri}</URI>`);
