/**
 * One RevocationChecker over every revocation source: CRLs and OCSP responses
 * embedded in the signature or supplied by the caller, and — only when the
 * caller enabled it — fetched online (OCSP from the AIA, then the CRL from the
 * CRL distribution points).
 *
 * Precedence, for the status of a certificate at time T:
 *  1. Only data whose signature and issuer authorization verify is considered
 *     (CRL: signed by the issuing CA with cRLSign; OCSP: see ocsp.ts). Anything
 *     else is ignored and named in the reason — a forged "good" counts for nothing.
 *  2. A verified revocation at or before T wins over any "good", from any
 *     source (CRL or OCSP alike); the earliest revocation time is reported.
 *  3. Otherwise a verified statement that the certificate was not revoked at T
 *     — a CRL or OCSP response issued at/after T not listing it (or listing it
 *     with a later revocation date), or one valid at T — gives `good`; among
 *     those the most recently issued is reported. Data issued *after* T counts:
 *     that is what makes past validation possible (EN 319 102-1 5.6.2).
 *  4. With no fresh answer, online access enabled and an AIA OCSP or CDP URL in the certificate, OCSP then CRL are fetched
 *     and rules 2–3 applied again; a failed fetch with no other answer is
 *     `unknown` with `tryLater` (INDETERMINATE/TRY_LATER, never a pass).
 *  5. Else a lapsed "good" (past nextUpdate) is returned as `good` with
 *     `fresh: false` — the caller must not take it as "good" (validation/chain.ts
 *     reports it as stale; past signature validation accepts it only when issued
 *     after the best-signature-time); else `unknown`.
 *
 * A certificate's own id-pkix-ocsp-nocheck gives it no status here: it only exempts
 * a delegated responder while its responses are being trusted (ocsp.ts, RFC 6960
 * 4.2.2.2.1). Looking up a non-nocheck responder's status may itself need OCSP: that
 * nesting is bounded (MAX_RESPONDER_DEPTH) and a certificate already being looked up
 * further up is "no status" (a cycle), never a recursion.
 */
import * as pkijs from 'pkijs';
import type { AlgorithmRegistry } from '../crypto/registry.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { ParsedCrl } from '../pki/crl.js';
import { OID } from '../pki/oids.js';
import { crlStatus, type RevocationChecker, type RevocationStatus } from '../pki/revocation.js';
import type { CertificatePool, TrustAnchor } from '../pki/pool.js';
import { DEFAULT_ALGORITHM_POLICY, type AlgorithmPolicy } from '../crypto/policy.js';
import { FetchError, type Fetcher } from '../net/fetcher.js';
import { buildOcspRequest, ocspAnswer, ParsedOcspResponse } from './ocsp.js';

export type RevocationOrigin = 'embedded' | 'supplied' | 'fetched';

type CrlSource = { readonly crl: ParsedCrl; readonly origin: RevocationOrigin };
type OcspSource = { readonly response: ParsedOcspResponse; readonly origin: RevocationOrigin };

/**
 * The CRLs a checker reads, `supplied` ones first, then `embedded` ones, each with its origin. Built by a loop,
 * not `map` and spread: the array keeps one map in every tier (src/util/list.ts says why that matters).
 */
export function taggedCrls(supplied: readonly ParsedCrl[], embedded: readonly ParsedCrl[] = []): CrlSource[] {
  const out: CrlSource[] = [];
  for (let i = 0; i < supplied.length; i++) out.push({ crl: supplied[i]!, origin: 'supplied' });
  for (let i = 0; i < embedded.length; i++) out.push({ crl: embedded[i]!, origin: 'embedded' });
  return out;
}

/** The OCSP responses a checker reads, as taggedCrls orders and builds them. */
export function taggedOcsps(supplied: readonly ParsedOcspResponse[], embedded: readonly ParsedOcspResponse[] = []): OcspSource[] {
  const out: OcspSource[] = [];
  for (let i = 0; i < supplied.length; i++) out.push({ response: supplied[i]!, origin: 'supplied' });
  for (let i = 0; i < embedded.length; i++) out.push({ response: embedded[i]!, origin: 'embedded' });
  return out;
}

export interface RevocationSources {
  readonly registry: AlgorithmRegistry;
  readonly crls?: readonly CrlSource[];
  readonly ocsps?: readonly OcspSource[];
  /**
   * Certificates a delegated OCSP responder certificate may be taken from when a response omits it, and
   * candidate CRL signers (a CRL signed by a separate CRL-signing key, or an indirect CRL).
   */
  readonly certificates?: readonly ParsedCertificate[];
  /** Anchors a separate CRL signer's own path must reach (RFC 5280 6.3.3 (f)); without them only the issuing CA signs CRLs. */
  readonly anchors?: CertificatePool<TrustAnchor>;
  /** Enables online fetching (rule 4). */
  readonly fetcher?: Fetcher;
  /** CRL and OCSP signatures must use algorithms acceptable at the time in question; default the library default. */
  readonly algorithmPolicy?: AlgorithmPolicy;
}

const ACCESS_OCSP = '1.3.6.1.5.5.7.48.1';
/** Nested responder-status lookups (a responder whose responder needs a status, …). */
const MAX_RESPONDER_DEPTH = 3;

/** Identity of a certificate for cycle detection: issuer and serial, as OCSP names it. */
const certId = (c: ParsedCertificate) => `${c.issuer.key}|${c.serialNumberHex}`;

type Good = Extract<RevocationStatus, { status: 'good' }>;
type Revoked = Extract<RevocationStatus, { status: 'revoked' }>;

export function revocationChecker(src: RevocationSources): RevocationChecker {
  const crls = copyOf(src.crls);
  const ocsps = copyOf(src.ocsps);
  const registry = src.registry;

  const algorithmPolicy = src.algorithmPolicy ?? DEFAULT_ALGORITHM_POLICY;

  /**
   * `trail`: the certificates whose status is being looked up further up this call chain (the
   * certificate first, then each delegated responder asked about on the way).
   */
  async function evaluate(cert: ParsedCertificate, issuer: ParsedCertificate, time: Date, allowFetch: boolean, trail: readonly string[]): Promise<RevocationStatus> {
    const reasons: string[] = [];
    const revoked: Revoked[] = [];
    const good: Good[] = [];
    const rejected: string[] = [];
    await collect(cert, issuer, time, reasons, revoked, good, trail, rejected);
    let fetchFailure: string | undefined;
    let fetched = false;
    if (allowFetch && src.fetcher && revoked.length === 0 && !good.some((g) => g.fresh) && hasAccessUrls(cert)) {
      fetched = true;
      // OCSP first; the CRL only when OCSP gave no fresh verified answer.
      const failures: string[] = [];
      for (const kind of ['ocsp', 'crl'] as const) {
        const got = await fetchFor(kind, cert, issuer, src.fetcher, failures);
        if (!got) continue;
        revoked.length = 0;
        good.length = 0;
        const r: string[] = [];
        await collect(cert, issuer, time, r, revoked, good, trail);
        for (const x of r) if (!reasons.includes(x)) reasons.push(x);
        if (revoked.length || good.some((g) => g.fresh)) break;
      }
      if (!revoked.length && !good.some((g) => g.fresh) && failures.length) fetchFailure = `online revocation data unavailable (${failures.join('; ')})`;
    }
    if (revoked.length) return revoked.reduce((a, b) => (b.revocationTime < a.revocationTime ? b : a));
    const fresh = good.filter((g) => g.fresh);
    const picked = (gs: Good[]) => gs.reduce((a, b) => (b.thisUpdate > a.thisUpdate ? b : a));
    const pick = (gs: Good[]): Good => {
      const one = picked(gs);
      const alsoFrom = otherKinds(good, one.kind);
      return { ...one, ...(rejected.length ? { rejectedCarried: rejected } : {}), ...(alsoFrom.length ? { alsoFrom } : {}) };
    };
    if (fresh.length) return pick(fresh);
    if (fetched) {
      // Online checking was tried and gave no fresh, verified answer: the status is not known now.
      // (A certificate naming no responder or CRL location has nothing to try later: plain `unknown` below.)
      const why = fetchFailure ?? (good.length ? 'only revocation data past its nextUpdate' : 'no verified revocation data');
      return { status: 'unknown', reason: [why, ...reasons].join('; '), tryLater: true };
    }
    if (good.length) return pick(good);
    return { status: 'unknown', reason: reasons.length ? reasons.join('; ') : 'no CRL or OCSP response for this certificate' };
  }

  /** `rejected` (when given) receives why each carried OCSP response about `cert` could not be accepted. */
  async function collect(cert: ParsedCertificate, issuer: ParsedCertificate, time: Date, reasons: string[], revoked: Revoked[], good: Good[], trail: readonly string[], rejected?: string[]) {
    const t = time.getTime();
    // Delta CRLs only speak together with a complete CRL they extend: each complete CRL is read with every
    // delta at hand (crlStatus pairs a delta with its base by CRL number), never a delta on its own.
    const deltas: ParsedCrl[] = [];
    for (const c of crls) if (c.crl.isDelta) deltas.push(c.crl);
    for (const { crl, origin } of crls) {
      if (crl.isDelta || crl.issuer.key !== issuer.subject.key) continue;
      // crlStatus only reads CRLs issued up to the time it is given; a later CRL also speaks about `time`
      // (it lists every revocation still in force, with its date), so ask it at the CRL's own thisUpdate.
      const at = crl.thisUpdate.getTime() > t ? crl.thisUpdate : time;
      const st = await crlStatus(cert, issuer, [crl, ...deltas], at, registry, { algorithmPolicy });
      if (st.status === 'unknown') {
        reasons.push(st.reason);
        continue;
      }
      const base = { kind: 'crl' as const, origin };
      if (st.status === 'revoked' && st.revocationTime.getTime() <= t) revoked.push({ ...st, ...base });
      else {
        // Issued at/after the time in question, or valid at it (a CRL without nextUpdate only when issued after).
        const fresh = crl.thisUpdate.getTime() >= t || (crl.nextUpdate !== undefined && crl.nextUpdate.getTime() >= t);
        const revLater = st.status === 'revoked' ? `; revoked later, at ${st.revocationTime.toISOString()}` : '';
        good.push({ status: 'good', source: `${st.source}${revLater}`, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate, fresh, ...base });
      }
    }
    if (!crls.some((c) => c.crl.issuer.key === issuer.subject.key) || (!revoked.length && !good.length)) await crlsTogether(cert, issuer, time, reasons, revoked, good);
    for (const { response, origin } of ocsps) {
      const a = await ocspAnswer(response, cert, issuer, time, {
        registry,
        certificates: src.certificates,
        algorithmPolicy,
        responderStatus: async (r, i, at) => {
          const id = certId(r);
          // A responder whose status is already being sought up this chain (it answers for itself, or two
          // responders vouch for each other) has no status; so has one nested too deep.
          if (trail.includes(id) || trail.length > MAX_RESPONDER_DEPTH) return undefined;
          const s = await evaluate(r, i, at, false, [...trail, id]);
          // Only a fresh "good" vouches for a responder.
          return s.status === 'unknown' || (s.status === 'good' && !s.fresh) ? undefined : s.status;
        },
      });
      if (!a.applies) {
        if (!a.reason.startsWith('no SingleResponse')) {
          reasons.push(`OCSP response ignored: ${a.reason}`);
          if (origin === 'embedded' && !a.reason.startsWith('responder answered')) rejected?.push(`OCSP response produced at ${response.producedAt.toISOString()}: ${a.reason}`);
        }
        continue;
      }
      const source = `OCSP ${a.responder} producedAt ${a.producedAt.toISOString()}`;
      const base = { kind: 'ocsp' as const, origin, producedAt: a.producedAt };
      if (a.status === 'revoked') revoked.push({ status: 'revoked', source, revocationTime: a.revocationTime!, reason: a.reason, ...base });
      else {
        const later = a.revocationTime ? `; revoked later, at ${a.revocationTime.toISOString()}` : '';
        good.push({ status: 'good', source: `${source}${later}`, thisUpdate: a.thisUpdate, nextUpdate: a.nextUpdate, fresh: a.fresh, ...base });
      }
    }
  }

  /**
   * The CRLs read together, as RFC 5280 6.3 does, when none answered one by one: a CRL signed by a
   * separate CRL-signing key or a re-keyed (self-issued) CA, an indirect CRL (cRLIssuer), or several
   * CRLs that only together cover every reason (onlySomeReasons). The CRL signer must be among
   * `certificates` and its own path reach `anchors`; crlStatus validates it.
   */
  async function crlsTogether(cert: ParsedCertificate, issuer: ParsedCertificate, time: Date, reasons: string[], revoked: Revoked[], good: Good[]) {
    if (crls.length === 0) return;
    const st = await crlStatus(
      cert,
      issuer,
      crls.map((c) => c.crl),
      time,
      registry,
      { algorithmPolicy, certificates: src.certificates, anchors: src.anchors },
    );
    if (st.status === 'unknown') {
      if (!reasons.includes(st.reason)) reasons.push(st.reason);
      return;
    }
    // Provenance: the CRL the answer names (its issuer and thisUpdate), else supplied.
    const named = crls.find((c) => st.source.includes(c.crl.issuer.text) && st.source.includes(c.crl.thisUpdate.toISOString()));
    const base = { kind: 'crl' as const, origin: named?.origin ?? ('supplied' as const) };
    if (st.status === 'revoked') {
      if (st.revocationTime.getTime() <= time.getTime()) revoked.push({ ...st, ...base });
    } else good.push({ ...st, ...base });
  }

  /** Fetches an OCSP response (AIA) or a CRL (CDP) into the pools; true when something was added. */
  async function fetchFor(kind: 'ocsp' | 'crl', cert: ParsedCertificate, issuer: ParsedCertificate, fetcher: Fetcher, failures: string[]): Promise<boolean> {
    const urls = accessUrls(cert)[kind];
    for (const url of urls) {
      try {
        if (kind === 'ocsp') {
          const body = await fetcher.post(url, await buildOcspRequest(cert, issuer, registry), 'application/ocsp-request', 'application/ocsp-response');
          ocsps.push({ response: ParsedOcspResponse.fromDer(body), origin: 'fetched' });
        } else {
          const body = await fetcher.get(url, 'application/pkix-crl');
          crls.push({ crl: ParsedCrl.fromDer(body), origin: 'fetched' });
        }
        return true;
      } catch (e) {
        failures.push(`${kind.toUpperCase()} ${e instanceof FetchError ? e.message : `${url}: ${(e as Error).message}`}`);
      }
    }
    return false;
  }

  return (cert, issuer, time) => evaluate(cert, issuer, time, true, [certId(cert)]);
}

/** A private copy of a source list (the checker's own), packed whatever the caller's array was. */
function copyOf<T>(list: readonly T[] | undefined): T[] {
  const out: T[] = [];
  if (list) for (let i = 0; i < list.length; i++) out.push(list[i]!);
  return out;
}

/** The kinds of answer besides `kind` among `good`, each once, in order of first appearance. */
function otherKinds(good: readonly Good[], kind: Good['kind']): ('crl' | 'ocsp')[] {
  const out: ('crl' | 'ocsp')[] = [];
  for (const g of good) if (g.kind !== undefined && g.kind !== kind && !out.includes(g.kind)) out.push(g.kind);
  return out;
}

function hasAccessUrls(cert: ParsedCertificate): boolean {
  const u = accessUrls(cert);
  return u.ocsp.length > 0 || u.crl.length > 0;
}

/** OCSP responder URLs (AIA id-ad-ocsp) and CRL distribution point URLs of a certificate, http(s) only. */
export function accessUrls(cert: ParsedCertificate): { ocsp: string[]; crl: string[] } {
  const ocsp: string[] = [];
  const crl: string[] = [];
  const isHttp = (u: unknown): u is string => typeof u === 'string' && /^https?:\/\//i.test(u);
  for (const e of cert.raw.extensions ?? []) {
    const pv = e.parsedValue as unknown;
    if (e.extnID === OID.authorityInfoAccess && pv instanceof pkijs.InfoAccess) {
      for (const ad of pv.accessDescriptions) {
        if (ad.accessMethod === ACCESS_OCSP && ad.accessLocation.type === 6 && isHttp(ad.accessLocation.value)) ocsp.push(ad.accessLocation.value);
      }
    }
    if (e.extnID === OID.cRLDistributionPoints && pv instanceof pkijs.CRLDistributionPoints) {
      for (const dp of pv.distributionPoints) {
        const names = Array.isArray(dp.distributionPoint) ? dp.distributionPoint : [];
        for (const n of names) if (n.type === 6 && isHttp(n.value)) crl.push(n.value);
      }
    }
  }
  return { ocsp, crl };
}
