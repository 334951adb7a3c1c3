// Who calls a function in a .cpuprofile: total time (self + children) of matching frames, grouped by caller chain. Usage: node bench/callers.mjs FILE REGEX [DEPTH]
import { readFileSync } from 'node:fs';
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const re = new RegExp(process.argv[3]);
const depth = Number(process.argv[4] ?? 4);
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = new Map();
prof.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const total = (n) => (dt.get(n.id) ?? 0) + (n.children ?? []).reduce((a, c) => a + total(byId.get(c)), 0);
const label = (n) => `${n.callFrame.functionName || '(anon)'}@${n.callFrame.url.replace(/^.*(node_modules|main)\//, '')}:${n.callFrame.lineNumber + 1}`;
const groups = new Map();
for (const n of prof.nodes) {
  if (!re.test(label(n))) continue;
  let p = parent.get(n.id);
  // skip if an ancestor also matches (avoid double counting)
  let q = p, nested = false;
  while (q !== undefined) { if (re.test(label(byId.get(q)))) { nested = true; break; } q = parent.get(q); }
  if (nested) continue;
  const chain = [];
  for (let i = 0; i < depth && p !== undefined; i++) { chain.push(label(byId.get(p))); p = parent.get(p); }
  const k = label(n) + '  <=  ' + chain.join(' <= ');
  groups.set(k, (groups.get(k) ?? 0) + total(n) / 1000);
}
[...groups].sort((a, b) => b[1] - a[1]).slice(0, 15).forEach(([k, v]) => console.log(v.toFixed(0).padStart(6), 'ms ', k));
