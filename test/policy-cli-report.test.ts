/**
 * The policy in the report (name + SHA-256, JSON / text / ETSI XML) and on the command line
 * (--policy NAME|FILE, `ots-esig policy show`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, formatEtsiXml, formatText, LENIENT_POLICY, parsePolicy, policyIdentity, verify } from '../src/index.js';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { fixture, fixtureCrls, loadManifest } from './helpers/fixtures.js';

const at = new Date(loadManifest().validationTime);
const kz = { trustAnchors: [fixture('pki/kz-root.pem')], validationTime: at };
const tmp = mkdtempSync(join(tmpdir(), 'ots-policy-'));

beforeAll(() => ensureBuilt());

describe('the report names the policy', () => {
  it('default when none is given, the preset or the caller\'s policy otherwise, with the SHA-256 of its canonical JSON', async () => {
    const byDefault = await verify(fixture('cades/kz-attached.p7s'), { ...kz, crls: fixtureCrls() });
    expect(byDefault.policy).toEqual(await policyIdentity(DEFAULT_POLICY));
    expect(byDefault.policy.name).toBe('default');
    const lenient = await verify(fixture('cades/kz-attached.p7s'), { ...kz, policy: 'lenient' });
    expect(lenient.policy).toEqual(await policyIdentity(LENIENT_POLICY));
    const own = parsePolicy({ name: 'kz-relying-party', extends: 'default', revocation: { timestampAuthority: 'none' } });
    const custom = await verify(fixture('cades/kz-attached.p7s'), { ...kz, crls: fixtureCrls(), policy: own });
    expect(custom.policy.name).toBe('kz-relying-party');
    expect(custom.policy.sha256).not.toBe(byDefault.policy.sha256);
    // Older options that change a rule change the policy in force, and so its hash.
    const sha1 = await verify(fixture('cades/kz-attached.p7s'), { ...kz, crls: fixtureCrls(), algorithmPolicy: { ...DEFAULT_POLICY.algorithms, digests: { ...DEFAULT_POLICY.algorithms.digests, 'SHA-1': null } } });
    expect(sha1.policy.name).toBe('default');
    expect(sha1.policy.sha256).not.toBe(byDefault.policy.sha256);
    expect(formatText(byDefault)).toMatch(/^Policy: default \(sha256 [0-9a-f]{16}…\)$/m);
    expect(formatEtsiXml(byDefault)).toContain(`<!-- ots-esig validation policy: default sha256 ${byDefault.policy.sha256} -->`);
  });
});

describe('ots-esig verify --policy', () => {
  const base = ['verify', 'fixtures/cades/kz-attached.p7s', '--trust-anchor', 'fixtures/pki/kz-root.pem', '--at', at.toISOString(), '--format', 'json'];

  it('without revocation data: the default gives INDETERMINATE / TRY_LATER, --policy lenient TOTAL-PASSED with a warning', () => {
    const d = runCli(base);
    expect(d.status).toBe(1);
    const dr = JSON.parse(d.stdout);
    expect([dr.signatures[0].indication, dr.signatures[0].subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    expect(dr.policy.name).toBe('default');
    const l = runCli([...base, '--policy', 'lenient']);
    expect(l.status).toBe(0);
    const lr = JSON.parse(l.stdout);
    expect(lr.signatures[0].indication).toBe('TOTAL-PASSED');
    expect(lr.signatures[0].warnings.join(' ')).toMatch(/not checked/);
    expect(lr.policy.name).toBe('lenient');
    // --require-revocation still overrides a policy that drops the requirement.
    const r = JSON.parse(runCli([...base, '--policy', 'lenient', '--require-revocation']).stdout);
    expect(r.signatures[0].subIndication).toBe('TRY_LATER');
  });

  it('reads a policy file (a partial one extending a preset) and names it in the report', () => {
    const file = join(tmp, 'no-ca-revocation.json');
    writeFileSync(file, JSON.stringify({ name: 'signer-only', extends: 'default', revocation: { signer: 'signer' } }));
    // kz-ca-empty.crl gives the signer's status only: enough for scope "signer", not for the default.
    const crl = ['--crl', 'fixtures/crl/kz-ca-empty.crl'];
    expect(JSON.parse(runCli([...base, ...crl]).stdout).signatures[0].subIndication).toBe('TRY_LATER');
    const r = runCli([...base, ...crl, '--policy', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).policy.name).toBe('signer-only');
  });

  it('a bad policy file exits 2 with the path of the bad field; a missing one names the presets', () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'bad', extends: 'default', revocation: { signer: 'sometimes' } }));
    const r = runCli([...base, '--policy', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--policy .*bad\.json: invalid validation policy: policy\.revocation\.signer must be one of signer-and-ca, signer, none/);
    const missing = runCli([...base, '--policy', 'paranoid']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/presets: default, lenient/);
  });

  it('policy show prints a preset as JSON that parses back to the same policy', () => {
    for (const [name, preset] of [['default', DEFAULT_POLICY], ['lenient', LENIENT_POLICY]] as const) {
      const r = runCli(['policy', 'show', name]);
      expect(r.status).toBe(0);
      expect(parsePolicy(r.stdout)).toEqual(JSON.parse(JSON.stringify(preset)));
    }
    expect(runCli(['policy', 'show', 'nope']).status).toBe(2);
  });
});
