import type { VerifyOptions } from 'ots-esig';

export interface PilotTrust {
  readonly test: boolean;
  readonly note: string;
  /** A time at which the pilot data is valid, offered as the default validation time. */
  readonly validationTime: string | null;
  readonly trustLists: NonNullable<VerifyOptions['trustLists']>;
  readonly agreements: NonNullable<VerifyOptions['agreements']>;
  /** Revocation data published with the lists (PEM CRLs). */
  readonly crls: NonNullable<VerifyOptions['crls']>;
}

interface TrustIndex {
  readonly test?: boolean;
  readonly note?: string;
  readonly validationTime?: string;
  readonly lists: readonly string[];
  readonly agreements?: readonly string[];
  readonly crls?: readonly string[];
}

async function text(url: URL): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
  return res.text();
}

/**
 * Fetches the trust lists (JSON form) and agreements the portal publishes under
 * ./trust/. They come from the portal's own origin, so the page vouches for them
 * (integrity `caller-trusted` in the report); pin `sha256` per list to check more.
 */
export async function loadPilotTrust(base: URL = new URL('./trust/', document.baseURI)): Promise<PilotTrust> {
  const index = JSON.parse(await text(new URL('index.json', base))) as TrustIndex;
  const [lists, agreements, crls] = await Promise.all([
    Promise.all(index.lists.map(async (p) => ({ name: p, data: await text(new URL(p, base)) }))),
    Promise.all((index.agreements ?? []).map(async (p) => ({ name: p, data: await text(new URL(p, base)) }))),
    Promise.all((index.crls ?? []).map((p) => text(new URL(p, base)))),
  ]);
  return {
    test: index.test ?? false,
    note: index.note ?? '',
    validationTime: index.validationTime ?? null,
    trustLists: lists,
    agreements,
    crls,
  };
}
