/**
 * Conformance suite "realworld": the KZ and EU files of realworld/ (README.md and PROVENANCE.tsv there), signatures
 * made by real national software, each through the public verify() under the default policy.
 *
 * Expectations are the ones test/realworld-kz.test.ts, test/realworld-asic.test.ts and test/xades-wssecurity.test.ts
 * already assert, and they rest on each sample's documented nature (its producer's own tests):
 * - KZ KalkanCrypt CMS (skarm/kalkan testdata): genuine signatures, valid at their signing time with the NCA chain
 *   beside them (2018 production GOST 34.310-2004 chain; 2022 TEST GOST 34.10-2015-512 chain). OpenSSL's GOST engine
 *   cannot serve as the third opinion on them: it does not know the Kazakh key OIDs 1.2.398.3.10.1.1.* ("no public
 *   key" from `openssl cms -verify -engine gost`). A detached one over another document must fail.
 * - KZ test_wsse.xml: not a KZ GOST message although PROVENANCE.tsv says so. It is IBM's WS-Security sample
 *   (rsa-sha1) with a truncated certificate in its wsse:BinarySecurityToken: no verifier can check it (`xmlsec1
 *   --verify` fails too), so it must not be accepted.
 * - EU libdigidocpp: forged_lt.asice is that project's forged-signature negative (must fail). test.asice and
 *   tsl.asice are positives of test PKIs whose roots the corpus does not hold: n/a (NO_CERTIFICATE_CHAIN_FOUND is all
 *   that can be said). test.asics / test-tera.asics are time-stamp-only ASiC-S; their TSA root (DEMO of SK TSA 2014)
 *   is not in the corpus either, so they are judged as the ASiC test judges them: with the token's own TSA
 *   certificate pinned as time-stamp anchor at its genTime, where the imprint must bind the real data and not a
 *   changed copy.
 * Every case is judged at its signing time (PROVENANCE.tsv's date plus a day; a time-stamp's genTime): test.asice's
 * 1024-bit RSA key, for one, is acceptable only before 2016 (judged today: CRYPTO_CONSTRAINTS_FAILURE_NO_POE).
 *
 * Policy: the default policy throughout. The corpus holds no CRL or OCSP response of the NCA, so for the KZ GOST files
 * the default policy says INDETERMINATE/TRY_LATER; when that is its ONLY non-passed finding (checked on every run),
 * the case is judged again under the default policy with the revocation requirement dropped and nothing else
 * changed (`default-without-revocation`, as test/realworld-kz.test.ts does) and counted as such
 * (`countedWithoutRevocation`). GOST cases get the optional GOST provider (src/gost.ts: the registry and algorithm
 * policy `--algorithms gost` adds).
 *
 * Run alone: `npx tsx scripts/conformance/realworld.ts [--verbose]`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync } from 'fflate';
import { AlgorithmRegistry, DEFAULT_POLICY, openContainer, parseTimestampToken, verify, type ValidationPolicy } from '../../src/index.js';
import { GostProvider, GOST_ALGORITHM_POLICY } from '../../src/gost.js';
import { clip } from './common.js';
import { resultOf, type CaseOutcome, type Suite } from './types.js';

type Options = NonNullable<Parameters<typeof verify>[1]>;
type Report = Awaited<ReturnType<typeof verify>>;

/** The default policy with only the revocation requirement dropped (the corpus has no NCA revocation data). */
const NO_REVOCATION_DATA: ValidationPolicy = {
  ...DEFAULT_POLICY,
  name: 'default-without-revocation',
  revocation: { ...DEFAULT_POLICY.revocation, signer: 'none', timestampAuthority: 'none' },
};

interface Case {
  readonly id: string;
  /** The input (a corpus file, or a copy changed as the tests change it). */
  readonly input: () => Uint8Array;
  readonly options: () => Options | Promise<Options>;
  readonly expected: 'SUCCESS' | 'FAILURE';
  /** Why that is expected (printed with the case). */
  readonly why: string;
  /** GOST cases: the corpus has no NCA revocation data (see the header). */
  readonly noRevocationData?: boolean;
  /** When the corpus cannot supply a CA the case needs: the n/a reason. */
  readonly naIfChainMissing?: string;
}

interface Finding {
  readonly id: string;
  readonly subIndication?: string | null;
  readonly detail: string;
}

/** Non-passed findings of a report: signature checks, then (containers) the container's time-stamps. */
function findings(r: Report): Finding[] {
  const out: Finding[] = r.signatures.flatMap((s) => s.checks.filter((c) => c.status === 'FAILED' || c.status === 'INDETERMINATE'));
  for (const t of r.container?.timestamps ?? []) {
    if (t.status !== 'PASSED') out.push({ id: `container.timestamp ${t.file}`, subIndication: t.subIndication ?? null, detail: `${t.status}${t.tsa ? ' (' + t.tsa + ')' : ''}` });
  }
  return out;
}

/** The verdict of a report: the container's when there is one (it sums signatures and time-stamps), else every signature's. */
function verdictOf(r: Report): { got: 'SUCCESS' | 'FAILURE'; indication: string; subIndication: string } {
  if (r.container) {
    return { got: r.container.indication === 'TOTAL-PASSED' ? 'SUCCESS' : 'FAILURE', indication: r.container.indication, subIndication: r.container.subIndication ?? '' };
  }
  const sigs = r.signatures;
  const first = sigs.find((s) => s.indication !== 'TOTAL-PASSED') ?? sigs[0];
  return {
    got: sigs.length > 0 && sigs.every((s) => s.indication === 'TOTAL-PASSED') ? 'SUCCESS' : 'FAILURE',
    indication: first?.indication ?? 'none',
    subIndication: first?.subIndication ?? '',
  };
}

function cases(root: string): Case[] {
  const KZ = join(root, 'KZ');
  const EU = join(root, 'EU/libdigidocpp');
  const kz = (p: string) => new Uint8Array(readFileSync(join(KZ, p)));
  const eu = (p: string) => new Uint8Array(readFileSync(join(EU, p)));
  const gost = { registry: new AlgorithmRegistry().register(new GostProvider()), algorithmPolicy: GOST_ALGORITHM_POLICY };
  const prod2018 = (): Options => ({ trustAnchors: [kz('chains/prod_root_gost_2015.pem')], intermediates: [kz('chains/prod_nca_gost_2018.pem')], validationTime: new Date('2018-12-22T00:00:00Z'), ...gost });
  const test2022 = (): Options => ({ trustAnchors: [kz('chains/test_root_gost_2022.cer')], intermediates: [kz('chains/test_nca_gost2022.cer')], validationTime: new Date('2026-07-21T00:00:00Z'), ...gost });
  const euChain = () => [eu('chain-from-bdoc/ESTEID-SK_2011.pem'), eu('chain-from-FI-TL/VRK_Gov_CA_for_Citizen_Qualified_Certificates.pem')];
  /** The ASiC-S token's own TSA certificates as time-stamp anchors, at its genTime (as test/realworld-asic.test.ts pins them). */
  const pinnedTsa = async (container: Uint8Array): Promise<Options> => {
    const token = parseTimestampToken((await openContainer(container)).files.find((f) => f.name === 'META-INF/timestamp.tst')!.data);
    return { timestampAnchors: token.cms.certificates.map((c) => c.der), validationTime: token.tstInfo.genTime };
  };
  /** test.asics with test1.txt changed, its time-stamp kept (the ASiC test's negative). */
  const changedAsics = () => {
    const entries = unzipSync(eu('test.asics'));
    return zipSync({ mimetype: [entries['mimetype']!, { level: 0 }], 'test1.txt': new TextEncoder().encode('tes1\n'), 'META-INF/timestamp.tst': entries['META-INF/timestamp.tst']! });
  };
  const otherDocument = (who: string) => {
    const doc = kz(`skarm-kalkan/${who}_document.txt`).slice();
    doc[0] ^= 0x20;
    return doc;
  };

  const out: Case[] = [
    {
      id: 'KZ/test_CMS_GOST_2018.p7s',
      input: () => kz('skarm-kalkan/test_CMS_GOST_2018.p7s'),
      options: prod2018,
      expected: 'SUCCESS',
      why: 'KalkanCrypt GOST 34.310-2004 CMS, at its signing time (2018-12-21) with the NCA production GOST chain',
      noRevocationData: true,
    },
  ];
  for (const who of ['individual', 'legal_entity']) {
    const why = `KalkanCrypt GOST 34.10-2015-512 CMS (${who}), at its signing time (2026-07-20) with the NCA TEST 2022 GOST chain`;
    out.push(
      { id: `KZ/${who}_attached.p7s`, input: () => kz(`skarm-kalkan/${who}_attached.p7s`), options: test2022, expected: 'SUCCESS', why, noRevocationData: true },
      {
        id: `KZ/${who}_detached.p7s`,
        input: () => kz(`skarm-kalkan/${who}_detached.p7s`),
        options: () => ({ ...test2022(), detachedContent: kz(`skarm-kalkan/${who}_document.txt`) }),
        expected: 'SUCCESS',
        why: `${why}, over ${who}_document.txt`,
        noRevocationData: true,
      },
      {
        id: `KZ/${who}_detached.p7s+other-document`,
        input: () => kz(`skarm-kalkan/${who}_detached.p7s`),
        options: () => ({ ...test2022(), detachedContent: otherDocument(who) }),
        expected: 'FAILURE',
        why: `the same signature over ${who}_document.txt with one byte changed must fail (HASH_FAILURE)`,
        noRevocationData: true,
      },
    );
  }
  out.push(
    {
      id: 'KZ/test_wsse.xml',
      input: () => kz('skarm-kalkan/test_wsse.xml'),
      options: () => ({}),
      expected: 'FAILURE',
      why: 'PROVENANCE.tsv calls it a KZ GOST SOAP message; it is in fact IBM\'s WS-Security sample (rsa-sha1) whose wsse:BinarySecurityToken certificate is truncated: unverifiable (xmlsec1 --verify fails), so never accepted',
    },
    {
      id: 'EU/forged_lt.asice',
      input: () => eu('forged_lt.asice'),
      options: () => ({ trustAnchors: euChain(), validationTime: new Date('2026-05-29T00:00:00Z') }),
      expected: 'FAILURE',
      why: 'libdigidocpp\'s forged LT signature (SignatureValue made with another key than the signing certificate\'s): must fail',
    },
    {
      id: 'EU/test.asice',
      input: () => eu('test.asice'),
      // At its signing time: judged today, its 1024-bit RSA key is also CRYPTO_CONSTRAINTS_FAILURE_NO_POE (acceptable before 2016 only).
      options: () => ({ trustAnchors: euChain(), validationTime: new Date('2013-04-07T00:00:00Z') }),
      expected: 'SUCCESS',
      why: 'libdigidocpp positive sample (ASiC-E XAdES)',
      naIfChainMissing: 'its CA (libdigidocpp\'s own test PKI) is not in the corpus',
    },
    {
      id: 'EU/tsl.asice',
      input: () => eu('tsl.asice'),
      options: () => ({ trustAnchors: euChain(), validationTime: new Date('2016-11-29T00:00:00Z') }),
      expected: 'SUCCESS',
      why: 'libdigidocpp positive sample (ASiC-E XAdES-LT)',
      naIfChainMissing: 'its CA (TEST of ESTEID-SK 2011, SK test PKI) is not in the corpus; the production ESTEID-SK 2011 beside it does not anchor it',
    },
    {
      id: 'EU/test.asics',
      input: () => eu('test.asics'),
      options: async () => ({ trustAnchors: euChain(), timestampAnchors: euChain(), validationTime: (await pinnedTsa(eu('test.asics'))).validationTime }),
      expected: 'SUCCESS',
      why: 'libdigidocpp positive sample (time-stamp-only ASiC-S)',
      naIfChainMissing: 'its TSA root (DEMO of SK TSA 2014) is not in the corpus (judged with the TSA pinned in EU/test.asics+tsa-pinned)',
    },
    {
      id: 'EU/test.asics+tsa-pinned',
      input: () => eu('test.asics'),
      options: () => pinnedTsa(eu('test.asics')),
      expected: 'SUCCESS',
      why: 'the token\'s own TSA certificate pinned at its genTime: the imprint binds test1.txt',
    },
    {
      id: 'EU/test.asics+changed-data+tsa-pinned',
      input: changedAsics,
      options: () => pinnedTsa(eu('test.asics')),
      expected: 'FAILURE',
      why: 'test1.txt changed under the kept time-stamp, TSA pinned: the imprint no longer matches, must fail',
    },
    {
      id: 'EU/test-tera.asics',
      input: () => eu('test-tera.asics'),
      options: async () => ({ validationTime: (await pinnedTsa(eu('test-tera.asics'))).validationTime }),
      expected: 'SUCCESS',
      why: 'RIA TeRa sample (time-stamped DDOC in an ASiC-S)',
      naIfChainMissing: 'its TSA root (DEMO of SK TSA 2014) is not in the corpus (judged with the TSA pinned in EU/test-tera.asics+tsa-pinned)',
    },
    {
      id: 'EU/test-tera.asics+tsa-pinned',
      input: () => eu('test-tera.asics'),
      options: () => pinnedTsa(eu('test-tera.asics')),
      expected: 'SUCCESS',
      why: 'the token\'s own TSA certificate pinned at its genTime: the imprint binds ddoc_for_testing.ddoc (the inner DDOC\'s own signatures are not judged: legacy format, reported only)',
    },
  );
  return out;
}

const missingChain = (f: Finding) => f.subIndication === 'NO_CERTIFICATE_CHAIN_FOUND';
const missingRevocation = (f: Finding) => f.subIndication === 'TRY_LATER';
const describe = (fs: readonly Finding[]) => clip(fs.map((f) => `${f.id}: ${f.detail}`).join(' | ') || 'valid');

async function runCase(c: Case): Promise<CaseOutcome> {
  const expected = c.expected;
  try {
    const byDefault = await verify(c.input(), { ...(await c.options()), policy: 'default' });
    let report = byDefault;
    let countedWithoutRevocation = false;
    const found = findings(byDefault);
    if (c.noRevocationData && verdictOf(byDefault).indication === 'INDETERMINATE' && found.length > 0 && found.every(missingRevocation)) {
      // The default policy's only objection is the revocation data the corpus does not have: judge the rest.
      report = await verify(c.input(), { ...(await c.options()), policy: NO_REVOCATION_DATA });
      countedWithoutRevocation = true;
    }
    const v = verdictOf(report);
    const notPassed = findings(report);
    const prefix = countedWithoutRevocation ? 'default policy: INDETERMINATE/TRY_LATER (no NCA revocation data, the only finding); without revocation: ' : '';
    // The expectation's ground first (the manifest reader sees why), then what decided ours.
    const reason = clip(`expected ${expected === 'SUCCESS' ? 'valid' : 'invalid'}: ${c.why}; ours: ${prefix}${describe(notPassed)}`, 500);
    if (v.got === 'FAILURE' && c.naIfChainMissing && v.indication === 'INDETERMINATE' && notPassed.length > 0 && notPassed.every((f) => missingChain(f) || missingRevocation(f))) {
      return { id: c.id, result: 'NA', indication: v.indication, subIndication: v.subIndication, reason: clip(`${c.naIfChainMissing}; ${describe(notPassed)}`, 400) };
    }
    return { id: c.id, result: resultOf(expected, v.got), indication: v.indication, subIndication: v.subIndication, reason, ...(countedWithoutRevocation ? { countedWithoutRevocation } : {}) };
  } catch (e) {
    return { id: c.id, result: resultOf(expected, 'FAILURE'), indication: 'error', subIndication: '', reason: clip((e as Error).message) };
  }
}

export async function runRealworld(corpus: string): Promise<CaseOutcome[] | undefined> {
  const root = join(corpus, 'realworld');
  if (!existsSync(join(root, 'KZ/skarm-kalkan/test_CMS_GOST_2018.p7s')) || !existsSync(join(root, 'EU/libdigidocpp/test.asice'))) return undefined;
  const out: CaseOutcome[] = [];
  for (const c of cases(root)) out.push(await runCase(c));
  return out;
}

export const realworldSuite: Suite = {
  name: 'realworld',
  title: 'Real national signatures: KalkanCrypt (KZ NCA) GOST CMS, a WS-Security SOAP sample, libdigidocpp ASiC-E/ASiC-S (EU)',
  target: 1,
  via:
    'verify() under the default policy, each at its signing time; KZ: the NCA GOST chain beside the samples and the GOST provider (src/gost.ts), judged without revocation only when missing NCA revocation data is the default policy\'s only finding; EU: the chain files beside the samples, time-stamp-only containers also with their TSA pinned',
  run: runRealworld,
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const corpus = process.env.OTS_CORPUS ?? join(fileURLToPath(new URL('../..', import.meta.url)), '../shared/corpus');
  const out = (await runRealworld(corpus)) ?? [];
  for (const c of out) if (process.argv.includes('--verbose') || c.result !== 'AGREE') console.log([c.id, c.result, c.indication, c.subIndication, c.reason].join('\t'));
  const n = (r: string) => out.filter((c) => c.result === r).length;
  console.log(`realworld: ${n('AGREE')}/${n('AGREE') + n('FALSE_ACCEPT') + n('FALSE_REJECT')} agree, ${n('FALSE_ACCEPT')} false accepts, ${n('FALSE_REJECT')} false rejects, ${n('NA')} n/a`);
}
