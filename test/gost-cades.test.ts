import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AlgorithmRegistry, DEFAULT_ALGORITHM_POLICY, verify } from '../src/index.js';
import { GostProvider, GOST_ALGORITHM_POLICY } from '../src/gost.js';
import { evaluateAlgorithm } from '../src/crypto/policy.js';
import { readGostPublicKey } from '../src/crypto/gost/keys.js';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { derObjectsFrom } from '../src/util/pem.js';
import type { SignatureReport } from '../src/report/model.js';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { itIf } from './helpers/skip.js';

const G = 'fixtures/gost';
const manifest = JSON.parse(readFileSync(`${G}/manifest.json`, 'utf8')) as { validationTime: string };
const file = (p: string) => new Uint8Array(readFileSync(p));
const base = {
  trustAnchors: [file(`${G}/gost-root.pem`)],
  crls: [file(`${G}/gost-root-empty.crl`)],
  validationTime: new Date(manifest.validationTime),
};
const gost = { registry: new AlgorithmRegistry().register(new GostProvider()), algorithmPolicy: GOST_ALGORITHM_POLICY };

async function one(sample: string, options: object, content?: Uint8Array): Promise<SignatureReport> {
  const r = await verify(file(`${G}/${sample}`), { ...base, ...options, ...(content ? { detachedContent: content } : {}) });
  expect(r.signatures).toHaveLength(1);
  return r.signatures[0]!;
}

function notPassed(s: SignatureReport): string {
  return s.checks.filter((c) => c.status !== 'PASSED').map((c) => `${c.id}: ${c.detail}`).join('\n');
}

describe('GOST CAdES-BES (GOST R 34.10-2012-256, Streebog-256) with the GOST provider registered', () => {
  it('attached sample (SignerInfo names the key OID, RFC 4490 style): TOTAL-PASSED', async () => {
    const s = await one('gost-attached.p7s', gost);
    expect(s.indication, notPassed(s)).toBe('TOTAL-PASSED');
    expect(s.checks.find((c) => c.id === 'cv.signature-value')?.detail).toMatch(/GOST R 34\.10-2012-256 with Streebog-256/);
    // Reports name the digest, not its OID, when the provider knows it.
    expect(s.digestAlgorithm).toBe('Streebog-256');
  });

  it('detached sample with its content: TOTAL-PASSED (the CRL signed with GOST counts too: revocation good)', async () => {
    const s = await one('gost-detached.p7s', gost, file(`${G}/document.txt`));
    expect(s.indication, notPassed(s)).toBe('TOTAL-PASSED');
  });

  it('detached sample with other content: TOTAL-FAILED / HASH_FAILURE', async () => {
    const s = await one('gost-detached.p7s', gost, new TextEncoder().encode('not the signed document'));
    expect(s.indication).toBe('TOTAL-FAILED');
    expect(s.subIndication).toBe('HASH_FAILURE');
  });

  it('a flipped signature byte: TOTAL-FAILED / SIG_CRYPTO_FAILURE', async () => {
    const der = file(`${G}/gost-attached.p7s`);
    // The signature OCTET STRING (64 bytes) ends the SignerInfo, which ends the file.
    der[der.length - 10]! ^= 0x01;
    const r = await verify(der, { ...base, ...gost });
    expect(r.signatures[0]!.indication).toBe('TOTAL-FAILED');
    expect(r.signatures[0]!.subIndication).toBe('SIG_CRYPTO_FAILURE');
  });

  it('the provider without GOST_ALGORITHM_POLICY: INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE (the default policy has no GOST rules)', async () => {
    const s = await one('gost-attached.p7s', { registry: gost.registry });
    expect(s.indication).toBe('INDETERMINATE');
    expect(s.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
    expect(notPassed(s)).toMatch(/Streebog-256 is not acceptable/);
  });

  it('an algorithm OID no provider implements: INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE naming it, even with the GOST provider', async () => {
    const s = await one('gost-unimplemented-alg.p7s', gost);
    expect(s.indication).toBe('INDETERMINATE');
    expect(s.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
    expect(s.checks.find((c) => c.id === 'cv.signature-algorithm')?.detail).toContain('1.2.398.3.10.1.1.2.3.1');
  });
});

describe('GOST CAdES without the GOST provider (default WebCrypto registry)', () => {
  for (const sample of ['gost-attached.p7s', 'gost-detached.p7s']) {
    it(`${sample}: INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE naming the OIDs — never a crash, never a pass`, async () => {
      const s = await one(sample, {}, sample.includes('detached') ? file(`${G}/document.txt`) : undefined);
      expect(s.indication).toBe('INDETERMINATE');
      expect(s.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
      const why = notPassed(s);
      expect(why).toContain('1.2.643.7.1.1.2.2'); // Streebog-256 digest
      expect(why).toMatch(/1\.2\.643\.7\.1\.1\.(1\.1|3\.2)/); // the signature algorithm
      expect(s.checks.some((c) => c.id === 'cv.signature-value' && c.status === 'PASSED')).toBe(false);
    });
  }
});

// The real KZ NCA certificates come from the shared corpus (never copied here): skipped without it.
const CORPUS = process.env.OTS_CORPUS ?? '../shared/corpus';
const haveCorpus = existsSync(`${CORPUS}/ots-roots/kz/root_gost_2015.crt`);
if (!haveCorpus) console.warn(`gost-cades: KZ NCA key checks skipped — no corpus at ${CORPUS} (set OTS_CORPUS)`);

describe('GOST keys and policy', () => {
  const corpusCert = (rel: string) => ParsedCertificate.fromDer(derObjectsFrom(file(`${CORPUS}/${rel}`), ['CERTIFICATE'])[0]!);
  const signer = ParsedCertificate.fromDer(derObjectsFrom(file(`${G}/gost-signer.pem`), ['CERTIFICATE'])[0]!);

  itIf(haveCorpus, 'no corpus (set OTS_CORPUS=/path/to/corpus): ots-roots/kz/')('PublicKeyFacts and readGostPublicKey give the parameter set and size of GOST R 34.10-2012 and KZ NCA GOST keys', () => {
    const kzRoot = corpusCert('ots-roots/kz/root_gost_2015.crt');
    expect(readGostPublicKey(signer.publicKey)).toMatchObject({ paramSetOid: '1.2.643.2.2.35.1', curve: 'S-256-A', digestParamOid: '1.2.643.7.1.1.2.2', spec: { bits: 256, family: 'GOST R 34.10-2012' } });
    expect(readGostPublicKey(kzRoot.publicKey)).toMatchObject({ paramSetOid: '1.2.398.3.10.1.1.1.1.1', curve: 'S-256-A', digestParamOid: '1.2.398.3.10.1.3.1.1.0', spec: { bits: 256, family: 'GOST 34.310-2004', layout: 'kz' } });
    expect(signer.publicKey).toMatchObject({ algorithmOid: '1.2.643.7.1.1.1.1', parameterOid: '1.2.643.2.2.35.1', bits: 256 });
    expect(kzRoot.publicKey).toMatchObject({ algorithmOid: '1.2.398.3.10.1.1.1.1', parameterOid: '1.2.398.3.10.1.1.1.1.1', bits: 256 });
    const kz2022 = corpusCert('ots-roots/kz/test-pki/nca_gost2022_test.cer');
    expect(kz2022.publicKey).toMatchObject({ algorithmOid: '1.2.398.3.10.1.1.2.2', parameterOid: '1.2.398.3.10.1.1.2.2.1', bits: 512 });
    const rsa = corpusCert('ots-roots/kz/root_rsa_2015.crt');
    expect(readGostPublicKey(rsa.publicKey)).toBeUndefined();
  });

  it('GOST_ALGORITHM_POLICY extends the default: GOST 2012 accepted without end, GOST R 34.10-2001 only before 2019, RSA rules unchanged', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(evaluateAlgorithm(GOST_ALGORITHM_POLICY, { name: 'x', digest: 'Streebog-512', key: 'GOST R 34.10-2012', keyBits: 512 }, at).acceptable).toBe(true);
    const old = evaluateAlgorithm(GOST_ALGORITHM_POLICY, { name: 'x', digest: 'GOST R 34.11-94', key: 'GOST R 34.10-2001', keyBits: 256 }, at);
    expect(old).toMatchObject({ acceptable: false, until: new Date('2019-01-01T00:00:00Z') });
    expect(evaluateAlgorithm(DEFAULT_ALGORITHM_POLICY, { name: 'x', digest: 'Streebog-256', key: 'GOST R 34.10-2012', keyBits: 256 }, at).acceptable).toBe(false);
    expect(GOST_ALGORITHM_POLICY.keys.RSA).toEqual(DEFAULT_ALGORITHM_POLICY.keys.RSA);
  });
});

describe('ots-esig verify --algorithms gost', () => {
  beforeAll(() => ensureBuilt());
  const args = ['--trust-anchor', `${G}/gost-root.pem`, '--crl', `${G}/gost-root-empty.crl`, '--at', manifest.validationTime, '--format', 'json'];

  it('with the provider: exit 0, TOTAL-PASSED', () => {
    const r = runCli(['verify', `${G}/gost-attached.p7s`, ...args, '--algorithms', 'gost']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).signatures[0].indication).toBe('TOTAL-PASSED');
    const d = runCli(['verify', `${G}/gost-detached.p7s`, '--content', `${G}/document.txt`, ...args, '--algorithms', 'gost']);
    expect(d.status, d.stderr).toBe(0);
  });

  it('without it: exit 1, INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE naming the OID', () => {
    const r = runCli(['verify', `${G}/gost-attached.p7s`, ...args]);
    expect(r.status).toBe(1);
    const s = JSON.parse(r.stdout).signatures[0];
    expect(s.indication).toBe('INDETERMINATE');
    expect(s.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
    expect(r.stdout).toContain('1.2.643.7.1.1.1.1');
  });

  it('an unknown provider name is a usage error (exit 2)', () => {
    const r = runCli(['verify', `${G}/gost-attached.p7s`, ...args, '--algorithms', 'sm2']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown provider "sm2"/);
  });
});
