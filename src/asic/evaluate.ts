/**
 * The container section of a report (report/container.ts): the container's time-stamps validated under the
 * evaluation's context, what each signature covers, and the container's overall result — its signatures'
 * verdicts with the container's own findings (EN 319 162-1 structure, coverage, manifest digests).
 */
import type { Check } from '../etsi/check.js';
import type { ContainerReport, ContainerTimestamp } from './model.js';
import type { Indication, SubIndication } from '../etsi/indication.js';
import type { SignatureReport } from '../report/model.js';
import { validateTimestampToken } from '../tsp/validate.js';
import { toHex } from '../util/bytes.js';
import type { ValidationContext } from '../validation/options.js';
import { decide } from '../validation/verdict.js';
import type { ContainerFacts } from './collect.js';

export async function containerReport(facts: ContainerFacts, signatures: readonly SignatureReport[], ctx: ValidationContext): Promise<ContainerReport> {
  const { structure } = facts;
  const timestamps: ContainerTimestamp[] = [];
  for (const t of facts.timestamps) {
    const v = await validateTimestampToken(t.token, { imprint: { data: t.data }, ctx, idPrefix: `tst.${t.file}` });
    const checks: Check[] = [...t.checks, ...v.checks];
    const own = decide(t.checks);
    const failed = own.indication !== 'TOTAL-PASSED';
    timestamps.push({
      file: t.file,
      covers: t.covers,
      status: failed ? (own.indication === 'TOTAL-FAILED' ? 'FAILED' : 'INDETERMINATE') : v.status,
      subIndication: failed ? own.subIndication : v.subIndication,
      genTime: v.genTime?.toISOString() ?? null,
      tsa: v.tsa?.subject.text ?? null,
      checks,
    });
  }

  // Partial coverage: among the signatures, a data object some cover and others do not (a legitimate
  // multi-signer layout, reported so nobody assumes every signer signed every file).
  const sigCoverage = facts.coverage.map((c) => new Set(c.covers));
  const partiallyCovered = structure.dataObjects
    .map((d) => d.name)
    .filter((n) => sigCoverage.some((s) => s.has(n)) && sigCoverage.some((s) => !s.has(n)));
  const covered = new Set([...facts.coverage.flatMap((c) => c.covers), ...facts.timestamps.flatMap((t) => t.covers)]);
  const warnings = [...facts.warnings];
  if (partiallyCovered.length) warnings.push(`data objects covered by some signatures but not all: ${partiallyCovered.join(', ')}`);

  // Inner containers: each with the signatures under its entry (ids `entry!/…`); its result is part of this one's.
  const inner = [];
  for (const i of facts.inner) {
    const prefix = `${i.entry}!/`;
    const own = signatures.filter((s) => s.id.startsWith(prefix));
    inner.push({ entry: i.entry, container: await containerReport(i.facts, own, ctx) });
  }
  const verdict = overall(decide(facts.checks), signatures, timestamps, inner.map((i) => i.container));
  return {
    type: structure.type,
    mimetype: structure.mimetype,
    indication: verdict.indication,
    subIndication: verdict.subIndication,
    entries: await Promise.all(
      structure.entries.map(async (e) => ({
        name: e.name,
        role: e.role,
        size: e.size,
        compressedSize: e.compressedSize,
        method: e.method === 0 ? ('stored' as const) : ('deflated' as const),
        sha256: toHex(await ctx.registry.digest('2.16.840.1.101.3.4.2.1', e.data)),
        ...(e.nested ? { nested: e.nested } : {}),
      })),
    ),
    signatures: facts.coverage,
    timestamps,
    // Entries a manifest names with a wrong digest are in manifestMismatches, not here.
    notCovered: structure.dataObjects.map((d) => d.name).filter((n) => !covered.has(n) && !facts.manifestMismatches.some((m) => m.entry === n)),
    partiallyCovered,
    manifestMismatches: facts.manifestMismatches,
    checks: facts.checks,
    warnings,
    ...(inner.length ? { inner } : {}),
  };
}

/** The worst of the container's own verdict, its signatures' and its time-stamps': any TOTAL-FAILED, else any INDETERMINATE. */
function overall(
  own: { indication: Indication; subIndication: SubIndication | null },
  signatures: readonly SignatureReport[],
  timestamps: readonly ContainerTimestamp[],
  inner: readonly ContainerReport[],
): { indication: Indication; subIndication: SubIndication | null } {
  const all: { indication: Indication; subIndication: SubIndication | null }[] = [
    own,
    ...inner.map((c) => ({ indication: c.indication, subIndication: c.subIndication })),
    ...signatures.map((s) => ({ indication: s.indication, subIndication: s.subIndication })),
    ...timestamps.map((t) => ({ indication: t.status === 'PASSED' ? ('TOTAL-PASSED' as const) : t.status === 'FAILED' ? ('TOTAL-FAILED' as const) : ('INDETERMINATE' as const), subIndication: t.subIndication })),
  ];
  return all.find((v) => v.indication === 'TOTAL-FAILED') ?? all.find((v) => v.indication === 'INDETERMINATE') ?? { indication: 'TOTAL-PASSED', subIndication: null };
}
