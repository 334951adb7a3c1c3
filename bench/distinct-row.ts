/**
 * `tsx bench/distinct-row.ts [quick]`: the distinctSigners row of bench/workloads.ts alone (ots-esig, its
 * floor and pkijs alternating call by call, as `npm run bench` measures it), printed with the load average;
 * bench/results.json is not written. For judging a change to that row on a shared machine by its ratios.
 */
import { loadavg } from 'node:os';
import { runWorkloads } from './workloads.js';

const rows = await runWorkloads(process.argv[2] === 'quick', (l) => console.log(l), undefined, true);
const w = rows.distinctSigners!;
const pkijs = w.peer!.pkijs!;
console.log(`floorWithCertificate ${(w.floorWithCertificate as number).toFixed(3)} ms  ots/floor ${(w.ots! / w.floor!).toFixed(2)}x  pkijs/ots ${(pkijs / w.ots!).toFixed(2)}x  load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
