/**
 * The page side of `npm run bench:browser`: bundled for the browser (esbuild,
 * WebCrypto only) and driven by bench/browser.ts in headless Chromium. Times
 * ots-esig's verify(), pkijs parse + SignedData.verify and bare WebCrypto on
 * the same signatures, in the page.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { verify } from '../src/index.js';

export interface BrowserCase {
  readonly id: string;
  /** base64 DER: the fixture first, then distinct signatures by the same signer. */
  readonly signatures: readonly string[];
  readonly rootPem: string;
  /** base64 DER of the CA's and root's current CRLs: the default policy needs revocation data. */
  readonly crls: readonly string[];
  readonly validationTime: string;
  /** What the WebCrypto floor verifies: SHA-256 of `content`, and `signature` over `signedAttrs` with `spki`. */
  readonly floor: { readonly content: string; readonly signedAttrs: string; readonly signature: string; readonly spki: string; readonly ecdsa: boolean };
}

export interface BrowserTimings {
  readonly id: string;
  readonly webCryptoFloorMs: number;
  readonly otsMs: number;
  readonly otsDistinctMs: number;
  readonly pkijsMs: number;
}

const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/**
 * Median over groups of `group` sequential calls of the time per call: pages
 * without cross-origin isolation see performance.now() in 100 µs steps, too
 * coarse for one call.
 */
async function median(op: () => Promise<unknown>, warmupMs = 1000, minMs = 1500, group = 25): Promise<number> {
  const warm = performance.now();
  while (performance.now() - warm < warmupMs) await op();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 9 || performance.now() - start < minMs) {
    const t = performance.now();
    for (let i = 0; i < group; i++) await op();
    samples.push((performance.now() - t) / group);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1]!;
}

const fail = (id: string): never => {
  throw new Error(`${id}: a timed verify() did not end TOTAL-PASSED`);
};

async function run(c: BrowserCase): Promise<BrowserTimings> {
  const sigs = c.signatures.map(bytes);
  const options = { trustAnchors: [c.rootPem], crls: c.crls.map(bytes), validationTime: new Date(c.validationTime) };
  const passed = async (der: Uint8Array) => (await verify(der, options)).signatures[0]?.indication === 'TOTAL-PASSED';
  for (const der of sigs) if (!(await passed(der))) throw new Error(`${c.id}: a signature does not verify in the page`);

  const f = c.floor;
  const [content, signedAttrs, signature, spki] = [f.content, f.signedAttrs, f.signature, f.spki].map(bytes) as unknown as [BufferSource, BufferSource, BufferSource, BufferSource];
  const key = await crypto.subtle.importKey('spki', spki, f.ecdsa ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
  const alg = f.ecdsa ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
  const webCryptoFloorMs = await median(() => Promise.all([crypto.subtle.digest('SHA-256', content), crypto.subtle.verify(alg, key, signature, signedAttrs)]));

  const otsMs = await median(async () => (await passed(sigs[0]!)) || fail(c.id));
  let k = 0;
  const otsDistinctMs = await median(async () => (await passed(sigs[1 + (k++ % (sigs.length - 1))]!)) || fail(c.id));

  const rootDer = bytes(c.rootPem.replace(/-----[^-]+-----|\s/g, ''));
  const root = pkijs.Certificate.fromBER(rootDer as BufferSource);
  const at = new Date(c.validationTime);
  const pkijsMs = await median(
    async () => {
      const ci = new pkijs.ContentInfo({ schema: asn1js.fromBER(sigs[0]!.slice().buffer).result });
      const sd = new pkijs.SignedData({ schema: ci.content });
      if ((await sd.verify({ signer: 0, trustedCerts: [root], checkChain: false, checkDate: at })) !== true) throw new Error('pkijs: not verified');
    },
    500,
    1500,
    3,
  );
  return { id: c.id, webCryptoFloorMs, otsMs, otsDistinctMs, pkijsMs };
}

(globalThis as { runBench?: (cases: BrowserCase[]) => Promise<BrowserTimings[]> }).runBench = async (cases) => {
  const out: BrowserTimings[] = [];
  for (const c of cases) out.push(await run(c));
  return out;
};
