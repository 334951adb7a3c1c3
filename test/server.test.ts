import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, ensureBuilt } from './helpers/cli.js';
import { fixture, fixtureCrlArgs } from './helpers/fixtures.js';
import { pilotTrustConfig, spawnServe, startTestService, type Running } from './helpers/service.js';

const AT = '2026-06-01T00:00:00Z';
const b64 = (rel: string) => Buffer.from(fixture(rel)).toString('base64');

/** Polls a condition every 20 ms (the test's own timeout bounds it). */
async function until(cond: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await cond())) await new Promise((r) => setTimeout(r, 20));
}

/** Whether a new TCP connection to the port is refused (nothing listens there any more). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

async function post(url: string, body: unknown, init: { raw?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

describe('ots-esig serve over HTTP on 127.0.0.1', () => {
  let svc: Running;
  let trustDir: string;

  beforeAll(async () => {
    ensureBuilt();
    const trust = pilotTrustConfig();
    trustDir = trust.dir;
    svc = await startTestService({ ...trust, bodyLimitBytes: 256 * 1024, workers: 2 });
  });
  afterAll(async () => {
    await svc?.service.close();
    rmSync(trustDir, { recursive: true, force: true });
  });

  it('binds to loopback by default and reports itself ready with the verified lists', async () => {
    expect(svc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${svc.url}/readyz`);
    expect(ready.status).toBe(200);
    const lists = (await (await fetch(`${svc.url}/v1/trust-lists`)).json()) as any;
    expect(lists.lists.map((l: any) => [l.id, l.signature, l.usable])).toEqual([
      ['OTS:LOTL', 'VALID', true],
      ['KZ:TL', 'VALID', true],
    ]);
    expect(lists.lists[1]).toMatchObject({ sequenceNumber: expect.any(Number), issueDate: expect.any(String), nextUpdate: expect.any(String), lastRefresh: { ok: true } });
  });

  it('POST /v1/verify (JSON) answers the report exactly as `verify --format json` prints it', async () => {
    const r = await post(`${svc.url}/v1/verify`, { signature: b64('cades/kz-attached.p7s'), validationTime: AT });
    expect(r.status).toBe(200);
    expect(r.json.signatures[0]).toMatchObject({ indication: 'TOTAL-PASSED', recognition: { status: 'RECOGNIZED', relyingParty: 'TR' } });
    const cli = execFileSync(
      process.execPath,
      [CLI, 'verify', 'fixtures/cades/kz-attached.p7s', '--format', 'json', '--at', AT, '--relying-party', 'TR',
        '--trust-list', join(trustDir, 'ots-lotl.xml'), '--trust-list', join(trustDir, 'kz-tl.xml'),
        '--list-signer', 'fixtures/pki/ots-lotl-operator.pem', ...fixtureCrlArgs(), '--crl', 'fixtures/crl/kz-ca.crl'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const strip = (rep: any) => JSON.parse(JSON.stringify(rep).replace(/"(name|source)":"[^"]*ots-lotl\.xml"/g, '"$1":"L"').replace(/"(name|source)":"[^"]*kz-tl\.xml"/g, '"$1":"K"'));
    expect(strip(r.json)).toEqual(strip(JSON.parse(cli)));
  });

  it('judges bad signatures as such (no false accept through the service)', async () => {
    const bad = await post(`${svc.url}/v1/verify`, { signature: b64('cades/kz-bad-signature.p7s'), validationTime: AT });
    expect(bad.status).toBe(200);
    expect(bad.json.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'SIG_CRYPTO_FAILURE', recognition: { status: 'INVALID' } });
    const revoked = await post(`${svc.url}/v1/verify`, { signature: b64('cades/kz-revoked.p7s'), validationTime: AT });
    expect(revoked.json.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE' });
    // A detached signature without its document is not TOTAL-PASSED.
    const noDoc = await post(`${svc.url}/v1/verify`, { signature: b64('cades/kz-detached.p7s'), validationTime: AT });
    expect(noDoc.json.signatures[0].indication).not.toBe('TOTAL-PASSED');
  });

  it('takes detached documents in JSON and as multipart files, and XAdES', async () => {
    const json = await post(`${svc.url}/v1/verify`, { signature: b64('cades/kz-detached.p7s'), documents: [{ content: b64('content/document.txt') }], validationTime: AT });
    expect(json.json.signatures[0].indication).toBe('TOTAL-PASSED');
    const form = new FormData();
    form.append('signature', new Blob([Buffer.from(fixture('xades/kz-detached-b.xml'))]), 'sig.xml');
    form.append('document', new Blob([Buffer.from(fixture('content/document.txt'))]), 'document.txt');
    form.append('validationTime', AT);
    const mp = await fetch(`${svc.url}/v1/verify`, { method: 'POST', body: form });
    expect(mp.status).toBe(200);
    const rep = (await mp.json()) as any;
    expect(rep.signatures[0]).toMatchObject({ format: 'XAdES', indication: 'TOTAL-PASSED', recognition: { status: 'RECOGNIZED' } });
    // The same XAdES with other bytes under the document's name fails.
    const wrong = new FormData();
    wrong.append('signature', new Blob([Buffer.from(fixture('xades/kz-detached-b.xml'))]), 'sig.xml');
    wrong.append('document', new Blob([Buffer.from('not the signed text')]), 'document.txt');
    wrong.append('validationTime', AT);
    const w = (await (await fetch(`${svc.url}/v1/verify`, { method: 'POST', body: wrong })).json()) as any;
    expect(w.signatures[0].indication).toBe('TOTAL-FAILED');
  });

  it('?format=etsi-xml answers the TS 119 102-2 report', async () => {
    const r = await post(`${svc.url}/v1/verify?format=etsi-xml`, { signature: b64('cades/kz-attached.p7s'), validationTime: AT });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/xml/);
    expect(r.text).toContain('<vr:MainIndication>urn:etsi:019102:mainindication:total-passed</vr:MainIndication>');
  });

  it('the DSS route answers a DataToValidateDTO with a WSReportsDTO (SimpleReport, recognition extension, ETSI XML)', async () => {
    const r = await post(`${svc.url}/services/rest/validation/validateSignature`, {
      signedDocument: { bytes: b64('cades/kz-detached.p7s'), digestAlgorithm: null, name: 'kz-detached.p7s' },
      originalDocuments: [{ bytes: b64('content/document.txt'), digestAlgorithm: null, name: 'document.txt' }],
      policy: null,
      signatureId: null,
      validationTime: AT,
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ diagnosticData: null, detailedReport: null });
    const simple = r.json.simpleReport;
    expect(simple).toMatchObject({ DocumentName: 'kz-detached.p7s', SignaturesCount: 1, ValidSignaturesCount: 1, ValidationTime: '2026-06-01T00:00:00.000Z' });
    const sig = simple.signatureOrTimestampOrEvidenceRecord[0].Signature;
    expect(sig).toMatchObject({
      Id: 'signerInfo[0]',
      Indication: 'TOTAL_PASSED',
      SubIndication: null,
      SignatureFormat: 'CAdES-BASELINE-B',
      SignedBy: expect.stringContaining('TEST'),
      BestSignatureTime: '2026-06-01T00:00:00.000Z',
      Errors: [],
      OtsRecognition: { status: 'RECOGNIZED', relyingParty: 'TR' },
    });
    expect(sig.CertificateChain.Certificate).toHaveLength(3);
    expect(Buffer.from(r.json.validationReportDataHandler, 'base64').toString('utf8')).toContain('mainindication:total-passed');

    const bad = await post(`${svc.url}/services/rest/validation/validateSignature`, { signedDocument: { bytes: b64('cades/kz-bad-signature.p7s'), name: 'x.p7s' }, validationTime: AT });
    const badSig = bad.json.simpleReport.signatureOrTimestampOrEvidenceRecord[0].Signature;
    expect(badSig).toMatchObject({ Indication: 'TOTAL_FAILED', SubIndication: 'SIG_CRYPTO_FAILURE', OtsRecognition: { status: 'INVALID' } });
    expect(badSig.Errors.length).toBeGreaterThan(0);
    expect(bad.json.simpleReport.ValidSignaturesCount).toBe(0);
  });

  it('refuses a DSS policy document with 400 (the service does not run DSS policies)', async () => {
    const r = await post(`${svc.url}/services/rest/validation/validateSignature`, {
      signedDocument: { bytes: b64('cades/kz-attached.p7s'), name: 'a.p7s' },
      policy: { bytes: Buffer.from('<ConstraintsParameters/>').toString('base64'), name: 'policy.xml' },
    });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('ERR_DSS_POLICY');
  });

  it('answers every malformed request with a JSON error and the right status', async () => {
    const v = `${svc.url}/v1/verify`;
    const cases: [string, Promise<Awaited<ReturnType<typeof post>>>, number, string][] = [
      ['malformed JSON', post(v, null, { raw: '{"signature": "abc' }), 400, 'ERR_BAD_REQUEST'],
      ['no signature', post(v, { documents: [] }), 400, 'ERR_BAD_REQUEST'],
      ['bad base64', post(v, { signature: 'not*base64!' }), 400, 'ERR_BAD_REQUEST'],
      ['signature not a string', post(v, { signature: 12345678 }), 400, 'ERR_BAD_REQUEST'],
      ['unknown field', post(v, { signature: b64('cades/kz-attached.p7s'), trustAnchors: ['x'] }), 400, 'ERR_BAD_REQUEST'],
      ['bad relying party', post(v, { signature: b64('cades/kz-attached.p7s'), relyingParty: 'tr' }), 400, 'ERR_BAD_REQUEST'],
      ['bad time', post(v, { signature: b64('cades/kz-attached.p7s'), validationTime: 'yesterday' }), 400, 'ERR_BAD_REQUEST'],
      ['unknown policy', post(v, { signature: b64('cades/kz-attached.p7s'), policy: 'nope' }), 400, 'ERR_INVALID_OPTION'],
      ['bad policy object', post(v, { signature: b64('cades/kz-attached.p7s'), policy: { extends: 'default', revocation: 7 } }), 400, 'ERR_INVALID_OPTION'],
      // Object.prototype's member names are not presets (a plain-object lookup found them and the worker threw: 500).
      ['policy "constructor"', post(v, { signature: b64('cades/kz-attached.p7s'), policy: 'constructor' }), 400, 'ERR_INVALID_OPTION'],
      ['policy "__proto__"', post(v, { signature: b64('cades/kz-attached.p7s'), policy: '__proto__' }), 400, 'ERR_INVALID_OPTION'],
      ['policy extends "toString"', post(v, { signature: b64('cades/kz-attached.p7s'), policy: { name: 'p', extends: 'toString' } }), 400, 'ERR_INVALID_OPTION'],
      ['not a signature', post(v, { signature: b64('cades/garbage.p7s') }), 422, 'ERR_INPUT_FORMAT'],
      ['truncated CMS', post(v, { signature: b64('cades/truncated.p7s') }), 422, 'ERR_INPUT_FORMAT'],
      ['over the body limit', post(v, { signature: 'A'.repeat(300 * 1024) }), 413, 'ERR_BODY_TOO_LARGE'],
      ['bad format', post(`${v}?format=pdf`, { signature: b64('cades/kz-attached.p7s') }), 400, 'ERR_BAD_REQUEST'],
      ['DSS without bytes', post(`${svc.url}/services/rest/validation/validateSignature`, { signedDocument: { name: 'x' } }), 400, 'ERR_BAD_REQUEST'],
      ['DSS time out of range', post(`${svc.url}/services/rest/validation/validateSignature`, { signedDocument: { bytes: b64('cades/kz-attached.p7s') }, validationTime: 9e18 }), 400, 'ERR_BAD_REQUEST'],
      ['DSS not a signature', post(`${svc.url}/services/rest/validation/validateSignature`, { signedDocument: { bytes: b64('cades/garbage.p7s') } }), 422, 'ERR_INPUT_FORMAT'],
      ['unknown route', post(`${svc.url}/v2/verify`, {}), 404, 'ERR_NOT_FOUND'],
    ];
    for (const [what, pending, status, code] of cases) {
      const r = await pending;
      expect([what, r.status, r.json?.error?.code, typeof r.json?.error?.message]).toEqual([what, status, code, 'string']);
    }
    // multipart over the limit, and without a signature file
    const big = new FormData();
    big.append('signature', new Blob([new Uint8Array(300 * 1024)]), 'big.p7s');
    const r1 = await fetch(v, { method: 'POST', body: big });
    expect([r1.status, ((await r1.json()) as any).error.code]).toEqual([413, 'ERR_BODY_TOO_LARGE']);
    const none = new FormData();
    none.append('relyingParty', 'TR');
    const r2 = await fetch(v, { method: 'POST', body: none });
    expect([r2.status, ((await r2.json()) as any).error.code]).toEqual([400, 'ERR_BAD_REQUEST']);
    // The service is still up and judging.
    const ok = await post(v, { signature: b64('cades/kz-attached.p7s'), validationTime: AT });
    expect(ok.json.signatures[0].indication).toBe('TOTAL-PASSED');
  });

  it('/metrics exposes requests, verdicts, latency, queue depth and list ages; /openapi.json is OpenAPI 3.1', async () => {
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    expect(text).toMatch(/ots_esig_http_requests_total\{route="\/v1\/verify",status="200"\} [1-9]/);
    expect(text).toMatch(/ots_esig_verdicts_total\{indication="TOTAL-PASSED",recognition="RECOGNIZED"\} [1-9]/);
    expect(text).toMatch(/ots_esig_verdicts_total\{indication="TOTAL-FAILED",recognition="INVALID"\} [1-9]/);
    expect(text).toMatch(/ots_esig_request_duration_seconds_bucket\{le="0\.05",route="\/v1\/verify"\} \d+/);
    expect(text).toMatch(/ots_esig_pool_queue_depth \d+/);
    expect(text).toMatch(/ots_esig_trust_list_age_seconds\{list="KZ:TL",sequence="\d+"\} \d/);
    expect(text).toMatch(/ots_esig_trust_last_refresh_ok 1/);
    const doc = (await (await fetch(`${svc.url}/openapi.json`)).json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/v1/verify', '/services/rest/validation/validateSignature', '/healthz', '/readyz', '/metrics', '/v1/trust-lists', '/openapi.json']) expect(doc.paths[p], p).toBeDefined();
  });

  it('refresh: a list that no longer verifies keeps the last good set; a changed valid list is swapped in', async () => {
    const before = (await (await fetch(`${svc.url}/v1/trust-lists`)).json()) as any;
    const kz = join(trustDir, 'kz-tl.xml');
    const good = readFileSync(kz, 'utf8');
    // One byte of the list's content changed: its signature no longer verifies.
    writeFileSync(kz, good.replace('<TSLSequenceNumber>', '<TSLSequenceNumber>9'));
    const failed = await svc.service.trust.refresh();
    expect(failed.ok).toBe(false);
    const after = (await (await fetch(`${svc.url}/v1/trust-lists`)).json()) as any;
    expect(after.snapshot.id).toBe(before.snapshot.id);
    expect(after.lastRefresh).toMatchObject({ ok: false, error: expect.stringContaining('kz-tl.xml') });
    expect(await (await fetch(`${svc.url}/metrics`)).text()).toMatch(/ots_esig_trust_last_refresh_ok 0/);
    const still = await post(`${svc.url}/v1/verify`, { signature: b64('cades/kz-attached.p7s'), validationTime: AT });
    expect(still.json.signatures[0].recognition.status).toBe('RECOGNIZED');

    // A valid but different list under the same file name (TR's list, announced by the LOTL): KZ is no longer listed.
    writeFileSync(kz, readFileSync(join(ROOT, 'trust-lists/tr-tl.xml')));
    const swapped = await svc.service.trust.refresh();
    expect(swapped).toMatchObject({ ok: true, changed: true });
    const now = (await (await fetch(`${svc.url}/v1/trust-lists`)).json()) as any;
    expect(now.snapshot.id).not.toBe(before.snapshot.id);
    expect(now.lists.map((l: any) => l.id)).toEqual(['OTS:LOTL', 'TR:TL']);
    const gone = await post(`${svc.url}/v1/verify`, { signature: b64('cades/kz-attached.p7s'), validationTime: AT });
    expect(gone.json.signatures[0].indication).not.toBe('TOTAL-PASSED');
    expect(gone.json.signatures[0].recognition.status).not.toBe('RECOGNIZED');

    writeFileSync(kz, good);
    expect((await svc.service.trust.refresh()).ok).toBe(true);
    const back = await post(`${svc.url}/v1/verify`, { signature: b64('cades/kz-attached.p7s'), validationTime: AT });
    expect(back.json.signatures[0].recognition.status).toBe('RECOGNIZED');
  });
});

describe('service limits', () => {
  it('503 + Retry-After when the queue is full; 504 when a verification runs past the time limit (worker stopped, process up)', async () => {
    ensureBuilt();
    const trust = pilotTrustConfig();
    const busy = await startTestService({ ...trust, workers: 1, maxQueue: 0 });
    const slow = await startTestService({ ...trust, workers: 1, requestTimeoutMs: 1 });
    try {
      const body = { signature: b64('cades/kz-attached.p7s'), validationTime: AT };
      const all = await Promise.all(Array.from({ length: 24 }, () => post(`${busy.url}/v1/verify`, body)));
      const refused = all.filter((r) => r.status === 503);
      expect(refused.length).toBeGreaterThan(0);
      expect(all.filter((r) => r.status === 200).length).toBeGreaterThan(0);
      expect(all.every((r) => r.status === 200 || r.status === 503)).toBe(true);
      expect(refused[0]!.headers.get('retry-after')).toBe('1');
      expect(refused[0]!.json.error.code).toBe('ERR_BUSY');

      const t = await post(`${slow.url}/v1/verify`, body);
      expect([t.status, t.json.error.code]).toEqual([504, 'ERR_TIMEOUT']);
      expect((await fetch(`${slow.url}/healthz`)).status).toBe(200);
      const again = await post(`${slow.url}/v1/verify`, body);
      expect(again.status).toBe(504);
    } finally {
      await busy.service.close();
      await slow.service.close();
      rmSync(trust.dir, { recursive: true, force: true });
    }
  });

  it('not ready (503) while no list verifies: an unpinned list is never used', async () => {
    ensureBuilt();
    const trust = pilotTrustConfig();
    const svc = await startTestService({ ...trust, listSigners: [] });
    try {
      const ready = await fetch(`${svc.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as any).error.message).toMatch(/not usable/);
      const r = await post(`${svc.url}/v1/verify`, { signature: b64('cades/kz-attached.p7s') });
      expect([r.status, r.json.error.code, r.headers.get('retry-after')]).toEqual([503, 'ERR_NOT_READY', '5']);
    } finally {
      await svc.service.close();
      rmSync(trust.dir, { recursive: true, force: true });
    }
  });
});

describe('the built CLI: ots-esig serve', () => {
  it('prints the bound address, drains in-flight requests on SIGTERM and exits 0', async () => {
    ensureBuilt();
    const trust = pilotTrustConfig();
    const config = join(trust.dir, 'service.json');
    // Config file paths are relative to the file; flags add to it. The drain window only has to outlast
    // this process's round trip to /readyz after it sees the child's drain message (a loaded CI machine).
    writeFileSync(config, JSON.stringify({ trustLists: ['ots-lotl.xml', 'kz-tl.xml'], relyingParty: 'TR', workers: 1, logLevel: 'silent', refreshIntervalSeconds: 0, drainDelayMs: 2000 }));
    const s = await spawnServe(['--config', config, '--list-signer', 'fixtures/pki/ots-lotl-operator.pem', ...fixtureCrlArgs()]);
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const body = JSON.stringify({ signature: b64('cades/kz-attached.p7s'), validationTime: AT });
      const { port } = new URL(s.url);
      // 48 requests the service has received before SIGTERM: each sends `Expect: 100-continue`, and the
      // 100 answer says the server has read its headers (a request of its own, not an idle connection that
      // close() may reset). A request only written to its socket is not yet received: under load the
      // service had not read some of them when it closed, and they were reset (CI failure mode).
      // 47 send their body at once and queue up behind the one worker thread; the last holds its body
      // until the service has stopped listening, so an answer after SIGTERM does not depend on speed.
      const answers: { status: number; at: number; body: string }[] = [];
      const received: Promise<void>[] = [];
      const done: Promise<void>[] = [];
      let sendHeld!: () => void;
      for (let i = 0; i < 48; i++) {
        let continued!: () => void;
        received.push(new Promise((r) => (continued = r)));
        done.push(
          new Promise((resolve, reject) => {
            const req = request(
              { host: '127.0.0.1', port, path: '/v1/verify', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close', expect: '100-continue' } },
              (res) => {
                let text = '';
                res.on('data', (d) => (text += d));
                res.on('end', () => {
                  answers.push({ status: res.statusCode!, at: performance.now(), body: text });
                  resolve();
                });
              },
            );
            req.on('error', reject);
            req.on('continue', () => {
              if (i === 47) sendHeld = () => req.end(body);
              else req.end(body);
              continued();
            });
            req.flushHeaders();
          }),
        );
      }
      await Promise.all(received);
      const termAt = performance.now();
      s.child.kill('SIGTERM');
      await until(() => s.stderr().includes('SIGTERM: draining'));
      // Draining: no longer ready, still answering.
      expect((await fetch(`${s.url}/readyz`)).status).toBe(503);
      // After the drain window the service closes its listening socket; the held request is still in flight.
      await until(() => refused(Number(port)));
      sendHeld();
      await Promise.all(done);
      expect(answers.map((a) => a.status)).toEqual(Array(48).fill(200));
      expect(answers.every((a) => JSON.parse(a.body).signatures[0].recognition.status === 'RECOGNIZED')).toBe(true);
      // Answers came after SIGTERM, one of them after the service stopped listening: drained, not dropped.
      expect(answers.filter((a) => a.at > termAt).length).toBeGreaterThan(0);
      expect(await s.exit).toBe(0);
      expect(s.stderr()).toContain('SIGTERM');
    } finally {
      s.child.kill('SIGKILL');
      rmSync(trust.dir, { recursive: true, force: true });
    }
  });

  it('the verify start-up and the browser bundle do not contain the server', () => {
    ensureBuilt();
    const cli = readFileSync(join(ROOT, 'dist/cli.js'), 'utf8');
    expect(cli).not.toMatch(/from\s*["'](fastify|piscina|bullmq|ioredis|prom-client|@fastify\/multipart)["']/);
    const browser = readFileSync(join(ROOT, 'dist/browser/index.js'), 'utf8');
    expect(browser).not.toMatch(/fastify|piscina|bullmq/);
  });
});
