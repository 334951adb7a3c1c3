import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { acceptTimestampResponse, createTimestampRequest, type TimestampRequest } from '../src/tsp/request.js';
import { toHex } from '../src/util/bytes.js';

// The requesting side of RFC 3161 (trust-list sign --tsa): our TimeStampReq answered by openssl ts -reply with the
// test PKI's TSA, and the answers refused because they are not about what was asked.
let dir: string;
const F = (p: string) => join(process.cwd(), 'fixtures', p);

function reply(req: TimestampRequest, name: string): Uint8Array {
  writeFileSync(join(dir, `${name}.tsq`), req.der);
  execFileSync('openssl', ['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', join(dir, `${name}.tsq`), '-out', join(dir, `${name}.tsr`)], { stdio: 'pipe' });
  return new Uint8Array(readFileSync(join(dir, `${name}.tsr`)));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ots-tsq-'));
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(
    join(dir, 'tsa.cnf'),
    ['[ tsa ]', 'default_tsa = t', '[ t ]', `serial = ${join(dir, 'serial')}`, 'crypto_device = builtin', `signer_cert = ${F('pki/kz-tsa.pem')}`, `signer_key = ${F('keys/kz-tsa.key.pem')}`, 'signer_digest = sha256', 'default_policy = 1.2.3.4.1', 'digests = sha256', 'ess_cert_id_alg = sha256', ''].join('\n'),
  );
});

describe('RFC 3161 requests and the answers accepted', () => {
  it('openssl reads our request (SHA-256 imprint, nonce, certReq) and its answer is accepted', async () => {
    const data = new TextEncoder().encode('<ds:SignatureValue>…</ds:SignatureValue>');
    const req = await createTimestampRequest(data);
    writeFileSync(join(dir, 'q.tsq'), req.der);
    const text = execFileSync('openssl', ['ts', '-query', '-in', join(dir, 'q.tsq'), '-text'], { encoding: 'utf8' });
    expect(text).toMatch(/Hash Algorithm: sha256/);
    expect(text).toMatch(/Certificate required: yes/);
    const flat = text.replace(/[\s:-]/g, '').toLowerCase();
    expect(flat).toContain(`nonce0x${req.nonceHex}`);
    expect(flat).toContain(toHex(req.imprint).slice(0, 32));
    const token = acceptTimestampResponse(reply(req, 'ok'), req);
    expect(toHex(token.tstInfo.hashedMessage)).toBe(toHex(req.imprint));
    expect(token.tstInfo.nonceHex?.replace(/^(00)+/, '')).toBe(req.nonceHex.replace(/^(00)+/, ''));
    expect(token.cms.certificates.length).toBeGreaterThan(0);
  });

  it('refuses the answer to another request over the same data (nonce), and over other data (imprint)', async () => {
    const data = new TextEncoder().encode('same bytes');
    const first = await createTimestampRequest(data);
    const second = await createTimestampRequest(data);
    expect(second.nonceHex).not.toBe(first.nonceHex);
    const old = reply(first, 'first');
    expect(() => acceptTimestampResponse(old, second)).toThrow(expect.objectContaining({ code: 'ERR_TIMESTAMP_RESPONSE', message: expect.stringMatching(/nonce/) }));
    const other = await createTimestampRequest(new TextEncoder().encode('other bytes'));
    expect(() => acceptTimestampResponse(old, other)).toThrow(expect.objectContaining({ code: 'ERR_TIMESTAMP_RESPONSE', message: expect.stringMatching(/not over the requested data/) }));
  });

  it('refuses a rejection, an answer without a token, and bytes that are not a TimeStampResp', async () => {
    const req = await createTimestampRequest(new Uint8Array([1, 2, 3]));
    const rejection = new pkijs.TimeStampResp({ status: new pkijs.PKIStatusInfo({ status: 2, statusStrings: [new asn1js.Utf8String({ value: 'badAlg' })] }) });
    expect(() => acceptTimestampResponse(new Uint8Array(rejection.toSchema().toBER(false)), req)).toThrow(/refused the request \(PKIStatus 2: badAlg\)/);
    const empty = new pkijs.TimeStampResp({ status: new pkijs.PKIStatusInfo({ status: 0 }) });
    expect(() => acceptTimestampResponse(new Uint8Array(empty.toSchema().toBER(false)), req)).toThrow(/no time-stamp token/);
    expect(() => acceptTimestampResponse(new TextEncoder().encode('<html>502</html>'), req)).toThrow(expect.objectContaining({ code: 'ERR_TIMESTAMP_RESPONSE' }));
  });
});
