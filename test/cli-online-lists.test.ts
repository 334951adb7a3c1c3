/**
 * `--trust-list https://…` on the built CLI (verify, trust-list lint): refused without --online-lists,
 * refused on loopback without --list-allow-private, and with them fetched from a real https server on
 * 127.0.0.1 (TEST TLS root via --list-ca) and verified before use. The CLI runs as a child process
 * (asynchronously: the list server lives in this process).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, ensureBuilt } from './helpers/cli.js';
import { fixtureCrlArgs } from './helpers/fixtures.js';
import { ListServer, lotlPointingTo, pilotList } from './helpers/list-server.js';
import { spawnServe } from './helpers/service.js';

const AT = '2026-06-01T00:00:00Z';

function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('CLI --trust-list URL (opt-in --online-lists)', () => {
  let lists: ListServer;
  let lotlUrl: string;
  const tls = ['--list-ca', 'fixtures/tls/test-root.pem'];
  const verifyArgs = () => ['verify', 'fixtures/cades/kz-attached.p7s', '--format', 'json', '--at', AT, '--relying-party', 'TR', '--trust-list', lotlUrl, '--list-signer', 'fixtures/pki/ots-lotl-operator.pem', ...fixtureCrlArgs(), '--crl', 'fixtures/crl/kz-ca.crl'];

  beforeAll(async () => {
    ensureBuilt();
    lists = await new ListServer().start();
    lists.serve('/ots-lotl.xml', await lotlPointingTo(lists.url));
    for (const f of ['az-tl.xml', 'kz-tl.xml', 'kg-tl.xml', 'tr-tl.xml', 'uz-tl.xml']) lists.serve(`/${f}`, pilotList(f));
    lotlUrl = `${lists.url}/ots-lotl.xml`;
  });
  afterAll(() => lists?.close());

  it('a URL without --online-lists is a usage error and nothing is fetched', async () => {
    const r = await cli(verifyArgs());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs --online-lists/);
    expect(lists.seen).toHaveLength(0);
  });

  it('a loopback URL is refused unless --list-allow-private', async () => {
    const r = await cli([...verifyArgs(), '--online-lists', ...tls]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/local or private/);
    expect(lists.seen).toHaveLength(0);
  });

  it('with --online-lists: the list of lists and the KZ list it points to are fetched, verified and used; --list-cache keeps them', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'ots-cli-lists-'));
    const r = await cli([...verifyArgs(), '--online-lists', '--list-allow-private', ...tls, '--list-cache', cache]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL-PASSED', recognition: { status: 'RECOGNIZED', relyingParty: 'TR' } });
    expect(report.trust.lists.find((l: any) => l.territory === 'KZ')).toMatchObject({ name: `${lists.url}/kz-tl.xml`, usable: true, signature: { status: 'VALID' } });
    expect(readdirSync(cache).filter((f) => f.endsWith('.xml'))).toHaveLength(6);
    // Second run: conditional GETs; with the KZ list now tampered on the server the cached copy is used, with a warning.
    lists.seen.length = 0;
    lists.serve('/kz-tl.xml', pilotList('kz-tl.xml').replace('KZ Test Root CA', 'KZ Evil Root CA'));
    const again = await cli([...verifyArgs(), '--online-lists', '--list-allow-private', ...tls, '--list-cache', cache]);
    expect(lists.requests('/ots-lotl.xml')[0]!.headers['if-none-match']).toMatch(/^"/);
    expect(again.stderr).toMatch(/warning: trust list https:\/\/127\.0\.0\.1:\d+\/kz-tl\.xml: refused: signature/);
    expect(JSON.parse(again.stdout).signatures[0]).toMatchObject({ indication: 'TOTAL-PASSED', recognition: { status: 'RECOGNIZED' } });
    lists.serve('/kz-tl.xml', pilotList('kz-tl.xml'));
  });

  it('a TLS failure (a CA that did not issue the server certificate) fails the run', async () => {
    const r = await cli([...verifyArgs(), '--online-lists', '--list-allow-private', '--list-ca', 'fixtures/pki/kz-root.pem']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no verified copy.*TLS: /);
  });

  it('trust-list lint takes the list and its list of lists by URL', async () => {
    const r = await cli(['trust-list', 'lint', `${lists.url}/kz-tl.xml`, '--trust-list', lotlUrl, '--list-signer', 'fixtures/pki/ots-lotl-operator.pem', '--at', AT, '--online-lists', '--list-allow-private', ...tls, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ errors: 0 });
    expect(r.code).toBe(0);
    lists.serve('/kz-bad.xml', pilotList('kz-tl.xml').replace('KZ Test Root CA', 'KZ Evil Root CA'));
    const bad = await cli(['trust-list', 'lint', `${lists.url}/kz-bad.xml`, '--trust-list', lotlUrl, '--list-signer', 'fixtures/pki/ots-lotl-operator.pem', '--at', AT, '--online-lists', '--list-allow-private', ...tls, '--format', 'json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).errors).toBeGreaterThan(0);
  });

  it('serve: --online-lists with a list URL loads the verified lists; without it the URL is refused', async () => {
    const refused = await cli(['serve', '--port', '0', '--trust-list', lotlUrl, '--list-signer', 'fixtures/pki/ots-lotl-operator.pem']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/needs onlineTrustLists \(--online-lists\)/);
    const svc = await spawnServe(['--online-lists', '--list-allow-private', ...tls, '--trust-list', lotlUrl, '--list-signer', 'fixtures/pki/ots-lotl-operator.pem', '--relying-party', 'TR']);
    try {
      const body = (await (await fetch(`${svc.url}/v1/trust-lists`)).json()) as any;
      expect(body.lists).toHaveLength(6);
      expect(body.lists.every((l: any) => l.signature === 'VALID' && l.usable && l.source.startsWith(lists.url))).toBe(true);
      expect((await fetch(`${svc.url}/readyz`)).status).toBe(200);
    } finally {
      svc.child.kill('SIGTERM');
      await svc.exit;
    }
  });
});
