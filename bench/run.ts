/**
 * `npm run bench`: ots-esig against the raw crypto floor and against pkijs, on
 * the same inputs in the same run; trust-list loading; anchor lookup scaling;
 * memory. Prints a table with ratios and PASS/FAIL per target and writes
 * bench/results.json. Not part of `npm test` (timings depend on the machine).
 *
 * Environment: BENCH_BATCH (default 1000), BENCH_QUICK=1 for a short run
 * (nothing written), BENCH_ONLY=workloads for the realistic workloads alone
 * (bench/workloads.ts; merged into bench/results.json, the other rows kept).
 *
 * `npm run bench` bundles this file with esbuild first (dependencies stay
 * external) and runs the bundle: the code is compiled as tsup ships it. Under
 * tsx every function is compiled with keepNames, whose per-closure __name call
 * alone cost ~5% of a verify() in profiles.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { expectPassed, loadCase, VALIDATION_TIME, type BenchCase } from './cases.js';
import { BATCH_CONCURRENCY, bestBatch, gc, timeSequential } from './timing.js';
import * as asn1js from 'asn1js';
import { syntheticCaCertificates, trustedListJson } from './synthetic.js';
import { certificateCache } from '../src/pki/cache.js';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { CertificatePool, type TrustAnchor } from '../src/pki/pool.js';
import { loadTrustLists } from '../src/trust/load.js';
import { verify } from '../src/index.js';
import { pemToDer } from './cases.js';
import { distinctSignatures } from './distinct.js';
import { runWorkloads } from './workloads.js';
import { existsSync, readFileSync } from 'node:fs';

const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const QUICK = process.env.BENCH_QUICK === '1';
const seqOpts = QUICK ? { warmup: 5, minRuns: 20, minMs: 100 } : { warmup: 30, warmupMs: 1000, minRuns: 100, minMs: 800 };

interface Row {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}
interface Target {
  readonly name: string;
  readonly measured: string;
  readonly limit: string;
  readonly pass: boolean;
}
const rows: Row[] = [];
const targets: Target[] = [];
const row = (name: string, value: number, unit: string, note?: string) => {
  rows.push({ name, value, unit, note });
  console.log(`  ${name.padEnd(58)} ${fmt(value).padStart(10)} ${unit}${note ? `  (${note})` : ''}`);
};
const target = (name: string, measured: string, limit: string, pass: boolean) => targets.push({ name, measured, limit, pass });
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));

async function signatureBench(c: BenchCase) {
  console.log(`\n${c.label}  (${c.der.length} bytes)`);
  const floor = await timeSequential(c.floor, seqOpts);
  const pk = await timeSequential(() => c.pkijsVerify(false), { ...seqOpts, minRuns: QUICK ? 10 : 50 });
  const pkChain = await timeSequential(() => c.pkijsVerify(true), { ...seqOpts, minRuns: QUICK ? 10 : 50 });
  const ots = await timeSequential(c.otsVerify, seqOpts);
  const decode = await timeSequential(() => asn1js.fromBER(c.der.slice().buffer), seqOpts);
  const otsNode = await timeSequential(c.otsVerifyNode, seqOpts);
  const webFloor = await timeSequential(c.webFloor, seqOpts);
  row(`${c.id} floor: node:crypto sha256 + verify, single`, floor.medianMs, 'ms');
  row(`${c.id} pkijs parse + SignedData.verify, single`, pk.medianMs, 'ms');
  row(`${c.id} pkijs parse + verify(checkChain), single`, pkChain.medianMs, 'ms');
  row(`${c.id} ots-esig verify(), WebCrypto registry, single`, ots.medianMs, 'ms');
  row(`${c.id} ots-esig verify(), node:crypto registry (default on Node), single`, otsNode.medianMs, 'ms');
  row(`${c.id} (WebCrypto alone: subtle.digest + subtle.verify, started together)`, webFloor.medianMs, 'ms', `${fmt(webFloor.medianMs / floor.medianMs)}x floor; ots-esig on WebCrypto is ${fmt(ots.medianMs / webFloor.medianMs)}x this`);
  row(`${c.id} (asn1js.fromBER of the CMS alone: the decoder's share)`, decode.medianMs, 'ms', `${fmt(decode.medianMs / floor.medianMs)}x floor`);

  const floorB = await bestBatch(c.floor, BATCH);
  const pkB = await bestBatch(() => c.pkijsVerify(false), BATCH, 1);
  const otsB = await bestBatch(c.otsVerify, BATCH);
  const otsNodeB = await bestBatch(c.otsVerifyNode, BATCH);
  row(`${c.id} floor, batch of ${BATCH} (${BATCH_CONCURRENCY} in flight)`, floorB, 'ms/sig');
  row(`${c.id} pkijs parse + verify, batch of ${BATCH}`, pkB, 'ms/sig');
  row(`${c.id} ots-esig verify(), WebCrypto, batch of ${BATCH}`, otsB, 'ms/sig');
  row(`${c.id} ots-esig verify(), node:crypto, batch of ${BATCH}`, otsNodeB, 'ms/sig');

  const vsFloor = ots.medianMs / floor.medianMs;
  const vsPkijs = pk.medianMs / ots.medianMs;
  const vsFloorB = otsB / floorB;
  const vsPkijsB = pkB / otsB;
  row(`${c.id} ratio ots / floor (single | batch)`, vsFloor, 'x', `batch ${fmt(vsFloorB)}x`);
  row(`${c.id} ratio pkijs / ots (single | batch)`, vsPkijs, 'x', `batch ${fmt(vsPkijsB)}x; with checkChain ${fmt(pkChain.medianMs / ots.medianMs)}x`);
  const n1 = otsNode.medianMs / floor.medianMs;
  const n2 = pk.medianMs / otsNode.medianMs;
  const n3 = otsNodeB / floorB;
  const n4 = pkB / otsNodeB;
  row(`${c.id} node:crypto: ots / floor | pkijs / ots`, n1, 'x', `pkijs/ots ${fmt(n2)}x; batch ${fmt(n3)}x | ${fmt(n4)}x`);
  target(`(info) ${c.id}: ots-esig on WebCrypto (not the default on Node) <= 10x floor (single)`, `${fmt(vsFloor)}x`, '<= 10x', vsFloor <= 10);
  target(`(info) ${c.id}: ots-esig on WebCrypto (not the default on Node) <= 10x floor (batch ${BATCH})`, `${fmt(vsFloorB)}x`, '<= 10x', vsFloorB <= 10);
  target(`${c.id}: ots-esig on WebCrypto >= 10x faster than pkijs (single)`, `${fmt(vsPkijs)}x`, '>= 10x', vsPkijs >= 10);
  target(`${c.id}: ots-esig on WebCrypto >= 10x faster than pkijs (batch ${BATCH})`, `${fmt(vsPkijsB)}x`, '>= 10x', vsPkijsB >= 10);
  target(`${c.id}: ots-esig on node:crypto (default) <= 10x floor (single | batch)`, `${fmt(n1)}x | ${fmt(n3)}x`, '<= 10x', n1 <= 10 && n3 <= 10);
  target(`${c.id}: ots-esig on node:crypto (default) >= 10x faster than pkijs (single | batch)`, `${fmt(n2)}x | ${fmt(n4)}x`, '>= 10x', n2 >= 10 && n4 >= 10);

  // New documents every call, same signer: what a back end sees. Nothing may be cached per document.
  const distinct = distinctSignatures(c.der, c.keyFile, BATCH);
  for (const d of distinct) if (!(await c.otsVerifyOther(d, true))) throw new Error(`${c.id}: a distinct copy does not verify`);
  const cycling = (node: boolean) => {
    let k = 0;
    return () => c.otsVerifyOther(distinct[k++ % distinct.length]!, node);
  };
  const dNode = await timeSequential(cycling(true), seqOpts);
  const dWeb = await timeSequential(cycling(false), seqOpts);
  const dNodeB = await bestBatch(cycling(true), BATCH);
  const dWebB = await bestBatch(cycling(false), BATCH);
  row(`${c.id} ${BATCH} distinct signatures by one signer, node:crypto, single`, dNode.medianMs, 'ms', `${fmt(dNode.medianMs / floor.medianMs)}x floor`);
  row(`${c.id} ${BATCH} distinct signatures by one signer, WebCrypto, single`, dWeb.medianMs, 'ms', `${fmt(dWeb.medianMs / floor.medianMs)}x floor`);
  row(`${c.id} ${BATCH} distinct signatures, node:crypto, batch`, dNodeB, 'ms/sig', `${fmt(dNodeB / floorB)}x floor batch`);
  row(`${c.id} ${BATCH} distinct signatures, WebCrypto, batch`, dWebB, 'ms/sig', `${fmt(dWebB / floorB)}x floor batch`);
  const dn = Math.max(dNode.medianMs / floor.medianMs, dNodeB / floorB);
  const dw = Math.max(dWeb.medianMs / floor.medianMs, dWebB / floorB);
  target(`${c.id}: distinct signatures, node:crypto <= 10x floor (worse of single, batch)`, `${fmt(dn)}x`, '<= 10x', dn <= 10);
  target(`(info) ${c.id}: distinct signatures, WebCrypto <= 10x floor (worse of single, batch)`, `${fmt(dw)}x`, '<= 10x', dw <= 10);
  const dp = Math.min(pk.medianMs / dNode.medianMs, pk.medianMs / dWeb.medianMs);
  target(`${c.id}: distinct signatures >= 10x faster than pkijs (both registries)`, `${fmt(dp)}x`, '>= 10x', dp >= 10);
  return {
    webFloor: webFloor.medianMs,
    distinctNode: dNode.medianMs,
    distinctWeb: dWeb.medianMs,
    distinctNodeBatch: dNodeB,
    distinctWebBatch: dWebB, otsNode: otsNode.medianMs, otsNodeBatch: otsNodeB, floor: floor.medianMs, decode: decode.medianMs, pkijs: pk.medianMs, pkijsChain: pkChain.medianMs, ots: ots.medianMs, floorBatch: floorB, pkijsBatch: pkB, otsBatch: otsB };
}

async function memoryBench(c: BenchCase) {
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const reports: unknown[] = [];
  for (let i = 0; i < 1000; i += 100) {
    const chunk = [];
    for (let j = 0; j < 100; j++) chunk.push(verify(c.der, { trustAnchors: [c.rootPem], crls: c.crls, validationTime: VALIDATION_TIME }));
    const done = await Promise.all(chunk);
    for (const r of done) expectPassed(r, `${c.id} memory`);
    reports.push(...done);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  gc();
  const holding = process.memoryUsage().heapUsed;
  reports.length = 0;
  gc();
  const after = process.memoryUsage().heapUsed;
  row(`${c.id} heap: peak growth during 1,000 verifications`, (peak - before) / 2 ** 20, 'MiB');
  row(`${c.id} heap: 1,000 reports held (after gc)`, (holding - before) / 2 ** 20, 'MiB');
  row(`${c.id} heap: retained after 1,000 verifications (after gc)`, (after - before) / 2 ** 20, 'MiB', 'caches are bounded');
  return { peakMiB: (peak - before) / 2 ** 20, reportsMiB: (holding - before) / 2 ** 20, retainedMiB: (after - before) / 2 ** 20 };
}

async function anchorBench(c: BenchCase, synthetic: Uint8Array[]) {
  console.log('\nAnchor lookup vs number of anchors (CertificatePool.issuersOf of the signer CA; verify() with that many anchors)');
  const root = ParsedCertificate.fromDer(pemToDer(c.rootPem));
  const sig = (await import('../src/cades/parse.js')).parseCades(c.der);
  const ca = sig.certificates.find((x) => x.issuer.key === root.subject.key && !x.isSelfIssued)!;
  const parsed = synthetic.map((d) => ParsedCertificate.fromDer(d));
  const out: Record<string, { issuersOfUs: number; verifyMs: number; verifyPoolMs: number }> = {};
  for (const n of [1, 1000, 10000]) {
    const anchors: TrustAnchor[] = [{ certificate: root }, ...parsed.slice(0, n - 1).map((certificate) => ({ certificate }))];
    const pool = new CertificatePool<TrustAnchor>(anchors);
    const found = pool.issuersOf(ca);
    if (found.length !== 1) throw new Error('lookup found the wrong issuers');
    const lookups = 10_000;
    const t = performance.now();
    for (let i = 0; i < lookups; i++) pool.issuersOf(ca);
    const us = ((performance.now() - t) / lookups) * 1000;
    const certs = anchors.map((a) => a.certificate);
    const v = await timeSequential(async () => expectPassed(await verify(c.der, { trustAnchors: certs, crls: c.crls, validationTime: VALIDATION_TIME }), `${c.id} with ${n} anchors`), { warmup: 3, minRuns: QUICK ? 5 : 20, minMs: QUICK ? 50 : 300 });
    row(`issuersOf with ${n} anchors`, us, 'us');
    const vp = await timeSequential(async () => expectPassed(await verify(c.der, { trustAnchorPool: pool, crls: c.crls, validationTime: VALIDATION_TIME }), `${c.id} with a pool of ${n} anchors`), { warmup: 3, minRuns: QUICK ? 5 : 20, minMs: QUICK ? 50 : 300 });
    row(`verify() with ${n} anchors (ParsedCertificate[])`, v.medianMs, 'ms');
    row(`verify() with ${n} anchors (trustAnchorPool built once)`, vp.medianMs, 'ms');
    out[n] = { issuersOfUs: us, verifyMs: v.medianMs, verifyPoolMs: vp.medianMs };
  }
  const flat = out[10000]!.issuersOfUs / out[1]!.issuersOfUs;
  const flatV = out[10000]!.verifyMs / out[1]!.verifyMs;
  target('anchor lookup flat: issuersOf 10,000 vs 1 anchors', `${fmt(flat)}x`, '<= 2x', flat <= 2);
  const flatP = out[10000]!.verifyPoolMs / out[1]!.verifyPoolMs;
  target('anchor lookup flat: verify() trustAnchorPool 10,000 vs 1', `${fmt(flatP)}x`, '<= 2x', flatP <= 2);
  target('(info) verify() trustAnchors: the same array of 10,000 vs 1 parsed anchors', `${fmt(flatV)}x`, '<= 2x', flatV <= 2);
  return out;
}

async function trustListBench(synthetic: Uint8Array[], c: BenchCase) {
  console.log('\nTrusted list with 5,000 CA certificates (JSON form, src/trust/load.ts loadTrustLists)');
  const certs = synthetic.slice(0, 5000);
  const json = trustedListJson(certs);
  certificateCache.clear();
  gc();
  let t = performance.now();
  const set = await loadTrustLists([{ data: json, name: 'bench-5000.json' }], { time: VALIDATION_TIME });
  const loadMs = performance.now() - t;
  if (set.index.anchors.length !== 5000) throw new Error(`expected 5000 anchors, got ${set.index.anchors.length}`);
  t = performance.now();
  const pool = new CertificatePool<TrustAnchor>(set.index.anchors);
  const poolMs = performance.now() - t;
  row('load 5,000-certificate trusted list (parse, index, anchors)', loadMs, 'ms', `${(json.length / 2 ** 20).toFixed(1)} MiB JSON, cold certificate cache`);
  row('build anchor CertificatePool from those 5,000 anchors', poolMs, 'ms');
  t = performance.now();
  for (const d of certs) asn1js.fromBER(d.slice().buffer);
  const decodeMs = performance.now() - t;
  row('(asn1js.fromBER of the 5,000 certificates alone: the decoder floor)', decodeMs, 'ms');
  // What a certificate costs the first time it is seen (a CMS signer's chain, a list entry): certificates no earlier
  // step parsed (own keys, SKIs, validity seconds and CNs), so only encodings that recur across certificates are cached.
  const fresh = synthetic.slice(5000, 10000);
  t = performance.now();
  for (const d of fresh) ParsedCertificate.fromDer(d);
  const firstSeenUs = ((performance.now() - t) / fresh.length) * 1000;
  row(`ParsedCertificate.fromDer, first seen (${fresh.length} distinct certificates)`, firstSeenUs, 'us/cert', `asn1js.fromBER alone ${fmt((decodeMs / certs.length) * 1000)} us/cert`);
  target('5,000-certificate trusted list loads in < 1 s', `${fmt(loadMs + poolMs)} ms`, '< 1000 ms', loadMs + poolMs < 1000);
  // A TrustSet loaded once and passed to every call (what a server does): per-call cost must not grow with the list.
  // Both lists hold the case's root first, so every call ends TOTAL-PASSED (asserted), not in a failed chain search.
  const rootDer = pemToDer(c.rootPem);
  const small = await loadTrustLists([{ data: trustedListJson([rootDer]), name: 'bench-1.json' }], { time: VALIDATION_TIME });
  const large = await loadTrustLists([{ data: trustedListJson([rootDer, ...certs.slice(0, 4999)]), name: 'bench-5000-root.json' }], { time: VALIDATION_TIME });
  const perCall = async (trustLists: typeof set, relyingParty?: string) =>
    (
      await timeSequential(async () => expectPassed(await verify(c.der, { trustLists, crls: c.crls, validationTime: VALIDATION_TIME, ...(relyingParty ? { relyingParty } : {}) }), `${c.id} with a TrustSet`), {
        warmup: 3,
        minRuns: QUICK ? 5 : 20,
        minMs: QUICK ? 50 : 300,
      })
    ).medianMs;
  const with1 = await perCall(small);
  const with5000 = await perCall(large);
  // With a relying party, recognition runs too (the OTS use): still nothing per call may scale with the list.
  const with1R = await perCall(small, 'KZ');
  const with5000R = await perCall(large, 'KZ');
  row('verify() with a TrustSet of 1 list anchor (loaded once)', with1, 'ms');
  row('verify() with a TrustSet of 5,000 list anchors (loaded once)', with5000, 'ms');
  row('verify() + recognition for KZ, TrustSet of 1 list anchor', with1R, 'ms');
  row('verify() + recognition for KZ, TrustSet of 5,000 list anchors', with5000R, 'ms');
  target('TrustSet per-call cost flat: 5,000 vs 1 list anchors', `${fmt(with5000 / with1)}x`, '<= 2x', with5000 / with1 <= 2);
  target('TrustSet per-call cost flat with recognition: 5,000 vs 1', `${fmt(with5000R / with1R)}x`, '<= 2x', with5000R / with1R <= 2);
  return { loadMs, poolMs, decodeMs, firstSeenUs, jsonBytes: json.length, verifyTrustSet1Ms: with1, verifyTrustSet5000Ms: with5000, recognition1Ms: with1R, recognition5000Ms: with5000R };
}

const RESULTS = fileURLToPath(new URL('../bench/results.json', import.meta.url));
let syntheticMemo: Promise<Uint8Array[]> | undefined;
const synthetic10000 = () => (syntheticMemo ??= syntheticCaCertificates(10000));

async function workloads() {
  console.log('\nRealistic workloads (issue #19): ours and the floor/peer interleaved in one process; judge by the ratios');
  return runWorkloads(QUICK, (l) => console.log(l), synthetic10000);
}

async function main() {
  if (process.env.BENCH_ONLY === 'workloads') {
    const w = await workloads();
    if (!QUICK) {
      const old = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
      writeFileSync(RESULTS, JSON.stringify({ ...old, workloads: w, workloadsDate: new Date().toISOString(), workloadsLoadAverage: os.loadavg() }, null, 2) + '\n');
    }
    return;
  }
  console.log(`ots-esig bench — node ${process.version}, ${os.cpus().length}x ${os.cpus()[0]?.model ?? 'cpu'}, load avg ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (!(globalThis as { gc?: unknown }).gc) console.log('(run with --expose-gc for memory figures: npm run bench does)');
  const rsa = await loadCase('rsa2048', 'CAdES-B attached, RSA-2048 end to end (fixtures/cades/az-attached.p7s)', 'cades/az-attached.p7s', 'pki/az-root.pem', 'keys/az-signer.key.pem', ['crl/current/az-ca.crl', 'crl/current/az-root.crl']);
  const p256 = await loadCase('p256', 'CAdES-B attached, ECDSA P-256 (fixtures/cades/kg-attached.p7s)', 'cades/kg-attached.p7s', 'pki/kg-root.pem', 'keys/kg-signer.key.pem', ['crl/current/kg-ca.crl', 'crl/current/kg-root.crl']);
  const sigs = { rsa2048: await signatureBench(rsa), p256: await signatureBench(p256) };
  console.log('\nMemory per 1,000 verifications (RSA-2048, heapUsed after forced gc)');
  const memory = (globalThis as { gc?: unknown }).gc ? await memoryBench(rsa) : null;
  const tg = performance.now();
  const synthetic = await synthetic10000();
  console.log(`\n(generated ${synthetic.length} synthetic CA certificates in ${fmt(performance.now() - tg)} ms)`);
  const trustList = await trustListBench(synthetic, rsa);
  const anchors = QUICK ? null : await anchorBench(rsa, synthetic);
  const realistic = await workloads();

  console.log('\nTargets (the issue #9 targets for the default configuration; "(info)" lines are other configurations, shown for comparison)');
  for (const t of targets) console.log(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name.padEnd(62)} ${t.measured.padStart(10)}  (${t.limit})`);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${os.cpus().length}x ${os.cpus()[0]?.model ?? ''}`,
    loadAverage: os.loadavg(),
    batch: BATCH,
    batchConcurrency: BATCH_CONCURRENCY,
    quick: QUICK,
    signatures: sigs,
    memory,
    trustList,
    anchors,
    workloads: realistic,
    workloadsLoadAverage: os.loadavg(),
    rows,
    targets,
  };
  if (!QUICK) writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
}

await main();
