/**
 * `npm run bench:browser`: ots-esig where document portals run it, in headless
 * Chromium (Debian chromium driven by playwright-core). bench/browser-page.ts
 * is bundled for the browser with esbuild, served from 127.0.0.1, and times in
 * the page, on the same CAdES-B fixtures as `npm run bench`: WebCrypto alone
 * (digest + verify), ots-esig verify() on one signature and on distinct ones by
 * the same signer, and pkijs parse + SignedData.verify. Prints a table and
 * writes bench/results-browser.json. Skipped with a message without Chromium.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createPublicKey, sign, createPrivateKey } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { parseCades } from '../src/cades/parse.js';
import { VALIDATION_TIME } from './cases.js';
import { distinctSignatures } from './distinct.js';
import type { BrowserCase, BrowserTimings } from './browser-page.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

function browserCase(id: string, file: string, root: string, keyFile: string, crlFiles: readonly string[]): BrowserCase {
  const der = new Uint8Array(readFileSync(FIXTURES + file));
  const si = parseCades(der).signers[0]!;
  const sig = parseCades(der);
  const signer = sig.certificates.find((c) => si.sid.type === 'issuerAndSerialNumber' && c.serialNumberHex === si.sid.serialNumberHex)!;
  const ecdsa = createPublicKey({ key: Buffer.from(signer.publicKey.spki), format: 'der', type: 'spki' }).asymmetricKeyType === 'ec';
  // WebCrypto takes ECDSA signatures as r||s: sign the same bytes again in that form with the fixture key.
  const signature = ecdsa ? new Uint8Array(sign('sha256', si.signedAttributesDer!, { key: createPrivateKey(readFileSync(FIXTURES + keyFile)), dsaEncoding: 'ieee-p1363' })) : si.signatureValue;
  return {
    id,
    signatures: [der, ...distinctSignatures(der, keyFile, 200)].map(b64),
    rootPem: readFileSync(FIXTURES + root, 'utf8'),
    crls: crlFiles.map((f) => b64(new Uint8Array(readFileSync(FIXTURES + f)))),
    validationTime: VALIDATION_TIME.toISOString(),
    floor: { content: b64(sig.eContent!), signedAttrs: b64(si.signedAttributesDer!), signature: b64(signature), spki: b64(signer.publicKey.spki), ecdsa },
  };
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`bench:browser skipped — no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ots-bench-browser-'));
  await build({
    entryPoints: [fileURLToPath(new URL('../bench/browser-page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(dir, 'page.js'),
    logLevel: 'warning',
  });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="page.js"></script>');
  const server = createServer((req, res) => {
    const name = req.url === '/page.js' ? 'page.js' : 'index.html';
    res.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(readFileSync(join(dir, name)));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => typeof (globalThis as { runBench?: unknown }).runBench === 'function');
    const cases = [
      browserCase('rsa2048', 'cades/az-attached.p7s', 'pki/az-root.pem', 'keys/az-signer.key.pem', ['crl/current/az-ca.crl', 'crl/current/az-root.crl']),
      browserCase('p256', 'cades/kg-attached.p7s', 'pki/kg-root.pem', 'keys/kg-signer.key.pem', ['crl/current/kg-ca.crl', 'crl/current/kg-root.crl']),
    ];
    const timings = await page.evaluate((c) => (globalThis as unknown as { runBench: (c: BrowserCase[]) => Promise<BrowserTimings[]> }).runBench(c), cases);
    const version = browser.version();
    console.log(`ots-esig in headless Chromium ${version} (CAdES-B, one signature, sequential, median)`);
    const fmt = (v: number) => (v >= 1 ? v.toFixed(2) : v.toFixed(3));
    for (const t of timings) {
      console.log(`  ${t.id.padEnd(8)} WebCrypto alone ${fmt(t.webCryptoFloorMs)} ms | ots-esig ${fmt(t.otsMs)} ms (${fmt(t.otsMs / t.webCryptoFloorMs)}x WebCrypto alone), distinct signatures ${fmt(t.otsDistinctMs)} ms | pkijs ${fmt(t.pkijsMs)} ms (ots-esig ${fmt(t.pkijsMs / t.otsMs)}x faster)`);
    }
    writeFileSync(fileURLToPath(new URL('../bench/results-browser.json', import.meta.url)), JSON.stringify({ date: new Date().toISOString(), chromium: version, timings }, null, 2) + '\n');
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
