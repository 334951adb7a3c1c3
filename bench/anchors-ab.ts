/**
 * `tsx bench/anchors-ab.ts`: the anchorsBytes5000 row of bench/workloads.ts alone (one signature, the same
 * 5,000-DER array vs the root alone, alternating), for iterating on the anchor pool without the whole bench.
 */
import { ParsedCrl } from '../src/pki/crl.js';
import { verify, type VerifyOptions } from '../src/index.js';
import { distinctSigners, pemToDer } from './realistic-inputs.js';
import { syntheticCaCertificates } from './synthetic.js';
import { median } from './timing.js';

const TIME = new Date('2026-06-01T00:00:00Z');
const d = await distinctSigners(30);
const rootDer = pemToDer(d.rootPem);
const crls = [ParsedCrl.fromDer(d.caCrl), ParsedCrl.fromDer(d.rootCrl)];
const extra = (await syntheticCaCertificates(5000)).slice(0, 4999);
const one: VerifyOptions = { trustAnchors: [rootDer], crls, validationTime: TIME };
const many: VerifyOptions = { trustAnchors: [rootDer, ...extra], crls, validationTime: TIME };
const der = d.signatures[20]!;
const timed = async (f: () => Promise<unknown>) => {
  const t = performance.now();
  const r = (await f()) as Awaited<ReturnType<typeof verify>>;
  if (r.signatures[0]?.indication !== 'TOTAL-PASSED') throw new Error('does not verify');
  return performance.now() - t;
};
const a: number[] = [];
const b: number[] = [];
for (let i = 0; i < 60; i++) {
  a.push(await timed(() => verify(der, one)));
  b.push(await timed(() => verify(der, many)));
}
const ots = median(b.slice(3));
const floor = median(a.slice(3));
console.log(`anchorsBytes5000: ${ots.toFixed(3)} ms, 1 anchor ${floor.toFixed(3)} ms, +${(ots - floor).toFixed(3)} ms`);
