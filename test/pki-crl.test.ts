/**
 * CRL processing (RFC 5280 6.3) on NIST PKITS cases from the shared corpus:
 * skipped when the corpus is absent. The full suite runs in `npm run conformance`;
 * these are the CRL features one by one, through the same harness.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPkitsCase, type PkitsCase } from '../scripts/conformance/pkits.js';
import { getDefaultRegistry } from '../src/crypto/registry.js';
import { ParsedCrl } from '../src/pki/crl.js';
import { CertificatePool, type TrustAnchor } from '../src/pki/pool.js';
import { crlChecker, crlStatus } from '../src/pki/revocation.js';
import { subIndicationOf } from '../src/validation/path-findings.js';
import { AT, issue, pkijsExtension, validate, type TestCert } from './pki-testca.js';
import { describeIf } from './helpers/skip.js';

const corpus = resolve(__dirname, '..', process.env.OTS_CORPUS ?? '../shared/corpus');
const dir = join(corpus, 'pkits');
const present = existsSync(join(dir, 'pkits.json'));
const cases: PkitsCase[] = present ? JSON.parse(readFileSync(join(dir, 'pkits.json'), 'utf8')) : [];
const byId = (id: string) => cases.find((c) => c.id === id)!;

/** Basic revocation (4.4), distribution points / onlySomeReasons / indirect CRLs (4.14), delta CRLs (4.15). */
const CRL_CASES = ['40401', '40402', '40403', '40404', '40408', '40411', '40419', '40420', '41404', '41408', '41410', '41415', '41420', '41430', '41501', '41505'];

describeIf(present, 'no corpus (set OTS_CORPUS=/path/to/corpus): pkits/')('CRL processing on PKITS', () => {
  for (const id of CRL_CASES) {
    it(`${id} ${byId(id)?.name ?? ''}`, async () => {
      const c = byId(id);
      expect(c, `case ${id} in pkits.json`).toBeDefined();
      const r = await runPkitsCase(dir, c);
      expect(r.result, r.reason).toBe('AGREE');
    });
  }
});

describe('CRL processing on generated CRLs', () => {
  const crlNumber = (n: number) => new x509.Extension('2.5.29.20', false, new asn1js.Integer({ value: n }).toBER(false));
  const crlDp = (url: string) =>
    pkijsExtension('2.5.29.31', false, new pkijs.CRLDistributionPoints({ distributionPoints: [new pkijs.DistributionPoint({ distributionPoint: [new pkijs.GeneralName({ type: 6, value: url })] })] }));
  const idp = (url: string) =>
    pkijsExtension('2.5.29.28', true, new pkijs.IssuingDistributionPoint({ distributionPoint: [new pkijs.GeneralName({ type: 6, value: url })] }));
  async function crl(signer: TestCert, opts: { revoked?: TestCert[]; extensions?: x509.Extension[]; number?: number | null; issuer?: TestCert } = {}) {
    const c = await x509.X509CrlGenerator.create({
      issuer: (opts.issuer ?? signer).x.subject,
      thisUpdate: new Date('2025-01-01T00:00:00Z'),
      nextUpdate: new Date('2030-01-01T00:00:00Z'),
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
      signingKey: signer.keys.privateKey,
      entries: (opts.revoked ?? []).map((r) => ({ serialNumber: r.x.serialNumber, revocationDate: new Date('2025-06-01T00:00:00Z'), reason: x509.X509CrlReason.keyCompromise })),
      extensions: [...(opts.number === null ? [] : [crlNumber(opts.number ?? 1)]), ...(opts.extensions ?? [])],
    });
    return ParsedCrl.fromDer(new Uint8Array(c.rawData));
  }
  const registry = getDefaultRegistry();

  it('a revoked leaf fails with REVOKED_NO_POE; a CRL without cRLNumber or from a CA without cRLSign is not used', async () => {
    const root = await issue({ subject: 'CN=CRL Root', ca: true });
    const leaf = await issue({ subject: 'CN=CRL Leaf', issuer: root });
    const revokedBy = await crl(root, { revoked: [leaf] });
    const o = await validate(leaf, [], [root], { revocation: crlChecker([revokedBy], registry) });
    expect(o.best?.failures[0]).toMatchObject({ kind: 'revoked' });
    expect(subIndicationOf(o.best!.failures[0]!)).toBe('REVOKED_NO_POE');
    const noNumber = await crl(root, { revoked: [leaf], number: null });
    expect(await crlStatus(leaf.cert, root.cert, [noNumber], AT, registry)).toMatchObject({ status: 'unknown', reason: expect.stringMatching(/cRLNumber/) });
    const noCrlSign = await issue({ subject: 'CN=No cRLSign CA', ca: true, keyUsage: x509.KeyUsageFlags.keyCertSign });
    const leaf2 = await issue({ subject: 'CN=Leaf 2', issuer: noCrlSign });
    expect(await crlStatus(leaf2.cert, noCrlSign.cert, [await crl(noCrlSign)], AT, registry)).toMatchObject({ status: 'unknown', reason: expect.stringMatching(/cRLSign/) });
  });

  it('accepts a separate CRL-signing certificate of the same CA name only when it validates', async () => {
    const root = await issue({ subject: 'CN=Split Root', ca: true });
    const ca = await issue({ subject: 'CN=Split CA', issuer: root, ca: true, keyUsage: x509.KeyUsageFlags.keyCertSign });
    const crlSigner = await issue({ subject: 'CN=Split CA', issuer: root, ca: false, keyUsage: x509.KeyUsageFlags.cRLSign });
    const leaf = await issue({ subject: 'CN=Split Leaf', issuer: ca });
    const list = [await crl(crlSigner), await crl(root)];
    const anchors = new CertificatePool<TrustAnchor>([{ certificate: root.cert }]);
    const good = await crlStatus(leaf.cert, ca.cert, list, AT, registry, { certificates: [ca.cert, crlSigner.cert], anchors });
    expect(good.status).toBe('good');
    const unrelated = await issue({ subject: 'CN=Split CA', ca: false, keyUsage: x509.KeyUsageFlags.cRLSign }); // self-signed impostor
    const bad = await crlStatus(leaf.cert, ca.cert, [await crl(unrelated)], AT, registry, { certificates: [ca.cert, unrelated.cert], anchors });
    expect(bad.status).toBe('unknown');
  });

  it('matches a partitioned CRL to the certificate by distribution point URI', async () => {
    const root = await issue({ subject: 'CN=DP Root', ca: true });
    const leaf = await issue({ subject: 'CN=DP Leaf', issuer: root, extensions: [crlDp('http://crl.example/part1.crl')] });
    const part1 = await crl(root, { extensions: [idp('http://crl.example/part1.crl')] });
    const part2 = await crl(root, { extensions: [idp('http://crl.example/part2.crl')], revoked: [leaf] });
    expect((await crlStatus(leaf.cert, root.cert, [part1], AT, registry)).status).toBe('good');
    expect((await crlStatus(leaf.cert, root.cert, [part2], AT, registry)).status).toBe('unknown');
  });
});
