// Online revocation against real servers on 127.0.0.1, started here:
//  - an OCSP responder whose answers are made by `openssl ocsp -index … -reqin … -respout …`
//    (an independent implementation; the HTTP side is node:http so that nothing listens beyond
//    127.0.0.1 — `openssl ocsp -port` binds every interface);
//  - a node:http server for the CRL distribution point, plus slow/oversized/forged endpoints.
// Certificates kz-signer-aia(-revoked) name http://ocsp.kz.test/ and http://crl.kz.test/kz-ca.crl;
// the caller-supplied fetcher routes those hosts to the local ports, as a proxy would.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { Fetcher, FetchError, type FetchFunction } from '../src/net/fetcher.js';
import { loadCertificates } from '../src/validation/options.js';
import { FIXTURES, fixture } from './helpers/fixtures.js';

const run = promisify(execFile);
const servers: Server[] = [];
let dir: string;
let ocspPort = 0;
let crlPort = 0;
let forgedPort = 0;
let deadPort = 0;
const hits = { ocsp: 0, crl: 0, forged: 0, slow: 0 };

function listen(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const s = createServer(handler);
  servers.push(s);
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
}

function body(req: import('node:http').IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** openssl index.txt line: status, expiry (YYMMDDHHMMSSZ), revocation, serial, file, subject. */
function indexLine(file: string, revokedAt?: string): string {
  const c = loadCertificates(fixture(file))[0]!;
  const t = (d: Date) => d.toISOString().replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*$/, '$1$2$3$4$5$6Z');
  const subject = '/' + c.subject.text.split(', ').reverse().join('/');
  return [revokedAt ? 'R' : 'V', t(c.notAfter), revokedAt ? `${t(new Date(revokedAt))},keyCompromise` : '', c.serialNumberHex.toUpperCase(), 'unknown', subject].join('\t');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ots-ocsp-'));
  writeFileSync(
    join(dir, 'index.txt'),
    [indexLine('ltv/pki/kz-signer-aia.pem'), indexLine('ltv/pki/kz-signer-aia-revoked.pem', '2026-02-01T00:00:00Z'), indexLine('pki/kz-signer.pem')].join('\n') + '\n',
  );
  let n = 0;
  ocspPort = await listen(async (req, res) => {
    hits.ocsp++;
    const reqFile = join(dir, `req-${++n}.der`);
    const respFile = join(dir, `resp-${n}.der`);
    writeFileSync(reqFile, await body(req));
    try {
      await run('openssl', [
        'ocsp',
        '-index', join(dir, 'index.txt'),
        '-rsigner', join(FIXTURES, 'ltv/pki/kz-ocsp.pem'),
        '-rkey', join(FIXTURES, 'keys/kz-ocsp.key.pem'),
        '-CA', join(FIXTURES, 'pki/kz-ca.pem'),
        '-nmin', '60',
        '-reqin', reqFile,
        '-respout', respFile,
      ]);
      res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(readFileSync(respFile));
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  crlPort = await listen((req, res) => {
    if (req.url === '/kz-ca.crl') {
      hits.crl++;
      res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(fixture('ltv/crl/kz-ca-aia.crl'));
    } else if (req.url === '/kz-ca.cer') {
      res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(fixture('pki/kz-ca.pem'));
    } else if (req.url === '/big') {
      res.writeHead(200);
      res.end(Buffer.alloc(2 * 1024 * 1024, 0x30));
    } else if (req.url === '/slow') {
      hits.slow++; // never answers; closed in afterAll
    } else res.writeHead(404).end();
  });
  forgedPort = await listen(async (req, res) => {
    hits.forged++;
    await body(req);
    res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(fixture('ltv/ocsp/kz-signer-aia-revoked-forged-good.der'));
  });
  // A port with nothing listening: bind, note, close.
  deadPort = await listen(() => undefined);
  await new Promise((r) => servers.pop()!.close(r));
});

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Routes the certificates' hosts to local ports (what a caller's proxy-aware fetch would do). */
function routed(ports: { ocsp?: number; crl?: number; crlPath?: string }): FetchFunction {
  return (url, init) => {
    const u = new URL(url);
    const port = u.hostname === 'ocsp.kz.test' ? ports.ocsp : u.hostname === 'crl.kz.test' ? ports.crl : undefined;
    const target = port ? `http://127.0.0.1:${port}${u.hostname === 'crl.kz.test' && ports.crlPath ? ports.crlPath : u.pathname}` : url;
    return fetch(target, init as RequestInit) as unknown as ReturnType<FetchFunction>;
  };
}

/**
 * This test's DNS: the fixture URLs' names (ocsp.kz.test, crl.kz.test) "resolve" to a public address, so the Fetcher's address guard lets them through without a real DNS query (tests stay on loopback);
 * `routed` then delivers them to the local servers.
 */
const testDns = async (host: string) => (host.endsWith('.kz.test') ? ['93.184.216.34'] : Promise.reject(new Error(`${host}: not in the test DNS`)));

async function check(sample: 'aia-good' | 'aia-revoked' | 'aia-no-chain', fetch?: FetchFunction | Fetcher, extra: { fetchLimits?: { timeoutMs?: number } } = {}) {
  const fetcher = typeof fetch === 'function' ? new Fetcher({ fetch, resolve: testDns, ...extra.fetchLimits }) : fetch;
  // kz-root's ARL: kz-ca's status (kz-ca names no OCSP responder or CRL location), required by the default policy.
  const r = await verify(fixture(`ltv/${sample}.p7s`), { trustAnchors: [fixture('pki/kz-root.pem')], crls: [fixture('crl/current/kz-root.crl')], fetcher, ...extra });
  return r.signatures[0]!;
}

describe('online revocation (opt-in) against local OCSP / CRL servers', () => {
  it('offline by default: no request is made; the status is unknown, which the default policy does not accept (TRY_LATER)', async () => {
    const before = { ...hits };
    const s = await check('aia-good');
    expect(hits).toEqual(before);
    expect(s.revocation[0]!.status).toBe('unknown');
    expect(s).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  });

  it('OCSP from the AIA, answered by openssl: good → TOTAL-PASSED, reported as fetched OCSP', async () => {
    const before = hits.ocsp;
    const s = await check('aia-good', routed({ ocsp: ocspPort, crl: crlPort }));
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(s.revocation[0]).toMatchObject({ status: 'good', kind: 'ocsp', origin: 'fetched' });
    expect(hits.ocsp).toBe(before + 1);
  });

  it('openssl says revoked → INDETERMINATE/REVOKED_NO_POE with the responder revocation time', async () => {
    const s = await check('aia-revoked', routed({ ocsp: ocspPort, crl: crlPort }));
    expect(s.subIndication).toBe('REVOKED_NO_POE');
    expect(s.revocation[0]).toMatchObject({ status: 'revoked', kind: 'ocsp', origin: 'fetched', revocationTime: '2026-02-01T00:00:00.000Z' });
  });

  it('OCSP responder down, CRL distribution point up → the CRL answers', async () => {
    const good = await check('aia-good', routed({ ocsp: deadPort, crl: crlPort }));
    expect(good.indication).toBe('TOTAL-PASSED');
    expect(good.revocation[0]).toMatchObject({ status: 'good', kind: 'crl', origin: 'fetched' });
    const bad = await check('aia-revoked', routed({ ocsp: deadPort, crl: crlPort }));
    expect(bad.subIndication).toBe('REVOKED_NO_POE');
    expect(bad.revocation[0]).toMatchObject({ kind: 'crl', origin: 'fetched' });
  });

  it('everything down → INDETERMINATE/TRY_LATER, never a pass', async () => {
    const s = await check('aia-good', routed({ ocsp: deadPort, crl: deadPort }));
    expect(s.indication).toBe('INDETERMINATE');
    expect(s.subIndication).toBe('TRY_LATER');
    expect(s.checks.find((c) => c.id === 'xcv.revocation')?.detail).toMatch(/online revocation data unavailable/);
  });

  it('a forged OCSP "good" from the network never overrides the genuine CRL revocation', async () => {
    const s = await check('aia-revoked', routed({ ocsp: forgedPort, crl: crlPort }));
    expect(hits.forged).toBeGreaterThan(0);
    expect(s.subIndication).toBe('REVOKED_NO_POE');
    expect(s.revocation[0]).toMatchObject({ status: 'revoked', kind: 'crl' });
  });

  it('a forged OCSP "good" with the CRL unreachable → TRY_LATER, not a pass', async () => {
    const s = await check('aia-revoked', routed({ ocsp: forgedPort, crl: deadPort }));
    expect(s.indication).toBe('INDETERMINATE');
    expect(s.subIndication).toBe('TRY_LATER');
    expect(s.checks.find((c) => c.id === 'xcv.revocation')?.detail).toMatch(/not issued by CN=KZ Test Issuing CA/);
  });

  it('a responder that never answers is cut off by the timeout → TRY_LATER', async () => {
    const started = Date.now();
    const s = await check('aia-good', routed({ ocsp: crlPort, crl: crlPort, crlPath: '/slow' }), { fetchLimits: { timeoutMs: 400 } });
    expect(s.subIndication).toBe('TRY_LATER');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(hits.slow).toBeGreaterThan(0);
  });

  it('a caller-configured Fetcher caches: the second validation asks the responder no more', async () => {
    const f = new Fetcher({ fetch: routed({ ocsp: ocspPort, crl: crlPort }), resolve: testDns });
    await check('aia-good', f);
    const after = hits.ocsp;
    const s = await check('aia-good', f);
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(hits.ocsp).toBe(after);
    expect(f.log.filter((l) => l.startsWith('POST http://ocsp.kz.test/'))).toHaveLength(1);
  });
});

describe('AIA caIssuers', () => {
  it('offline, a signature without its intermediate has no chain', async () => {
    const s = await check('aia-no-chain');
    expect(s.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });

  it('online, the missing issuer is fetched from the AIA and the path validates', async () => {
    const s = await check('aia-no-chain', routed({ ocsp: ocspPort, crl: crlPort }));
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(s.chain.map((c) => c.subject)).toHaveLength(3);
    expect(s.warnings.join('\n')).toMatch(/fetched issuer certificate CN=KZ Test Issuing CA.* from http:\/\/crl.kz.test\/kz-ca.cer/);
  });
});

describe('Fetcher limits', () => {
  it('refuses a response larger than maxBytes', async () => {
    const f = new Fetcher({ fetch: routed({}), maxBytes: 64 * 1024, allowPrivateNetwork: true });
    await expect(f.get(`http://127.0.0.1:${crlPort}/big`, '*/*')).rejects.toThrow(FetchError);
    await expect(f.get(`http://127.0.0.1:${crlPort}/big`, '*/*')).rejects.toMatchObject({ code: 'ERR_FETCH', message: expect.stringMatching(/limit/) });
  });

  it('refuses non-HTTP schemes and reports HTTP errors', async () => {
    const f = new Fetcher({ fetch: routed({}), allowPrivateNetwork: true });
    await expect(f.get('file:///etc/passwd', '*/*')).rejects.toMatchObject({ code: 'ERR_FETCH' });
    await expect(f.get(`http://127.0.0.1:${crlPort}/missing`, '*/*')).rejects.toThrow(/HTTP 404/);
  });
});

describe('Fetcher and untrusted URLs', () => {
  it('refuses loopback, private and link-local hosts by default (URLs come from certificates)', async () => {
    const before = hits.crl;
    const f = new Fetcher({ fetch: routed({}), resolve: testDns });
    for (const u of [`http://127.0.0.1:${crlPort}/kz-ca.crl`, 'http://localhost/x', 'http://169.254.169.254/latest', 'http://10.1.2.3/', 'http://[::1]/', 'http://192.168.0.1/']) {
      await expect(f.get(u, '*/*')).rejects.toThrow(/local or private/);
    }
    expect(hits.crl).toBe(before);
  });
});
