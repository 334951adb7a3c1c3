/**
 * Conformance suite "ots-roots": real national CA material nobody here made
 * (../shared/corpus/ots-roots: Kazakhstan NCA production and test PKI, RSA and
 * GOST, and Turkish Web-PKI roots; see its README and CERT-INFO.txt).
 *
 * Cases, all with the GOST provider registered (GostProvider + GOST_ALGORITHM_POLICY):
 *  - sig:   every certificate whose issuer is in the corpus (self-signed roots
 *           included): its signature verifies with the issuer's key → SUCCESS;
 *  - crl:   every CRL whose issuer is in the corpus: its signature verifies → SUCCESS;
 *  - path:  every such certificate through the public verifyCertificate() with
 *           the default policy (options: registry with the GOST provider,
 *           algorithmPolicy GOST_ALGORITHM_POLICY, keyUsage [] = any usage): path
 *           to the corpus certificate at the top of its chain (trustAnchors),
 *           at a time inside every validity period of the chain, with the corpus
 *           CRLs → SUCCESS (a certificate whose issuer published no CRL in the
 *           corpus is scored as scripts/conformance/common.ts says);
 *  - tamper: the same signatures over a TBS with one byte flipped → FAILURE;
 *  - no-provider: GOST signatures with the default (WebCrypto-only) registry
 *           must not verify (unsupported, naming the OID) → FAILURE.
 * Certificates whose issuer is not in the corpus are "not applicable".
 * sig/crl/tamper/no-provider exercise the crypto providers on single signatures
 * (internal verifySignedBy): no validation policy is involved there.
 *
 * Run alone: `npx tsx scripts/conformance/ots-roots.ts [--verbose]`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlgorithmRegistry } from '../../src/crypto/registry.js';
import { GostProvider, GOST_ALGORITHM_POLICY, GOST_KEYS } from '../../src/crypto/gost/index.js';
import { ParsedCertificate } from '../../src/pki/certificate.js';
import { ParsedCrl } from '../../src/pki/crl.js';
import { verifySignedBy, type SignedObject } from '../../src/pki/signature.js';
import { derObjectsFrom } from '../../src/util/pem.js';
import { verifyCertificate } from '../../src/index.js';
import { resultOf, type CaseOutcome, type Suite } from './types.js';
import { clip, pathVerdict } from './common.js';

interface Item<T> {
  readonly file: string;
  readonly value: T;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

function isGost(oid: string): boolean {
  return oid.startsWith('1.2.643.') || oid.startsWith('1.2.398.3.10.');
}

/** The issuer among `certs`: same name, and its key verifies (so a reissued CA with the same name is told apart). */
async function findIssuer(
  registry: AlgorithmRegistry,
  obj: SignedObject & { readonly issuer: { readonly key: string } },
  certs: readonly Item<ParsedCertificate>[],
): Promise<Item<ParsedCertificate> | undefined> {
  const named = certs.filter((c) => c.value.subject.key === obj.issuer.key);
  for (const c of named) if ((await verifySignedBy(registry, obj, c.value)).ok) return c;
  return named[0];
}

function tampered(obj: SignedObject): SignedObject {
  const tbs = obj.tbs.slice();
  tbs[Math.floor(tbs.length / 2)]! ^= 0x01;
  return { tbs, signatureAlgorithm: obj.signatureAlgorithm, signatureValue: obj.signatureValue };
}

export interface OtsRootsDetail {
  readonly cases: readonly CaseOutcome[];
  readonly lines: readonly string[];
  readonly counts: Readonly<Record<string, { passed: number; failed: number }>>;
}

export async function runOtsRoots(corpus: string): Promise<OtsRootsDetail | undefined> {
  const dir = join(corpus, 'ots-roots');
  if (!existsSync(dir)) return undefined;
  const gost = new AlgorithmRegistry().register(new GostProvider());
  const plain = new AlgorithmRegistry();
  const certs: Item<ParsedCertificate>[] = [];
  const crls: Item<ParsedCrl>[] = [];
  for (const f of files(dir).sort()) {
    const rel = relative(dir, f);
    if (/\.(crt|cer|pem)$/i.test(f)) for (const der of derObjectsFrom(new Uint8Array(readFileSync(f)), ['CERTIFICATE'])) certs.push({ file: rel, value: ParsedCertificate.fromDer(der) });
    else if (/\.crl$/i.test(f)) for (const der of derObjectsFrom(new Uint8Array(readFileSync(f)), ['X509 CRL'])) crls.push({ file: rel, value: ParsedCrl.fromDer(der) });
  }

  const counts: Record<string, { passed: number; failed: number }> = {};
  const cases: CaseOutcome[] = [];
  const lines: string[] = [];
  const record = (kind: string, id: string, expected: 'SUCCESS' | 'FAILURE', got: 'SUCCESS' | 'FAILURE', detail: string, verdict?: { indication: string; subIndication: string; countedWithoutRevocation?: boolean }) => {
    const c = (counts[kind] ??= { passed: 0, failed: 0 });
    if (expected === got) c.passed++;
    else c.failed++;
    cases.push({ id: `${kind} ${id}`, result: resultOf(expected, got), indication: verdict?.indication ?? got, subIndication: verdict?.subIndication ?? '', reason: clip(detail), countedWithoutRevocation: verdict?.countedWithoutRevocation });
    lines.push(`${expected === got ? 'ok  ' : 'FAIL'} ${kind.padEnd(11)} ${id}: ${got}${detail ? ` — ${detail}` : ''}`);
  };
  const skip = (reason: string, id: string) => {
    cases.push({ id, result: 'NA', indication: '', subIndication: '', reason });
    lines.push(`n/a  ${id}: ${reason}`);
  };

  const signatureCases = async (kind: string, id: string, obj: SignedObject, issuer: ParsedCertificate) => {
    const r = await verifySignedBy(gost, obj, issuer);
    const alg = r.algorithm ? `${r.algorithm.name}, ${r.algorithm.keyBits}-bit ${r.algorithm.key}` : obj.signatureAlgorithm.oid;
    record(kind, id, 'SUCCESS', r.ok ? 'SUCCESS' : 'FAILURE', r.ok ? alg : r.reason);
    const t = await verifySignedBy(gost, tampered(obj), issuer);
    record('tamper', id, 'FAILURE', t.ok ? 'SUCCESS' : 'FAILURE', '');
    if (isGost(obj.signatureAlgorithm.oid)) {
      const p = await verifySignedBy(plain, obj, issuer);
      if (p.ok) record('no-provider', id, 'FAILURE', 'SUCCESS', 'verified without the GOST provider');
      else if (p.unsupported === true && p.reason.includes(obj.signatureAlgorithm.oid)) record('no-provider', id, 'FAILURE', 'FAILURE', '');
      else {
        // Refused, but not as "unsupported, naming the OID": a wrong reason counts against us too (as a disagreement).
        (counts['no-provider'] ??= { passed: 0, failed: 0 }).failed++;
        cases.push({ id: `no-provider ${id}`, result: 'FALSE_REJECT', indication: 'FAILURE', subIndication: '', reason: clip(`refused, but not reported as unsupported naming ${obj.signatureAlgorithm.oid}: ${p.reason}`) });
        lines.push(`FAIL no-provider ${id}: ${p.reason}`);
      }
    }
    return r.ok;
  };

  const issuerOf = new Map<ParsedCertificate, ParsedCertificate>();
  for (const c of certs) {
    const id = `${c.file} (${c.value.subject.text})`;
    const issuer = await findIssuer(gost, c.value, certs);
    if (!issuer) {
      skip('issuer certificate not in the corpus', id);
      continue;
    }
    if (await signatureCases('sig', id, c.value, issuer.value)) issuerOf.set(c.value, issuer.value);
  }
  for (const c of crls) {
    const id = `${c.file} (${c.value.issuer.text})`;
    const issuer = await findIssuer(gost, c.value, certs);
    if (!issuer) {
      skip('CRL issuer not in the corpus', id);
      continue;
    }
    await signatureCases('crl', id, c.value, issuer.value);
  }

  // Path validation: anchor = the top of the chain found in the corpus; time = inside every validity period (and after the CRLs' thisUpdate where one applies).
  const allCrls = crls.map((c) => c.value);
  for (const c of certs) {
    if (!issuerOf.has(c.value)) continue;
    const chain = [c.value];
    while (issuerOf.get(chain.at(-1)!) && issuerOf.get(chain.at(-1)!) !== chain.at(-1)) chain.push(issuerOf.get(chain.at(-1)!)!);
    const top = chain.at(-1)!;
    const id = `${c.file} (${c.value.subject.text})`;
    if (top === c.value) continue; // self-signed root: the sig case covers it
    const from = Math.max(...chain.map((x) => x.notBefore.getTime()));
    const to = Math.min(...chain.map((x) => x.notAfter.getTime()));
    if (from >= to) {
      skip('chain has no common validity period', id);
      continue;
    }
    const crlTimes = allCrls.filter((l) => chain.slice(1).some((x) => x.subject.key === l.issuer.key)).map((l) => l.thisUpdate.getTime()).filter((t) => t > from && t < to);
    const time = new Date(crlTimes.length ? Math.max(...crlTimes) + 60_000 : from + (to - from) / 2);
    const r = await verifyCertificate(c.value, {
      trustAnchors: [top],
      intermediates: chain.slice(1, -1),
      crls: allCrls,
      validationTime: time,
      registry: gost,
      algorithmPolicy: GOST_ALGORITHM_POLICY,
      keyUsage: [],
    });
    // "The suite supplies no revocation data" is judged per certificate: no corpus CRL from its issuer.
    const noData = chain.slice(0, -1).some((x) => !allCrls.some((l) => l.issuer.key === x.issuer.key));
    const v = pathVerdict(r, noData);
    const keys = chain.map((x) => GOST_KEYS[x.publicKey.algorithmOid]?.family ?? x.publicKey.algorithmOid).join(' ← ');
    const rev = r.revocation.map((x) => x.status).join('/') || 'n/a';
    record('path', `${id} at ${time.toISOString()}`, 'SUCCESS', v.got, v.got === 'SUCCESS' ? `${chain.length} certificates, ${keys}, revocation ${rev}` : v.reason, {
      indication: r.indication,
      subIndication: r.subIndication ?? '',
      countedWithoutRevocation: v.countedWithoutRevocation,
    });
  }

  return { cases, lines, counts };
}

export const otsRootsSuite: Suite = {
  name: 'ots-roots',
  title: 'ots-roots (KZ NCA RSA+GOST, TR roots)',
  target: 1,
  via: 'path cases: verifyCertificate() with the default policy (registry + GOST provider, algorithmPolicy GOST_ALGORITHM_POLICY); signature cases: the crypto providers directly',
  run: async (corpus) => (await runOtsRoots(corpus))?.cases,
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const corpus = process.env.OTS_CORPUS ?? join(fileURLToPath(new URL('../../', import.meta.url)), '../shared/corpus');
  const r = await runOtsRoots(corpus);
  if (!r) {
    console.log(`ots-roots: no corpus under ${corpus}`);
  } else {
    if (process.argv.includes('--verbose')) for (const l of r.lines) console.log(l);
    for (const [k, c] of Object.entries(r.counts)) console.log(`${k}: ${c.passed} agree, ${c.failed} disagree`);
    for (const c of r.cases.filter((x) => x.result !== 'AGREE')) console.log(`${c.result} ${c.id}: ${c.reason}`);
    const bad = r.cases.filter((x) => x.result === 'FALSE_ACCEPT' || x.result === 'FALSE_REJECT').length;
    console.log(`${r.cases.filter((x) => x.result === 'AGREE').length} agree, ${bad} disagree`);
    process.exitCode = bad ? 1 : 0;
  }
}
