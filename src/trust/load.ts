import { sha256Hex, sha256HexOfText } from '../util/sha256.js';
import type { AlgorithmRegistry } from '../crypto/registry.js';
import { certificateCache } from '../pki/cache.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import { fromBase64, toBytes } from '../util/bytes.js';
import { loadCertificates, type CertificateInput } from '../pki/inputs.js';
import { TrustIndex } from './anchors.js';
import { TrustListError } from './errors.js';
import { parseTrustedListJson } from './json.js';
import type { ListSignatureOutcome } from './list-signature.js';
import type { ListIntegrity, LoadedTrustList } from './loaded.js';
import type { TrustedList, TslPointer } from './model.js';
import type { XmlLimits } from '../xml/parse.js';
import { isListOfListsType } from './uris.js';

/** A trusted list as the caller supplies it. */
export interface TrustListInput {
  /** XML (TS 119 612) or JSON (trust-list.schema.json) bytes or text. */
  readonly data: Uint8Array | ArrayBuffer | string;
  /** For reports: a file name or URL. */
  readonly name?: string;
  /**
   * Certificates allowed to sign this list (for a list-of-lists: the
   * certificates its operator announced out of band). A national list reached
   * through a verified list-of-lists needs none: the pointer names its signers.
   */
  readonly signingCertificates?: readonly CertificateInput[];
  /** SHA-256 (hex) the exact bytes must have: how a JSON list's integrity is pinned. */
  readonly sha256?: string;
}

// What a loaded list is, apart from how it is loaded: trust/anchors.ts indexes loaded lists and this module builds that index.
export type { ListIntegrity, LoadedTrustList } from './loaded.js';

/** Trusted lists loaded by `loadTrustLists` (each with its integrity outcome) and the index of their services; pass it as `VerifyOptions.trustLists` to reuse it across calls. */
export interface TrustSet {
  readonly lists: readonly LoadedTrustList[];
  readonly index: TrustIndex;
  readonly time: Date;
}

export interface LoadTrustListsOptions {
  /** The validation time: expiry (NextUpdate) is judged against it. */
  readonly time: Date;
  readonly registry?: AlgorithmRegistry;
  /** Bounds for parsing XML lists (defaults: DEFAULT_XML_LIMITS); lists are untrusted input until verified. */
  readonly xmlLimits?: XmlLimits;
}

const encoder = new TextEncoder();


function looksLikeJson(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0xef || b === 0xbb || b === 0xbf) continue;
    return b === 0x7b; // '{'
  }
  return false;
}

/**
 * Any UTF-16 surrogate (no u flag: code units). Text without one encodes to UTF-8 and back unchanged, so it is
 * hashed and parsed as given: decoding the bytes encoded for its SHA-256 was a tenth of a cold 5,000-certificate
 * JSON load. A lone surrogate becomes U+FFFD in the bytes, so text holding surrogates goes through them.
 */
const SURROGATE = /[\uD800-\uDFFF]/;

/** looksLikeJson for text: the first character after the same white space (space, LF, CR, tab) and BOMs is `{`. */
function looksLikeJsonText(text: string): boolean {
  return /^[ \n\r\t\ufeff]*\{/.test(text);
}

interface Pending {
  readonly input: TrustListInput;
  readonly name: string;
  readonly format: 'xml' | 'json';
  readonly sha256: string;
  readonly list: TrustedList;
  readonly document?: Document;
  readonly pinned: ParsedCertificate[];
  readonly problems: string[];
}

/**
 * Loads trusted lists in two passes: first every list whose signers the
 * caller pinned (typically the list-of-lists), then every list that one of
 * those verified lists points to, verified with the certificates the pointer
 * announces. A list whose integrity cannot be established is kept in the
 * result (so reports can say why) but marked unusable: it contributes no
 * anchors and no recognition. Throws only on unreadable input or options.
 */
export async function loadTrustLists(inputs: readonly TrustListInput[], options: LoadTrustListsOptions): Promise<TrustSet> {
  const pending: Pending[] = [];
  for (const [i, input] of inputs.entries()) {
    // Text without surrogates is hashed and parsed as it is (its UTF-8 copy only for XML); other text as its bytes.
    const text = typeof input.data === 'string' && !SURROGATE.test(input.data) ? input.data : undefined;
    let bytes = text === undefined ? (typeof input.data === 'string' ? encoder.encode(input.data) : toBytes(input.data)) : undefined;
    const name = input.name ?? `trustLists[${i}]`;
    const sha256 = text !== undefined ? await sha256HexOfText(text) : await sha256Hex(bytes!);
    const problems: string[] = [];
    const pinned = (input.signingCertificates ?? []).flatMap(loadCertificates);
    if (input.sha256 !== undefined && input.sha256.toLowerCase() !== sha256) {
      throw new TrustListError(`${name}: SHA-256 is ${sha256}, but ${input.sha256} was pinned`);
    }
    try {
      if (text !== undefined ? looksLikeJsonText(text) : looksLikeJson(bytes!)) {
        // TextDecoder drops a leading BOM; so does the text path.
        const list = parseTrustedListJson(text !== undefined ? (text.charCodeAt(0) === 0xfeff ? text.substring(1) : text) : new TextDecoder().decode(bytes));
        pending.push({ input, name, format: 'json', sha256, list, pinned, problems });
      } else {
        // XML lists (and their XML-DSig check below) load the XML stack on demand: JSON-only callers such as
        // browser portals do not bundle it (`npm run size`).
        const { parseTrustedListXml } = await import('./tsl-xml.js');
        bytes ??= encoder.encode(text);
        const parsed = parseTrustedListXml(bytes, options.xmlLimits);
        problems.push(...parsed.warnings);
        pending.push({ input, name, format: 'xml', sha256, list: parsed.list, document: parsed.document, pinned, problems });
      }
    } catch (e) {
      if (e instanceof TrustListError) throw new TrustListError(`${name}: ${e.message}`, { cause: e });
      throw e;
    }
  }

  const loaded = new Map<Pending, LoadedTrustList>();
  const finish = async (p: Pending, pinned: readonly ParsedCertificate[], via: LoadedTrustList['via']): Promise<LoadedTrustList> => {
    let signature: ListSignatureOutcome;
    let integrity: ListIntegrity;
    if (p.format === 'json') {
      signature = { status: 'NOT_APPLICABLE', signer: null, detail: 'a JSON list carries no signature' };
      integrity = p.input.sha256 ? 'pinned-digest' : 'caller-trusted';
    } else {
      const { verifyListSignature } = await import('./list-signature.js');
      signature = await verifyListSignature(p.document!, pinned, options.registry);
      integrity = signature.status === 'VALID' ? 'xades-signature' : 'none';
    }
    const next = p.list.scheme.nextUpdate;
    const expired = next !== null && Date.parse(next) < options.time.getTime();
    const problems = [...p.problems];
    if (signature.status !== 'VALID' && signature.status !== 'NOT_APPLICABLE') problems.push(`not used: ${signature.detail}`);
    if (expired) problems.push(`expired: NextUpdate ${next} is before ${options.time.toISOString()}`);
    if (next === null) problems.push('no NextUpdate: the scheme is closed');
    return {
      list: p.list,
      name: p.name,
      format: p.format,
      sha256: p.sha256,
      signature,
      integrity,
      via,
      expired,
      usable: integrity !== 'none',
      problems,
    };
  };

  // Pass 1: caller-pinned XML lists and JSON lists-of-lists. A national list that does not verify with the
  // caller's pins gets a second chance below with the signers a verified list-of-lists announces for it.
  const pinnedFailures = new Map<Pending, LoadedTrustList>();
  for (const p of pending) {
    if (p.format === 'json') {
      if (isListOfListsType(p.list.scheme.type)) loaded.set(p, await finish(p, [], null));
    } else if (p.pinned.length > 0) {
      const r = await finish(p, p.pinned, null);
      if (r.usable || isListOfListsType(p.list.scheme.type)) loaded.set(p, r);
      else pinnedFailures.set(p, r);
    }
  }
  // Pass 2: lists announced by a usable list-of-lists (one level, as the EU LOTL → TL model).
  const lotls = [...loaded.values()].filter((l) => l.usable && isListOfListsType(l.list.scheme.type));
  for (const p of pending) {
    if (loaded.has(p)) continue;
    const match = findPointer(lotls, p.list);
    if (p.format === 'json') {
      // No signature to check: the list-of-lists only places it in the scheme (territory and type); its
      // integrity stays what the caller established for the file.
      loaded.set(p, await finish(p, [], match ? { id: match.lotl.list.id, sequenceNumber: match.lotl.list.scheme.sequenceNumber, pointer: match.pointer } : null));
      continue;
    }
    const failedPin = pinnedFailures.get(p);
    if (!match) {
      loaded.set(p, failedPin ?? (await finish(p, [], null)));
      continue;
    }
    const certs = match.pointer.signingCertificates.flatMap((b64) => {
      try {
        return [certificateCache.get(fromBase64(b64))];
      } catch {
        return [];
      }
    });
    const viaLotl = await finish(p, certs, { id: match.lotl.list.id, sequenceNumber: match.lotl.list.scheme.sequenceNumber, pointer: match.pointer });
    loaded.set(p, viaLotl.usable || !failedPin ? viaLotl : failedPin);
  }
  const lists = pending.map((p) => loaded.get(p)!);
  return { lists, index: await TrustIndex.build(lists), time: options.time };
}

/** True when `l`'s NextUpdate has passed at `time`: its content may be stale (judged at each validation time). */
export function listExpiredAt(l: LoadedTrustList, time: Date): boolean {
  const next = l.list.scheme.nextUpdate;
  return next !== null && Date.parse(next) < time.getTime();
}

function findPointer(lotls: readonly LoadedTrustList[], list: TrustedList): { lotl: LoadedTrustList; pointer: TslPointer } | undefined {
  for (const lotl of lotls) {
    for (const pointer of lotl.list.scheme.pointers) {
      if (pointer.territory !== list.scheme.territory) continue;
      if (pointer.type && pointer.type !== list.scheme.type) continue;
      if (pointer.mimeType && !/xml/i.test(pointer.mimeType)) continue;
      return { lotl, pointer };
    }
  }
  return undefined;
}
