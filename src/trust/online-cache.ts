/**
 * The folder cache of online trusted lists (trust/online.ts `cacheDir`): per URL, the last good copy's bytes and
 * its validators (ETag, Last-Modified, fetched at). Node only (node:fs), loaded by trust/online.ts only when a
 * cache folder is given. Files are named by the SHA-256 of the URL; the URL is stored and checked on read.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../util/sha256.js';

/** What the cache keeps beside a list's bytes. */
export interface CachedListMeta {
  readonly url: string;
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly fetchedAt: string;
  readonly sha256: string;
}

async function files(dir: string, url: string): Promise<{ body: string; meta: string }> {
  const h = (await sha256Hex(new TextEncoder().encode(url))).slice(0, 32);
  return { body: join(dir, `${h}.xml`), meta: join(dir, `${h}.json`) };
}

/** The cached copy of `url`, or undefined (none, unreadable, or stored for another URL). Not verified here. */
export async function readCachedList(dir: string, url: string): Promise<{ bytes: Uint8Array; meta: CachedListMeta } | undefined> {
  const f = await files(dir, url);
  try {
    const meta = JSON.parse(await readFile(f.meta, 'utf8')) as CachedListMeta;
    if (meta.url !== url) return undefined;
    return { bytes: new Uint8Array(await readFile(f.body)), meta };
  } catch {
    return undefined;
  }
}

/** Stores a verified copy: each file written beside and renamed, so a reader (another process, a crash) never sees half a file. */
export async function writeCachedList(dir: string, bytes: Uint8Array, meta: CachedListMeta): Promise<void> {
  const f = await files(dir, meta.url);
  await mkdir(dir, { recursive: true });
  await writeFile(`${f.body}.tmp`, bytes);
  await rename(`${f.body}.tmp`, f.body);
  await writeFile(`${f.meta}.tmp`, JSON.stringify(meta));
  await rename(`${f.meta}.tmp`, f.meta);
}
