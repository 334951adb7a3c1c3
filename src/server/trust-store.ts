/**
 * The service's trust material, refreshed from files (and, opt-in, https URLs) on an interval. A refresh reads every
 * file, fetches every online list (trust/online.ts: conditional GET, each list verified, the last good copy kept
 * when one fails), verifies the whole new set (each list's signature and structure, every certificate, CRL,
 * OCSP response, agreement and the policy parse) and only then replaces the current snapshot in
 * one assignment: a request sees the old set or the new one, never a mixture. A failed refresh
 * keeps the last good snapshot and is reported (/v1/trust-lists, metrics).
 */
import { readFile } from 'node:fs/promises';
import { POLICY_PRESETS } from '../policy/presets.js';
import { parseAgreementJson } from '../trust/agreements.js';
import type { TrustListInput, TrustSet } from '../trust/load.js';
import type { OnlineListState, OnlineTrustLists } from '../trust/online.js';
import { createContext } from '../validation/options.js';
import type { ServiceConfig } from './config.js';
import { encodeMaterial, materialId, optionsFromMaterial, type MaterialFields, type NamedBytes, type TrustMaterial } from './material.js';

export interface ListStatus {
  readonly id: string;
  readonly source: string;
  readonly territory: string | null;
  readonly sequenceNumber: number;
  readonly issueDate: string;
  readonly nextUpdate: string | null;
  readonly signature: string;
  readonly integrity: string;
  readonly usable: boolean;
  readonly test: boolean;
  readonly problems: readonly string[];
}

/** The online lists' states (trust/online.ts) and, per URL, failed refreshes since start. */
export interface OnlineStatus {
  readonly lists: readonly OnlineListState[];
  readonly failures: ReadonlyMap<string, number>;
}

export interface Snapshot {
  readonly id: string;
  readonly loadedAt: string;
  readonly material: TrustMaterial;
  /** The material in shared memory, as workers receive it. */
  readonly shared: SharedArrayBuffer;
  readonly lists: readonly ListStatus[];
  /** Anchors or usable lists exist: something can be trusted. */
  readonly usable: boolean;
}

export interface RefreshResult {
  readonly at: string;
  readonly ok: boolean;
  /** The snapshot in force after the refresh (unchanged when the files were unchanged or the refresh failed). */
  readonly snapshotId: string | null;
  readonly changed: boolean;
  readonly error?: string;
}

export class TrustStore {
  #current: Snapshot | undefined;
  #last: RefreshResult | undefined;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<RefreshResult> | undefined;
  #online: OnlineTrustLists | undefined;
  readonly #onlineFailures = new Map<string, number>();

  constructor(private readonly config: ServiceConfig) {}

  /** The online lists (undefined when every list is a file). */
  get online(): OnlineStatus | undefined {
    return this.#online ? { lists: this.#online.states, failures: this.#onlineFailures } : undefined;
  }

  get current(): Snapshot | undefined {
    return this.#current;
  }

  get lastRefresh(): RefreshResult | undefined {
    return this.#last;
  }

  get failures(): number {
    return this.#failures;
  }

  /** One refresh at a time: a call during a refresh waits for it. */
  refresh(): Promise<RefreshResult> {
    this.#running ??= this.#refresh().finally(() => (this.#running = undefined));
    return this.#running;
  }

  start(): void {
    const s = this.config.refreshIntervalSeconds;
    if (s > 0 && !this.#timer) {
      this.#timer = setInterval(() => void this.refresh(), s * 1000);
      this.#timer.unref();
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #refresh(): Promise<RefreshResult> {
    const at = new Date().toISOString();
    try {
      // Online lists first: each list keeps its last good copy, so the material below is made of verified copies
      // only, and a list whose refresh failed is reported even when the snapshot in force does not change.
      const onlineErrors = await this.#refreshOnline();
      const fields = await readMaterial(this.config, this.#online?.inputs);
      const id = materialId(fields);
      const failed = (changed: boolean): RefreshResult => {
        this.#failures++;
        return { at, ok: false, snapshotId: this.#current?.id ?? null, changed, error: `online list refresh failed (last good copies kept): ${onlineErrors.join('; ')}` };
      };
      if (this.#current?.id === id) {
        this.#last = onlineErrors.length ? failed(false) : { at, ok: true, snapshotId: id, changed: false };
        return this.#last;
      }
      const material: TrustMaterial = { ...fields, id, loadedAt: at };
      const lists = await verifyMaterial(material);
      const snapshot: Snapshot = {
        id,
        loadedAt: at,
        material,
        shared: encodeMaterial(material),
        lists,
        usable: material.trustAnchors.length > 0 || lists.some((l) => l.usable),
      };
      this.#current = snapshot; // the swap: one assignment on the event loop
      this.#last = onlineErrors.length ? failed(true) : { at, ok: true, snapshotId: id, changed: true };
    } catch (e) {
      this.#failures++;
      this.#last = { at, ok: false, snapshotId: this.#current?.id ?? null, changed: false, error: (e as Error).message };
    }
    return this.#last;
  }

  /** Fetches and verifies the online lists (when any trustLists entry is a URL); returns `URL: reason` per failed list. */
  async #refreshOnline(): Promise<string[]> {
    if (!this.config.trustLists.some(isListUrl)) return [];
    this.#online ??= await onlineLists(this.config);
    const r = await this.#online.refresh();
    for (const s of this.#online.states) if (s.lastRefresh?.result === 'failed' && s.lastRefresh.at === r.at) this.#onlineFailures.set(s.url, (this.#onlineFailures.get(s.url) ?? 0) + 1);
    return [...r.errors];
  }
}

const isListUrl = (s: string): boolean => /^https?:\/\//i.test(s);

/** The online lists of a configuration: its URL entries, pinned to its list signers, over https with its CA and cache folder. */
async function onlineLists(c: ServiceConfig): Promise<OnlineTrustLists> {
  const { OnlineTrustLists } = await import('../trust/online.js');
  const signers = (await readAll(c.listSigners, 'list signer certificate')).map((f) => f.data);
  const ca = (await readAll(c.trustListCa, 'trust list CA certificate')).map((f) => f.data);
  return new OnlineTrustLists({
    sources: c.trustLists.filter(isListUrl).map((url) => ({ url, signingCertificates: signers })),
    http: { ...(ca.length ? { ca } : {}), allowHttp: c.trustListAllowHttp, allowPrivateNetwork: c.trustListAllowPrivateNetwork },
    ...(c.trustListCacheDir ? { cacheDir: c.trustListCacheDir } : {}),
  });
}

/**
 * Material for a one-shot use (queue add): online lists fetched once; a configured URL without a verified copy
 * (and no cached one) is an error, not a smaller set.
 */
export async function readMaterialOnce(c: ServiceConfig): Promise<MaterialFields> {
  if (!c.trustLists.some(isListUrl)) return readMaterial(c);
  const online = await onlineLists(c);
  const r = await online.refresh();
  const missing = online.states.filter((s) => s.origin === 'configured' && !s.inUse);
  if (missing.length) throw new Error(`online trust list(s) not available: ${r.errors.join('; ')}`);
  return readMaterial(c, online.inputs);
}

/**
 * Signers of online lists of lists that the pinned keys reached through pivots (a key rotation): the workers verify
 * the list of lists with them, as the main thread did.
 */
function pivotSigners(online: readonly TrustListInput[], pinned: readonly NamedBytes[]): NamedBytes[] {
  const known = new Set(pinned.map((p) => Buffer.from(p.data).toString('base64')));
  const out: NamedBytes[] = [];
  for (const l of online) {
    for (const cert of l.signingCertificates ?? []) {
      if (!(cert instanceof Uint8Array)) continue;
      const key = Buffer.from(cert).toString('base64');
      if (known.has(key)) continue;
      known.add(key);
      out.push({ name: `announced by a pivot of ${l.name ?? ''}`, data: cert });
    }
  }
  return out;
}

async function readAll(paths: readonly string[], what: string): Promise<NamedBytes[]> {
  return Promise.all(
    paths.map(async (p) => {
      try {
        return { name: p, data: new Uint8Array(await readFile(p)) };
      } catch (e) {
        throw new Error(`cannot read ${what} ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }),
  );
}

/** The configured files read (and the verified online copies, named by URL, added) as material fields. */
export async function readMaterial(c: ServiceConfig, online: readonly TrustListInput[] = []): Promise<MaterialFields> {
  let policy: MaterialFields['policy'];
  if (c.policy !== undefined) {
    if (POLICY_PRESETS[c.policy]) policy = { preset: c.policy };
    else policy = { name: c.policy, text: new TextDecoder().decode((await readAll([c.policy], 'policy file'))[0]!.data) };
  }
  const pinned = await readAll(c.listSigners, 'list signer certificate');
  return {
    trustLists: [
      ...(await readAll(c.trustLists.filter((l) => !isListUrl(l)), 'trust list')),
      ...online.map((l) => ({ name: l.name ?? '', data: typeof l.data === 'string' ? new TextEncoder().encode(l.data) : new Uint8Array(l.data) })),
    ],
    listSigners: [...pinned, ...pivotSigners(online, pinned)],
    agreements: await readAll(c.agreements, 'agreement'),
    trustAnchors: await readAll(c.trustAnchors, 'trust anchor'),
    tsaAnchors: await readAll(c.tsaAnchors, 'time-stamp anchor'),
    intermediates: await readAll(c.intermediates, 'intermediates file'),
    crls: await readAll(c.crls, 'CRL file'),
    ocsp: await readAll(c.ocsp, 'OCSP response file'),
    ...(policy ? { policy } : {}),
    ...(c.relyingParty ? { relyingParty: c.relyingParty } : {}),
    ...(c.purpose ? { purpose: c.purpose } : {}),
    algorithms: c.algorithms,
    online: c.online,
    requireRevocation: c.requireRevocation,
  };
}

/**
 * Everything a worker will build from the material, built here first: a set that fails here is
 * never swapped in. Every configured list must verify (signature and structure): a list that
 * stopped verifying is a failed refresh, not a silently smaller set.
 */
export async function verifyMaterial(m: TrustMaterial): Promise<ListStatus[]> {
  const options = await optionsFromMaterial(m);
  createContext(options); // parses anchors, intermediates, CRLs, OCSP responses and the policy
  for (const a of m.agreements) parseAgreementJson(new TextDecoder().decode(a.data), a.name);
  const set = options.trustLists as TrustSet | undefined;
  const lists: ListStatus[] = (set?.lists ?? []).map((l) => ({
    id: l.list.id,
    source: l.name,
    territory: l.list.scheme.territory,
    sequenceNumber: l.list.scheme.sequenceNumber,
    issueDate: l.list.scheme.issueDate,
    nextUpdate: l.list.scheme.nextUpdate,
    signature: l.signature.status,
    integrity: l.integrity,
    usable: l.usable,
    test: l.list.test,
    problems: l.problems,
  }));
  const unusable = lists.filter((l) => !l.usable);
  if (unusable.length) throw new Error(`trust list(s) not usable: ${unusable.map((l) => `${l.source} (${l.signature}${l.problems.length ? `: ${l.problems.join('; ')}` : ''})`).join(', ')}`);
  return lists;
}
