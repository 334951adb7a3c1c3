/**
 * `tsx bench/xades-cpu.ts [N]`: the xadesDistinct row of bench/workloads.ts (N distinct XAdES-B
 * signers, default 300) with ots-esig verify() and xadesjs Parse + SignedXml.LoadXml + Verify
 * alternating call by call, reported as wall medians AND as mean CPU time per call
 * (process.cpuUsage, worker threads included). On a shared, loaded machine xadesjs's WebCrypto jobs
 * wait for the thread pool, so the wall ratio flatters ots-esig; the CPU ratio is the steadier figure.
 * Also `parse`: src/xml/parse.ts alone on the same documents.
 */
import { webcrypto } from 'node:crypto';
import * as xmldom from '@xmldom/xmldom';
import * as xadesjs from 'xadesjs';
import xpath from 'xpath';
import { certificateCache } from '../src/pki/cache.js';
import { ParsedCrl } from '../src/pki/crl.js';
import { verify, type VerifyOptions } from '../src/index.js';
import { parseXml } from '../src/xml/parse.js';
import { distinctXadesSigners } from './realistic-inputs.js';
import { median } from './timing.js';

const TIME = new Date('2026-06-01T00:00:00Z');
const N = Number(process.argv[2] ?? 300);
const WARM = 20;
const d = await distinctXadesSigners(N);
const opts: VerifyOptions = { trustAnchors: [d.rootPem], crls: [ParsedCrl.fromDer(d.caCrl), ParsedCrl.fromDer(d.rootCrl)], validationTime: TIME };
xadesjs.Application.setEngine('NodeJS', webcrypto as never);
xadesjs.setNodeDependencies({ XMLSerializer: xmldom.XMLSerializer, DOMParser: xmldom.DOMParser, DOMImplementation: xmldom.DOMImplementation, xpath } as never);
const decoder = new TextDecoder();
const peer = async (xml: Uint8Array) => {
  const doc = xadesjs.Parse(decoder.decode(xml));
  const signed = new xadesjs.SignedXml(doc);
  signed.LoadXml(doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]!);
  return (await signed.Verify()) === true;
};
for (let i = 0; i < WARM; i++) {
  await verify(d.documents[i]!, opts);
  await peer(d.documents[i]!);
}
certificateCache.clear();
const wall: Record<string, number[]> = { ots: [], xadesjs: [], parse: [] };
const cpu: Record<string, number> = { ots: 0, xadesjs: 0, parse: 0 };
async function time(k: string, op: () => unknown) {
  const c = process.cpuUsage();
  const s = performance.now();
  await op();
  wall[k]!.push(performance.now() - s);
  const u = process.cpuUsage(c);
  cpu[k]! += (u.user + u.system) / 1000;
}
for (let i = WARM; i < N; i++) {
  const x = d.documents[i]!;
  await time('parse', () => parseXml(x));
  await time('ots', async () => {
    if ((await verify(x, opts)).signatures[0]?.indication !== 'TOTAL-PASSED') throw new Error(`document ${i} does not verify`);
  });
  await time('xadesjs', async () => {
    if (!(await peer(x))) throw new Error(`xadesjs rejects document ${i}`);
  });
}
const per = (k: string) => cpu[k]! / (N - WARM);
for (const k of Object.keys(wall)) console.log(`${k.padEnd(8)} wall median ${median(wall[k]!).toFixed(3)} ms, CPU mean ${per(k).toFixed(3)} ms`);
console.log(`xadesjs / ots: wall ${(median(wall.xadesjs!) / median(wall.ots!)).toFixed(2)}, CPU ${(per('xadesjs') / per('ots')).toFixed(2)}`);
