/**
 * Trust material of the service as plain data: the bytes of every file the operator configured
 * (trusted lists, their pinned signers, agreements, anchors, CRLs, OCSP responses, the policy
 * file), read once per refresh. The main thread verifies a snapshot completely before it is used;
 * worker threads receive the same bytes (never paths: a file changed after the check must not
 * reach a worker unchecked) and build their VerifyOptions from them once per snapshot id.
 */
import { createHash } from 'node:crypto';
import { InvalidOptionError } from '../errors.js';
import type { ValidationPolicy } from '../policy/model.js';
import { parsePolicy } from '../policy/parse.js';
import { POLICY_PRESETS } from '../policy/presets.js';
import { loadTrustLists } from '../trust/load.js';
import { loadCertificates, loadCrls, loadOcspResponse, type VerifyOptions } from '../validation/options.js';
import { AlgorithmRegistry } from '../crypto/registry.js';

export interface NamedBytes {
  readonly name: string;
  readonly data: Uint8Array;
}

export interface TrustMaterial {
  /** SHA-256 (hex, 16 characters) over every byte and setting below: equal ids, equal trust. */
  readonly id: string;
  /** When the files were read and checked (ISO-8601). */
  readonly loadedAt: string;
  readonly trustLists: readonly NamedBytes[];
  readonly listSigners: readonly NamedBytes[];
  readonly agreements: readonly NamedBytes[];
  readonly trustAnchors: readonly NamedBytes[];
  readonly tsaAnchors: readonly NamedBytes[];
  readonly intermediates: readonly NamedBytes[];
  readonly crls: readonly NamedBytes[];
  readonly ocsp: readonly NamedBytes[];
  /** A preset name, or a policy file's text (parsed by parsePolicy). */
  readonly policy?: { readonly preset: string } | { readonly name: string; readonly text: string };
  readonly relyingParty?: string;
  readonly purpose?: string;
  readonly algorithms?: readonly string[];
  readonly online?: boolean;
  readonly requireRevocation?: boolean;
}

export type MaterialFields = Omit<TrustMaterial, 'id' | 'loadedAt'>;

/** The snapshot id: a digest of the material (names, bytes and settings) in a fixed order. */
export function materialId(m: MaterialFields): string {
  const h = createHash('sha256');
  const put = (label: string, s: string | Uint8Array) => {
    h.update(`${label}:${typeof s === 'string' ? Buffer.byteLength(s) : s.byteLength}:`);
    h.update(s);
  };
  for (const key of ['trustLists', 'listSigners', 'agreements', 'trustAnchors', 'tsaAnchors', 'intermediates', 'crls', 'ocsp'] as const) {
    for (const f of m[key]) {
      put(key, f.name);
      put(key, f.data);
    }
  }
  put('settings', JSON.stringify({ policy: m.policy, rp: m.relyingParty, purpose: m.purpose, alg: m.algorithms, online: m.online, rr: m.requireRevocation }));
  return h.digest('hex').slice(0, 16);
}

/** A policy named in a request or in the material: a preset by name, or a policy object checked by parsePolicy. */
export function resolveRequestPolicy(policy: unknown): ValidationPolicy | string | undefined {
  if (policy === undefined || policy === null) return undefined;
  if (typeof policy === 'string') {
    if (!POLICY_PRESETS[policy]) throw new InvalidOptionError(`unknown policy preset "${policy}" (known: ${Object.keys(POLICY_PRESETS).join(', ')})`);
    return policy;
  }
  return parsePolicy(policy);
}

/**
 * VerifyOptions from material: trusted lists loaded and their signatures checked (once per snapshot, the
 * TrustSet is reused by every request), certificates, CRLs and OCSP responses parsed.
 */
export async function optionsFromMaterial(m: TrustMaterial): Promise<VerifyOptions> {
  const signers = m.listSigners.map((s) => s.data);
  const trustLists = m.trustLists.length
    ? await loadTrustLists(
        m.trustLists.map((l) => ({ data: l.data, name: l.name, signingCertificates: signers })),
        { time: new Date(m.loadedAt) },
      )
    : undefined;
  let policy: ValidationPolicy | string | undefined;
  if (m.policy && 'preset' in m.policy) policy = resolveRequestPolicy(m.policy.preset);
  else if (m.policy) policy = parsePolicy(m.policy.text);
  return {
    ...(await loadAlgorithms(m.algorithms ?? [])),
    ...(policy !== undefined ? { policy } : {}),
    // Parsed once per snapshot, not per request: the same objects every time, so their signature
    // checks are memoised (src/pki/cache.ts) and the anchor pool is built once.
    trustAnchors: m.trustAnchors.flatMap((f) => loadCertificates(f.data)),
    timestampAnchors: m.tsaAnchors.flatMap((f) => loadCertificates(f.data)),
    intermediates: m.intermediates.flatMap((f) => loadCertificates(f.data)),
    crls: m.crls.flatMap((f) => loadCrls(f.data)),
    ocspResponses: m.ocsp.map((f) => loadOcspResponse(f.data)),
    online: m.online === true,
    requireRevocation: m.requireRevocation === true,
    ...(trustLists ? { trustLists } : {}),
    agreements: m.agreements.map((f) => ({ data: f.data, name: f.name })),
    ...(m.relyingParty ? { relyingParty: m.relyingParty } : {}),
    ...(m.purpose ? { purpose: m.purpose } : {}),
  };
}

async function loadAlgorithms(names: readonly string[]): Promise<Pick<VerifyOptions, 'registry' | 'algorithmPolicy'>> {
  const wanted = new Set(names.flatMap((n) => n.split(',')).map((n) => n.trim().toLowerCase()).filter(Boolean));
  if (wanted.size === 0) return {};
  for (const n of wanted) if (n !== 'gost') throw new InvalidOptionError(`algorithms: unknown provider "${n}" (known: gost)`);
  const { GostProvider, GOST_ALGORITHM_POLICY } = await import('../crypto/gost/index.js');
  return { registry: new AlgorithmRegistry().register(new GostProvider()), algorithmPolicy: GOST_ALGORITHM_POLICY };
}

/** Material as one JSON document in shared memory: posted to every worker task without a copy. */
export function encodeMaterial(m: TrustMaterial): SharedArrayBuffer {
  const b64 = (xs: readonly NamedBytes[]) => xs.map((x) => ({ name: x.name, data: Buffer.from(x.data).toString('base64') }));
  const json = JSON.stringify({
    ...m,
    trustLists: b64(m.trustLists),
    listSigners: b64(m.listSigners),
    agreements: b64(m.agreements),
    trustAnchors: b64(m.trustAnchors),
    tsaAnchors: b64(m.tsaAnchors),
    intermediates: b64(m.intermediates),
    crls: b64(m.crls),
    ocsp: b64(m.ocsp),
  });
  const bytes = Buffer.from(json, 'utf8');
  const sab = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(sab).set(bytes);
  return sab;
}

export function decodeMaterial(sab: SharedArrayBuffer): TrustMaterial {
  // A copy out of shared memory first: the decoder never reads bytes another thread could write.
  const raw = JSON.parse(Buffer.from(new Uint8Array(sab).slice()).toString('utf8')) as Record<string, unknown>;
  const bytes = (xs: unknown) => (xs as { name: string; data: string }[]).map((x) => ({ name: x.name, data: new Uint8Array(Buffer.from(x.data, 'base64')) }));
  return {
    ...(raw as unknown as TrustMaterial),
    trustLists: bytes(raw.trustLists),
    listSigners: bytes(raw.listSigners),
    agreements: bytes(raw.agreements),
    trustAnchors: bytes(raw.trustAnchors),
    tsaAnchors: bytes(raw.tsaAnchors),
    intermediates: bytes(raw.intermediates),
    crls: bytes(raw.crls),
    ocsp: bytes(raw.ocsp),
  };
}
