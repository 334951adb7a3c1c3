/**
 * x509-limbo through the public API: `verifyCertificate()` with the default policy (no `policy`
 * option), the case's trusted certificates as trustAnchors, its intermediates, CRLs, validation time,
 * key usage / EKU and max_chain_depth (as limits.maxPathDepth = depth + 1: limbo counts the
 * intermediates, the library the certificates below the anchor). Nothing is checked here on top of
 * the library's report; see common.ts for how a case without revocation data is scored.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pkijs from 'pkijs';
import { verifyCertificate, type KeyUsageName } from '../../src/index.js';
import { ParsedCertificate } from '../../src/pki/certificate.js';
import { readGeneralNames } from '../../src/pki/general-name.js';
import { dnsInSubtree } from '../../src/pki/name-constraints.js';
import { OID } from '../../src/pki/oids.js';
import { derObjectsFrom } from '../../src/util/pem.js';
import { clip, pathVerdict } from './common.js';
import { resultOf, type CaseOutcome, type Suite } from './types.js';

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
 * Not applicable, decided from the case alone (never from our result):
 * - cases limbo itself marks as Web PKI (CA/Browser Forum Baseline Requirements) rather than
 *   RFC 5280, or as pedantic beyond it: an RFC 5280 validator for e-signatures does not apply them;
 * - TLS peer-name cases: the peer-name check (RFC 6125) is TLS, not e-signature validation, and the
 *   library has none. A case expecting FAILURE whose expected peer name(s) the leaf's
 *   subjectAltName does not match may fail for that reason alone, so its outcome depends on the
 *   check: n/a. (A case expecting SUCCESS, or whose names do match, does not depend on it.)
 */
function notApplicable(c: LimboCase): string | undefined {
  if (c.id.startsWith('webpki::')) return 'Web PKI (CA/B Forum) profile rule, not RFC 5280';
  // pedantic-rfc5280 (cross-signed-root-missing-aki) contradicts cve::cve-2024-0567, which trusts a cross-signed root without AKI.
  const pedantic = c.features.find((f) => f.startsWith('pedantic-'));
  if (pedantic) return `limbo feature ${pedantic}`;
  const peers = [...(c.expected_peer_name ? [c.expected_peer_name] : []), ...(c.expected_peer_names ?? [])];
  if (c.expected_result === 'FAILURE' && peers.length) {
    let leaf: ParsedCertificate | undefined;
    try {
      leaf = pem(c.peer_certificate)[0];
    } catch {
      // A leaf the parser refuses is scored (rejected for that), not classified away.
    }
    if (leaf && peers.some((p) => !peerNameMatches(leaf, p))) return 'expected FAILURE may rest on the TLS peer-name check (expected peer name not in the leaf SAN): not e-signature validation';
  }
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
 * The TLS peer-name match (RFC 6125) a limbo SERVER/CLIENT case adds on top of path validation:
 * DNS names against SAN dNSName (one leftmost wildcard label), IPs against SAN iPAddress, e-mail
 * against rfc822Name. Used only to classify cases as n/a (notApplicable), never to score them.
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

export async function runLimboCase(c: LimboCase): Promise<CaseOutcome> {
  const ku = c.key_usage as KeyUsageName[];
  let r;
  try {
    r = await verifyCertificate(c.peer_certificate, {
      trustAnchors: c.trusted_certs,
      intermediates: c.untrusted_intermediates,
      crls: c.crls,
      validationTime: c.validation_time ? new Date(c.validation_time) : undefined,
      // limbo's key_usage: the leaf must assert one of them; none listed = no keyUsage requirement.
      keyUsage: ku.length ? ku : [],
      extendedKeyUsage: c.extended_key_usage.length ? (EKU[c.extended_key_usage[0]!] ?? c.extended_key_usage[0]) : undefined,
      limits: c.max_chain_depth === null ? undefined : { maxPathDepth: c.max_chain_depth + 1 },
    });
  } catch (e) {
    // An option the library refuses (e.g. an unreadable certificate) is a rejection.
    const detail = clip(`verifyCertificate threw ${(e as { code?: string }).code ?? ''}: ${(e as Error).message}`);
    return { id: c.id, result: resultOf(c.expected_result, 'FAILURE'), indication: 'ERROR', subIndication: '', reason: detail };
  }
  const v = pathVerdict(r, c.crls.length === 0);
  return {
    id: c.id,
    result: resultOf(c.expected_result, v.got),
    indication: r.indication,
    subIndication: r.subIndication ?? '',
    reason: v.reason,
    countedWithoutRevocation: v.countedWithoutRevocation,
  };
}

export const limboSuite: Suite = {
  name: 'limbo',
  title: 'x509-limbo (C2SP), RFC 5280 cases',
  target: 0.97,
  via: 'verifyCertificate() with the default policy; options: trustAnchors, intermediates, crls, validationTime, keyUsage, extendedKeyUsage, limits.maxPathDepth',
  async run(corpus: string): Promise<CaseOutcome[] | undefined> {
    const file = join(corpus, 'limbo', 'limbo.json');
    if (!existsSync(file)) return undefined;
    const cases = (JSON.parse(readFileSync(file, 'utf8')) as { testcases: LimboCase[] }).testcases;
    const out: CaseOutcome[] = [];
    for (const c of cases) {
      const na = notApplicable(c);
      out.push(na ? { id: c.id, result: 'NA', indication: '', subIndication: '', reason: na } : await runLimboCase(c));
    }
    return out;
  },
};
