// A policy requiring every time-stamp to validate (tr-profile: timestamps.requireAllValid) and a time-stamp whose TSA
// certificate was revoked: after the token's genTime with no earlier proof of existence the token is dropped as proof
// of existence (EN 319 102-1) but not counted as broken (MA3 ESA_45 / ESA_67_1: "sertifika imza tarihinden sonra iptal
// edilmiş" is valid); revoked before its genTime it is broken (MA3 ESA_44 / ESA_57, "… önce iptal edilmiş": invalid).
// Inputs: the fixture CAdES-T (kz-tsa time-stamp of 2026-03-01T10:00:05Z) with a kz-ca CRL made here revoking kz-tsa.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collect, DEFAULT_POLICY, evaluate, type ValidationPolicy } from '../src/index.js';
import { fixtureCert } from './helpers/attack-trust-pki.js';

x509.cryptoProvider.set(globalThis.crypto);
const fx = (f: string) => readFileSync(fileURLToPath(new URL(`../fixtures/${f}`, import.meta.url)));
const GEN_TIME = new Date('2026-03-01T10:00:05Z');

/** A kz-ca CRL of 2026-05-01 listing kz-tsa as revoked at `at` (reason superseded: no key compromise claimed). */
async function tsaRevokedAt(at: Date): Promise<Uint8Array> {
  const ca = await fixtureCert('pki/kz-ca.pem', 'kz-ca');
  const tsa = await fixtureCert('pki/kz-tsa.pem', 'kz-tsa');
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.cert.subject,
    thisUpdate: new Date('2026-05-01T00:00:00Z'),
    nextUpdate: new Date('2026-08-01T00:00:00Z'),
    signingKey: await ca.key.signingKey('SHA-256'),
    signingAlgorithm: ca.key.signingAlgorithm('SHA-256'),
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(ca.key.publicKey), new x509.Extension('2.5.29.20', false, new Uint8Array([0x02, 0x01, 0x07]))],
    entries: [{ serialNumber: tsa.cert.serialNumber, revocationDate: at, reason: x509.X509CrlReason.superseded }],
  });
  return new Uint8Array(crl.rawData);
}

async function judge(revokedAt: Date, policy: ValidationPolicy) {
  const anchors = [fx('pki/kz-root.pem')];
  const facts = await collect(fx('ltv/cades-t.p7s'), { trustAnchors: anchors, timestampAnchors: anchors, crls: [await tsaRevokedAt(revokedAt), fx('crl/current/kz-root.crl')], policy });
  return (await evaluate(facts, { validationTime: new Date('2026-06-01T00:00:00Z') })).signatures[0]!;
}
const allValid: ValidationPolicy = { ...DEFAULT_POLICY, name: 'all-valid', timestamps: { ...DEFAULT_POLICY.timestamps, requireAllValid: true } };

describe('every time-stamp must validate: a TSA revoked after the time-stamp', () => {
  it('revoked after genTime, no earlier POE: not proof of existence, not broken (the signature rests on its other evidence)', async () => {
    const r = await judge(new Date('2026-04-01T00:00:00Z'), allValid);
    expect(r.timestamps?.[0]).toMatchObject({ status: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE', usedAsPoe: false });
    expect(r.times.bestSignatureTimeSource).toBe('validation-time');
    expect(r.checks.find((c) => c.id === 'tst.all-valid')).toBeUndefined();
    expect(r.warnings.some((w) => /valid at its own genTime 2026-03-01T10:00:05\.000Z/.test(w))).toBe(true);
    expect(r.indication).toBe('TOTAL-PASSED');
    // still no proof of existence: a policy requiring a signature time-stamp is not met by it
    const t = await judge(new Date('2026-04-01T00:00:00Z'), { ...allValid, timestamps: { ...allValid.timestamps, requireSignatureTimestamp: true } });
    expect(t.checks.find((c) => c.id === 'sav.signature-timestamp-required')?.subIndication).toBe('SIG_CONSTRAINTS_FAILURE');
    expect(t.indication).toBe('INDETERMINATE');
  });

  it('attack: revoked before genTime (a token the TSA could no longer issue) is broken: INDETERMINATE / SIG_CONSTRAINTS_FAILURE', async () => {
    for (const at of [new Date('2026-02-01T00:00:00Z'), new Date(GEN_TIME.getTime() - 1000)]) {
      const r = await judge(at, allValid);
      expect(r.timestamps?.[0]?.status).not.toBe('PASSED');
      expect(r.checks.find((c) => c.id === 'tst.all-valid'), at.toISOString()).toMatchObject({ status: 'INDETERMINATE', subIndication: 'SIG_CONSTRAINTS_FAILURE' });
      expect(r.warnings.some((w) => /valid at its own genTime/.test(w))).toBe(false);
      expect(r.indication).toBe('INDETERMINATE');
    }
  });
});
