/**
 * Trust-service types of the validation policy (policy.trustServices): a CA certificate of a trusted list
 * anchors a signer's path only when its service is of a type in signerServiceTypes, and a TSA's path ends
 * only at services of timestampServiceTypes. The attack: a list whose only service is a time-stamping
 * service (TSA/QTST) with the CA certificate X; a signer certificate issued by X. The old code made every
 * CA certificate of every listed service a signer anchor, so the path validated (XCV passed).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, verify, type ValidationPolicy, type VerifyOptions } from '../src/index.js';
import { fixture, fixtureCrls } from './helpers/fixtures.js';
import { loadTrustLists } from '../src/trust/load.js';
import { cades, fixtureCert, jsonList, mint, withSignatureTimestamp } from './helpers/attack-trust-pki.js';
import type { IssuedCert } from '../fixtures/lib/pki.js';

const AT = new Date('2026-06-01T00:00:00Z');
const SVC = 'http://uri.etsi.org/TrstSvc/Svctype/';
let kzCa: IssuedCert;
let kzRoot: IssuedCert;
beforeAll(async () => {
  kzCa = await fixtureCert('pki/kz-ca.pem', 'kz-ca');
  kzRoot = await fixtureCert('pki/kz-root.pem', 'kz-root');
});

const run = async (sig: Uint8Array, list: string, o: Partial<VerifyOptions> = {}) =>
  (await verify(sig, { validationTime: AT, trustLists: [{ data: list, name: 'policy-attack.json' }], relyingParty: 'KZ', crls: fixtureCrls(), ...o })).signatures[0]!;

describe('policy.trustServices: which listed services anchor signer and TSA paths', () => {
  it('a CA listed only as a TSA/QTST service does not anchor a signer it issued: NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const list = jsonList('KZ', [{ name: 'KZ time-stamping only', type: 'TSA/QTST', status: 'granted', certificates: [kzCa] }]);
    // The fixture KZ signer (issued by kz-ca) and one minted at test time by kz-ca's key.
    const minted = await mint({ subject: 'C=KZ, O=Attacker, CN=Signer under a TSA service', issuer: kzCa, keyOf: 'kz-signer', serial: '7d01' });
    for (const sig of [fixture('cades/kz-attached.p7s'), await cades(minted, [kzCa])]) {
      const s = await run(sig, list);
      expect([s.indication, s.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
      expect(s.checks.some((c) => c.id === 'xcv.path' && c.status === 'PASSED')).toBe(false);
    }
  });

  it('control: the same CA listed as a CA/QC service anchors it (TOTAL-PASSED)', async () => {
    const list = jsonList('KZ', [{ name: 'KZ qualified CA', type: 'CA/QC', status: 'granted', certificates: [kzCa] }]);
    const s = await run(fixture('cades/kz-attached.p7s'), list);
    expect(s.indication).toBe('TOTAL-PASSED');
  });

  it('the accepted signer service types are the policy\'s: without CA/QC in them, a CA/QC service anchors nothing', async () => {
    const list = jsonList('KZ', [{ name: 'KZ qualified CA', type: 'CA/QC', status: 'granted', certificates: [kzCa] }]);
    const pkcOnly: ValidationPolicy = { ...DEFAULT_POLICY, name: 'pkc-only', trustServices: { ...DEFAULT_POLICY.trustServices, signerServiceTypes: [`${SVC}CA/PKC`] } };
    const s = await run(fixture('cades/kz-attached.p7s'), list, { policy: pkcOnly });
    expect(s.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });

  it('a TSA path ends only at services of timestampServiceTypes: a TSA/QTST service is a time-stamp anchor unless the policy drops the type', async () => {
    // kz-root listed as TSA/QTST (time-stamps) and kz-ca as CA/QC (the signer); the fixture TSA chains to kz-root.
    const list = jsonList('KZ', [
      { name: 'KZ qualified CA', type: 'CA/QC', status: 'granted', certificates: [kzCa] },
      { name: 'KZ TSA root', type: 'TSA/QTST', status: 'granted', certificates: [kzRoot] },
    ]);
    const tsa = await fixtureCert('pki/kz-tsa.pem', 'kz-tsa');
    const sig = await withSignatureTimestamp(fixture('cades/kz-attached.p7s'), tsa, new Date('2026-05-20T00:00:00Z'));
    const used = await run(sig, list);
    expect(used.timestamps?.[0]?.usedAsPoe).toBe(true);
    const noTsa: ValidationPolicy = { ...DEFAULT_POLICY, name: 'no-qtst', trustServices: { ...DEFAULT_POLICY.trustServices, timestampServiceTypes: [`${SVC}TSA`] } };
    const notUsed = await run(sig, list, { policy: noTsa });
    expect(notUsed.timestamps?.[0]?.usedAsPoe).toBe(false);
  });

  it('one TrustSet loaded once, policies alternating: the time-stamp anchors kept per set of types (issue #19) follow each call\'s policy', async () => {
    const list = jsonList('KZ', [
      { name: 'KZ qualified CA', type: 'CA/QC', status: 'granted', certificates: [kzCa] },
      { name: 'KZ TSA root', type: 'TSA/QTST', status: 'granted', certificates: [kzRoot] },
    ]);
    const set = await loadTrustLists([{ data: list, name: 'policy-attack.json' }], { time: AT });
    const tsa = await fixtureCert('pki/kz-tsa.pem', 'kz-tsa');
    const sig = await withSignatureTimestamp(fixture('cades/kz-attached.p7s'), tsa, new Date('2026-05-20T00:00:00Z'));
    const noTsa: ValidationPolicy = { ...DEFAULT_POLICY, name: 'no-qtst', trustServices: { ...DEFAULT_POLICY.trustServices, timestampServiceTypes: [`${SVC}TSA`] } };
    const onlyQtst: ValidationPolicy = { ...DEFAULT_POLICY, name: 'only-qtst', trustServices: { ...DEFAULT_POLICY.trustServices, timestampServiceTypes: [`${SVC}TSA/QTST`] } };
    for (const [policy, used] of [[noTsa, false], [onlyQtst, true], [noTsa, false], [undefined, true], [noTsa, false]] as const) {
      const s = await run(sig, list, { trustLists: set, ...(policy ? { policy } : {}) });
      expect(s.timestamps?.[0]?.usedAsPoe, policy?.name ?? 'default').toBe(used);
    }
  });
});
