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

/**
 * What blocks each false reject left (#17), by the suite's file name (CAdES and XAdES alike unless a format is named);
 * appended to the case's reason in the manifest. None is a validator bug: each is a verdict the standard or the
 * algorithm policy gives, or one the corpus cannot decide.
 */
const SHA1_SIGNATURE =
  'kept: SHA-1 signature (MA3 "SHA-1 algoritması kullanılarak imzalanmış", valid) signed in 2013/2019; the algorithm policy (ETSI TS 119 312) ends SHA-1 signatures on 2012-01-01 and no Turkish profile text found allows SHA-1 (MA3 itself demands SHA-256 for the P-profiles\' SigPolicyHash); no POE before the cut-off';
const SHA1_ARCHIVE =
  'kept: archive time-stamp signed with SHA-1 after 2012 (MA3 "Arşiv ZD SHA-1 algoritması kullanılarak imzalanmış", valid): the algorithm policy fails the token and tr-profile requires every time-stamp to validate (MA3 itself invalidates a broken archive time-stamp, P4_A76)';
const BLOCKED: ReadonlyMap<string, string> = new Map([
  ...['BES_6', 'EST_6', 'ESA_6', 'ESXL_6', 'ESXL1_6', 'P4_15', 'P4_A15'].flatMap((f) => [`${f}.pdf.p7s`, `${f}.xml`, `${f}.pdf.xml`].map((n) => [n, SHA1_SIGNATURE] as const)),
  ...['ESA_109', 'P4_A94'].flatMap((f) => [`${f}.pdf.p7s`, `${f}.xml`, `${f}.pdf.xml`].map((n) => [n, SHA1_ARCHIVE] as const)),
  ...['ESA_32_2.pdf.p7s', 'ESA_32_2.xml', 'ESXL1_32_2.xml'].map(
    (n) =>
      [
        n,
        'corpus: SubRoot A6 is revoked (per the carried OCSP) 2 h after the signature time-stamp; that time-stamp would be the POE that resolves REVOKED_CA_NO_POE (EN 319 102-1 5.6.2.4), but its TSA\'s (TS AConst) revocation status, served online by the suite, is not in the corpus (TRY_LATER), nor is that of the later time-stamps\' TSA (TS A1)',
      ] as const,
  ),
  ...['P4_44.pdf.p7s', 'P4_44.pdf.xml'].map(
    (n) =>
      [
        n,
        'corpus: the signature time-stamp\'s TSA (TS C1) has no revocation status in the corpus (served online: TRY_LATER), so there is no POE and the signer\'s OCSP response (made 1 s after the time-stamp, no nextUpdate) is judged at the validation time, where it is stale',
      ] as const,
  ),
  [
    'xades/P4_42.pdf.xml',
    'kept (EN 319 102-1): the SignatureTimeStamp is by TSA5, revoked after its genTime but with no earlier POE, so it is no proof of existence (MA3 trusts its genTime); the next POE is the 2017 SigAndRefsTimeStamp, at which the signer\'s 2013 OCSP response is stale',
  ],
]);

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
          const result = resultOf(want === 'valid' ? 'SUCCESS' : 'FAILURE', got);
          const blocked = result === 'FALSE_REJECT' ? (BLOCKED.get(`${format}/${file}`) ?? BLOCKED.get(file)) : undefined;
          out.push({ id, result, indication, subIndication, reason: blocked ? `${blocked} || ${reason}` : reason });
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
