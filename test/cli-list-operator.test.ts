import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { fixtureCrlArgs, loadManifest } from './helpers/fixtures.js';

// The scheme operator's loop, all offline through the CLI: build the next issue from the JSON source,
// sign it, lint it with the pinned operator certificate, diff it against the published issue, and
// re-verify a corpus against it (regress).
const at = loadManifest().validationTime;
const ST = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/';
const KZ_OP = ['--key', 'fixtures/keys/kz-tl-operator.key.pem', '--cert', 'fixtures/pki/kz-tl-operator.pem'];
let tmp: string;

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'ots-list-op-'));
});

/** The KZ source (the pilot JSON form) with the root CA withdrawn from `since`, its history left for build to keep. */
function withdrawnSource(since: string): string {
  const list = JSON.parse(readFileSync('trust-lists/json/kz-tl.json', 'utf8'));
  const svc = list.providers[0].services[0];
  svc.status = `${ST}withdrawn`;
  svc.statusStartingTime = since;
  const f = join(tmp, `kz-source-withdrawn-${since.slice(0, 10)}.json`);
  writeFileSync(f, JSON.stringify(list, null, 2));
  return f;
}

function buildAndSign(source: string, name: string, extra: string[] = []): { status: number | null; stderr: string; signed: string } {
  const unsigned = join(tmp, `${name}.xml`);
  const signed = join(tmp, `${name}-signed.xml`);
  const b = runCli(['trust-list', 'build', source, '-o', unsigned, '--previous', 'trust-lists/kz-tl.xml', '--previous-pin', 'fixtures/pki/kz-tl-operator.pem', '--sequence', 'next', '--issued', '2026-05-01T00:00:00Z', ...extra]);
  expect(b.status, b.stdout + b.stderr).toBe(0);
  const s = runCli(['trust-list', 'sign', unsigned, ...KZ_OP, '-o', signed, '--signing-time', '2026-05-01T00:00:00Z']);
  expect(s.status, s.stdout + s.stderr).toBe(0);
  expect(s.stdout).toMatch(/signed by CN=KZ Test Trusted List Operator/);
  return { status: b.status, stderr: b.stderr, signed };
}

const corpus = () => {
  const dir = join(tmp, 'corpus');
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    for (const f of ['kz-attached.p7s', 'tr-attached.p7s', 'kz-tampered-content.p7s']) cpSync(`fixtures/cades/${f}`, join(dir, f));
  }
  return dir;
};
const regress = (newKz: string, format = 'json') =>
  runCli([
    'regress',
    ...['--trust-list', 'trust-lists/ots-lotl.xml', '--trust-list', newKz, '--trust-list', 'trust-lists/tr-tl.xml'],
    ...['--baseline', 'trust-lists/ots-lotl.xml', '--baseline', 'trust-lists/kz-tl.xml', '--baseline', 'trust-lists/tr-tl.xml'],
    // The national lists are trusted only through the signed list of lists, which pins the KZ operator's certificate.
    '--list-signer', 'fixtures/pki/ots-lotl-operator.pem',
    '--relying-party', 'TR', '--at', at, '--jobs', '1', ...fixtureCrlArgs(), '--format', format, corpus(),
  ]);

describe('trust-list build → sign → lint → diff → regress', () => {
  it('a re-issue with the same content: lint passes with the pin, diff shows only the new sequence number, regress finds no change', () => {
    const { signed } = buildAndSign('trust-lists/json/kz-tl.json', 'kz-same');
    const lint = runCli(['trust-list', 'lint', signed, '--pin', 'fixtures/pki/kz-tl-operator.pem', '--at', at, '--format', 'json']);
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    const findings = JSON.parse(lint.stdout).findings as { rule: string; severity: string }[];
    expect(findings.map((f) => f.rule)).toContain('signature.valid');
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const diff = runCli(['trust-list', 'diff', 'trust-lists/kz-tl.xml', signed, '--format', 'json']);
    expect(diff.status, diff.stdout).toBe(0);
    const d = JSON.parse(diff.stdout);
    expect([d.old.sequenceNumber, d.new.sequenceNumber, d.sequenceMonotonic]).toEqual([4, 5, true]);
    expect([d.servicesAdded, d.servicesRemoved, d.statusChanges, d.findings]).toEqual([[], [], [], []]);
    const r = regress(signed);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).changes).toEqual([]);
  });

  it('a withdrawal before the signing time: build keeps the old status in the history, diff finds no lost history, regress shows the KZ signature losing recognition', () => {
    const { signed, stderr } = buildAndSign(withdrawnSource('2026-01-01T00:00:00.000Z'), 'kz-withdrawn');
    expect(stderr).toMatch(/note: .*kept granted since 2024-01-01.* in ServiceHistory/);
    const lint = runCli(['trust-list', 'lint', signed, '--pin', 'fixtures/pki/kz-tl-operator.pem', '--at', at]);
    expect(lint.status, lint.stdout).toBe(0);
    const diff = runCli(['trust-list', 'diff', 'trust-lists/kz-tl.xml', signed, '--format', 'json']);
    const d = JSON.parse(diff.stdout);
    expect(diff.status, diff.stdout).toBe(0);
    expect(d.statusChanges.map((c: { previousStatus: string; status: string }) => [c.previousStatus, c.status])).toEqual([[`${ST}granted`, `${ST}withdrawn`]]);
    expect(d.findings.map((f: { rule: string }) => f.rule)).not.toContain('history.lost');
    const r = regress(signed);
    expect(r.status).toBe(1);
    const changes = JSON.parse(r.stdout).changes as { file: string; before: { recognition: string }; after: { recognition: string } }[];
    expect(changes.map((c) => [c.file, c.before.recognition, c.after.recognition])).toEqual([['kz-attached.p7s', 'RECOGNIZED', 'NOT_RECOGNIZED']]);
  });

  it('a tampered signed list fails lint and is not used by regress', () => {
    const { signed } = buildAndSign('trust-lists/json/kz-tl.json', 'kz-tamper');
    const tampered = join(tmp, 'kz-tampered-signed.xml');
    writeFileSync(tampered, readFileSync(signed, 'utf8').replace('<TSLSequenceNumber>5<', '<TSLSequenceNumber>6<'));
    const lint = runCli(['trust-list', 'lint', tampered, '--pin', 'fixtures/pki/kz-tl-operator.pem', '--at', at]);
    expect(lint.status).toBe(1);
    expect(lint.stdout).toMatch(/ERROR\s+signature\.invalid/);
    const r = regress(tampered);
    expect(r.status).toBe(1);
    // Without the KZ list the KZ signature has no trust anchor at all: no longer TOTAL-PASSED, so not recognized either.
    const changes = JSON.parse(r.stdout).changes as { file: string; before: { indication: string }; after: { indication: string; recognition: string } }[];
    expect(changes.map((c) => [c.file, c.before.indication, c.after.recognition])).toEqual([['kz-attached.p7s', 'TOTAL-PASSED', 'INVALID']]);
    expect(changes[0]!.after.indication).not.toBe('TOTAL-PASSED');
  });

  it('refuses a sequence number that does not increase over the previous issue (exit 2, nothing written)', () => {
    const out = join(tmp, 'kz-regressed.xml');
    for (const seq of [[], ['--sequence', '4'], ['--sequence', '2']]) {
      const b = runCli(['trust-list', 'build', 'trust-lists/json/kz-tl.json', '-o', out, '--previous', 'trust-lists/kz-tl.xml', ...seq]);
      expect(b.status, b.stderr).toBe(2);
      expect(b.stderr).toMatch(/TSLSequenceNumber \d does not increase over the previous issue's 4 \[ERR_TRUST_LIST\]/);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('refuses a previous issue that does not verify with --previous-pin', () => {
    const b = runCli(['trust-list', 'build', 'trust-lists/json/kz-tl.json', '-o', join(tmp, 'x.xml'), '--previous', 'trust-lists/kz-tl.xml', '--previous-pin', 'fixtures/pki/tr-tl-operator.pem', '--sequence', 'next']);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/previous issue .*does not verify/);
  });

  it('sign refuses a key that is not the certificate\'s, and --tsa (not implemented) as a usage error', () => {
    const unsigned = join(tmp, 'kz-for-sign.xml');
    expect(runCli(['trust-list', 'build', 'trust-lists/json/kz-tl.json', '-o', unsigned]).status).toBe(0);
    const wrong = runCli(['trust-list', 'sign', unsigned, '--key', 'fixtures/keys/kz-tl-operator.key.pem', '--cert', 'fixtures/pki/tr-tl-operator.pem', '-o', join(tmp, 'y.xml')]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/does not belong to the certificate/);
    const tsa = runCli(['trust-list', 'sign', unsigned, ...KZ_OP, '--tsa', 'http://127.0.0.1:1/', '-o', join(tmp, 'z.xml')]);
    expect(tsa.status).toBe(2);
  });
});

describe('ots-esig agreement sign / verify, and verify --agreement-signer', () => {
  const AZ = ['--key', 'fixtures/keys/az-tl-operator.key.pem', '--cert', 'fixtures/pki/az-tl-operator.pem'];
  const TR = ['--key', 'fixtures/keys/tr-tl-operator.key.pem', '--cert', 'fixtures/pki/tr-tl-operator.pem'];
  const SIGNERS = ['--signer', 'fixtures/pki/az-tl-operator.pem', '--signer', 'TR=fixtures/pki/tr-tl-operator.pem'];
  const signBoth = () => {
    const one = join(tmp, 'az-tr-az.json');
    const both = join(tmp, 'az-tr-both.json');
    expect(runCli(['agreement', 'sign', 'trust-lists/agreements/az-tr-mutual.json', ...AZ, '-o', one, '--signing-time', '2026-05-01T00:00:00Z']).status).toBe(0);
    const r = runCli(['agreement', 'sign', one, ...TR, '-o', both, '--signing-time', '2026-05-01T00:00:00Z']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2 signature\(s\)/);
    return { one, both };
  };
  const verifyAz = (agreement: string, signers: string[]) =>
    runCli([
      'verify', 'fixtures/cades/az-attached.p7s', '--at', at, ...fixtureCrlArgs(), '--format', 'json', '--relying-party', 'TR',
      '--trust-list', 'trust-lists/az-tl.xml', '--list-signer', 'fixtures/pki/az-tl-operator.pem',
      '--trust-list', 'trust-lists/tr-tl.xml', '--list-signer', 'fixtures/pki/tr-tl-operator.pem',
      '--agreement', agreement, ...signers,
    ]);

  it('verify: both parties → exit 0; one party or a tampered payload → exit 1 naming the missing party', () => {
    const { one, both } = signBoth();
    const ok = runCli(['agreement', 'verify', both, ...SIGNERS]);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/signed by both parties/);
    const half = runCli(['agreement', 'verify', one, ...SIGNERS, '--format', 'json']);
    expect(half.status).toBe(1);
    expect(JSON.parse(half.stdout).signatures.map((s: { party: string; status: string }) => `${s.party}:${s.status}`)).toEqual(['AZ:VALID', 'TR:MISSING']);
    const env = JSON.parse(readFileSync(both, 'utf8'));
    const payload = Buffer.from(env.payload, 'base64url').toString('utf8').replace('"RSA": 2048', '"RSA": 1024');
    const tampered = join(tmp, 'az-tr-tampered.json');
    writeFileSync(tampered, JSON.stringify({ ...env, payload: Buffer.from(payload).toString('base64url') }));
    const t = runCli(['agreement', 'verify', tampered, ...SIGNERS]);
    expect(t.status).toBe(1);
    expect(t.stdout).toMatch(/AZ MISSING[\s\S]*TR MISSING/);
    // A bare agreement is not "verified".
    expect(runCli(['agreement', 'verify', 'trust-lists/agreements/az-tr-mutual.json', ...SIGNERS]).status).toBe(1);
  });

  it('verify --agreement-signer: the both-signed agreement recognizes AZ for TR; a one-party one is reported and not used', () => {
    const { one, both } = signBoth();
    const pins = ['--agreement-signer', 'fixtures/pki/az-tl-operator.pem', '--agreement-signer', 'fixtures/pki/tr-tl-operator.pem'];
    const ok = verifyAz(both, pins);
    expect(ok.status, ok.stdout.slice(0, 2000) + ok.stderr).toBe(0);
    const rep = JSON.parse(ok.stdout);
    expect(rep.signatures[0].recognition).toMatchObject({ status: 'RECOGNIZED', basis: { kind: 'bilateral', agreementId: 'OTS-TEST-BA-AZ-TR-2025' } });
    expect(rep.trust.agreements[0]).toMatchObject({ used: true, authentication: 'signed' });
    const half = verifyAz(one, pins);
    expect(half.status).toBe(1);
    const h = JSON.parse(half.stdout);
    expect(h.signatures[0].recognition.status).toBe('NOT_RECOGNIZED');
    expect(h.signatures[0].recognition.reasons.join(' ')).toMatch(/is not used: not signed by TR/);
    expect(h.warnings).toContainEqual(expect.stringMatching(/agreement OTS-TEST-BA-AZ-TR-2025 NOT USED/));
    // The bare file still works without pins (reported unauthenticated), and not with them.
    const bare = verifyAz('trust-lists/agreements/az-tr-mutual.json', []);
    expect(bare.status).toBe(0);
    expect(JSON.parse(bare.stdout).warnings).toContainEqual('agreement OTS-TEST-BA-AZ-TR-2025 is not signed: trusted as supplied by the caller (unauthenticated)');
    expect(verifyAz('trust-lists/agreements/az-tr-mutual.json', pins).status).toBe(1);
  });
});
