/**
 * Names keep their RDN structure (RFC 5280 7.1): a multi-valued RDN is one
 * RDN, compared with another as a set of attribute values. Attack inputs: a
 * leaf whose second RDN is `O=Good Org + CN=… + O=Evil Corporation Ltd` under a
 * CA permitted only `C=KZ, O=Good Org`, and a leaf whose issuer name flattens
 * to its CA's subject without being it. Cross-checked with `openssl verify`.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { isWithinSubtree, readName } from '../src/pki/name.js';
import { summarizeCertificate } from '../src/report/summary.js';
import { AT, issue, kinds, nameConstraints, validate, type TestCert } from './pki-testca.js';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

const probe = spawnSync('openssl', ['version']);
const hasOpenssl = !probe.error && probe.status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'ots-rdn-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `openssl verify` of leaf → intermediates → root at AT; undefined without openssl. */
function opensslVerify(leaf: TestCert | x509.X509Certificate, intermediates: TestCert[], root: TestCert): { ok: boolean; out: string } | undefined {
  if (!hasOpenssl) return undefined;
  const id = Math.random().toString(36).slice(2);
  const leafX = leaf instanceof x509.X509Certificate ? leaf : leaf.x;
  writeFileSync(join(tmp, `${id}-root.pem`), root.x.toString('pem'));
  writeFileSync(join(tmp, `${id}-int.pem`), intermediates.map((c) => c.x.toString('pem')).join('\n') || root.x.toString('pem'));
  writeFileSync(join(tmp, `${id}-leaf.pem`), leafX.toString('pem'));
  const r = spawnSync('openssl', ['verify', '-attime', String(AT.getTime() / 1000), '-CAfile', join(tmp, `${id}-root.pem`), '-untrusted', join(tmp, `${id}-int.pem`), join(tmp, `${id}-leaf.pem`)], { encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}

/** A directoryName subtree from an RFC 4514 string (RDN structure kept, '+' = multi-valued). */
function dirSubtree(dn: string): pkijs.GeneralSubtree {
  const name = pkijs.RelativeDistinguishedNames.fromBER(new x509.Name(dn).toArrayBuffer());
  return new pkijs.GeneralSubtree({ base: new pkijs.GeneralName({ type: 4, value: name }) });
}

const nameOf = (dn: string) => readName(pkijs.RelativeDistinguishedNames.fromBER(new x509.Name(dn).toArrayBuffer()));

describe('multi-valued RDNs', () => {
  it('are kept as one RDN and rendered with +', async () => {
    const root = await issue({ subject: 'CN=RDN Root', ca: true });
    const leaf = await issue({ subject: 'C=KZ, O=Good Org+CN=Signer+O=Evil Corporation Ltd', issuer: root });
    expect(leaf.cert.subject.rdns.map((r) => r.length)).toEqual([1, 3]);
    expect(leaf.cert.subject.text).toBe('O=Good Org+CN=Signer+O=Evil Corporation Ltd, C=KZ');
    expect((await summarizeCertificate(leaf.cert)).subject).toBe('O=Good Org+CN=Signer+O=Evil Corporation Ltd, C=KZ');
  });

  it('compare as sets: attribute order inside an RDN does not matter, RDN boundaries do', () => {
    expect(nameOf('C=KZ, O=A+CN=B').key).toBe(nameOf('C=KZ, CN=B+O=A').key);
    expect(nameOf('C=KZ, O=A+CN=B').key).toBe(nameOf('C=kz, CN=b+O=a').key);
    expect(nameOf('C=KZ, O=A+CN=B').key).not.toBe(nameOf('C=KZ, O=A, CN=B').key);
    expect(nameOf('C=KZ, O=A+O=A').key).not.toBe(nameOf('C=KZ, O=A').key);
    expect(isWithinSubtree(nameOf('C=KZ, O=Good Org, CN=x'), nameOf('C=KZ, O=good  org'))).toBe(true);
    expect(isWithinSubtree(nameOf('C=KZ, O=Good Org+CN=x'), nameOf('C=KZ, O=Good Org'))).toBe(false);
    expect(isWithinSubtree(nameOf('C=KZ, CN=x+O=Good Org, OU=y'), nameOf('C=KZ, O=Good Org+CN=X'))).toBe(true);
  });

  it('a multi-valued RDN smuggling another O is outside the permitted subtree C=KZ, O=Good Org (as in OpenSSL)', async () => {
    const root = await issue({ subject: 'CN=RDN NC Root', ca: true });
    const ca = await issue({ subject: 'CN=RDN NC CA', issuer: root, ca: true, extensions: [nameConstraints([dirSubtree('C=KZ, O=Good Org')])] });
    const good = await issue({ subject: 'C=KZ, O=Good Org, CN=Signer', issuer: ca });
    const evil = await issue({ subject: 'C=KZ, O=Good Org+CN=Signer+O=Evil Corporation Ltd', issuer: ca });
    expect((await validate(good, [ca], [root])).best?.valid).toBe(true);
    const o = await validate(evil, [ca], [root]);
    expect(o.best?.valid).toBe(false);
    expect(kinds(o)).toContain('name-constraints');
    const sslGood = opensslVerify(good, [ca], root);
    const sslEvil = opensslVerify(evil, [ca], root);
    if (sslGood && sslEvil) {
      expect(sslGood.ok, sslGood.out).toBe(true);
      expect(sslEvil.ok).toBe(false);
      expect(sslEvil.out).toMatch(/permitted subtree violation/);
    }
  });

  it('an excluded multi-valued subtree excludes exactly that RDN', async () => {
    const root = await issue({ subject: 'CN=RDN EX Root', ca: true });
    const ca = await issue({ subject: 'CN=RDN EX CA', issuer: root, ca: true, extensions: [nameConstraints([], [dirSubtree('C=KZ, O=Bad+OU=Unit')])] });
    const hit = await issue({ subject: 'C=KZ, OU=unit+O=bad, CN=x', issuer: ca });
    const miss = await issue({ subject: 'C=KZ, O=Bad, OU=Unit, CN=x', issuer: ca });
    expect(kinds(await validate(hit, [ca], [root]))).toContain('name-constraints');
    expect((await validate(miss, [ca], [root])).best?.valid).toBe(true);
    const sslHit = opensslVerify(hit, [ca], root);
    if (sslHit) expect(sslHit.ok).toBe(false);
  });

  /** A leaf signed by `signer` naming `issuerName` as its issuer. */
  async function leafNaming(signer: TestCert, issuerName: string): Promise<TestCert> {
    const keys = (await globalThis.crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
    const x = await x509.X509CertificateGenerator.create({
      serialNumber: '0bad',
      subject: 'CN=Chained Leaf',
      issuer: issuerName,
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2040-01-01T00:00:00Z'),
      publicKey: keys.publicKey,
      signingKey: signer.keys.privateKey,
      signingAlgorithm: ALG,
      extensions: [new x509.BasicConstraintsExtension(false, undefined, true), await x509.AuthorityKeyIdentifierExtension.create(signer.keys.publicKey)],
    });
    return { name: 'CN=Chained Leaf', keys, x, cert: ParsedCertificate.fromDer(new Uint8Array(x.rawData)) };
  }

  it('name chaining compares RDN structure: C=KZ, O=Good Org+CN=CA is not C=KZ, O=Good Org, CN=CA', async () => {
    const root = await issue({ subject: 'CN=RDN Chain Root', ca: true });
    const ca = await issue({ subject: 'C=KZ, O=Good Org, CN=CA', issuer: root, ca: true });
    const flattened = await leafNaming(ca, 'C=KZ, O=Good Org+CN=CA');
    expect(flattened.cert.issuer.key).not.toBe(ca.cert.subject.key);
    expect((await validate(flattened, [ca], [root])).best?.valid).not.toBe(true);
    const ssl = opensslVerify(flattened, [ca], root);
    if (ssl) expect(ssl.ok).toBe(false);
    // The same RDN with its attributes in another order (and case) does chain, in both.
    const ca2 = await issue({ subject: 'C=KZ, O=Good Org+CN=CA2', issuer: root, ca: true });
    const reordered = await leafNaming(ca2, 'C=KZ, CN=ca2+O=GOOD ORG');
    expect((await validate(reordered, [ca2], [root])).best?.valid).toBe(true);
    const ssl2 = opensslVerify(reordered, [ca2], root);
    if (ssl2) expect(ssl2.ok, ssl2.out).toBe(true);
  });
});

// A value that is not a string is compared by its encoding and never equals a string spelling it.
it('a non-string attribute value never matches a string with the same text', () => {
  const enc = (value: asn1js.BaseBlock) =>
    readName(pkijs.RelativeDistinguishedNames.fromBER(new asn1js.Sequence({ value: [new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '2.5.4.3' }), value] })] })] }).toBER(false)));
  const bin = enc(new asn1js.OctetString({ valueHex: new Uint8Array([1, 2]).buffer }));
  const str = enc(new asn1js.Utf8String({ value: bin.rdns[0]![0]!.value }));
  expect(bin.key).not.toBe(str.key);
});
