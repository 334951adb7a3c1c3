import * as asn1js from 'asn1js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPublicKey, readPublicKeyNode } from '../src/crypto/spki.js';
import { InputFormatError } from '../src/errors.js';
import { ParsedCertificate } from '../src/pki/certificate.js';
import { readNameElement, readNameNode } from '../src/pki/name.js';
import { OID } from '../src/pki/oids.js';
import { decodeWhole, tlvAt, tlvChildren } from '../src/util/asn1-tree.js';
import { toHex } from '../src/util/bytes.js';
import { Asn1Element, ElementBudget, TlvElement } from '../src/util/der.js';
import { derObjectsFrom } from '../src/util/pem.js';
import { itIf } from './helpers/skip.js';

/**
 * ParsedCertificate reads certificates over header-walked elements and falls
 * back to asn1js-decoded nodes; both run the same reader. These tests guard
 * the two views against drifting apart: every certificate available is read
 * both ways and must give the same fields (or be refused both ways).
 */

const ROOT = resolve(__dirname, '..');
const CORPUS = resolve(ROOT, process.env.OTS_CORPUS ?? '../shared/corpus');

function filesUnder(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) filesUnder(p, out);
    else out.push(p);
  }
  return out;
}

function certificatesIn(files: readonly string[]): { name: string; der: Uint8Array }[] {
  const out: { name: string; der: Uint8Array }[] = [];
  for (const f of files) {
    if (!/\.(pem|crt|cer)$/.test(f)) continue;
    const bytes = new Uint8Array(readFileSync(f));
    if (bytes[0] === 0x30) out.push({ name: f, der: bytes });
    else derObjectsFrom(bytes, ['CERTIFICATE']).forEach((der, i) => out.push({ name: `${f}#${i}`, der }));
  }
  return out;
}

/** Every field path validation reads, as plain data. */
function facts(c: ParsedCertificate) {
  const name = (n: ParsedCertificate['subject']) => ({ key: n.key, text: n.text, rdns: n.rdns });
  return {
    subject: name(c.subject),
    issuer: name(c.issuer),
    subjectDer: toHex(c.subjectDer),
    issuerDer: toHex(c.issuerDer),
    serial: c.serialNumberHex,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    tbs: toHex(c.tbs),
    signatureAlgorithm: { oid: c.signatureAlgorithm.oid, params: c.signatureAlgorithm.params && toHex(c.signatureAlgorithm.params) },
    signatureValue: toHex(c.signatureValue),
    publicKey: {
      ...c.publicKey,
      spki: toHex(c.publicKey.spki),
      parametersDer: c.publicKey.parametersDer && toHex(c.publicKey.parametersDer),
    },
    extensions: c.extensions.map((e) => ({ oid: e.oid, critical: e.critical, value: toHex(e.value) })),
    ski: c.subjectKeyIdentifier,
    aki: c.authorityKeyIdentifier,
    basicConstraints: c.basicConstraints,
    keyUsage: c.keyUsage && [...c.keyUsage],
    extKeyUsage: c.extKeyUsage,
  };
}

type Outcome = { facts: ReturnType<typeof facts> } | { refused: string };

function outcome(read: () => ParsedCertificate): Outcome {
  try {
    return { facts: facts(read()) };
  } catch (e) {
    expect(e).toBeInstanceOf(InputFormatError);
    return { refused: (e as Error).message };
  }
}

/** The header-walked reading (fromDer) and the asn1js-node reading of the same bytes. */
function bothWays(der: Uint8Array): { walked: Outcome; decoded: Outcome } {
  return {
    walked: outcome(() => ParsedCertificate.fromDer(der.slice())),
    decoded: outcome(() => ParsedCertificate.fromElement(der, new Asn1Element(decodeWhole(der, 'X.509 certificate')))),
  };
}

function expectSameReading(der: Uint8Array, name: string): 'read' | 'refused' {
  const { walked, decoded } = bothWays(der);
  if ('facts' in decoded) {
    expect(walked, name).toEqual(decoded);
    return 'read';
  }
  expect('refused' in walked, `${name}: refused only when decoded (${decoded.refused})`).toBe(true);
  return 'refused';
}

// --- DER building for the negative cases (encoding only) ---

function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const lenBytes = len < 0x80 ? [len] : len < 0x100 ? [0x81, len] : len < 0x10000 ? [0x82, len >> 8, len & 0xff] : [0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
  const out = new Uint8Array(1 + lenBytes.length + len);
  out[0] = tag;
  out.set(lenBytes, 1);
  let o = 1 + lenBytes.length;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The encodings of the elements directly inside the (definite-length) element `der`. */
function parts(der: Uint8Array): Uint8Array[] {
  const r = tlvAt(der, 0, der.length)!;
  return tlvChildren(der, r, 10_000)!.map((c) => der.subarray(c.start, c.end));
}

/** The content octets of the element `der`. */
function contentOf(der: Uint8Array): Uint8Array {
  const r = tlvAt(der, 0, der.length)!;
  return der.subarray(r.contentStart, r.end);
}

const fixture = (name: string) => derObjectsFrom(new Uint8Array(readFileSync(join(ROOT, 'fixtures/pki', name))), ['CERTIFICATE'])[0]!;

/** `der` with its tbsCertificate replaced (the signature no longer matches, which parsing does not check). */
function withTbs(der: Uint8Array, edit: (tbs: Uint8Array[]) => Uint8Array[], tbsTag = 0x30): Uint8Array {
  const [tbs, alg, sig] = parts(der);
  return tlv(0x30, tlv(tbsTag, ...edit(parts(tbs!))), alg!, sig!);
}

/** Index of the [3] extensions element in a tbsCertificate's parts. */
const extensionsAt = (tbs: Uint8Array[]) => tbs.findIndex((p) => p[0] === 0xa3);

function withExtensions(der: Uint8Array, edit: (exts: Uint8Array[]) => Uint8Array[]): Uint8Array {
  return withTbs(der, (tbs) => {
    const at = extensionsAt(tbs);
    const exts = parts(parts(tbs[at]!)[0]!);
    return tbs.map((p, i) => (i === at ? tlv(0xa3, tlv(0x30, ...edit(exts))) : p));
  });
}

function extensionOf(der: Uint8Array, oidHexTail: string): Uint8Array {
  const [tbs] = parts(der);
  const t = parts(tbs!);
  return parts(parts(t[extensionsAt(t)]!)[0]!).find((e) => toHex(e).includes(oidHexTail))!;
}

/** BER indefinite-length form of a definite-length constructed element. */
function indefinite(der: Uint8Array): Uint8Array {
  const r = tlvAt(der, 0, der.length)!;
  const out = new Uint8Array(2 + (r.end - r.contentStart) + 2);
  out[0] = der[0]!;
  out[1] = 0x80;
  out.set(der.subarray(r.contentStart, r.end), 2);
  return out;
}

/** The RSA modulus size from a full asn1js decode of the key (the reader takes it from the located INTEGER). */
function rsaBitsByAsn1js(spki: Uint8Array): number {
  const key = (decodeWhole(spki.slice(), 'spki') as asn1js.Sequence).valueBlock.value[1] as asn1js.BitString;
  const rsa = decodeWhole(key.valueBlock.valueHexView.slice(), 'RSAPublicKey') as asn1js.Sequence;
  const m = (rsa.valueBlock.value[0] as asn1js.Integer).valueBlock.valueHexView;
  const lead = m[0] === 0 ? 1 : 0;
  return (m.length - lead) * 8 - (Math.clz32(m[lead]!) - 24);
}

describe('ParsedCertificate: header-walked and asn1js-decoded readings agree', () => {
  const fixtures = certificatesIn(filesUnder(join(ROOT, 'fixtures')).filter((f) => !f.includes('/keys/')));

  it(`every fixture certificate (${fixtures.length}) reads the same both ways, through the walk`, () => {
    expect(fixtures.length).toBeGreaterThan(40);
    for (const { name, der } of fixtures) {
      // The fixtures are plain DER: the fast path must take them (no silent fallback).
      expect(TlvElement.of(der, new ElementBudget(100_000, 'test')), name).toBeDefined();
      expect(expectSameReading(der, name), name).toBe('read');
    }
  });

  it('a fixture certificate reads to the expected values', () => {
    const c = ParsedCertificate.fromDer(fixture('kz-ca.pem'));
    expect(c.isCA).toBe(true);
    expect(c.keyUsage?.has('keyCertSign')).toBe(true);
    expect(c.subjectKeyIdentifier).toMatch(/^[0-9a-f]{40}$/);
    expect(c.authorityKeyIdentifier).toBe(ParsedCertificate.fromDer(fixture('kz-root.pem')).subjectKeyIdentifier);
    expect(ParsedCertificate.fromDer(fixture('kz-signer-rsa1024.pem')).publicKey.bits).toBe(1024);
  });

  it('names and public keys read the same from elements and from decoded nodes', () => {
    for (const { name, der } of fixtures) {
      const c = ParsedCertificate.fromDer(der);
      const fresh = (bytes: Uint8Array) => TlvElement.of(bytes.slice(), new ElementBudget(10_000, 'test'))!;
      expect(readNameElement(fresh(c.subjectDer), 'subject'), name).toEqual(readNameNode(decodeWhole(c.subjectDer.slice(), 'subject'), 'subject'));
      expect(readPublicKey(c.publicKey.spki), name).toEqual(readPublicKeyNode(decodeWhole(c.publicKey.spki.slice(), 'spki'), c.publicKey.spki));
      if (c.publicKey.algorithmOid === '1.2.840.113549.1.1.1') expect(c.publicKey.bits, name).toBe(rsaBitsByAsn1js(c.publicKey.spki));
    }
  });

  const corpus = certificatesIn(['pkits/certs', 'dss', 'ots-roots'].flatMap((d) => filesUnder(join(CORPUS, d))));
  const limbo = join(CORPUS, 'limbo/limbo.json');
  if (existsSync(limbo)) {
    const cases = (JSON.parse(readFileSync(limbo, 'utf8')) as { testcases: { id: string; trusted_certs: string[]; untrusted_intermediates: string[]; peer_certificate: string }[] }).testcases;
    for (const t of cases) {
      for (const [i, pem] of [...t.trusted_certs, ...t.untrusted_intermediates, t.peer_certificate].entries()) {
        derObjectsFrom(new TextEncoder().encode(pem), ['CERTIFICATE']).forEach((der) => corpus.push({ name: `limbo ${t.id}#${i}`, der }));
      }
    }
  }

  itIf(corpus.length > 0, 'no corpus (set OTS_CORPUS=/path/to/corpus): pkits/, dss/, ots-roots/ certificates')(`every corpus certificate (PKITS, DSS, ots-roots, limbo: ${corpus.length}) reads the same both ways or is refused both ways`, () => {
    const counts = { read: 0, refused: 0 };
    for (const { name, der } of corpus) counts[expectSameReading(der, name)]++;
    expect(counts.read).toBeGreaterThan(1000);
  });
});

describe('ParsedCertificate: malformed and unusual encodings', () => {
  const ca = fixture('kz-ca.pem');

  it('refuses truncated input and trailing data', () => {
    for (const der of [ca.subarray(0, ca.length - 1), ca.subarray(0, 200), new Uint8Array([...ca, 0])]) {
      expect(() => ParsedCertificate.fromDer(der)).toThrow(InputFormatError);
    }
    expect(() => ParsedCertificate.fromDer(new Uint8Array([...ca, 0x05, 0x00]))).toThrow(/trailing data/);
  });

  it('refuses a duplicate extension both ways', () => {
    const dup = withExtensions(ca, (exts) => [...exts, exts[0]!]);
    const { walked, decoded } = bothWays(dup);
    expect(walked).toEqual({ refused: expect.stringMatching(/occurs more than once/) });
    expect(decoded).toEqual({ refused: expect.stringMatching(/occurs more than once/) });
  });

  it('refuses an unknown version, a BIT STRING with more than 7 unused bits and a constructed serial number', () => {
    const v4 = withTbs(ca, (tbs) => [tlv(0xa0, tlv(0x02, new Uint8Array([3]))), ...tbs.slice(1)]);
    expect(() => ParsedCertificate.fromDer(v4)).toThrow(/unknown version 4/);
    const [tbs, alg] = parts(ca);
    const badBits = tlv(0x30, tbs!, alg!, tlv(0x03, new Uint8Array([8, 1, 2])));
    expect(() => ParsedCertificate.fromDer(badBits)).toThrow(/Unused bits/);
    const constructedSerial = withTbs(ca, (t) => [t[0]!, tlv(0x22, t[1]!), ...t.slice(2)]);
    expect(() => ParsedCertificate.fromDer(constructedSerial)).toThrow(InputFormatError);
  });

  it('refuses a malformed authorityCertIssuer the full decode refused, though it is not read', () => {
    const aki = withExtensions(ca, (exts) =>
      exts.map((e) => {
        if (!toHex(e).includes('0603551d23')) return e;
        // AKI { [0] keyId, [1] authorityCertIssuer holding a constructed INTEGER (refused by asn1js) }
        const keyId = parts(contentOf(parts(e).at(-1)!))[0]!;
        const value = tlv(0x30, keyId, tlv(0xa1, tlv(0x22, tlv(0x02, new Uint8Array([1])))));
        return tlv(0x30, tlv(0x06, new Uint8Array([0x55, 0x1d, 0x23])), tlv(0x04, value));
      }),
    );
    const { walked, decoded } = bothWays(aki);
    expect('refused' in walked && 'refused' in decoded).toBe(true);
  });

  it('reads BER indefinite lengths through the asn1js fallback, with the same fields', () => {
    const expected = facts(ParsedCertificate.fromDer(ca));
    // The whole certificate, and the validity inside tbsCertificate.
    expect(facts(ParsedCertificate.fromDer(indefinite(ca)))).toEqual(expected);
    const innerValidity = withTbs(ca, (tbs) => tbs.map((p, i) => (i === 4 ? indefinite(p) : p)));
    const c = ParsedCertificate.fromDer(innerValidity);
    expect(c.notBefore).toEqual(ParsedCertificate.fromDer(ca).notBefore);
    expect(c.subject.key).toBe(expected.subject.key);
    // An extension value in indefinite form: the walk decodes that value with asn1js.
    const bc = extensionOf(ca, '0603551d13');
    const bcIndef = withExtensions(ca, (exts) =>
      exts.map((e) => (toHex(e) === toHex(bc) ? tlv(0x30, ...parts(e).slice(0, -1), tlv(0x04, indefinite(contentOf(parts(e).at(-1)!)))) : e)),
    );
    expect(ParsedCertificate.fromDer(bcIndef).basicConstraints).toEqual(expected.basicConstraints);
    expect(expectSameReading(bcIndef, 'basicConstraints indefinite')).toBe('read');
  });

  it('leaves very large certificates to asn1js, whose node limit still refuses them', () => {
    const manyNames = (n: number) =>
      withTbs(ca, (tbs) => {
        const rdn = (i: number) => tlv(0x31, tlv(0x30, tlv(0x06, new Uint8Array([0x55, 0x04, 0x03])), tlv(0x0c, new TextEncoder().encode(`n${i}`))));
        return tbs.map((p, i) => (i === 5 ? tlv(0x30, ...Array.from({ length: n }, (_, k) => rdn(k))) : p));
      });
    // ~4,800 elements: beyond the walk's pre-count, within asn1js's 10,000 nodes.
    const big = ParsedCertificate.fromDer(manyNames(1200));
    expect(big.subject.rdns).toHaveLength(1200);
    expect(expectSameReading(manyNames(1200), 'many names')).toBe('read');
    // ~12,000 elements: refused by asn1js's limit, as before the header walk existed.
    expect(() => ParsedCertificate.fromDer(manyNames(3000))).toThrow(/node count/);
  });

  it('extension values that recur are shared, and a second read gives the same fields', () => {
    const a = ParsedCertificate.fromDer(ca.slice());
    const b = ParsedCertificate.fromDer(ca.slice());
    expect(facts(b)).toEqual(facts(a));
    expect(b.basicConstraints).toBe(a.basicConstraints);
    expect(b.issuer).toBe(a.issuer);
    expect(a.extension(OID.basicConstraints)?.critical).toBe(true);
  });
});
