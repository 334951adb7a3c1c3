/**
 * The service with online trusted lists: `trustLists` given as https URLs on a real https server on
 * 127.0.0.1 (fixtures/tls TEST root given as trustListCa), the list of lists' operator pinned. A
 * refresh with a changed list swaps in a new snapshot; a tampered list or a server failure keeps the
 * last good set in force and shows in GET /v1/trust-lists and /metrics; a recognition still works on
 * the kept set.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/cli.js';
import { FIXTURES, FIXTURE_CRL_FILES, fixture } from './helpers/fixtures.js';
import { bumpSequence, ListServer, lotlPointingTo, pilotList, selfPointerAnnounces, signedList, withSchemeUri } from './helpers/list-server.js';
import { startTestService, type Running } from './helpers/service.js';
import { resolveConfig } from '../src/server/index.js';

const AT = '2026-06-01T00:00:00Z';
const NATIONAL = ['az-tl.xml', 'kz-tl.xml', 'kg-tl.xml', 'tr-tl.xml', 'uz-tl.xml'];

describe('ots-esig serve with online trusted lists (https on 127.0.0.1)', () => {
  let lists: ListServer;
  let svc: Running;
  const trustLists = async () => (await (await fetch(`${svc.url}/v1/trust-lists`)).json()) as any;
  const kz = (body: any) => body.lists.find((l: any) => l.territory === 'KZ');
  const verifyKz = async () => {
    const res = await fetch(`${svc.url}/v1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ signature: Buffer.from(fixture('cades/kz-attached.p7s')).toString('base64'), validationTime: AT }),
    });
    return ((await res.json()) as any).signatures[0];
  };

  beforeAll(async () => {
    ensureBuilt();
    lists = await new ListServer().start();
    lists.serve('/ots-lotl.xml', await lotlPointingTo(lists.url));
    for (const f of NATIONAL) lists.serve(`/${f}`, pilotList(f));
    svc = await startTestService({
      trustLists: [`${lists.url}/ots-lotl.xml`],
      listSigners: [join(FIXTURES, 'pki/ots-lotl-operator.pem')],
      onlineTrustLists: true,
      trustListCa: [join(FIXTURES, 'tls/test-root.pem')],
      trustListAllowPrivateNetwork: true,
      crls: [...FIXTURE_CRL_FILES.map((f) => join(FIXTURES, f)), join(FIXTURES, 'crl/kz-ca.crl')],
      relyingParty: 'TR',
    });
  });
  afterAll(async () => {
    await svc?.service.close();
    await lists?.close();
  });

  it('a URL in trustLists is refused without the onlineTrustLists opt-in', () => {
    expect(() => resolveConfig({ trustLists: ['https://lists.example/lotl.xml'] })).toThrow(/needs onlineTrustLists \(--online-lists\)/);
  });

  it('loads the list of lists and the lists it points to, each verified, and is ready', async () => {
    expect((await fetch(`${svc.url}/readyz`)).status).toBe(200);
    const body = await trustLists();
    expect(body.lists).toHaveLength(6);
    expect(body.lists.every((l: any) => l.signature === 'VALID' && l.usable)).toBe(true);
    expect(kz(body)).toMatchObject({ source: `${lists.url}/kz-tl.xml`, sequenceNumber: 4, etag: expect.stringMatching(/^"/), fetchedAt: expect.any(String), lastRefresh: { ok: true, result: 'updated' } });
    expect(body.online).toHaveLength(6);
    expect(await verifyKz()).toMatchObject({ indication: 'TOTAL-PASSED', recognition: { status: 'RECOGNIZED' } });
  });

  it('a refresh with a changed list swaps in a new snapshot (the unchanged lists answered 304)', async () => {
    const before = await trustLists();
    lists.seen.length = 0;
    lists.serve('/kz-tl.xml', await signedList('kz-tl.xml', 'kz-tl-operator', bumpSequence(5)));
    const r = await svc.service.trust.refresh();
    expect(r).toMatchObject({ ok: true, changed: true });
    expect(r.snapshotId).not.toBe(before.snapshot.id);
    expect(lists.requests('/az-tl.xml')[0]!.headers['if-none-match']).toMatch(/^"/);
    const after = await trustLists();
    expect(kz(after)).toMatchObject({ sequenceNumber: 5, lastRefresh: { result: 'updated' } });
    expect(after.lists.find((l: any) => l.territory === 'AZ').lastRefresh.result).toBe('not-modified');
  });

  it('a tampered list and a failing server keep the last good set, shown in /v1/trust-lists and /metrics', async () => {
    const before = await trustLists();
    lists.serve('/kz-tl.xml', pilotList('kz-tl.xml').replace('KZ Test Root CA', 'KZ Evil Root CA'));
    lists.fail('/tr-tl.xml', 500);
    const r = await svc.service.trust.refresh();
    expect(r.ok).toBe(false);
    expect(r.snapshotId).toBe(before.snapshot.id);
    expect(r.error).toMatch(/kz-tl\.xml: refused: signature/);
    expect(r.error).toMatch(/tr-tl\.xml: HTTP 500/);
    const body = await trustLists();
    expect(body.snapshot.id).toBe(before.snapshot.id);
    expect(body.lastRefresh).toMatchObject({ ok: false });
    expect(kz(body)).toMatchObject({ sequenceNumber: 5, signature: 'VALID', lastRefresh: { ok: false, result: 'failed', error: expect.stringMatching(/refused: signature/) } });
    expect(body.online.find((o: any) => o.url.endsWith('/tr-tl.xml'))).toMatchObject({ inUse: true, refreshFailures: 1, lastRefresh: { result: 'failed', error: 'HTTP 500' } });
    expect(body.lists.find((l: any) => l.territory === 'AZ').lastRefresh.ok).toBe(true);
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`ots_esig_trust_list_refresh_failures\\{url="${lists.url.replaceAll('.', '\\.')}/kz-tl\\.xml"\\} 1`));
    expect(metrics).toMatch(/ots_esig_trust_last_refresh_ok 0/);
    expect(metrics).toMatch(/ots_esig_trust_list_fetch_age_seconds\{url="[^"]*kz-tl\.xml"\} \d/);
    // The kept set still recognizes: the tampered copy never reached a worker.
    expect(await verifyKz()).toMatchObject({ indication: 'TOTAL-PASSED', recognition: { status: 'RECOGNIZED' } });
    expect((await fetch(`${svc.url}/readyz`)).status).toBe(200);
  });

  it('a list of lists re-signed with a rotated key is taken through its pivot, and the workers verify it the same way', async () => {
    lists.serve('/kz-tl.xml', await signedList('kz-tl.xml', 'kz-tl-operator', bumpSequence(5)));
    lists.fail('/tr-tl.xml', 500);
    lists.serve('/tr-tl.xml', pilotList('tr-tl.xml'));
    lists.serve('/pivot-1.xml', await lotlPointingTo(lists.url, 'ots-lotl-operator', selfPointerAnnounces('hu-tl-operator')));
    lists.serve('/ots-lotl.xml', await lotlPointingTo(lists.url, 'hu-tl-operator', (x) => withSchemeUri(`${lists.url}/pivot-1.xml`)(selfPointerAnnounces('hu-tl-operator')(x))));
    const r = await svc.service.trust.refresh();
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ ok: true, changed: true });
    const body = await trustLists();
    expect(body.online[0]).toMatchObject({ url: `${lists.url}/ots-lotl.xml`, pivots: [`${lists.url}/pivot-1.xml`], inUse: true });
    expect(body.lists.every((l: any) => l.usable)).toBe(true);
    expect(await verifyKz()).toMatchObject({ indication: 'TOTAL-PASSED', recognition: { status: 'RECOGNIZED' } });
  });
});
