// Summarise a .cpuprofile: top selfTime time by function and by file. Usage: node bench/top.mjs FILE [N]
import { readFileSync } from 'node:fs';
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const n = Number(process.argv[3] ?? 30);
const selfTime = new Map();
const byFile = new Map();
const dt = new Map();
prof.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
let total = 0;
for (const node of prof.nodes) {
  const t = (dt.get(node.id) ?? 0) / 1000;
  total += t;
  const f = node.callFrame;
  const file = (f.url || '(native)').replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/main\//, '');
  const key = `${f.functionName || '(anon)'}  ${file}:${f.lineNumber + 1}`;
  selfTime.set(key, (selfTime.get(key) ?? 0) + t);
  byFile.set(file, (byFile.get(file) ?? 0) + t);
}
const show = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).forEach(([k, v]) => console.log(`${v.toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`));
console.log(`total ${total.toFixed(0)} ms\n-- by function (selfTime)`);
show(selfTime);
console.log('-- by file (selfTime)');
show(byFile);
