/**
 * NIST PKITS through the public API: `verifyCertificate()` with the default policy (no `policy`
 * option), pyhanko-certvalidator's PKITS settings expressed as options a user has:
 * - `registry`: WebCrypto plus an injected node:crypto DSA provider (the library ships no DSA;
 *   4.1.4-4.1.6 are dsa-with-SHA1) — a CryptoProvider any caller can register;
 * - `algorithmPolicy`: SHA-1 without a sunset and DSA keys of 1024 bits and up (pyhanko's: only
 *   MD2/MD5 are weak) — VerifyOptions.algorithmPolicy, applied on top of the default policy;
 * - the case's RFC 5280 initial inputs (user-initial-policy-set, initial-explicit-policy,
 *   initial-policy-mapping-inhibit, initial-any-policy-inhibit) as the policy's `certificate`
 *   constraints, over the default policy.
 * Not applicable, decided from the case alone (never from our result):
 * - cases needing an initial input the API does not have (a user set without explicit policy,
 *   initial-policy-mapping-inhibit, initial-any-policy-inhibit);
 * - profile conflicts: a case expecting SUCCESS whose CA certificates break an RFC 5280 section 4
 *   MUST addressed to conforming CAs — basicConstraints not critical in a CA certificate (4.2.1.9),
 *   policyConstraints not critical (4.2.1.11). PKITS (2011) tests section 6 processing only and
 *   accepts these; x509-limbo tests the same defects as FAILURE (rfc5280::pc::ica-noncritical-pc,
 *   rfc5280::root-non-critical-basic-constraints) and the default policy's strict profile enforces
 *   them, so one policy cannot satisfy both: the PKITS side is n/a (the lenient preset accepts them).
 * Revocation: the default policy requires it for the target and every CA (pyhanko's "require" mode
 * is the library's own rule now); `revocation: false` cases ship no usable CRLs and are scored as
 * common.ts says.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParsedCertificate, verifyCertificate } from '../../src/index.js';
import { DEFAULT_ALGORITHM_POLICY, type AlgorithmPolicy } from '../../src/crypto/policy.js';
import { DEFAULT_POLICY } from '../../src/policy/presets.js';
import type { CertificateConstraints } from '../../src/policy/model.js';
import { AlgorithmRegistry } from '../../src/crypto/registry.js';
import { clip, pathVerdict } from './common.js';
import { NodeDsaProvider } from './dsa-provider.js';
import { resultOf, type CaseOutcome, type Suite } from './types.js';

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

/** The validation time pyhanko-certvalidator's PKITS tests use (see the corpus README). */
const VALIDATION_TIME = new Date('2022-05-01T00:00:00Z');
const ANY_POLICY = '2.5.29.32.0';
/** pyhanko's PKITS settings: only MD2/MD5 are weak, DSA keys of 1024 bits and up are allowed. */
const pkitsAlgorithms: AlgorithmPolicy = {
  digests: { ...DEFAULT_ALGORITHM_POLICY.digests, 'SHA-1': null },
  keys: { ...DEFAULT_ALGORITHM_POLICY.keys, DSA: [{ minBits: 1024, until: null }] },
};
const pkitsRegistry = new AlgorithmRegistry().register(new NodeDsaProvider());

/** The RFC 5280 initial inputs (6.1.1 (c) and (e)-(g)) as the policy's certificate constraints. */
function initialInputs(c: PkitsCase): CertificateConstraints | undefined {
  const p = c.params ?? {};
  if (!p.user_initial_policy_set && !p.initial_explicit_policy && !p.initial_policy_mapping_inhibit && !p.initial_any_policy_inhibit) return undefined;
  return {
    ...DEFAULT_POLICY.certificate,
    ...(p.user_initial_policy_set ? { acceptablePolicies: p.user_initial_policy_set } : {}),
    explicitPolicy: p.initial_explicit_policy === true,
    inhibitPolicyMapping: p.initial_policy_mapping_inhibit === true,
    inhibitAnyPolicy: p.initial_any_policy_inhibit === true,
  };
}

const BASIC_CONSTRAINTS = '2.5.29.19';
const POLICY_CONSTRAINTS = '2.5.29.36';

/** The CA-profile MUST a case expecting SUCCESS rests on breaking (see the header), if any. */
function profileConflict(c: PkitsCase, file: (sub: string, f: string) => Uint8Array): string | undefined {
  if (c.error) return undefined;
  for (const f of [...(c.other_certs ?? []), ...(c.path_intermediates ?? [])]) {
    const cert = ParsedCertificate.fromDer(file('certs', f));
    const bc = cert.extension(BASIC_CONSTRAINTS);
    if (bc && !bc.critical && cert.isCA) return 'profile conflict with x509-limbo: a CA certificate with basicConstraints not critical (RFC 5280 4.2.1.9 MUST, strict profile)';
    const pc = cert.extension(POLICY_CONSTRAINTS);
    if (pc && !pc.critical) return 'profile conflict with x509-limbo: policyConstraints not critical (RFC 5280 4.2.1.11 MUST, strict profile)';
  }
  return undefined;
}

export async function runPkitsCase(dir: string, c: PkitsCase): Promise<CaseOutcome> {
  const id = `${c.id} ${c.name}`;
  const expected = c.error ? 'FAILURE' : 'SUCCESS';
  const file = (sub: string, f: string) => new Uint8Array(readFileSync(join(dir, sub, f)));
  const certificate = initialInputs(c);
  const conflict = profileConflict(c, file);
  if (conflict) return { id, result: 'NA', indication: '', subIndication: '', reason: conflict };
  let r;
  try {
    r = await verifyCertificate(file('certs', c.cert), {
      trustAnchors: [file('certs', 'TrustAnchorRootCertificate.crt')],
      intermediates: [...(c.other_certs ?? []), ...(c.path_intermediates ?? [])].map((f) => file('certs', f)),
      crls: ['TrustAnchorRootCRL.crl', ...(c.crls ?? [])].map((f) => file('crls', f)),
      validationTime: VALIDATION_TIME,
      registry: pkitsRegistry,
      algorithmPolicy: pkitsAlgorithms,
      keyUsage: [],
      // The case's RFC 5280 initial inputs are the relying party's certificate constraints; the rest is the default.
      ...(certificate ? { policy: { ...DEFAULT_POLICY, certificate } } : {}),
    });
  } catch (e) {
    const detail = clip(`verifyCertificate threw ${(e as { code?: string }).code ?? ''}: ${(e as Error).message}`);
    return { id, result: resultOf(expected, 'FAILURE'), indication: 'ERROR', subIndication: '', reason: detail };
  }
  const v = pathVerdict(r, c.revocation === false);
  return { id, result: resultOf(expected, v.got), indication: r.indication, subIndication: r.subIndication ?? '', reason: v.reason, countedWithoutRevocation: v.countedWithoutRevocation };
}

export const pkitsSuite: Suite = {
  name: 'pkits',
  title: 'NIST PKITS (pyhanko-certvalidator case list)',
  target: 0.97,
  via: 'verifyCertificate() with the default policy; options: trustAnchors, intermediates, crls, validationTime, registry (+ injected DSA provider), algorithmPolicy (SHA-1, DSA-1024), RFC 5280 initial inputs of each case as policy.certificate constraints over the default',
  async run(corpus: string): Promise<CaseOutcome[] | undefined> {
    const dir = join(corpus, 'pkits');
    const file = join(dir, 'pkits.json');
    if (!existsSync(file)) return undefined;
    const cases = JSON.parse(readFileSync(file, 'utf8')) as PkitsCase[];
    const out: CaseOutcome[] = [];
    for (const c of cases) out.push(await runPkitsCase(dir, c));
    return out;
  },
};
