/**
 * Online trusted lists (src/trust/online.ts over src/net/https-get.ts) against a real https server on
 * 127.0.0.1 whose certificate comes from the TEST TLS root (fixtures/tls): the client trusts that root
 * through the `ca` option only. Lists are the pilot lists, re-signed here with the TEST operator keys
 * where a test changes them.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { conditionalGet } from '../src/net/https-get.js';
import { OnlineTrustLists, type OnlineTrustListsOptions } from '../src/trust/online.js';
import { fixture } from './helpers/fixtures.js';
import { bumpSequence, ListServer, lotlPointingTo, pilotList, selfPointerAnnounces, signedList, TLS_CA, withSchemeUri } from './helpers/list-server.js';

const LOTL_PIN = () => fixture('pki/ots-lotl-operator.pem');
const NATIONAL = ['az-tl.xml', 'kz-tl.xml', 'kg-tl.xml', 'tr-tl.xml', 'uz-tl.xml'];

let server: ListServer;
let lotl: string;

beforeAll(async () => {
  server = await new ListServer().start();
  lotl = await lotlPointingTo(server.url);
});
afterAll(() => server.close());

beforeEach(() => {
  server.seen.length = 0;
  server.serve('/ots-lotl.xml', lotl);
  for (const f of NATIONAL) server.serve(`/${f}`, pilotList(f));
});

const online = (o: Partial<OnlineTrustListsOptions> = {}) =>
  new OnlineTrustLists({
    sources: [{ url: `${server.url}/ots-lotl.xml`, signingCertificates: [LOTL_PIN()] }],
    http: { ca: [TLS_CA()], allowPrivateNetwork: true, timeoutMs: 3000 },
    ...o,
  });
const kzState = (o: OnlineTrustLists) => o.states.find((s) => s.url.endsWith('/kz-tl.xml'))!;

describe('online trusted lists over https on loopback', () => {
  it('first load: the list of lists verified with the pinned signer, its pointers followed one level, every list verified', async () => {
    const o = online();
    const r = await o.refresh();
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    const states = o.states;
    expect(states.map((s) => s.url.replace(server.url, ''))).toEqual(['/ots-lotl.xml', ...NATIONAL.map((f) => `/${f}`)]);
    for (const s of states) {
      expect(s.inUse, s.url).toBe(true);
      expect(s.signature).toBe('VALID');
      expect(s.etag).toMatch(/^"[0-9a-f]{16}"$/);
      expect(s.lastRefresh?.result).toBe('updated');
    }
    expect(kzState(o)).toMatchObject({ origin: 'pointer', pointedBy: `${server.url}/ots-lotl.xml`, territory: 'KZ', sequenceNumber: 4 });
    // The LOTL's pointer to itself is not fetched a second time.
    expect(server.requests('/ots-lotl.xml')).toHaveLength(1);
    const set = await o.trustSet();
    expect(set.lists.every((l) => l.usable)).toBe(true);
    expect(set.lists.find((l) => l.list.scheme.territory === 'KZ')!.via?.id).toBe(set.lists[0]!.list.id);
  });

  it('a second refresh is a conditional GET: the server sees If-None-Match and answers 304, the copy is reused', async () => {
    const o = online();
    await o.refresh();
    const first = kzState(o);
    server.seen.length = 0;
    const r = await o.refresh();
    expect(r).toMatchObject({ ok: true, changed: false });
    const kzReq = server.requests('/kz-tl.xml');
    expect(kzReq).toHaveLength(1);
    expect(kzReq[0]!.headers['if-none-match']).toBe(first.etag);
    expect(kzReq[0]!.headers['if-modified-since']).toBe('Wed, 01 Apr 2026 00:00:00 GMT');
    expect(kzState(o)).toMatchObject({ sha256: first.sha256, etag: first.etag, lastRefresh: { result: 'not-modified' } });
  });

  it('a changed list is picked up on refresh', async () => {
    const o = online();
    await o.refresh();
    server.serve('/kz-tl.xml', await signedList('kz-tl.xml', 'kz-tl-operator', bumpSequence(5)));
    const r = await o.refresh();
    expect(r).toMatchObject({ ok: true, changed: true });
    expect(kzState(o)).toMatchObject({ sequenceNumber: 5, signature: 'VALID', lastRefresh: { result: 'updated' } });
    expect((await o.trustSet()).lists.find((l) => l.list.scheme.territory === 'KZ')!.list.scheme.sequenceNumber).toBe(5);
  });

  it('a tampered list (signature no longer matches) is refused, the last good copy stays in use and the state says why', async () => {
    const o = online();
    await o.refresh();
    const good = kzState(o);
    server.serve('/kz-tl.xml', pilotList('kz-tl.xml').replace('KZ Test Root CA', 'KZ Evil Root CA'));
    const r = await o.refresh();
    expect(r.ok).toBe(false);
    expect(r.errors.join('\n')).toMatch(/kz-tl\.xml: refused: signature/);
    const s = kzState(o);
    expect(s).toMatchObject({ inUse: true, sha256: good.sha256, sequenceNumber: 4, signature: 'VALID' });
    expect(s.lastRefresh).toMatchObject({ result: 'failed' });
    expect(s.lastRefresh!.error).toMatch(/refused: signature/);
    const set = await o.trustSet();
    expect(set.lists.find((l) => l.list.scheme.territory === 'KZ')!.sha256).toBe(good.sha256);
  });

  it('a national list signed by a key its pointer does not announce is refused (first load: not in use at all)', async () => {
    server.serve('/kz-tl.xml', await signedList('kz-tl.xml', 'tr-tl-operator', bumpSequence(9)));
    const o = online();
    const r = await o.refresh();
    expect(r.ok).toBe(false);
    const s = kzState(o);
    expect(s.inUse).toBe(false);
    expect(s.lastRefresh!.error).toMatch(/refused/);
    expect((await o.trustSet()).lists.some((l) => l.list.scheme.territory === 'KZ')).toBe(false);
  });

  it('a list of lists signed by a key other than the pinned one is refused and nothing it points to is fetched', async () => {
    server.serve('/ots-lotl.xml', await lotlPointingTo(server.url, 'kz-tl-operator'));
    const o = online();
    const r = await o.refresh();
    expect(r.ok).toBe(false);
    expect(o.states).toHaveLength(1);
    expect(o.states[0]).toMatchObject({ inUse: false, lastRefresh: { result: 'failed' } });
    expect(server.requests('/kz-tl.xml')).toHaveLength(0);
    expect(o.inputs).toEqual([]);
  });

  it('an older issue validly signed (a replay) does not replace a newer one', async () => {
    server.serve('/kz-tl.xml', await signedList('kz-tl.xml', 'kz-tl-operator', bumpSequence(6)));
    const o = online();
    await o.refresh();
    expect(kzState(o).sequenceNumber).toBe(6);
    server.serve('/kz-tl.xml', pilotList('kz-tl.xml'));
    const r = await o.refresh();
    expect(r.ok).toBe(false);
    expect(kzState(o)).toMatchObject({ sequenceNumber: 6, lastRefresh: { result: 'failed' } });
    expect(kzState(o).lastRefresh!.error).toMatch(/sequence number 4 is lower than the 6 in use/);
  });

  it('a server error or a timeout keeps the last good copy and is reported', async () => {
    const o = online({ http: { ca: [TLS_CA()], allowPrivateNetwork: true, timeoutMs: 400 } });
    await o.refresh();
    const good = kzState(o);
    server.fail('/kz-tl.xml', 503);
    server.hang('/az-tl.xml');
    const r = await o.refresh();
    expect(r.ok).toBe(false);
    expect(r.errors.find((e) => e.includes('/kz-tl.xml'))).toMatch(/HTTP 503/);
    expect(r.errors.find((e) => e.includes('/az-tl.xml'))).toMatch(/no answer within 400 ms/);
    expect(kzState(o)).toMatchObject({ inUse: true, sha256: good.sha256, fetchedAt: good.fetchedAt, lastRefresh: { result: 'failed' } });
    expect(o.states.find((s) => s.url.endsWith('/az-tl.xml'))).toMatchObject({ inUse: true, lastRefresh: { result: 'failed' } });
    expect((await o.trustSet()).lists.filter((l) => l.usable)).toHaveLength(6);
  });

  it('a TLS failure (the server certificate does not chain to the given CA) is reported, not ignored', async () => {
    const o = online({ http: { ca: [fixture('pki/kz-root.pem')], allowPrivateNetwork: true, timeoutMs: 3000 } });
    const r = await o.refresh();
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toMatch(/TLS: .*(unable to verify|self.signed|UNABLE_TO_VERIFY|local issuer)/i);
    expect(o.inputs).toEqual([]);
    // And without any CA option Node's own roots do not know the TEST root either.
    await expect(conditionalGet(`${server.url}/kz-tl.xml`, {}, { allowPrivateNetwork: true })).rejects.toThrow(/TLS/);
  });

  it('the cache folder keeps the last good copies: a new instance starts from them with a conditional GET', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ots-online-cache-'));
    await online({ cacheDir: dir }).refresh();
    expect(readdirSync(dir).filter((f) => f.endsWith('.xml'))).toHaveLength(6);
    server.seen.length = 0;
    const again = online({ cacheDir: dir });
    const r = await again.refresh();
    expect(r.ok).toBe(true);
    expect(server.requests('/kz-tl.xml')[0]!.headers['if-none-match']).toMatch(/^"/);
    expect(kzState(again).lastRefresh!.result).toBe('not-modified');
    // With the server down, the cached copies (verified again) are what is in use.
    server.fail('/ots-lotl.xml', 500);
    for (const f of NATIONAL) server.fail(`/${f}`, 500);
    const offline = online({ cacheDir: dir });
    const r2 = await offline.refresh();
    expect(r2.ok).toBe(false);
    expect(offline.states.every((s) => s.inUse)).toBe(true);
  });

  it('address and scheme rules: loopback refused unless allowed, plain http refused unless allowed, redirects bounded and kept on https', async () => {
    await expect(conditionalGet(`${server.url}/kz-tl.xml`, {}, { ca: [TLS_CA()] })).rejects.toThrow(/local or private/);
    await expect(conditionalGet('http://127.0.0.1:9/kz-tl.xml', {}, { allowPrivateNetwork: true })).rejects.toThrow(/plain http is refused/);
    expect(() => new OnlineTrustLists({ sources: [{ url: 'http://lists.example/lotl.xml' }] })).toThrow(/plain http is refused/);
    server.redirect('/moved.xml', '/kz-tl.xml');
    const moved = await conditionalGet(`${server.url}/moved.xml`, {}, { ca: [TLS_CA()], allowPrivateNetwork: true });
    expect(moved).toMatchObject({ status: 200, url: `${server.url}/kz-tl.xml` });
    server.redirect('/to-http.xml', 'http://127.0.0.1:9/kz-tl.xml');
    await expect(conditionalGet(`${server.url}/to-http.xml`, {}, { ca: [TLS_CA()], allowPrivateNetwork: true })).rejects.toThrow(/plain http is refused \(redirected to/);
    server.redirect('/loop.xml', '/loop.xml');
    await expect(conditionalGet(`${server.url}/loop.xml`, {}, { ca: [TLS_CA()], allowPrivateNetwork: true })).rejects.toThrow(/more than 3 redirects/);
    await expect(conditionalGet(`${server.url}/kz-tl.xml`, {}, { ca: [TLS_CA()], allowPrivateNetwork: true, maxBytes: 1000 })).rejects.toThrow(/exceeds the 1000-byte limit/);
  });

  describe('list of lists key rotation through pivots (EU LOTL practice)', () => {
    // The LOTL operator moves to a new key (the hu-tl-operator TEST key plays it): a pivot signed with the pinned
    // key announces the new one in its pointer to itself; the current LOTL is signed with the new key and names
    // the pivot in SchemeInformationURI.
    const rotated = async (pivotSigner: string) => {
      server.serve('/pivot-1.xml', await lotlPointingTo(server.url, pivotSigner, selfPointerAnnounces('hu-tl-operator')));
      server.serve('/ots-lotl.xml', await lotlPointingTo(server.url, 'hu-tl-operator', (x) => withSchemeUri(`${server.url}/pivot-1.xml`)(selfPointerAnnounces('hu-tl-operator')(x))));
    };

    it('a list of lists signed by a rotated key is accepted through a pivot signed by the pinned key', async () => {
      await rotated('ots-lotl-operator');
      const o = online();
      const r = await o.refresh();
      expect(r.errors).toEqual([]);
      expect(o.states[0]).toMatchObject({ inUse: true, signature: 'VALID', pivots: [`${server.url}/pivot-1.xml`] });
      expect(kzState(o).inUse).toBe(true);
      const set = await o.trustSet();
      expect(set.lists).toHaveLength(6);
      expect(set.lists.every((l) => l.usable)).toBe(true);
    });

    it('without the pivot, or with a pivot not signed by the pinned key, the rotated list of lists is refused', async () => {
      await rotated('kz-tl-operator');
      const o = online();
      const r = await o.refresh();
      expect(r.ok).toBe(false);
      expect(r.errors[0]).toMatch(/pivot .*pivot-1\.xml does not verify with the keys trusted so far/);
      expect(o.inputs).toEqual([]);
      expect(server.requests('/kz-tl.xml')).toHaveLength(0);
      server.serve('/ots-lotl.xml', await lotlPointingTo(server.url, 'hu-tl-operator', selfPointerAnnounces('hu-tl-operator')));
      const noPivot = online();
      expect((await noPivot.refresh()).ok).toBe(false);
      expect(noPivot.states[0]!.inUse).toBe(false);
    });
  });
});
