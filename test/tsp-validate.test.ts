import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCades } from '../src/cades/parse.js';
import { OID } from '../src/pki/oids.js';
import { parseTimestampToken, validateTimestampToken } from '../src/tsp/index.js';
import { createContext } from '../src/validation/options.js';
import { FIXTURES, fixture, fixtureCrls } from './helpers/fixtures.js';
import { writeOpensslTsaConfig } from './helpers/openssl-tsa.js';

const SHA256 = '2.16.840.1.101.3.4.2.1';
const at = new Date('2026-06-01T00:00:00Z');
const ctx = (over: Record<string, unknown> = {}) =>
  createContext({ trustAnchors: [fixture('pki/kz-root.pem')], timestampAnchors: [fixture('pki/kz-root.pem')], intermediates: [fixture('pki/kz-ca.pem')], crls: [fixture('crl/kz-ca-empty.crl'), fixture('crl/current/kz-root.crl')], validationTime: at, ...over });

function tokenOf(file: string): { token: Uint8Array; signatureValue: Uint8Array } {
  const si = parseCades(fixture(file)).signers[0]!;
  const v = si.unsignedAttributes.get(OID.signatureTimeStampToken)![0]!.values[0]!;
  return { token: v.encoding.slice(), signatureValue: si.signatureValue };
}

describe('validateTimestampToken (RFC 3161)', () => {
  const { token, signatureValue } = tokenOf('ltv/cades-t.p7s');

  it('parses TSTInfo: genTime, accuracy, policy, imprint algorithm', () => {
    const t = parseTimestampToken(token).tstInfo;
    expect(t.genTime.toISOString()).toBe('2026-03-01T10:00:05.000Z');
    expect(t.accuracyMs).toBe(1000);
    expect(t.hashAlgorithmOid).toBe(SHA256);
    expect(t.policy).toBe('1.3.6.1.4.1.99999.2.1');
  });

  it('a genuine token over the right bytes passes, with the TSA path to the anchor', async () => {
    const r = await validateTimestampToken(token, { imprint: { data: signatureValue }, ctx: ctx() });
    expect(r.status).toBe('PASSED');
    expect(r.genTime?.toISOString()).toBe('2026-03-01T10:00:05.000Z');
    expect(r.tsa?.commonName).toBe('KZ Test TSA');
    expect(r.chain.map((c) => c.commonName)).toEqual(['KZ Test TSA', 'KZ Test Issuing CA', 'KZ Test Root CA']);
    expect(r.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining(['tst.signature-value', 'tst.message-imprint', 'tst.tsa-eku', 'tst.gen-time', 'tst.tsa.path', 'tst.tsa-trust']),
    );
  });

  it('a TSA under a signature trust anchor only is not trusted as a TSA', async () => {
    const r = await validateTimestampToken(token, { imprint: { data: signatureValue }, ctx: ctx({ timestampAnchors: [] }) });
    expect(r).toMatchObject({ status: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(r.checks.find((c) => c.id === 'tst.tsa-trust')?.detail).toMatch(/not trusted as a time-stamping authority/);
  });

  it('accepts the imprint as a digest too', async () => {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', signatureValue as BufferSource));
    expect((await validateTimestampToken(token, { imprint: { digest, digestAlgorithmOid: SHA256 }, ctx: ctx() })).status).toBe('PASSED');
    const other = await validateTimestampToken(token, { imprint: { digest, digestAlgorithmOid: '2.16.840.1.101.3.4.2.2' }, ctx: ctx() });
    expect(other).toMatchObject({ status: 'FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('other bytes → FAILED/HASH_FAILURE on the message imprint', async () => {
    const r = await validateTimestampToken(token, { imprint: { data: new TextEncoder().encode('something else') }, ctx: ctx() });
    expect(r).toMatchObject({ status: 'FAILED', subIndication: 'HASH_FAILURE' });
    expect(r.checks.find((c) => c.id === 'tst.message-imprint')?.status).toBe('FAILED');
  });

  it('a TSTInfo altered after signing → HASH_FAILURE (message-digest)', async () => {
    const bad = token.slice();
    // The genTime "20260301100005Z" sits in the TSTInfo: change one digit of the seconds.
    const text = new TextDecoder('latin1').decode(bad);
    const i = text.indexOf('20260301100005');
    expect(i).toBeGreaterThan(0);
    bad[i + 13] = '9'.charCodeAt(0);
    const r = await validateTimestampToken(bad, { imprint: { data: signatureValue }, ctx: ctx() });
    expect(r.checks.find((c) => c.id === 'tst.message-digest')).toMatchObject({ status: 'FAILED', subIndication: 'HASH_FAILURE' });
    expect(r.status).toBe('FAILED');
  });

  it('a flipped signature bit → SIG_CRYPTO_FAILURE', async () => {
    const bad = token.slice();
    // The RSA signature is the last 256 bytes of the token (no unsigned attributes).
    bad[bad.length - 10]! ^= 0x01;
    const r = await validateTimestampToken(bad, { imprint: { data: signatureValue }, ctx: ctx() });
    expect(r).toMatchObject({ status: 'FAILED', subIndication: 'SIG_CRYPTO_FAILURE' });
  });

  it('a TSA under an untrusted root → INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const u = tokenOf('ltv/untrusted-tsa.p7s');
    const r = await validateTimestampToken(u.token, { imprint: { data: u.signatureValue }, ctx: ctx() });
    expect(r).toMatchObject({ status: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
  });

  it('validated at a time after the TSA certificate expired → OUT_OF_BOUNDS_NO_POE (the TSA path needs its own POE)', async () => {
    // kz-tsa expires 2030-01-01; kz-ca and kz-root are still valid in 2031.
    const r = await validateTimestampToken(token, { imprint: { data: signatureValue }, ctx: ctx({ validationTime: new Date('2031-01-01T00:00:00Z') }) });
    expect(r).toMatchObject({ status: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE' });
  });

  it('a token whose genTime is after the validation time is not accepted', async () => {
    const r = await validateTimestampToken(token, { imprint: { data: signatureValue }, ctx: ctx({ validationTime: new Date('2026-02-01T00:00:00Z') }) });
    expect(r.status).not.toBe('PASSED');
    expect(r.checks.find((c) => c.id === 'tst.gen-time')?.subIndication).toBe('TIMESTAMP_ORDER_FAILURE');
  });

  it('garbage → FAILED/FORMAT_FAILURE, never a throw', async () => {
    const r = await validateTimestampToken(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]), { ctx: ctx() });
    expect(r).toMatchObject({ status: 'FAILED', subIndication: 'FORMAT_FAILURE' });
    // A CAdES signature is a SignedData, but not a time-stamp token.
    const notTst = await validateTimestampToken(fixture('cades/kz-attached.p7s'), { ctx: ctx() });
    expect(notTst).toMatchObject({ status: 'FAILED', subIndication: 'FORMAT_FAILURE' });
  });

  it('a document-signer certificate cannot act as a TSA (RFC 3161 2.3: sole, critical id-kp-timeStamping)', async () => {
    const t = tokenOf('ltv/signer-as-tsa.p7s');
    const r = await validateTimestampToken(t.token, { imprint: { data: t.signatureValue }, ctx: ctx() });
    expect(r.checks.find((c) => c.id === 'tst.signature-value')?.status).toBe('PASSED');
    expect(r.checks.find((c) => c.id === 'tst.tsa-eku')).toMatchObject({ status: 'INDETERMINATE', subIndication: 'CHAIN_CONSTRAINTS_FAILURE' });
    expect(r.checks.find((c) => c.id === 'tst.tsa.extended-key-usage')?.status).toBe('INDETERMINATE');
    expect(r.status).toBe('INDETERMINATE');
  });
});

describe('interoperability with openssl ts (independent implementation)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ots-tsp-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('openssl ts -verify accepts our fixture token', () => {
    const { token, signatureValue } = tokenOf('ltv/cades-t.p7s');
    writeFileSync(join(dir, 'tok.der'), token);
    writeFileSync(join(dir, 'data.bin'), signatureValue);
    writeFileSync(join(dir, 'ca.pem'), Buffer.concat([fixture('pki/kz-root.pem'), fixture('pki/kz-ca.pem')]));
    const r = spawnSync(
      'openssl',
      ['ts', '-verify', '-in', join(dir, 'tok.der'), '-token_in', '-data', join(dir, 'data.bin'), '-CAfile', join(dir, 'ca.pem'), '-untrusted', join(FIXTURES, 'pki/kz-tsa.pem'), '-attime', String(at.getTime() / 1000)],
      { encoding: 'utf8' },
    );
    expect(r.stdout + r.stderr).toMatch(/Verification: OK/);
  });

  it('a TimeStampResp made by openssl ts -reply with the fixture TSA key validates, and binds to its data only', async () => {
    const data = new TextEncoder().encode('data time-stamped by openssl');
    writeFileSync(join(dir, 'doc.bin'), data);
    writeOpensslTsaConfig(dir);
    const q = spawnSync('openssl', ['ts', '-query', '-data', join(dir, 'doc.bin'), '-sha256', '-cert', '-out', join(dir, 'q.tsq')], { encoding: 'utf8' });
    expect(q.status, q.stderr).toBe(0);
    const rep = spawnSync('openssl', ['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', join(dir, 'q.tsq'), '-out', join(dir, 'r.tsr')], { encoding: 'utf8' });
    expect(rep.status, rep.stderr).toBe(0);
    const resp = new Uint8Array(readFileSync(join(dir, 'r.tsr')));
    const now = createContext({ timestampAnchors: [fixture('pki/kz-root.pem')], intermediates: [fixture('pki/kz-ca.pem')], crls: fixtureCrls() });
    const ok = await validateTimestampToken(resp, { imprint: { data }, ctx: now });
    expect(ok.status, JSON.stringify(ok.checks.filter((c) => c.status !== 'PASSED'))).toBe('PASSED');
    expect(Math.abs(ok.genTime!.getTime() - Date.now())).toBeLessThan(10 * 60 * 1000);
    const other = await validateTimestampToken(resp, { imprint: { data: new TextEncoder().encode('other') }, ctx: now });
    expect(other.subIndication).toBe('HASH_FAILURE');
  });
});
