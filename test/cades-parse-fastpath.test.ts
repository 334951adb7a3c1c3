import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CMS_LIMITS, parseCades, parseDecodingAll } from '../src/cades/parse.js';
import { certificateCache } from '../src/pki/cache.js';
import { toHex } from '../src/util/bytes.js';
import { LimitExceededError } from '../src/errors.js';
import { fixture } from './helpers/fixtures.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const p7sFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? p7sFiles(p) : f.endsWith('.p7s') ? [p] : [];
  });

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
      signers: s.signers.map((si) => ({
        sid: si.sid,
        digest: si.digestAlgorithm,
        sigAlg: si.signatureAlgorithm,
        value: toHex(si.signatureValue),
        signedAttrs: si.signedAttributesDer && toHex(si.signedAttributesDer),
        unsigned: [...si.unsignedAttributes.keys()],
        time: si.claimedSigningTime?.toISOString(),
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
});
