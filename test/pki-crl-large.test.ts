/**
 * Large CRLs (issue #17 item 7): national CRLs list tens of thousands of
 * certificates, more than asn1js's whole-structure node cap allows. ParsedCrl
 * locates the CRL by header walking and indexes revokedCertificates without
 * decoding its entries; these tests build, at test time, a 100,000-entry CRL
 * signed by the fixture KZ issuing CA (DER written here, TBS signed with
 * node:crypto) and check that it loads, verifies through the revocation path
 * and answers lookups as a small CRL does, including indirect-CRL issuers and
 * unknown critical entry extensions; and that the DSS sample whose embedded
 * 57,000-entry CRL used to be dropped validates with it at default limits.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { parseCades } from '../src/cades/parse.js';
import { getDefaultRegistry } from '../src/crypto/registry.js';
import { InputFormatError } from '../src/errors.js';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { ParsedCrl } from '../src/pki/crl.js';
import { crlStatus } from '../src/pki/revocation.js';
import { tlvAt, tlvChildren } from '../src/util/asn1-tree.js';
import { fixture, loadManifest, optionsFor } from './helpers/fixtures.js';
import { describeIf } from './helpers/skip.js';

// --- a minimal DER writer (definite lengths only) ---
const cat = (parts: readonly Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
function lengthOctets(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Uint8Array.of(0x80 | out.length, ...out);
}
function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  return tlvOf(tag, parts);
}
/** An element around a list of parts (no argument spreading: a CRL has 100,000 of them). */
function tlvOf(tag: number, parts: readonly Uint8Array[]): Uint8Array {
  const body = cat(parts);
  return cat([Uint8Array.of(tag), lengthOctets(body.length), body]);
}
const seq = (...p: Uint8Array[]) => tlv(0x30, ...p);
const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
/** A positive INTEGER from hex digits (a leading 00 added when the top bit is set). */
const int = (h: string) => tlv(0x02, hex((parseInt(h.slice(0, 2), 16) & 0x80 ? '00' : '') + h));
const utc = (s: string) => tlv(0x17, new Uint8Array(Buffer.from(s, 'latin1')));
const octets = (b: Uint8Array) => tlv(0x04, b);
const oid = (h: string) => tlv(0x06, hex(h));
const OIDS = { reasonCode: '551d15', certificateIssuer: '551d1d', cRLNumber: '551d14', idp: '551d1c', unknown: '2a0304', cn: '550403' };
const TRUE = hex('0101ff');
const ext = (oidHex: string, critical: boolean, value: Uint8Array) => seq(oid(oidHex), ...(critical ? [TRUE] : []), octets(value));
const reason = (n: number) => ext(OIDS.reasonCode, false, tlv(0x0a, Uint8Array.of(n)));
const SHA256_RSA = seq(oid('2a864886f70d01010b'), hex('0500'));

/** The date and reason code of generated entry i. */
const weekly = (i: number) => `25${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}120000Z`;
const dateOf = (i: number) => new Date(weekly(i).replace(/^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/, '20$1-$2-$3T$4:$5:$6Z'));
const generatedSerial = (i: number) => (0x1000000 + i).toString(16).padStart(8, '0');
const REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation'];

interface EntrySpec {
  serialHex: string;
  date?: string;
  /** A revocationDate element as given (instead of UTCTime `date`). */
  time?: Uint8Array;
  extensions?: Uint8Array[];
}

/** A v2 CRL by `issuerName` signed with `keyPem` (RSA, SHA-256): `count` generated entries, `special` ones inserted at their index. */
function buildCrl(o: {
  issuerName: Uint8Array;
  keyPem: string;
  count: number;
  special?: ReadonlyMap<number, EntrySpec>;
  crlExtensions?: Uint8Array[];
  thisUpdate?: string;
  nextUpdate?: string;
}): Uint8Array {
  const entries: Uint8Array[] = [];
  for (let i = 0; i < o.count; i++) {
    const s = o.special?.get(i);
    if (s) entries.push(seq(int(s.serialHex), s.time ?? utc(s.date ?? weekly(i)), ...(s.extensions?.length ? [seq(...s.extensions)] : [])));
    // Generated serials 01xxxxxx never meet the fixture certificates' (0x2001..).
    entries.push(seq(int(generatedSerial(i)), utc(weekly(i)), ...(i % 3 === 0 ? [seq(reason(i % 6))] : [])));
  }
  const tbs = seq(
    int('01'),
    SHA256_RSA,
    o.issuerName,
    utc(o.thisUpdate ?? '260501000000Z'),
    utc(o.nextUpdate ?? '260701000000Z'),
    tlvOf(0x30, entries),
    tlv(0xa0, seq(ext(OIDS.cRLNumber, false, int('2a')), ...(o.crlExtensions ?? []))),
  );
  const signature = sign('sha256', tbs, createPrivateKey(o.keyPem));
  return seq(tbs, SHA256_RSA, tlv(0x03, Uint8Array.of(0), new Uint8Array(signature)));
}

const pem = (name: string) => ParsedCertificate.fromDer(new Uint8Array(Buffer.from(readFileSync(join(__dirname, '..', 'fixtures/pki', `${name}.pem`), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64')));
const kzCa = pem('kz-ca');
const kzRoot = pem('kz-root');
const signer = pem('kz-signer'); // serial 2003, listed below
const unlisted = pem('kz-signer-wrongku'); // serial 2014, never listed
const caKey = readFileSync(join(__dirname, '..', 'fixtures/keys/kz-ca.key.pem'), 'utf8');
/** The Name of a certificate as encoded (the subject is the second Name of its TBSCertificate). */
const subjectName = (c: ParsedCertificate): Uint8Array => {
  const tbs = tlvChildren(c.der, tlvAt(c.der, 0, c.der.length)!, 3)![0]!;
  const f = tlvChildren(c.der, tbs, 20)!;
  const s = f[0]!.tag === 0xa0 ? 5 : 4;
  return c.der.subarray(f[s]!.start, f[s]!.end);
};
const KZ_CA_NAME = subjectName(kzCa);
const N = 100_000;
const MIDDLE = 50_000;
const AT = new Date('2026-06-01T00:00:00Z');
const registry = getDefaultRegistry();

describe('a 100,000-entry CRL', () => {
  const special = new Map<number, EntrySpec>([[MIDDLE, { serialHex: '2003', date: '250601000000Z', extensions: [reason(1)] }]]);
  const der = buildCrl({ issuerName: KZ_CA_NAME, keyPem: caKey, count: N, special });

  it('parses, indexes every entry and answers lookups with the entry\'s date and reason', () => {
    const t = performance.now();
    const crl = ParsedCrl.fromDer(der);
    console.info(`100,001-entry CRL (${(der.length / 1e6).toFixed(1)} MB) parsed in ${(performance.now() - t).toFixed(0)} ms`);
    expect(crl.size).toBe(N + 1);
    expect(crl.hasUnknownCriticalEntryExtension).toBe(false);
    expect(crl.crlNumber).toBe(42n);
    expect(crl.entryFor('2003')).toMatchObject({ serialNumberHex: '2003', reason: 'keyCompromise', revocationDate: new Date('2025-06-01T00:00:00Z'), unknownCriticalExtensions: [] });
    expect(crl.entryFor('2003', kzCa.subject.key)).toBeDefined();
    expect(crl.entryFor('2003', kzRoot.subject.key)).toBeUndefined();
    // Generated entries near the end, with (every third) and without a reason code.
    for (const i of [N - 3, N - 2, 0, 1]) {
      expect(crl.entryFor(generatedSerial(i)), String(i)).toMatchObject({ serialNumberHex: generatedSerial(i), revocationDate: dateOf(i), reason: i % 3 === 0 ? REASONS[i % 6] : undefined });
    }
    expect(crl.entryFor('2014')).toBeUndefined();
  });

  it('verifies through the revocation path: the listed signer is revoked, an unlisted one good, a tampered CRL unusable', async () => {
    const crl = ParsedCrl.fromDer(der);
    expect(await crlStatus(signer, kzCa, [crl], AT, registry)).toMatchObject({ status: 'revoked', revocationTime: new Date('2025-06-01T00:00:00Z'), reason: 'keyCompromise' });
    expect(await crlStatus(unlisted, kzCa, [crl], AT, registry)).toMatchObject({ status: 'good' });
    // One serial in the middle changed (2003 -> 2014): the signature no longer covers the list, so the CRL says nothing.
    const tampered = Uint8Array.from(der);
    const at = Buffer.from(tampered).indexOf(Buffer.from('02022003170d', 'hex'));
    expect(at).toBeGreaterThan(der.length / 3);
    tampered.set([0x20, 0x14], at + 2);
    const status = await crlStatus(unlisted, kzCa, [ParsedCrl.fromDer(tampered)], AT, registry);
    expect(status.status).toBe('unknown');
  });

  it('an unknown critical extension on one entry near the end makes the whole CRL unusable, as before', async () => {
    const withCrit = buildCrl({ issuerName: KZ_CA_NAME, keyPem: caKey, count: N, special: new Map([...special, [N - 2, { serialHex: '7777', extensions: [ext(OIDS.unknown, true, hex('0500'))] }]]) });
    const crl = ParsedCrl.fromDer(withCrit);
    expect(crl.hasUnknownCriticalEntryExtension).toBe(true);
    expect(crl.entryFor('7777')?.unknownCriticalExtensions).toEqual(['1.2.3.4']);
    expect(crl.entryFor('2003')?.unknownCriticalExtensions).toEqual([]);
    expect(await crlStatus(unlisted, kzCa, [crl], AT, registry)).toMatchObject({ status: 'unknown' });
    // A non-critical unknown extension changes nothing.
    const nonCrit = ParsedCrl.fromDer(buildCrl({ issuerName: KZ_CA_NAME, keyPem: caKey, count: 10, special: new Map([[5, { serialHex: '7777', extensions: [ext(OIDS.unknown, false, hex('0500'))] }]]) }));
    expect(nonCrit.hasUnknownCriticalEntryExtension).toBe(false);
  });

  it('indirect CRL: certificateIssuer changes the issuer of that entry and every following one (RFC 5280 5.3.3)', () => {
    const other = subjectName(kzRoot);
    const certIssuer = ext(OIDS.certificateIssuer, true, seq(tlv(0xa4, other)));
    const idp = ext(OIDS.idp, true, seq(hex('8401ff')));
    const entries = new Map<number, EntrySpec>([
      [10, { serialHex: '2a01' }],
      [60_000, { serialHex: '2a02', extensions: [certIssuer] }],
      [90_000, { serialHex: '2a03' }],
      // The same serial again, now for the other issuer's certificate.
      [95_000, { serialHex: '2a01', date: '240101000000Z' }],
    ]);
    const indirect = ParsedCrl.fromDer(buildCrl({ issuerName: KZ_CA_NAME, keyPem: caKey, count: N, special: entries, crlExtensions: [idp] }));
    expect(indirect.issuingDistributionPoint?.indirectCRL).toBe(true);
    expect(indirect.entryFor('2a01', kzCa.subject.key)).toBeDefined();
    expect(indirect.entryFor('2a01', kzCa.subject.key)?.revocationDate).toEqual(dateOf(10));
    expect(indirect.entryFor('2a01', kzRoot.subject.key)?.revocationDate).toEqual(new Date('2024-01-01T00:00:00Z'));
    expect(indirect.entryFor('2a01', pem('kz-tsa').subject.key)).toBeUndefined();
    for (const s of ['2a02', '2a03', generatedSerial(N - 1)]) {
      expect(indirect.entryFor(s, kzRoot.subject.key), s).toBeDefined();
      expect(indirect.entryFor(s, kzCa.subject.key), s).toBeUndefined();
    }
    expect(indirect.entryFor('2a03')?.certificateIssuerKeys).toEqual([kzRoot.subject.key]);
    // Without indirectCRL the extension does not move entries to another issuer (as before).
    const direct = ParsedCrl.fromDer(buildCrl({ issuerName: KZ_CA_NAME, keyPem: caKey, count: 100, special: new Map([[50, { serialHex: '2a02', extensions: [certIssuer] }]]) }));
    expect(direct.entryFor('2a02', kzCa.subject.key)).toBeDefined();
  });

  it('malformed entries are an InputFormatError at parse time, not at lookup', () => {
    const crl = buildCrl({ issuerName: KZ_CA_NAME, keyPem: caKey, count: 1000, special: new Map([[500, { serialHex: '2003', date: '250601000000Z' }]]) });
    // The revocationDate of entry 2003 rewritten as an OCTET STRING, then as a UTCTime ending in "A" instead of "Z".
    const at = Buffer.from(crl).indexOf(Buffer.from('02022003170d', 'hex'));
    const variants = [
      [at + 4, 0x04],
      [at + 4 + 2 + 12, 0x41],
    ] as const;
    for (const [pos, byte] of variants) {
      const m = Uint8Array.from(crl);
      m[pos] = byte;
      expect(() => ParsedCrl.fromDer(m)).toThrow(InputFormatError);
    }
    // GeneralizedTime in Z form, with DER fractional seconds, is a revocationDate; other forms are not.
    const withTime = (text: string, tag = 0x18) => buildCrl({ issuerName: KZ_CA_NAME, keyPem: caKey, count: 10, special: new Map([[5, { serialHex: '2003', time: tlv(tag, new Uint8Array(Buffer.from(text, 'latin1'))) }]]) });
    expect(ParsedCrl.fromDer(withTime('20250601000000Z')).entryFor('2003')?.revocationDate).toEqual(new Date('2025-06-01T00:00:00Z'));
    expect(ParsedCrl.fromDer(withTime('20250601000000.5Z')).entryFor('2003')?.revocationDate).toEqual(new Date('2025-06-01T00:00:00.500Z'));
    for (const [text, tag] of [['20250601000000.50Z', 0x18], ['20250601000000', 0x18], ['202506010000Z', 0x18], ['2506010000Z', 0x17], ['250601000000+0100', 0x17]] as const) {
      expect(() => ParsedCrl.fromDer(withTime(text, tag)), text).toThrow(InputFormatError);
    }
    const truncated = crl.subarray(0, crl.length - 1);
    expect(() => ParsedCrl.fromDer(truncated)).toThrow(InputFormatError);
    const trailing = cat([crl, Uint8Array.of(0)]);
    expect(() => ParsedCrl.fromDer(trailing)).toThrow(InputFormatError);
    // An entry that is not SEQUENCE { INTEGER, Time, ... }.
    const m = Uint8Array.from(crl);
    m[at] = 0x04;
    expect(() => ParsedCrl.fromDer(m)).toThrow(InputFormatError);
  });

  it('inside a CMS SignedData.crls, loads at default limits and is used for the signer', async () => {
    const manifest = loadManifest();
    const sample = manifest.samples.find((s) => s.id === 'kz-attached')!;
    const cms = fixture(sample.file);
    // SignedData rebuilt with the CRL as its [1] crls (unsigned: the signature stays valid).
    const ci = tlvChildren(cms, tlvAt(cms, 0, cms.length)!, 3)!;
    const sdRange = tlvChildren(cms, ci[1]!, 2)![0]!;
    const parts = tlvChildren(cms, sdRange, 10)!.map((r) => cms.subarray(r.start, r.end));
    const signerInfos = parts.pop()!;
    const rebuilt = seq(cms.subarray(ci[0]!.start, ci[0]!.end), tlv(0xa0, seq(...parts.filter((p) => p[0] !== 0xa1), tlv(0xa1, der), signerInfos)));
    const sig = parseCades(rebuilt);
    expect(sig.crls).toHaveLength(1);
    expect(sig.crls[0]!.size).toBe(N + 1);
    const r = await verify(rebuilt, { ...optionsFor(manifest, sample), crls: [], validationTime: AT });
    const s = r.signatures[0]!;
    expect(s.revocation.find((x) => x.certificate === s.signer?.subject)).toMatchObject({ status: 'revoked', origin: 'embedded' });
    expect(s.indication).not.toBe('TOTAL-PASSED');
  });
});

const corpus = resolve(__dirname, '..', process.env.OTS_CORPUS ?? '../shared/corpus');
const dss916 = join(corpus, 'dss/cades/dss916-qes-detached.p7s');
const dssContent = join(corpus, 'dss/detached-content/dss-916-test.txt');
const present = existsSync(dss916) && existsSync(dssContent);
if (!present) console.info(`skipping the DSS 916 sample: ${dss916} is absent (set OTS_CORPUS)`);

describeIf(present, 'no corpus (set OTS_CORPUS=/path/to/corpus): dss/ sample dss916')('DSS sample dss916-qes-detached.p7s (CAdES-LT, 2 MB, a 57,000-entry LuxTrust CRL)', () => {
  it('validates at default limits with its embedded CRL used, not dropped', async () => {
    const bytes = new Uint8Array(readFileSync(dss916));
    // Anchored at the self-signed roots it embeds (its own and its time-stamp tokens'), at its claimed signing time.
    const roots = new Map<string, Uint8Array>();
    const collect = (der: Uint8Array, depth: number) => {
      const sig = parseCades(der);
      for (const c of sig.certificates) if (c.subject.key === c.issuer.key) roots.set(c.subject.key, c.der);
      if (depth > 0) for (const si of sig.signers) for (const attrs of si.unsignedAttributes.values()) for (const a of attrs) for (const v of a.values.filter((x) => x.encoding.length < 100_000)) {
        try {
          collect(v.encoding, depth - 1);
        } catch {
          /* not a CMS value (time-stamp tokens are; the large revocationValues is skipped above) */
        }
      }
    };
    collect(bytes, 2);
    expect(roots.size).toBeGreaterThan(0);
    const sig = parseCades(bytes);
    expect(sig.signers[0]!.claimedSigningTime).toBeDefined();
    const t = performance.now();
    const r = await verify(bytes, {
      trustAnchors: [...roots.values()],
      timestampAnchors: [...roots.values()],
      detachedContent: new Uint8Array(readFileSync(dssContent)),
      validationTime: new Date(sig.signers[0]!.claimedSigningTime!.getTime() + 3600_000),
      // This test is about the embedded CRL. Under the default policy the sample is INDETERMINATE for reasons of
      // its own: LuxTrust's root and CA mark basicConstraints non-critical (the strict profile refuses that) and
      // no ARL for the CA is embedded.
      policy: 'lenient',
    });
    console.info(`dss916-qes-detached.p7s verified in ${(performance.now() - t).toFixed(0)} ms`);
    const s = r.signatures[0]!;
    expect(s.warnings.join('\n')).not.toMatch(/ERR_LIMIT_EXCEEDED|unreadable item in revocationValues/);
    expect(s.revocation.find((x) => x.certificate === s.signer?.subject)).toMatchObject({ status: 'good', kind: 'crl', origin: 'embedded' });
    expect(s.indication).toBe('TOTAL-PASSED');
  });
});
