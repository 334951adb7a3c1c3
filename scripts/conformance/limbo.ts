import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pkijs from 'pkijs';
import { LimitExceededError } from '../../src/errors.js';
import { ParsedCertificate } from '../../src/pki/certificate.js';
import { ParsedCrl } from '../../src/pki/crl.js';
import { readGeneralNames } from '../../src/pki/general-name.js';
import { dnsInSubtree } from '../../src/pki/name-constraints.js';
import { OID } from '../../src/pki/oids.js';
import { findPath, type PathOutcome } from '../../src/pki/path.js';
import { DEFAULT_PATH_LIMITS } from '../../src/pki/path-builder.js';
import { CertificatePool, type TrustAnchor } from '../../src/pki/pool.js';
import { crlChecker } from '../../src/pki/revocation.js';
import { derObjectsFrom } from '../../src/util/pem.js';
import { algorithmPolicy, explain, registry } from './common.js';
import type { Disagreement, Suite, SuiteResult } from './types.js';

export interface LimboCase {
  id: string;
  features: string[];
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  key_usage: string[];
  extended_key_usage: string[];
  expected_result: 'SUCCESS' | 'FAILURE';
  expected_peer_name: { kind: 'DNS' | 'IP' | 'RFC822'; value: string } | null;
  expected_peer_names?: { kind: 'DNS' | 'IP' | 'RFC822'; value: string }[];
  max_chain_depth: number | null;
  crls: string[];
}

const EKU: Record<string, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
};

/**
 * Cases limbo itself marks as Web PKI (CA/Browser Forum Baseline Requirements)
 * rather than RFC 5280, or as pedantic beyond it: an RFC 5280 validator for
 * e-signatures is not meant to apply those rules, so they are not applicable.
 */
function notApplicable(c: LimboCase): string | undefined {
  if (c.id.startsWith('webpki::')) return 'Web PKI (CA/B Forum) profile rule, not RFC 5280';
  // pedantic-rfc5280 (cross-signed-root-missing-aki) contradicts cve::cve-2024-0567, which trusts a cross-signed root without AKI.
  const pedantic = c.features.find((f) => f.startsWith('pedantic-'));
  if (pedantic) return `limbo feature ${pedantic}`;
  return undefined;
}

const pem = (s: string) => derObjectsFrom(new TextEncoder().encode(s), ['CERTIFICATE']).map((d) => ParsedCertificate.fromDer(d));

function parseIp(s: string): Uint8Array | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(s)) return new Uint8Array(s.split('.').map(Number));
  if (!s.includes(':')) return undefined;
  const [head, tail] = s.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  });
  return out;
}

/**
 * The TLS peer-name check (RFC 6125) a limbo SERVER/CLIENT case adds on top
 * of path validation. It is not e-signature validation, so it lives here in
 * the harness, not in the library: DNS names against SAN dNSName (one
 * leftmost wildcard label), IPs against SAN iPAddress, e-mail against rfc822Name.
 */
function peerNameMatches(cert: ParsedCertificate, peer: NonNullable<LimboCase['expected_peer_name']>): boolean {
  const ext = cert.raw.extensions?.find((e) => e.extnID === OID.subjectAltName);
  const pv = ext?.parsedValue as unknown;
  if (!(pv instanceof pkijs.AltName)) return false;
  const names = readGeneralNames(pv.altNames);
  if (peer.kind === 'IP') {
    const ip = parseIp(peer.value);
    return !!ip && names.some((n) => n.kind === 'ip' && n.value.length === ip.length && n.value.every((b, i) => b === ip[i]));
  }
  if (peer.kind === 'RFC822') return names.some((n) => n.kind === 'rfc822' && n.value.toLowerCase() === peer.value.toLowerCase());
  const host = peer.value.toLowerCase();
  return names.some((n) => {
    if (n.kind !== 'dns') return false;
    const pattern = n.value.toLowerCase();
    if (!/^[a-z0-9*.-]+$/.test(pattern)) return false;
    if (pattern.startsWith('*.')) {
      const rest = pattern.slice(2);
      const dot = host.indexOf('.');
      return dot > 0 && host.slice(dot + 1) === rest && !rest.includes('*');
    }
    return !pattern.includes('*') && dnsInSubtree(host, pattern) && host.length === pattern.replace(/\.$/, '').length;
  });
}

export async function runLimboCase(c: LimboCase): Promise<{ ok: boolean; detail: string }> {
  let outcome: PathOutcome | undefined;
  try {
    const anchors = new CertificatePool<TrustAnchor>(c.trusted_certs.flatMap(pem).map((certificate) => ({ certificate })));
    const pool = new CertificatePool(c.untrusted_intermediates.flatMap(pem).map((certificate) => ({ certificate })));
    const target = pem(c.peer_certificate)[0]!;
    const crls = c.crls.flatMap((s) => derObjectsFrom(new TextEncoder().encode(s), ['X509 CRL']).map((d) => ParsedCrl.fromDer(d)));
    const time = c.validation_time ? new Date(c.validation_time) : new Date();
    const eku = c.extended_key_usage.map((e) => EKU[e] ?? e);
    outcome = await findPath(
      target,
      pool,
      anchors,
      {
        time,
        registry,
        algorithmPolicy,
        revocation: crlChecker(crls, registry, { certificates: [...pool.values()].map((x) => x.certificate), anchors }),
        targetKeyUsage: c.key_usage.length ? (c.key_usage as never) : undefined,
        targetExtKeyUsage: eku[0],
        strict: true,
      },
      c.max_chain_depth === null ? DEFAULT_PATH_LIMITS : { ...DEFAULT_PATH_LIMITS, maxDepth: c.max_chain_depth + 1 },
    );
    const best = outcome.best;
    if (!best?.valid) return { ok: false, detail: explain(outcome) };
    // With CRLs in the case, the leaf's status must be known good (limbo's CRL cases test exactly that).
    if (crls.length && best.revocation[0]?.status !== 'good') {
      const r = best.revocation[0];
      return { ok: false, detail: `leaf revocation ${r?.status}: ${r && r.status === 'unknown' ? r.reason : ''}` };
    }
    for (const peer of [...(c.expected_peer_name ? [c.expected_peer_name] : []), ...(c.expected_peer_names ?? [])]) {
      if (!peerNameMatches(target, peer)) return { ok: false, detail: `peer name ${peer.value} does not match the certificate` };
    }
    return { ok: true, detail: 'valid path' };
  } catch (e) {
    if (e instanceof LimitExceededError) return { ok: false, detail: `limit: ${e.message}` };
    return { ok: false, detail: `error: ${(e as Error).message}` };
  }
}

export const limboSuite: Suite = {
  name: 'x509-limbo',
  target: 0.97,
  async run(corpus: string): Promise<SuiteResult | undefined> {
    const file = join(corpus, 'limbo', 'limbo.json');
    if (!existsSync(file)) return undefined;
    const cases = (JSON.parse(readFileSync(file, 'utf8')) as { testcases: LimboCase[] }).testcases;
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const skippedReasons: Record<string, number> = {};
    const disagreements: Disagreement[] = [];
    for (const c of cases) {
      const na = notApplicable(c);
      if (na) {
        skipped++;
        skippedReasons[na] = (skippedReasons[na] ?? 0) + 1;
        continue;
      }
      const r = await runLimboCase(c);
      const got = r.ok ? 'SUCCESS' : 'FAILURE';
      if (got === c.expected_result) passed++;
      else {
        failed++;
        disagreements.push({ id: c.id, expected: c.expected_result, got, detail: r.detail });
      }
    }
    return { passed, failed, skipped, skippedReasons, disagreements };
  },
};
