/**
 * ASiCManifest (EN 319 162-1 A.4): what a CAdES signature or a time-stamp of an ASiC-E container signs.
 * The signature covers the manifest's bytes; the manifest names each data object with its digest, and those
 * digests are what bind the data objects (checked in asic/collect.ts).
 */
import type { XmlLimits } from '../limits.js';
import { fromBase64 } from '../util/bytes.js';
import { parseXml } from '../xml/parse.js';
import { child, children, DSIG_NS, strictText } from '../xades/dom.js';

export const ASIC_NS = 'http://uri.etsi.org/02918/v1.2.1#';

export interface ManifestReference {
  /** The URI as written. */
  readonly uri: string;
  /** The container entry name it means (percent-decoding undone), or null when the URI is not a relative name. */
  readonly name: string | null;
  readonly digestMethod: string;
  readonly digestValue: Uint8Array | null;
  readonly problem?: string;
}

export interface AsicManifest {
  /** The file name of the manifest. */
  readonly file: string;
  /** `SigReference/@URI`: the signature or time-stamp file that signs this manifest, as an entry name. */
  readonly sigReference: string | null;
  readonly references: readonly ManifestReference[];
}

/** The entry name a relative URI in a container means (EN 319 162-1: relative to the container root). */
export function entryNameOfUri(uri: string): string | null {
  if (uri === '' || uri.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(uri)) return null;
  let name: string;
  try {
    name = decodeURIComponent(uri);
  } catch {
    return null;
  }
  return name.startsWith('./') ? name.slice(2) : name;
}

/** Parses one ASiCManifest (or ASiCArchiveManifest); malformed XML throws InputFormatError. */
export function parseAsicManifest(file: string, bytes: Uint8Array, limits: XmlLimits): AsicManifest {
  const doc = parseXml(bytes, limits);
  const root = doc.documentElement!;
  if (root.namespaceURI !== ASIC_NS || (root.localName !== 'ASiCManifest' && root.localName !== 'ASiCArchiveManifest')) {
    return { file, sigReference: null, references: [] };
  }
  const sig = child(root, ASIC_NS, 'SigReference');
  const sigUri = sig?.getAttribute('URI') ?? null;
  const references: ManifestReference[] = [];
  for (const r of children(root, ASIC_NS, 'DataObjectReference')) {
    const uri = r.getAttribute('URI') ?? '';
    const dm = child(r, DSIG_NS, 'DigestMethod');
    const dv = child(r, DSIG_NS, 'DigestValue');
    let digestValue: Uint8Array | null = null;
    let problem: string | undefined;
    try {
      digestValue = dv ? fromBase64(strictText(dv).replace(/\s+/g, '')) : null;
      if (!dv) problem = 'no ds:DigestValue';
    } catch (e) {
      problem = `unreadable ds:DigestValue: ${(e as Error).message}`;
    }
    references.push({ uri, name: entryNameOfUri(uri), digestMethod: dm?.getAttribute('Algorithm') ?? '', digestValue, ...(problem ? { problem } : {}) });
  }
  return { file, sigReference: sigUri === null ? null : entryNameOfUri(sigUri), references };
}
