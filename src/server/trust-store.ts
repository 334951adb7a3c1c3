/**
 * The service's trust material, refreshed from files on an interval. A refresh reads every
 * file, verifies the whole new set (each list's signature and structure, every certificate, CRL,
 * OCSP response, agreement and the policy parse) and only then replaces the current snapshot in
 * one assignment: a request sees the old set or the new one, never a mixture. A failed refresh
 * keeps the last good snapshot and is reported (/v1/trust-lists, metrics).
 */
import { readFile } from 'node:fs/promises';
import { POLICY_PRESETS } from '../policy/presets.js';
import { parseAgreementJson } from '../trust/agreements.js';
import type { TrustSet } from '../trust/load.js';
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

  constructor(private readonly config: ServiceConfig) {}

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
      const fields = await readMaterial(this.config);
      const id = materialId(fields);
      if (this.#current?.id === id) {
        this.#last = { at, ok: true, snapshotId: id, changed: false };
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
      this.#last = { at, ok: true, snapshotId: id, changed: true };
    } catch (e) {
      this.#failures++;
      this.#last = { at, ok: false, snapshotId: this.#current?.id ?? null, changed: false, error: (e as Error).message };
    }
    return this.#last;
  }
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

export async function readMaterial(c: ServiceConfig): Promise<MaterialFields> {
  let policy: MaterialFields['policy'];
  if (c.policy !== undefined) {
    if (POLICY_PRESETS[c.policy]) policy = { preset: c.policy };
    else policy = { name: c.policy, text: new TextDecoder().decode((await readAll([c.policy], 'policy file'))[0]!.data) };
  }
  return {
    trustLists: await readAll(c.trustLists, 'trust list'),
    listSigners: await readAll(c.listSigners, 'list signer certificate'),
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
