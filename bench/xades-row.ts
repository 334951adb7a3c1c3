/**
 * `tsx bench/xades-row.ts [quick]`: the xadesDistinct row of bench/workloads.ts alone (ots-esig and xadesjs
 * alternating call by call, as `npm run bench` measures it), printed with the load average; bench/results.json is
 * not written. For judging a change to that row on a shared machine (run it a few times; medians move by ~10%).
 */
import { loadavg } from 'node:os';
import { xadesDistinct } from './workloads.js';

const w = await xadesDistinct(process.argv[2] === 'quick', (l) => console.log(l));
const xadesjs = w.peer!.xadesjs!;
console.log(`ots ${w.ots!.toFixed(3)} ms  xadesjs ${xadesjs.toFixed(3)} ms  xadesjs/ots ${(xadesjs / w.ots!).toFixed(2)}x  firstCalls ${(w.firstCalls as number).toFixed(2)} ms  load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
