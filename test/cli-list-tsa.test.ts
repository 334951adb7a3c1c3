import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, ensureBuilt } from './helpers/cli.js';
import { fixtureCrlArgs } from './helpers/fixtures.js';
import { startOpensslTsa } from './helpers/openssl-tsa.js';

// XAdES-T trusted lists (#22): `trust-list sign --tsa URL` against an independent TSA (openssl ts -reply with the
// test PKI's kz-tsa) on 127.0.0.1. The CLI runs asynchronously: the TSA answers from this process.
const exec = promisify(execFile);
const KZ_OP = ['--key', 'fixtures/keys/kz-tl-operator.key.pem', '--cert', 'fixtures/pki/kz-tl-operator.pem'];
let tmp: string;
let unsigned: string;

async function cli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    return { status: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

beforeAll(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'ots-list-tsa-'));
  unsigned = join(tmp, 'kz-unsigned.xml');
  const b = await cli(['trust-list', 'build', 'trust-lists/json/kz-tl.json', '-o', unsigned, '--sequence', '5', '--issued', '2026-05-01T00:00:00Z']);
  expect(b.status, b.stdout + b.stderr).toBe(0);
});

describe('trust-list sign --tsa: XAdES-T lists', () => {
  const tsa = { honest: undefined as Awaited<ReturnType<typeof startOpensslTsa>> | undefined, liar: undefined as Awaited<ReturnType<typeof startOpensslTsa>> | undefined };
  beforeAll(async () => {
    tsa.honest = await startOpensslTsa();
    tsa.liar = await startOpensslTsa({ stampOtherBytes: true });
  });
  afterAll(async () => {
    await tsa.honest?.close();
    await tsa.liar?.close();
  });

  it('time-stamps the signature value; xmlsec1 verifies the list and lint reports the time-stamp valid', async () => {
    const out = join(tmp, 'kz-t.xml');
    const s = await cli(['trust-list', 'sign', unsigned, ...KZ_OP, '--tsa', tsa.honest!.url, '-o', out, '--signing-time', '2026-05-01T00:00:00Z']);
    expect(s.status, s.stdout + s.stderr).toBe(0);
    expect(s.stdout).toMatch(/XAdES-T, enveloped; time-stamp over ds:SignatureValue verifies \(genTime .* by CN=KZ Test TSA, /);
    expect(tsa.honest!.requests).toBe(1);
    const xml = readFileSync(out, 'utf8');
    expect(xml).toMatch(/<xades:SignatureTimeStamp Id="tsl-signature-sigts"><ds:CanonicalizationMethod Algorithm="http:\/\/www\.w3\.org\/2001\/10\/xml-exc-c14n#"\/><xades:EncapsulatedTimeStamp>/);
    const x = spawnSync('xmlsec1', ['--verify', '--pubkey-cert-pem', 'fixtures/pki/kz-tl-operator.pem', '--id-attr:Id', 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties', out], { cwd: ROOT, encoding: 'utf8' });
    expect(x.status, x.stdout + x.stderr).toBe(0);
    expect(x.stdout + x.stderr).toMatch(/^OK/m);
    // Without a time-stamp anchor: valid except the TSA's trust, which lint says it did not check.
    const l = await cli(['trust-list', 'lint', out, '--pin', 'fixtures/pki/kz-tl-operator.pem', '--format', 'json']);
    const j = JSON.parse(l.stdout);
    expect(j.findings).toContainEqual(expect.objectContaining({ rule: 'signature.valid' }));
    expect(j.findings).toContainEqual(expect.objectContaining({ severity: 'info', rule: 'signature-timestamp.valid' }));
    expect(j.findings).toContainEqual(expect.objectContaining({ severity: 'warning', rule: 'signature-timestamp.tsa-not-checked' }));
    expect(l.status, l.stdout).toBe(0);
    // With the KZ root as time-stamp anchor (and the CRLs the policy asks for), the TSA is trusted too.
    const t = await cli(['trust-list', 'lint', out, '--pin', 'fixtures/pki/kz-tl-operator.pem', '--tsa-anchor', 'fixtures/pki/kz-root.pem', ...crls(), '--format', 'json']);
    const tj = JSON.parse(t.stdout);
    expect(tj.findings).toContainEqual(expect.objectContaining({ severity: 'info', rule: 'signature-timestamp.valid', message: expect.stringMatching(/TSA trusted/) }));
    expect(tj.findings.filter((f: { rule: string }) => f.rule.startsWith('signature-timestamp.') && f.rule !== 'signature-timestamp.valid')).toEqual([]);
    expect(t.status, t.stdout).toBe(0);
    // A TSA anchor of another hierarchy: the token is sound, its TSA is not trusted.
    const u = await cli(['trust-list', 'lint', out, '--pin', 'fixtures/pki/kz-tl-operator.pem', '--tsa-anchor', 'fixtures/pki/tr-root.pem', ...crls(), '--format', 'json']);
    expect(JSON.parse(u.stdout).findings).toContainEqual(expect.objectContaining({ severity: 'error', rule: 'signature-timestamp.tsa-untrusted' }));
    expect(u.status).toBe(1);
  });

  it('a TSA answer stamping other bytes is refused and nothing is written', async () => {
    const out = join(tmp, 'kz-liar.xml');
    const s = await cli(['trust-list', 'sign', unsigned, ...KZ_OP, '--tsa', tsa.liar!.url, '-o', out]);
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(/the time-stamp is not over the requested data: messageImprint .*ERR_TIMESTAMP_RESPONSE/);
    expect(tsa.liar!.requests).toBe(1);
    expect(() => readFileSync(out)).toThrow();
  });

  it('lint refuses a time-stamp moved from another list (unsigned properties are not covered by the signature)', async () => {
    const a = join(tmp, 'kz-t-a.xml');
    const b = join(tmp, 'kz-t-b.xml');
    for (const [f, time] of [[a, '2026-05-01T00:00:00Z'], [b, '2026-05-02T00:00:00Z']] as const) {
      const s = await cli(['trust-list', 'sign', unsigned, ...KZ_OP, '--tsa', tsa.honest!.url, '-o', f, '--signing-time', time]);
      expect(s.status, s.stderr).toBe(0);
    }
    const tok = (x: string) => /<xades:EncapsulatedTimeStamp>([^<]+)</.exec(x)![1]!;
    const xa = readFileSync(a, 'utf8');
    const swapped = xa.replace(tok(xa), tok(readFileSync(b, 'utf8')));
    expect(swapped).not.toBe(xa);
    const f = join(tmp, 'kz-t-swapped.xml');
    writeFileSync(f, swapped);
    const l = await cli(['trust-list', 'lint', f, '--pin', 'fixtures/pki/kz-tl-operator.pem', '--format', 'json']);
    const j = JSON.parse(l.stdout);
    expect(j.findings).toContainEqual(expect.objectContaining({ rule: 'signature.valid' }));
    expect(j.findings).toContainEqual(expect.objectContaining({ severity: 'error', rule: 'signature-timestamp.invalid', message: expect.stringMatching(/message-imprint/) }));
    expect(l.status).toBe(1);
  });

  it('--no-tsa and the default give XAdES-B without any request; --tsa with --no-tsa or a non-http URL is a usage error', async () => {
    const before = tsa.honest!.requests;
    for (const flag of [['--no-tsa'], []]) {
      const out = join(tmp, `kz-b${flag.length}.xml`);
      const s = await cli(['trust-list', 'sign', unsigned, ...KZ_OP, ...flag, '-o', out]);
      expect(s.status, s.stderr).toBe(0);
      expect(s.stdout).toMatch(/XAdES-B, enveloped; no time-stamp/);
      expect(readFileSync(out, 'utf8')).not.toMatch(/SignatureTimeStamp/);
      const l = await cli(['trust-list', 'lint', out, '--pin', 'fixtures/pki/kz-tl-operator.pem', '--format', 'json']);
      expect(JSON.parse(l.stdout).findings).toContainEqual(expect.objectContaining({ rule: 'signature.level', message: expect.stringMatching(/XAdES-B/) }));
    }
    expect(tsa.honest!.requests).toBe(before);
    const both = await cli(['trust-list', 'sign', unsigned, ...KZ_OP, '--no-tsa', '--tsa', tsa.honest!.url, '-o', join(tmp, 'x.xml')]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/either --tsa URL .* or --no-tsa/);
    const file = await cli(['trust-list', 'sign', unsigned, ...KZ_OP, '--tsa', 'file:///etc/passwd', '-o', join(tmp, 'x.xml')]);
    expect(file.status).toBe(2);
    expect(file.stderr).toMatch(/--tsa must be an http/);
  });
});

function crls(): string[] {
  return fixtureCrlArgs();
}
