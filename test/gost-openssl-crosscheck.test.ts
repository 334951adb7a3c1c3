// An independent check of the GOST R 34.10-2012 code against OpenSSL with Debian's GOST engine
// (libengine-gost-openssl), both ways: OpenSSL verifies the CMS our fixture generator signs, and
// ots-esig verifies CAdES that OpenSSL made from a chain OpenSSL made (its own keys, certificates
// and CRL). The KalkanCrypt files of the corpus cannot take part: the engine does not know the
// Kazakh key OIDs 1.2.398.3.10.1.1.* and answers "no public key" (see scripts/conformance/realworld.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlgorithmRegistry, verify } from '../src/index.js';
import { GostProvider, GOST_ALGORITHM_POLICY } from '../src/gost.js';
import { describeIf } from './helpers/skip.js';

const G = fileURLToPath(new URL('../fixtures/gost/', import.meta.url));
const ENGINE = ['/usr/lib/x86_64-linux-gnu/engines-3/gost.so', '/usr/lib/aarch64-linux-gnu/engines-3/gost.so', '/usr/lib/engines-3/gost.so'].some(existsSync);
const OPENSSL = (() => {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
})();

let dir = '';
const at = (name: string) => join(dir, name);
const bytes = (path: string) => new Uint8Array(readFileSync(path));

/** Runs openssl with the GOST engine; throws with its output when it fails. */
function openssl(args: string[]): string {
  const r = spawnSync('openssl', [args[0]!, '-engine', 'gost', ...args.slice(1)], { encoding: 'utf8', cwd: dir });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  return r.stderr;
}

/** `openssl cms -verify` with the engine: true only on "Verification successful". */
function opensslVerifies(p7s: string, anchor: string, content?: string): boolean {
  const args = ['cms', '-engine', 'gost', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-CAfile', anchor, '-purpose', 'any', '-out', '/dev/null'];
  if (content) args.push('-content', content);
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return r.status === 0 && /Verification successful/.test(r.stderr);
}

const gost = () => ({ registry: new AlgorithmRegistry().register(new GostProvider()), algorithmPolicy: GOST_ALGORITHM_POLICY });

/** A root, a signer under it and the root's empty CRL, all made by OpenSSL, and a CAdES over doc.txt signed by OpenSSL. */
function opensslChain(tag: string, algorithm: 'gost2012_256' | 'gost2012_512', md: string): void {
  openssl(['genpkey', '-algorithm', algorithm, '-pkeyopt', 'paramset:A', '-out', `${tag}-root.key`]);
  openssl(['req', '-x509', '-new', '-key', `${tag}-root.key`, `-${md}`, '-subj', `/CN=TEST GOST ${tag} Root (openssl)/C=KZ`, '-days', '30', '-out', `${tag}-root.pem`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['genpkey', '-algorithm', algorithm, '-pkeyopt', 'paramset:A', '-out', `${tag}-signer.key`]);
  openssl(['req', '-new', '-key', `${tag}-signer.key`, `-${md}`, '-subj', `/CN=TEST GOST ${tag} Signer (openssl)/C=KZ`, '-out', `${tag}-signer.csr`]);
  writeFileSync(at('signer-ext.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n');
  openssl(['x509', '-req', '-in', `${tag}-signer.csr`, '-CA', `${tag}-root.pem`, '-CAkey', `${tag}-root.key`, '-set_serial', '0x1234', '-days', '20', '-extfile', 'signer-ext.cnf', `-${md}`, '-out', `${tag}-signer.pem`]);
  writeFileSync(at(`${tag}-index.txt`), '');
  writeFileSync(at(`${tag}-crlnumber`), '01\n');
  writeFileSync(at(`${tag}-ca.cnf`), `[ca]\ndefault_ca=c\n[c]\ndatabase=${tag}-index.txt\ncrlnumber=${tag}-crlnumber\ndefault_md=${md}\ndefault_crl_days=7\n`);
  openssl(['ca', '-gencrl', '-config', `${tag}-ca.cnf`, '-keyfile', `${tag}-root.key`, '-cert', `${tag}-root.pem`, '-out', `${tag}-root.crl`]);
  // -cades adds ESS signing-certificate-v2 (with a Streebog hash), which a CAdES-B needs.
  openssl(['cms', '-sign', '-binary', '-cades', '-nodetach', '-md', md, '-in', 'doc.txt', '-signer', `${tag}-signer.pem`, '-inkey', `${tag}-signer.key`, '-outform', 'DER', '-out', `${tag}.p7s`]);
}

async function oursOn(tag: string, p7s: Uint8Array, options: object = gost()) {
  const r = await verify(p7s, { trustAnchors: [bytes(at(`${tag}-root.pem`))], crls: [bytes(at(`${tag}-root.crl`))], ...options });
  expect(r.signatures).toHaveLength(1);
  return r.signatures[0]!;
}

describeIf(OPENSSL && ENGINE, 'openssl or its GOST engine (libengine-gost-openssl) not installed')('GOST R 34.10-2012 CMS cross-checked with OpenSSL\'s GOST engine', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ots-gost-openssl-'));
    writeFileSync(at('doc.txt'), 'Qazaqstan Respublikasy — a document signed by OpenSSL\n');
    writeFileSync(at('doc-changed.txt'), 'Qazaqstan Respublikasy — a document signed by OpenSSL!\n');
    opensslChain('g256', 'gost2012_256', 'md_gost12_256');
    opensslChain('g512', 'gost2012_512', 'md_gost12_512');
  }, 60_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('OpenSSL verifies the CMS our generator signed (attached, and detached over its document), and refuses other content', () => {
    expect(opensslVerifies(join(G, 'gost-attached.p7s'), join(G, 'gost-root.pem'))).toBe(true);
    expect(opensslVerifies(join(G, 'gost-detached.p7s'), join(G, 'gost-root.pem'), join(G, 'document.txt'))).toBe(true);
    expect(opensslVerifies(join(G, 'gost-detached.p7s'), join(G, 'gost-root.pem'), at('doc-changed.txt'))).toBe(false);
  });

  for (const tag of ['g256', 'g512'] as const) {
    it(`ots-esig passes the CAdES-B OpenSSL signed with ${tag === 'g256' ? 'GOST R 34.10-2012-256 / Streebog-256' : 'GOST R 34.10-2012-512 / Streebog-512'} on an OpenSSL-made chain and CRL`, async () => {
      expect(opensslVerifies(at(`${tag}.p7s`), at(`${tag}-root.pem`))).toBe(true);
      const s = await oursOn(tag, bytes(at(`${tag}.p7s`)));
      expect(s.indication, s.checks.filter((c) => c.status !== 'PASSED').map((c) => `${c.id}: ${c.detail}`).join('\n')).toBe('TOTAL-PASSED');
      expect(s.checks.find((c) => c.id === 'cv.signature-value')?.detail).toMatch(tag === 'g256' ? /GOST R 34\.10-2012-256/ : /GOST R 34\.10-2012-512/);
    });

    it(`a changed byte of the ${tag} signature value fails for both OpenSSL and ots-esig; without the GOST provider it is never a pass`, async () => {
      const der = bytes(at(`${tag}.p7s`));
      // The signature value is the SignerInfo's last OCTET STRING, at the end of the unsigned CMS.
      const bad = new Uint8Array(der);
      bad[bad.length - 5]! ^= 0x01;
      writeFileSync(at(`${tag}-bad.p7s`), bad);
      expect(opensslVerifies(at(`${tag}-bad.p7s`), at(`${tag}-root.pem`))).toBe(false);
      const s = await oursOn(tag, bad);
      expect(s.indication).toBe('TOTAL-FAILED');
      expect(s.subIndication).toBe('SIG_CRYPTO_FAILURE');
      const plain = await oursOn(tag, der, {});
      expect(plain.indication).not.toBe('TOTAL-PASSED');
    });
  }
});
