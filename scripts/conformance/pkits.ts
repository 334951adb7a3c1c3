import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LimitExceededError } from '../../src/errors.js';
import { ParsedCertificate } from '../../src/pki/certificate.js';
import { ParsedCrl } from '../../src/pki/crl.js';
import { findPath, type PathOutcome } from '../../src/pki/path.js';
import { CertificatePool, type TrustAnchor } from '../../src/pki/pool.js';
import { crlChecker } from '../../src/pki/revocation.js';
import type { AlgorithmPolicy } from '../../src/crypto/policy.js';
import { AlgorithmRegistry } from '../../src/crypto/registry.js';
import { algorithmPolicy, explain } from './common.js';
import { NodeDsaProvider } from './dsa-provider.js';
import type { Disagreement, Suite, SuiteResult } from './types.js';

export interface PkitsCase {
  id: string;
  name: string;
  cert: string;
  other_certs: string[];
  crls: string[];
  path_intermediates?: string[];
  revocation?: boolean;
  params?: {
    user_initial_policy_set?: string[];
    initial_explicit_policy?: boolean;
    initial_policy_mapping_inhibit?: boolean;
    initial_any_policy_inhibit?: boolean;
  };
  error?: { class: string; msg_regex: string };
}

/** The harness settings pyhanko-certvalidator's PKITS tests use (see the corpus README). */
const VALIDATION_TIME = new Date('2022-05-01T00:00:00Z');
/** pyhanko's PKITS settings: only MD2/MD5 are weak, DSA keys of 1024 bits and up are allowed (4.1.4-4.1.6 use dsa-with-SHA1). */
const pkitsPolicy: AlgorithmPolicy = {
  digests: { ...algorithmPolicy.digests, 'SHA-1': null },
  keys: { ...algorithmPolicy.keys, DSA: [{ minBits: 1024, until: null }] },
};
/** WebCrypto plus a node:crypto DSA verifier (harness only: the library itself has no DSA). */
const pkitsRegistry = new AlgorithmRegistry().register(new NodeDsaProvider());

export async function runPkitsCase(dir: string, c: PkitsCase): Promise<{ ok: boolean; detail: string }> {
  const cert = (f: string) => ParsedCertificate.fromDer(new Uint8Array(readFileSync(join(dir, 'certs', f))));
  const crl = (f: string) => ParsedCrl.fromDer(new Uint8Array(readFileSync(join(dir, 'crls', f))));
  let outcome: PathOutcome | undefined;
  try {
    const anchors = new CertificatePool<TrustAnchor>([{ certificate: cert('TrustAnchorRootCertificate.crt') }]);
    const others = [...(c.other_certs ?? []), ...(c.path_intermediates ?? [])].map(cert);
    const pool = new CertificatePool(others.map((certificate) => ({ certificate })));
    const crls = ['TrustAnchorRootCRL.crl', ...(c.crls ?? [])].map(crl);
    outcome = await findPath(cert(c.cert), pool, anchors, {
      time: VALIDATION_TIME,
      registry: pkitsRegistry,
      algorithmPolicy: pkitsPolicy,
      revocation: crlChecker(crls, pkitsRegistry, { certificates: others, anchors, algorithmPolicy: pkitsPolicy }),
      initialPolicySet: c.params?.user_initial_policy_set,
      requireExplicitPolicy: c.params?.initial_explicit_policy,
      inhibitPolicyMapping: c.params?.initial_policy_mapping_inhibit,
      inhibitAnyPolicy: c.params?.initial_any_policy_inhibit,
    });
    const best = outcome.best;
    if (!best?.valid) return { ok: false, detail: explain(outcome) };
    // pyhanko's "require" mode (revocation absent or true): every certificate needs current, usable revocation data.
    if (c.revocation !== false) {
      for (let i = 0; i < best.chain.length - 1; i++) {
        const r = best.revocation[i];
        if (!r || r.status === 'unknown') return { ok: false, detail: `no usable CRL for ${best.chain[i]!.subject.text}: ${r?.status === 'unknown' ? r.reason : ''}` };
        if (r.status === 'good' && !r.fresh) return { ok: false, detail: `CRL for ${best.chain[i]!.subject.text} is stale` };
      }
    }
    return { ok: true, detail: 'valid path' };
  } catch (e) {
    if (e instanceof LimitExceededError) return { ok: false, detail: `limit: ${e.message}` };
    return { ok: false, detail: `error: ${(e as Error).message}` };
  }
}

export const pkitsSuite: Suite = {
  name: 'NIST PKITS',
  target: 0.97,
  async run(corpus: string): Promise<SuiteResult | undefined> {
    const dir = join(corpus, 'pkits');
    const file = join(dir, 'pkits.json');
    if (!existsSync(file)) return undefined;
    const cases = JSON.parse(readFileSync(file, 'utf8')) as PkitsCase[];
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const skippedReasons: Record<string, number> = {};
    const disagreements: Disagreement[] = [];
    for (const c of cases) {
      const expected = c.error ? 'FAILURE' : 'SUCCESS';
      const r = await runPkitsCase(dir, c);
      const got = r.ok ? 'SUCCESS' : 'FAILURE';
      if (got === expected) passed++;
      else {
        failed++;
        disagreements.push({ id: `${c.id} ${c.name}`, expected, got, detail: r.detail });
      }
    }
    return { passed, failed, skipped, skippedReasons, disagreements };
  },
};
