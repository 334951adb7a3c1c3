import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './cli.js';

const run = promisify(execFile);

/**
 * Writes `tsa.cnf` (and its serial file) in `dir` for `openssl ts -reply` with the test PKI's kz-tsa key and
 * certificate: SHA-256, policy 1.2.3.4.1, ESS certificate id over SHA-256.
 */
export function writeOpensslTsaConfig(dir: string): void {
  const f = (p: string) => join(ROOT, 'fixtures', p);
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(
    join(dir, 'tsa.cnf'),
    [
      '[ tsa ]',
      'default_tsa = t',
      '[ t ]',
      `serial = ${join(dir, 'serial')}`,
      'crypto_device = builtin',
      `signer_cert = ${f('pki/kz-tsa.pem')}`,
      `certs = ${f('pki/kz-ca.pem')}`,
      `signer_key = ${f('keys/kz-tsa.key.pem')}`,
      'signer_digest = sha256',
      'default_policy = 1.2.3.4.1',
      'digests = sha256',
      'accuracy = secs:1',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
}

/**
 * An independent RFC 3161 TSA on 127.0.0.1: each POSTed TimeStampReq is answered by `openssl ts -reply`
 * with the test PKI's kz-tsa key and certificate (EKU timeStamping, critical; issued by kz-ca).
 * `stampOtherBytes`: the attack — the responder ignores the request and stamps a query of its own over
 * other data (a TSA or man in the middle answering with a valid token about something else).
 */
export async function startOpensslTsa(o: { stampOtherBytes?: boolean } = {}): Promise<{ url: string; requests: number; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ots-tsa-'));
  writeOpensslTsaConfig(dir);
  writeFileSync(join(dir, 'other.bin'), 'bytes the client never asked to be time-stamped');
  let n = 0;
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const i = n++;
        state.requests++;
        const q = join(dir, `q${i}.tsq`);
        const out = join(dir, `r${i}.tsr`);
        try {
          if (o.stampOtherBytes) await run('openssl', ['ts', '-query', '-data', join(dir, 'other.bin'), '-sha256', '-cert', '-out', q]);
          else writeFileSync(q, Buffer.concat(chunks));
          await run('openssl', ['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', q, '-out', out]);
          res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
          res.end(readFileSync(out));
        } catch (e) {
          res.writeHead(500);
          res.end(String(e));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
