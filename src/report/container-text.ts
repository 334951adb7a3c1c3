import type { ContainerReport } from './container.js';

/** The container section of the text report: type, overall result, entries, coverage and findings. */
export function containerBlock(c: ContainerReport): string[] {
  const v = (i: string, s: string | null) => `${i}${s ? ` / ${s}` : ''}`;
  const lines = [`Container ${c.type} (mimetype ${c.mimetype ?? 'absent'})`, `  Verdict:        ${v(c.indication, c.subIndication)}`, '  Entries:'];
  for (const e of c.entries) if (e.role !== 'folder') lines.push(`    - ${e.name}  [${e.role}, ${e.size} bytes${e.nested ? `, ${e.nested.detail}` : ''}]`);
  for (const s of c.signatures) lines.push(`  Signature ${s.signature}${s.manifest ? ` (via ${s.manifest})` : ''} covers: ${s.covers.join(', ') || 'nothing in the container'}`);
  for (const t of c.timestamps) lines.push(`  Time-stamp ${t.file} ${t.genTime ?? '?'} by ${t.tsa ?? 'unidentified TSA'} covers ${t.covers.join(', ') || 'nothing'}: ${v(t.status, t.subIndication)}`);
  if (c.notCovered.length) lines.push(`  NOT SIGNED:     ${c.notCovered.join(', ')}`);
  if (c.partiallyCovered.length) lines.push(`  Signed by some signatures only: ${c.partiallyCovered.join(', ')}`);
  for (const m of c.manifestMismatches) lines.push(`  Manifest mismatch: ${m.manifest}: ${m.detail}`);
  for (const k of c.checks) if (k.status !== 'PASSED') lines.push(`  ${k.status} ${k.id}: ${k.detail}`);
  for (const w of c.warnings) lines.push(`  ! ${w}`);
  // An inner container: its own section, indented under the entry it is (its signatures are listed with the others).
  for (const i of c.inner ?? []) lines.push(`  Inner container ${i.entry}:`, ...containerBlock(i.container).map((l) => `    ${l}`));
  return lines;
}
