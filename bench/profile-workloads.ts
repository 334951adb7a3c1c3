/**
 * `tsx bench/profile-workloads.ts WHAT [N] [OUT.cpuprofile]` (WHAT: distinct |
 * crl1000 | crl100000 | lt | lta | dss916 | anchors | xades | xades-evaluate): the realistic rows of
 * bench/workloads.ts in a loop without the peers. With OUT, the timed loop
 * alone (not the input generation) is CPU-profiled through node:inspector
 * into OUT; summarise with bench/top.mjs.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCades } from '../src/cades/parse.js';
import { certificateCache, crlCache } from '../src/pki/cache.js';
import { ParsedCrl } from '../src/pki/crl.js';
import { collect, evaluate, verify, type VerifyOptions } from '../src/index.js';
import { distinctSigners, distinctXadesSigners, dss916Sample, largeCrl, ltvSample, pemToDer } from './realistic-inputs.js';
import { syntheticCaCertificates } from './synthetic.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const fixture = (rel: string) => new Uint8Array(readFileSync(join(ROOT, 'fixtures', rel)));
const TIME = new Date('2026-06-01T00:00:00Z');
const what = process.argv[2] ?? 'distinct';
const n = Number(process.argv[3] ?? 500);
const ok = (r: Awaited<ReturnType<typeof verify>>) => r.signatures[0]?.indication === 'TOTAL-PASSED';

const out = process.argv[4];

async function loop(label: string, count: number, op: (i: number) => Promise<boolean>) {
  // Warm-up on the last inputs, so the timed loop still sees each distinct input for the first time.
  for (let i = Math.max(0, count - 20); i < count; i++) if (!(await op(i))) throw new Error(`${label}: does not verify`);
  const session = out ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const t = performance.now();
  const timed = Math.max(1, count - 20);
  for (let i = 0; i < timed; i++) if (!(await op(i))) throw new Error(`${label}: does not verify`);
  const ms = (performance.now() - t) / timed;
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(out!, JSON.stringify(profile));
  }
  console.log(`${label}: ${ms.toFixed(3)} ms per verify()`);
}

if (what === 'distinct' || what.startsWith('crl') || what === 'anchors') {
  const d = await distinctSigners(n);
  const small = [ParsedCrl.fromDer(d.caCrl), ParsedCrl.fromDer(d.rootCrl)];
  const base: VerifyOptions = { trustAnchors: [d.rootPem], validationTime: TIME };
  if (what === 'distinct') {
    certificateCache.clear();
    await loop(what, n, async (i) => ok(await verify(d.signatures[i]!, { ...base, crls: small })));
  } else if (what === 'anchors') {
    const extra = (await syntheticCaCertificates(5000)).slice(0, 4999);
    const many: VerifyOptions = { ...base, trustAnchors: [pemToDer(d.rootPem), ...extra], crls: small };
    await loop(what, n, async (i) => ok(await verify(d.signatures[i % 20]!, many)));
  } else {
    const crl = largeCrl(what === 'crl1000' ? 1000 : 100_000);
    crlCache.clear();
    await loop(what, n, async (i) => ok(await verify(d.signatures[i]!, { ...base, crls: [crl, d.rootCrl] })));
  }
} else if (what === 'xades' || what === 'xades-evaluate') {
  const d = await distinctXadesSigners(n);
  const opts: VerifyOptions = { trustAnchors: [d.rootPem], crls: [ParsedCrl.fromDer(d.caCrl), ParsedCrl.fromDer(d.rootCrl)], validationTime: TIME };
  certificateCache.clear();
  if (what === 'xades') await loop(what, n, async (i) => ok(await verify(d.documents[i]!, opts)));
  else {
    // The judging half alone: every document collected first (untimed), then each evaluated once.
    const facts: Awaited<ReturnType<typeof collect>>[] = [];
    for (const doc of d.documents) facts.push(await collect(doc, opts));
    await loop(what, n, async (i) => ok(await evaluate(facts[i]!)));
  }
} else if (what === 'lt' || what === 'lta') {
  const { der, options: opts } = ltvSample(what === 'lt' ? 'cades-lt' : 'cades-lta');
  await loop(what, n, async () => ok(await verify(der, opts)));
} else if (what === 'dss916') {
  const corpus = resolve(ROOT, process.env.OTS_CORPUS ?? '../shared/corpus');
  const sample = dss916Sample(corpus);
  if (!sample) throw new Error(`${join(corpus, 'dss')} lacks dss916 (set OTS_CORPUS)`);
  const { bytes, options: opts } = sample;
  await loop(what, n, async () => {
    certificateCache.clear();
    crlCache.clear();
    const r = await verify(bytes, opts);
    if (!ok(r)) console.log(JSON.stringify(r.signatures[0]?.indication), r.signatures[0]?.subIndication);
    return ok(r);
  });
} else throw new Error(`unknown workload ${what}`);
