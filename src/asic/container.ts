/**
 * The structure of an ASiC container (ETSI EN 319 162-1): its entries and what each is (mimetype, data
 * object, signature, manifest, time-stamp), the container type, and the structural findings — hostile
 * names, the `mimetype` entry's placement, packing and value. No signature is looked at here; asic/collect.ts
 * hands the signatures to the format front ends.
 */
import { LimitExceededError } from '../errors.js';
import { CheckList, type Check } from '../etsi/check.js';
import type { ContainerEntryRole, ContainerType } from './model.js';
import { decodeUtf8 } from '../util/bytes.js';
import { looksLikeZip, readZip, type ZipArchive, type ZipEntry, type ZipLimits } from './zip.js';

export const MIMETYPE_ASIC_S = 'application/vnd.etsi.asic-s+zip';
export const MIMETYPE_ASIC_E = 'application/vnd.etsi.asic-e+zip';

export interface AsicLimits extends ZipLimits {
  readonly maxContainerDepth: number;
}

export interface AsicEntry extends ZipEntry {
  readonly role: ContainerEntryRole;
  /** The entry is itself a container (or a legacy DDOC), read as far as its kind. */
  readonly nested?: { readonly kind: 'ASiC-S' | 'ASiC-E' | 'ZIP' | 'DDOC'; readonly detail: string };
}

export interface AsicStructure {
  readonly type: ContainerType;
  readonly mimetype: string | null;
  readonly entries: readonly AsicEntry[];
  /** Data objects: the entries outside META-INF/ other than `mimetype` and folders. */
  readonly dataObjects: readonly AsicEntry[];
  /** XAdES signature files (ASiC-S `META-INF/signatures.xml`, ASiC-E `META-INF/*signatures*.xml`). */
  readonly xades: readonly AsicEntry[];
  /** CAdES signature files (`META-INF/signature.p7s`, ASiC-E `META-INF/*signature*.p7s`). */
  readonly cades: readonly AsicEntry[];
  /** Time-stamp tokens (`META-INF/timestamp.tst`, ASiC-E `META-INF/*timestamp*.tst`). */
  readonly timestamps: readonly AsicEntry[];
  /** ASiCManifest / ASiCArchiveManifest files (ASiC-E with CAdES or time-stamps). */
  readonly manifests: readonly AsicEntry[];
  /** Structural checks (block FC): names, mimetype, contents; a FAILED one makes the container TOTAL-FAILED. */
  readonly checks: readonly Check[];
  readonly warnings: readonly string[];
}

/** A name that could escape the folder it is extracted to, or that two file systems read differently. */
export function unsafeNameReason(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character';
  if (name.includes('\\')) return 'contains a backslash (a path separator on Windows)';
  if (name.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  const segments = (name.endsWith('/') ? name.slice(0, -1) : name).split('/');
  if (segments.some((s) => s === '..')) return 'has a ".." segment (path traversal)';
  if (segments.some((s) => s === '.' || s === '')) return 'has an empty or "." segment';
  return undefined;
}

/**
 * Reads `bytes` as an ASiC container. `depth` is 1 for the outermost container; a data object that is a
 * container itself is read at depth + 1 as far as its kind, and deeper than limits.maxContainerDepth is a
 * LimitExceededError (`container.depth`).
 */
export function readAsic(bytes: Uint8Array, limits: AsicLimits, depth = 1): AsicStructure {
  if (depth > limits.maxContainerDepth) throw new LimitExceededError('container.depth', limits.maxContainerDepth);
  const archive: ZipArchive = readZip(bytes, limits);
  const checks = new CheckList();
  const warnings: string[] = [];

  // --- names: traversal, duplicates, case-folding collisions (EN 319 162-1 A.1: a plain ZIP tree) ---
  let namesOk = true;
  const seen = new Map<string, string>();
  for (const e of archive.entries) {
    const unsafe = unsafeNameReason(e.name);
    if (unsafe) {
      namesOk = false;
      checks.fail('FC', 'asic.entry-name', `entry name "${e.name}" ${unsafe}`, 'FORMAT_FAILURE');
    }
    const folded = e.name.normalize('NFC').toLowerCase();
    const before = seen.get(folded);
    if (before !== undefined) {
      namesOk = false;
      checks.fail('FC', 'asic.entry-name', before === e.name ? `entry name "${e.name}" occurs twice` : `entry names "${before}" and "${e.name}" differ only in case or Unicode form (one file on case-insensitive systems)`, 'FORMAT_FAILURE');
    } else seen.set(folded, e.name);
  }
  if (namesOk) checks.pass('FC', 'asic.entry-name', `${archive.entries.length} entry names are relative, unique and without traversal`);

  // --- roles ---
  const roleOf = (e: ZipEntry): ContainerEntryRole => {
    if (e.isDirectory) return 'folder';
    if (e.name === 'mimetype') return 'mimetype';
    if (!e.name.startsWith('META-INF/')) return 'data';
    const base = e.name.slice('META-INF/'.length);
    if (base.includes('/')) return 'metadata';
    if (/signatures.*\.xml$/i.test(base)) return 'signature';
    if (/signature.*\.p7s$/i.test(base)) return 'signature';
    if (/timestamp.*\.tst$/i.test(base)) return 'timestamp';
    if (/^ASiC(Archive)?Manifest.*\.xml$/i.test(base)) return 'manifest';
    return 'metadata';
  };
  const entries: AsicEntry[] = archive.entries.map((e) => {
    const role = roleOf(e);
    const nested = role === 'data' ? nestedKind(e.data, limits, depth) : undefined;
    return nested ? { ...e, role, nested } : { ...e, role };
  });
  const dataObjects = entries.filter((e) => e.role === 'data');
  const sigXml = entries.filter((e) => e.role === 'signature' && e.name.endsWith('.xml'));
  const sigP7s = entries.filter((e) => e.role === 'signature' && e.name.endsWith('.p7s'));
  const tst = entries.filter((e) => e.role === 'timestamp');
  const manifests = entries.filter((e) => e.role === 'manifest');

  // --- mimetype (EN 319 162-1 A.1): first entry, stored, no extra field; its value the container type ---
  const mt = entries.find((e) => e.name === 'mimetype');
  const mimetype = mt ? decodeUtf8(mt.data) : null;
  const asicS = sigXml.some((e) => e.name === 'META-INF/signatures.xml') || sigP7s.some((e) => e.name === 'META-INF/signature.p7s') || tst.some((e) => e.name === 'META-INF/timestamp.tst');
  let type: ContainerType;
  if (mimetype === MIMETYPE_ASIC_S) type = 'ASiC-S';
  else if (mimetype === MIMETYPE_ASIC_E) type = 'ASiC-E';
  else type = asicS && dataObjects.length === 1 && manifests.length === 0 ? 'ASiC-S' : 'ASiC-E';
  if (!mt) {
    // ASiC-E requires it; ASiC-S may omit it (EN 319 162-1 4.3 / 4.4).
    if (type === 'ASiC-E') checks.fail('FC', 'asic.mimetype', `no "mimetype" entry: an ASiC-E container must start with one holding ${MIMETYPE_ASIC_E}`, 'FORMAT_FAILURE');
    else warnings.push('no "mimetype" entry (allowed in ASiC-S; the type was taken from the contents)');
  } else {
    if (mimetype !== MIMETYPE_ASIC_S && mimetype !== MIMETYPE_ASIC_E) {
      const shown = JSON.stringify(mimetype!.length > 80 ? mimetype!.slice(0, 80) + '…' : mimetype);
      checks.fail('FC', 'asic.mimetype', `"mimetype" holds ${shown}, not ${MIMETYPE_ASIC_E} or ${MIMETYPE_ASIC_S}`, 'FORMAT_FAILURE');
    } else checks.pass('FC', 'asic.mimetype', `"mimetype" is ${mimetype}`);
    // Real producers deviate in packing; readers here do not rely on it, so these are warnings.
    const first = mt.index === 0 && archive.entries.every((e) => e.index === mt.index || e.offset > mt.offset);
    if (!first) warnings.push('"mimetype" is not the first entry of the ZIP (EN 319 162-1 A.1)');
    if (mt.method !== 0) warnings.push('"mimetype" is compressed; EN 319 162-1 A.1 requires it stored');
    if (mt.localExtraLength > 0) warnings.push('"mimetype" has an extra field in its local header (EN 319 162-1 A.1 wants none)');
  }

  // --- contents per type ---
  if (type === 'ASiC-S') {
    if (dataObjects.length !== 1) checks.fail('FC', 'asic.data-objects', `an ASiC-S container holds exactly one data object; this one holds ${dataObjects.length}`, 'FORMAT_FAILURE');
    const extra = [...sigXml, ...sigP7s, ...tst].filter((e) => !['META-INF/signatures.xml', 'META-INF/signature.p7s', 'META-INF/timestamp.tst'].includes(e.name));
    for (const e of extra) warnings.push(`${e.name} is not an ASiC-S signature or time-stamp name; it is read as one`);
  } else if (dataObjects.length === 0) {
    checks.fail('FC', 'asic.data-objects', 'the container holds no data object', 'FORMAT_FAILURE');
  }
  if (sigXml.length + sigP7s.length + tst.length === 0) checks.fail('FC', 'asic.signatures', 'the container holds no signature and no time-stamp (META-INF/*signatures*.xml, *signature*.p7s, *timestamp*.tst)', 'FORMAT_FAILURE');
  // An inner ASiC container is validated by asic/collect.ts; anything else container-like is only named.
  for (const e of entries) {
    if (e.nested && e.nested.kind !== 'ASiC-S' && e.nested.kind !== 'ASiC-E') warnings.push(`${e.name} is itself a container (${e.nested.detail}); its own signatures are not validated here: verify the extracted entry`);
  }

  return { type, mimetype, entries, dataObjects, xades: sigXml, cades: sigP7s, timestamps: tst, manifests, checks: checks.items, warnings };
}

/** What a data object is when it is a container itself (read one level deeper), else undefined. */
function nestedKind(data: Uint8Array, limits: AsicLimits, depth: number): AsicEntry['nested'] {
  if (looksLikeZip(data)) {
    let inner: AsicStructure;
    try {
      inner = readAsic(data, limits, depth + 1);
    } catch (e) {
      if (e instanceof LimitExceededError) throw e;
      return { kind: 'ZIP', detail: `an unreadable ZIP: ${(e as Error).message}` };
    }
    if (inner.mimetype === MIMETYPE_ASIC_S || inner.mimetype === MIMETYPE_ASIC_E) return { kind: inner.type, detail: `${inner.type}, ${inner.dataObjects.length} data object(s): ${inner.dataObjects.map((d) => d.name).join(', ')}` };
    return { kind: 'ZIP', detail: `a ZIP with ${inner.entries.length} entries` };
  }
  // DigiDoc 1.x (DDOC): an XML SignedDoc (http://www.sk.ee/DigiDoc/v1.3.0#). Legacy: reported, not validated.
  const head = decodeUtf8(data.subarray(0, 512));
  if (/<SignedDoc\b[^>]*DigiDoc/.test(head)) return { kind: 'DDOC', detail: 'a legacy DigiDoc (DDOC) file; DDOC signatures are not validated by this library' };
  return undefined;
}
