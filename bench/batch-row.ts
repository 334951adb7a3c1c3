/**
 * `tsx bench/batch-row.ts [quick]`: the batch row of bench/workloads.ts alone (whole `verify FOLDER` processes:
 * --jobs 1, --jobs 2 and two --jobs 1 processes on halves, alternating), printed with the load average;
 * bench/results.json is not written. Needs dist/cli.js (npm run build).
 */
import { loadavg } from 'node:os';
import { batchRow } from './workloads.js';

const w = await batchRow(process.argv[2] === 'quick', (l) => console.log(l));
console.log(JSON.stringify(w, null, 1), `load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
