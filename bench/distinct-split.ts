/**
 * `tsx bench/distinct-split.ts [N]`: where a distinct signer's verify() goes, on inputs each seen once:
 * parseCades alone, the whole verify(), and the floor (createPublicKey(SPKI) + sha256 + verify), in
 * alternating rounds on one machine (medians, ms). For profiling the distinctSigners row on a shared machine.
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseCades } from '../src/cades/parse.js';
import { ParsedCrl } from '../src/pki/crl.js';
import { verify } from '../src/index.js';
import { distinctSigners } from './realistic-inputs.js';
import { median } from './timing.js';

const N = Number(process.argv[2] ?? 300);
const d = await distinctSigners(2 * N + 20);
const crls = [ParsedCrl.fromDer(d.caCrl), ParsedCrl.fromDer(d.rootCrl)];
const opts = { trustAnchors: [d.rootPem], validationTime: new Date('2026-06-01T00:00:00Z'), crls };
for (let i = 2 * N; i < 2 * N + 20; i++) await verify(d.signatures[i]!, opts);
const parse: number[] = [];
const whole: number[] = [];
const floor: number[] = [];
for (let i = 0; i < N; i++) {
  let t = performance.now();
  const sig = parseCades(d.signatures[2 * i]!);
  parse.push(performance.now() - t);
  t = performance.now();
  const r = await verify(d.signatures[2 * i + 1]!, opts);
  whole.push(performance.now() - t);
  if (r.signatures[0]!.indication !== 'TOTAL-PASSED') throw new Error('does not verify');
  const si = sig.signers[0]!;
  const spki = Buffer.from(sig.certificates[0]!.publicKey.spki);
  t = performance.now();
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  createHash('sha256').update(sig.eContent!).digest();
  nodeVerify('sha256', si.signedAttributesDer!, key, si.signatureValue);
  floor.push(performance.now() - t);
}
const f = median(floor);
console.log(`parseCades ${median(parse).toFixed(3)} ms | verify ${median(whole).toFixed(3)} ms | floor ${f.toFixed(3)} ms | verify/floor ${(median(whole) / f).toFixed(2)}x parse/floor ${(median(parse) / f).toFixed(2)}x | load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
