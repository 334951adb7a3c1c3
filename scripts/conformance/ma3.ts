/**
 * Conformance suite "ma3": TÜBİTAK's MA3 API acceptance suite (realworld/TR/ma3-testsuite: CAdES BES / EST / XLong /
 * ESA / P4 / P4_A attached and detached, XAdES BES / EST / ESXL1 / ESA / P4 / P4_A enveloping), with the suite's own
 * expectations (EXPECTED-from-MA3-tests.tsv, from its *_Validation_Tests.java: valid = ALL_VALID).
 *
 * Each file goes through the public collect() / evaluate() with the `tr-profile` preset, the suite's roots
 * (anchors/Root A–D as trust anchors and as time-stamp anchors: the MA3 test PKI issues its TSA certificates under
 * them) and SubRoot A1 as an intermediate; detached signatures get their document (the `.p7s` name without the
 * suffix, else the folder's Ortak.pdf). The P4 / P4_A folders are the suite's P4 tests: a signature there must name
 * the P4 policy (MA3: "SigPolicyId … P4'e ait OID dışında" is invalid), so the relying party narrows tr-profile's
 * acceptable policies to P4 for them; the other folders are not profile tests and get tr-profile without its policy-identifier
 * and time-stamp demands. Each case is judged at its signing time: the latest of the claimed signing time
 * and the time-stamps' genTimes (plus a minute), the time MA3 ran its suite at with the PKI current.
 *
 * Outcome: SUCCESS when every signature is TOTAL-PASSED. Not applicable (with the reason): a file the suite's TSV has
 * no expectation for (out of the API's scope there), and a case whose only non-passed findings are missing revocation
 * status (the suite served OCSP / CRLs online from its test PKI, not in the corpus) or a certificate path the corpus
 * cannot build (a CA certificate not in the corpus, or only a later one of the same name: 2013 samples) — for the
 * signer's path or a time-stamping authority's (tst.all-valid listing only such tokens): then the verdict says
 * nothing about what the case tests.
 *
 * Run alone: `npx tsx scripts/conformance/ma3.ts [--verbose]`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect, evaluate, parseTimestampToken, TR_PROFILE_POLICY, type ValidationPolicy } from '../../src/index.js';
import type { SignatureReport } from '../../src/report/model.js';
import { clip } from './common.js';
import { resultOf, type CaseOutcome, type Suite } from './types.js';

const P4_POLICY = '2.16.792.1.61.0.1.5070.3.3.1';
const TR_P4: ValidationPolicy = { ...TR_PROFILE_POLICY, name: 'tr-profile (P4 expected)', signaturePolicy: { ...TR_PROFILE_POLICY.signaturePolicy!, acceptable: [P4_POLICY] } };
/** The BES / EST / XLong / ESA folders are not profile tests (MA3 validates them without a P-profile): no policy identifier,
 * signature time-stamp, signed signing time or signing-time-to-time-stamp bound is demanded there (MA3 applies its 2-hour
 * window to Turkish-profile signatures only; the suite's positives there have no SigningTime, CAdES BES_1 / ESA_1). The carried
 * revocation data must still hold (revocation.rejectUnacceptableCarried: ESXL1_24_1 / ESXL1_37_1, an OCSP responder
 * revoked before the signing). */
const TR_NO_PROFILE: ValidationPolicy = {
  ...TR_PROFILE_POLICY,
  name: 'tr-profile (no P-profile expected)',
  timestamps: { ...TR_PROFILE_POLICY.timestamps, requireSignatureTimestamp: false },
  signaturePolicy: { ...TR_PROFILE_POLICY.signaturePolicy!, required: false },
  signer: { ...TR_PROFILE_POLICY.signer, requireSigningTime: false, maxSigningTimeToTimestampSeconds: undefined },
};

/** Checks that say only that the corpus lacks what the suite served online (revocation) or a CA certificate. */
function missingData(c: SignatureReport['checks'][number], sig: SignatureReport): boolean {
  // A time-stamp's TSA path is checked like the signer's (ids tst.<token>.tsa.<check>): the same causes are the same gaps.
  const id = c.id.replace(/^tst\..*\.tsa\./, 'xcv.');
  if (c.subIndication === 'TRY_LATER') return true;
  if (c.subIndication === 'NO_CERTIFICATE_CHAIN_FOUND' && /path-building/.test(id)) return true;
  // A CA certificate of the corpus (the 2019 Root A / SubRoot A1) not yet valid at the signing time: the sample was made
  // under the earlier CA certificates of the same names (2013), which the corpus does not have.
  if (id === 'xcv.not-yet-valid' && /CN=(Sub)?Root /.test(c.detail)) return true;
  // "Every time-stamp must validate" failing only for tokens whose own failures are such gaps: each listed token
  // INDETERMINATE/TRY_LATER (its TSA's revocation status, served online), or a listed token whose report checks all are.
  if (c.id === 'tst.all-valid') {
    const listed = c.detail.replace(/^.* to validate: /, '').replace(/ did not\s*$/, '').split(', ');
    if (listed.every((e) => /\(INDETERMINATE\/TRY_LATER\)$/.test(e))) return true;
    const failed = (sig.timestamps ?? []).filter((t) => t.status !== 'PASSED');
    const bad = failed.flatMap((t) => t.checks.filter((x) => x.status === 'FAILED' || x.status === 'INDETERMINATE'));
    return listed.length === failed.length && failed.length > 0 && bad.length > 0 && bad.every((x) => x.id !== 'tst.all-valid' && missingData(x, sig));
  }
  return false;
}

function expectations(root: string): Map<string, 'valid' | 'invalid'> {
  const out = new Map<string, 'valid' | 'invalid'>();
  for (const line of readFileSync(join(root, 'EXPECTED-from-MA3-tests.tsv'), 'utf8').split('\n')) {
    const [format, file, verdict] = line.split('\t');
    if (file && (verdict === 'valid' || verdict === 'invalid')) out.set(`${format}/${file}`, verdict);
  }
  return out;
}

/**
 * The latest of the claimed signing times and time-stamp genTimes of the facts (every kind: an archive or
 * SigAndRefsTimeStamp judged before its own genTime would be TIMESTAMP_ORDER_FAILURE), plus a minute.
 */
function signingTimeOf(facts: Awaited<ReturnType<typeof collect>>): Date | undefined {
  let t: number | undefined;
  for (const s of facts.signatures) {
    if (s.claimedSigningTime) t = Math.max(t ?? 0, s.claimedSigningTime.getTime());
    for (const ts of s.timestamps) {
      try {
        t = Math.max(t ?? 0, parseTimestampToken(ts.token).tstInfo.genTime.getTime());
      } catch {
        // an unreadable token is the stage's finding
      }
    }
  }
  return t === undefined ? undefined : new Date(t + 60_000);
}

export async function runMa3(corpus: string): Promise<CaseOutcome[] | undefined> {
  const root = join(corpus, 'realworld/TR/ma3-testsuite');
  if (!existsSync(join(root, 'EXPECTED-from-MA3-tests.tsv'))) return undefined;
  const expected = expectations(root);
  const anchors = readdirSync(join(root, 'anchors')).map((f) => readFileSync(join(root, 'anchors', f)));
  const intermediates = readdirSync(join(root, 'intermediates')).map((f) => readFileSync(join(root, 'intermediates', f)));
  const out: CaseOutcome[] = [];
  for (const dir of readdirSync(root).filter((d) => /^validation-(cades|xades)-/.test(d)).sort()) {
    const format = dir.startsWith('validation-cades') ? 'cades' : 'xades';
    const policy = /-p4(_a)?$/.test(dir) ? TR_P4 : TR_NO_PROFILE;
    for (const mode of readdirSync(join(root, dir)).sort()) {
      const folder = join(root, dir, mode);
      for (const file of readdirSync(folder).sort()) {
        if (!/\.(p7s|xml)$/.test(file)) continue;
        const id = `${format}/${dir.replace(/^validation-(cades|xades)-/, '')}/${mode}/${file}`;
        const want = expected.get(`${format}/${file}`);
        if (!want) {
          out.push({ id, result: 'NA', indication: '-', subIndication: '', reason: 'no expectation in the suite (scenario outside the MA3 API scope)' });
          continue;
        }
        let detachedContent: Uint8Array | undefined;
        if (mode === 'detached') {
          const own = join(folder, file.replace(/\.p7s$/, ''));
          detachedContent = readFileSync(existsSync(own) ? own : join(folder, 'Ortak.pdf'));
        }
        try {
          const options = { trustAnchors: anchors, timestampAnchors: anchors, intermediates, policy, ...(detachedContent ? { detachedContent } : {}) };
          const facts = await collect(readFileSync(join(folder, file)), options);
          const report = await evaluate(facts, { validationTime: signingTimeOf(facts) ?? new Date() });
          const sigs = report.signatures;
          const got = sigs.length > 0 && sigs.every((s) => s.indication === 'TOTAL-PASSED') ? 'SUCCESS' : 'FAILURE';
          const notPassed = sigs.flatMap((s) => s.checks.filter((c) => c.status === 'FAILED' || c.status === 'INDETERMINATE'));
          const first = sigs.find((s) => s.indication !== 'TOTAL-PASSED') ?? sigs[0];
          const indication = first?.indication ?? 'none';
          const subIndication = first?.subIndication ?? '';
          const reason = clip(notPassed.map((c) => `${c.id}: ${c.detail}`).join(' | ') || 'valid');
          if (got === 'FAILURE' && notPassed.length > 0 && sigs.every((s) => s.checks.filter((c) => c.status === 'FAILED' || c.status === 'INDETERMINATE').every((c) => missingData(c, s)))) {
            const online = notPassed.some((c) => c.subIndication === 'TRY_LATER' || (c.id === 'tst.all-valid' && /TRY_LATER/.test(c.detail)));
            const what = online ? 'needs revocation data the suite served online (the signer\'s or a time-stamping authority\'s)' : 'a CA certificate of the path is not in the corpus';
            out.push({ id, result: 'NA', indication, subIndication, reason: `${what}; ${reason}` });
            continue;
          }
          out.push({ id, result: resultOf(want === 'valid' ? 'SUCCESS' : 'FAILURE', got), indication, subIndication, reason });
        } catch (e) {
          const got = 'FAILURE';
          out.push({ id, result: resultOf(want === 'valid' ? 'SUCCESS' : 'FAILURE', got), indication: 'error', subIndication: '', reason: clip((e as Error).message) });
        }
      }
    }
  }
  return out;
}

/** One run serves both suites (CAdES and XAdES have their own targets, summary lines and manifests). */
const runs = new Map<string, Promise<CaseOutcome[] | undefined>>();
function ma3Suite(format: 'cades' | 'xades'): Suite {
  return {
    name: `ma3-${format}`,
    title: `TÜBİTAK MA3 API acceptance suite, ${format === 'cades' ? 'CAdES' : 'XAdES'} (Turkish profiles), expectations from its own tests`,
    target: 0.95,
    targetTracked: 'issue #17 (remaining: tr-profile 300 s signing-time-to-time-stamp bound vs MA3 positives at 1480–2030 s, SHA-1 signatures MA3 accepts, TSA certificates revoked after the time-stamp without an earlier POE)',
    policy: 'tr-profile',
    via: 'collect() + evaluate() with the tr-profile preset (P4 folders: P4 expected; other folders: no P-profile demands), MA3 Root A–D as trust and time-stamp anchors, SubRoot A1, each case at its signing time',
    async run(corpus) {
      if (!runs.has(corpus)) runs.set(corpus, runMa3(corpus));
      const all = await runs.get(corpus)!;
      return all?.filter((c) => c.id.startsWith(`${format}/`));
    },
  };
}
export const ma3CadesSuite = ma3Suite('cades');
export const ma3XadesSuite = ma3Suite('xades');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const corpus = process.env.OTS_CORPUS ?? join(fileURLToPath(new URL('../..', import.meta.url)), '../shared/corpus');
  const cases = (await runMa3(corpus)) ?? [];
  const verbose = process.argv.includes('--verbose');
  for (const c of cases) if (verbose || c.result === 'FALSE_ACCEPT') console.log([c.id, c.result, c.indication, c.subIndication, c.reason].join('\t'));
  const n = (r: string, f?: string) => cases.filter((c) => c.result === r && (!f || c.id.startsWith(f))).length;
  for (const f of ['cades', 'xades']) console.log(`${f}: ${n('AGREE', f)}/${n('AGREE', f) + n('FALSE_ACCEPT', f) + n('FALSE_REJECT', f)} agree, ${n('FALSE_ACCEPT', f)} false accepts, ${n('FALSE_REJECT', f)} false rejects, ${n('NA', f)} n/a`);
}
