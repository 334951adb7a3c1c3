import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CMS_LIMITS, parseCades, parseDecodingAll } from '../src/cades/parse.js';
import { certificateCache } from '../src/pki/cache.js';
import { toHex } from '../src/util/bytes.js';
import { LimitExceededError } from '../src/errors.js';
import { fixture } from './helpers/fixtures.js';
import type { AttributeMap } from '../src/cades/model.js';
import * as asn1js from 'asn1js';
import { tlvAt, tlvChildren, type TlvRange } from '../src/util/asn1-tree.js';
import { ASN1_MUTATIONS, corruptLength } from '../scripts/fuzz/mutate-asn1.js';
import { flipBits, setBytes, truncate } from '../scripts/fuzz/mutate-bytes.js';
import { rngFor } from '../scripts/fuzz/prng.js';
import { parseTlv, serialize } from '../scripts/fuzz/tlv.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const p7sFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? p7sFiles(p) : f.endsWith('.p7s') ? [p] : [];
  });

const attributeValues = (m: AttributeMap) => [...m].map(([type, list]) => [type, list.map((a) => a.values.map((v) => toHex(v.encoding)))]);

/** What validation reads from a parsed CMS, as comparable values. */
function facts(der: Uint8Array, parse: typeof parseCades) {
  try {
    const s = parse(der);
    return {
      eContentType: s.eContentType,
      eContent: s.eContent && toHex(s.eContent),
      certificates: s.certificates.map((c) => toHex(c.der)),
      crls: s.crls.map((c) => toHex(c.der)),
      other: s.otherRevocationInfo.map((o) => o.format),
      otherInfo: s.otherRevocationInfo.map((o) => toHex(o.info.encoding)),
      signers: s.signers.map((si) => ({
        sid: si.sid,
        digest: si.digestAlgorithm,
        sigAlg: si.signatureAlgorithm,
        value: toHex(si.signatureValue),
        signedAttrs: si.signedAttributesDer && toHex(si.signedAttributesDer),
        reencoded: si.signedAttributesReencoded,
        signedValues: attributeValues(si.signedAttributes),
        unsigned: attributeValues(si.unsignedAttributes),
        time: si.claimedSigningTime?.toISOString(),
        ess: JSON.stringify(si.essSigningCertificates, (_, v) => (v instanceof Uint8Array ? toHex(v) : v)),
      })),
    };
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message };
  }
}

describe('CMS parsing that locates certificates by their headers', () => {
  const files = p7sFiles(FIXTURES);

  it('reads every fixture exactly as the full decode does (including the errors)', () => {
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const der = new Uint8Array(readFileSync(f));
      expect(facts(der, parseCades), f).toEqual(facts(der, parseDecodingAll));
    }
  });

  it('element and depth limits give the same answer whether the certificates were cached or not', () => {
    const der = fixture('cades/kz-attached.p7s');
    const outcome = (limits: Partial<typeof DEFAULT_CMS_LIMITS>) => {
      try {
        parseCades(der, { ...DEFAULT_CMS_LIMITS, ...limits });
        return 'ok';
      } catch (e) {
        return e instanceof LimitExceededError ? `limit ${e.message}` : `error ${(e as Error).message}`;
      }
    };
    const settings = [50, 100, 200, 300, 400, 500, 600, 800, 1000].map((n) => ({ maxAsn1Elements: n })).concat([4, 6, 8, 10, 12].map((d) => ({ maxAsn1Depth: d }) as never));
    certificateCache.clear();
    const cold = settings.map((l) => {
      certificateCache.clear();
      return outcome(l);
    });
    parseCades(der);
    const warm = settings.map(outcome);
    expect(warm).toEqual(cold);
    expect(cold[0]).toMatch(/^limit .*asn1Elements/);
    expect(cold.at(-1 - 5)).toBe('ok'); // 1,000 elements are enough
  });

  it('an over-limit certificate count is refused before any certificate is decoded', () => {
    expect(() => parseCades(fixture('cades/kz-attached.p7s'), { ...DEFAULT_CMS_LIMITS, maxCertificates: 1 })).toThrow(LimitExceededError);
  });

  it('refuses identifiers X.690 forbids, as asn1js does, also in parts it only locates', () => {
    const der = fixture('cades/kz-attached.p7s');
    // messageDigest attribute: attrType OID, then its SET OF values.
    const md = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04, 0x31];
    const at = indexOf(der, md) + md.length - 1;
    expect(at).toBeGreaterThan(0);
    for (const tag of [0x21 /* constructed BOOLEAN */, 0x26 /* constructed OID */, 0x2f /* universal 15 */, 0x20 /* universal 0 */]) {
      const bad = der.slice();
      bad[at] = tag;
      const full = facts(bad, parseDecodingAll);
      expect(full, `tag 0x${tag.toString(16)}`).toHaveProperty('error', 'InputFormatError');
      expect(facts(bad, parseCades), `tag 0x${tag.toString(16)}`).toEqual(full);
    }
  });

  it('agrees with the full decode on 600 seeded mutations; where only the header walk reads an input, what asn1js refuses lies in a part it only locates', () => {
    const seeds = files.map((f) => new Uint8Array(readFileSync(f)));
    const mutations = Object.values(ASN1_MUTATIONS);
    const outcomes = { agree: 0, bothRefuse: 0, locatedOnly: 0 };
    for (let i = 0; i < 600; i++) {
      const rng = rngFor('cades-parse-fastpath', i);
      const seed = seeds[i % seeds.length]!;
      const kind = rng.int(6);
      let input: Uint8Array | undefined;
      if (kind === 0) input = flipBits(seed, rng);
      else if (kind === 1) input = setBytes(seed, rng);
      else if (kind === 2) input = corruptLength(seed, rng);
      else if (kind === 3) input = truncate(seed, rng);
      else {
        const root = parseTlv(seed);
        if (root && rng.pick(mutations)(root, rng)) input = serialize(root);
      }
      if (!input) continue;
      const fast = facts(input, parseCades);
      const full = facts(input, parseDecodingAll);
      if ('error' in fast || !('error' in full)) {
        expect(fast, `mutation ${i}`).toEqual(full);
        if ('error' in fast) outcomes.bothRefuse++;
        else outcomes.agree++;
        continue;
      }
      // Accepted by the walk, refused by asn1js: the refused element must sit inside an unsignedAttrs or crls [1] field,
      // whose values are decoded by their consumers (time-stamp, certificate and revocation readers), never by the parser.
      expect(refusedElementPath(input), `mutation ${i}: ${full.message}`).toContain(0xa1);
      outcomes.locatedOnly++;
    }
    expect(outcomes.agree).toBeGreaterThan(150);
    expect(outcomes.bothRefuse).toBeGreaterThan(150);
  });
});

/** Tags on the path to the smallest element asn1js refuses to decode (by header walk from the root). */
function refusedElementPath(der: Uint8Array): number[] {
  let path: number[] = [];
  const visit = (r: TlvRange, above: number[]) => {
    const here = [...above, r.tag];
    if (asn1js.fromBER(der.slice(r.start, r.end)).offset === -1) path = here;
    if (r.tag & 0x20) for (const c of tlvChildren(der, r, 100_000) ?? []) visit(c, here);
  };
  const root = tlvAt(der, 0, der.length);
  if (root) visit(root, []);
  return path;
}

function indexOf(haystack: Uint8Array, needle: readonly number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
