/**
 * crlExtensions are read from the CRL's header walk when they have the usual form (src/pki/crl.ts
 * walkedCrlExtensions, #19 cliStart: pkijs's Extension and GeneralName code was most of a cold CLI verify's CRL
 * parsing), and by pkijs otherwise. Wherever the walk answers, it must answer what pkijs does: checked on every
 * CRL of the fixtures and of the shared corpus (PKITS: delta CRLs, distribution points, indirect CRLs, odd
 * authorityKeyIdentifiers), and on crafted extension lists at the edges of what the walk takes on.
 */
import * as asn1js from 'asn1js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParsedCrl, pkijsCrlExtensions, walkedCrlExtensions, type CrlExtension } from '../src/pki/crl.js';
import { toHex } from '../src/util/bytes.js';
import { ElementBudget, explicitOf, isContextTag, seqOf, TlvElement, type DerElement } from '../src/util/der.js';
import { FIXTURES } from './helpers/fixtures.js';

const corpus = resolve(__dirname, '..', process.env.OTS_CORPUS ?? '../shared/corpus');

function crlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.crl'))
    .map((e) => join(e.parentPath, e.name));
}

/** The crlExtensions SEQUENCE of a CRL, as the CRL's walk locates it (undefined: none, or not walkable). */
function extensionsOf(der: Uint8Array): DerElement | undefined {
  const root = TlvElement.of(der, new ElementBudget(Number.MAX_SAFE_INTEGER, 'test'));
  if (!root) return undefined;
  const tbs = seqOf(seqOf(root, 'crl')[0], 'tbs');
  const last = tbs[tbs.length - 1];
  return isContextTag(last, 0) ? explicitOf(last, 0, 'crlExtensions') : undefined;
}

const plain = (list: readonly CrlExtension[]) => list.map((e) => ({ oid: e.oid, critical: e.critical, value: toHex(e.value), keyIdentifier: e.keyIdentifier }));

/** What pkijs reads, or the error it throws. */
function byPkijs(el: DerElement) {
  try {
    return plain(pkijsCrlExtensions(el));
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('crlExtensions read by header walk give what pkijs gives', () => {
  it('every CRL of the fixtures (all walked) and of the corpus', () => {
    const files = [...crlFiles(FIXTURES), ...crlFiles(corpus)];
    let walked = 0;
    let fixturesWalked = 0;
    for (const file of files) {
      const der = new Uint8Array(readFileSync(file));
      let el: DerElement | undefined;
      try {
        el = extensionsOf(der);
      } catch {
        continue; // not a CRL the walk follows: ParsedCrl refuses it before its extensions
      }
      if (!el) continue;
      const w = walkedCrlExtensions(el);
      if (file.startsWith(FIXTURES)) expect(w, `${file}: the usual form, read without pkijs`).toBeDefined();
      if (!w) continue;
      walked++;
      if (file.startsWith(FIXTURES)) fixturesWalked++;
      expect(plain(w), file).toEqual(byPkijs(el));
    }
    expect(fixturesWalked).toBeGreaterThanOrEqual(15);
    expect(walked).toBeGreaterThanOrEqual(fixturesWalked);
  });

  const oid = (v: string) => new asn1js.ObjectIdentifier({ value: v });
  const octets = (bytes: ArrayBuffer | Uint8Array) => new asn1js.OctetString({ valueHex: bytes });
  const ext = (id: string, value: ArrayBuffer | Uint8Array, critical?: asn1js.AsnType) => new asn1js.Sequence({ value: [oid(id), ...(critical ? [critical] : []), octets(value)] });
  const keyId = new Uint8Array([1, 2, 3, 4, 5]);
  const akiOnlyKeyId = new asn1js.Sequence({ value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: keyId })] }).toBER();
  const crlNumber = new asn1js.Integer({ value: 7 }).toBER();
  const element = (list: asn1js.AsnType[]) => TlvElement.of(new Uint8Array(new asn1js.Sequence({ value: list }).toBER()), new ElementBudget(1e6, 'test'))!;
  /** Raw DER bytes as one asn1js element (for encodings asn1js would not write itself). */
  const raw = (bytes: number[]) => asn1js.fromBER(new Uint8Array(bytes)).result;

  const cases: [string, asn1js.AsnType[], 'walked' | 'pkijs'][] = [
    ['cRLNumber and a keyIdentifier-only authorityKeyIdentifier', [ext('2.5.29.20', crlNumber), ext('2.5.29.35', akiOnlyKeyId)], 'walked'],
    ['a critical unknown extension', [ext('1.2.3.4', new Uint8Array([5, 0]), new asn1js.Boolean({ value: true }))], 'walked'],
    ['critical FALSE written out', [ext('2.5.29.20', crlNumber, new asn1js.Boolean({ value: false }))], 'walked'],
    ['a non-DER BOOLEAN (0x01) as critical', [ext('1.2.3.4', new Uint8Array([5, 0]), raw([0x01, 0x01, 0x01]))], 'walked'],
    ['the same extension twice', [ext('2.5.29.20', crlNumber), ext('2.5.29.20', new asn1js.Integer({ value: 9 }).toBER())], 'walked'],
    ['a cRLNumber that is no INTEGER', [ext('2.5.29.20', new asn1js.Null().toBER())], 'walked'],
    ['a malformed authorityKeyIdentifier', [ext('2.5.29.35', new Uint8Array([0x30, 0x05, 0x80]))], 'pkijs'],
    ['an authorityKeyIdentifier with issuer and serial', [ext('2.5.29.35', new asn1js.Sequence({ value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: keyId }), new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 }, valueHex: new Uint8Array([1]) })] }).toBER())], 'pkijs'],
    ['an empty keyIdentifier', [ext('2.5.29.35', new Uint8Array([0x30, 0x02, 0x80, 0x00]))], 'pkijs'],
    ['trailing bytes after the authorityKeyIdentifier', [ext('2.5.29.35', new Uint8Array([...new Uint8Array(akiOnlyKeyId), 0]))], 'pkijs'],
    ['an issuingDistributionPoint', [ext('2.5.29.28', new asn1js.Sequence({ value: [] }).toBER(), new asn1js.Boolean({ value: true }))], 'pkijs'],
    ['an Extension without extnValue', [new asn1js.Sequence({ value: [oid('2.5.29.20'), new asn1js.Boolean({ value: true })] })], 'pkijs'],
    ['an Extension with an element too many', [new asn1js.Sequence({ value: [oid('2.5.29.20'), new asn1js.Boolean({ value: true }), octets(crlNumber), new asn1js.Null()] })], 'pkijs'],
    ['no extension at all', [], 'pkijs'],
  ];
  for (const [name, list, reader] of cases) {
    it(`${name}: read by ${reader === 'walked' ? 'the walk' : 'pkijs'}, same values`, () => {
      const el = element(list);
      const w = walkedCrlExtensions(el);
      if (reader === 'pkijs') expect(w).toBeUndefined();
      else expect(plain(w!)).toEqual(byPkijs(el));
    });
  }

  it('a fixture CRL: authorityKeyIdentifier and cRLNumber as before', () => {
    const crl = ParsedCrl.fromDer(new Uint8Array(readFileSync(join(FIXTURES, 'crl/current/kg-ca.crl'))));
    const el = extensionsOf(crl.der)!;
    const fromPkijs = pkijsCrlExtensions(el);
    expect(crl.authorityKeyIdentifier).toBe(fromPkijs.find((e) => e.oid === '2.5.29.35')!.keyIdentifier);
    expect(crl.authorityKeyIdentifier).toMatch(/^[0-9a-f]{40}$/);
    expect(crl.crlNumber).toBeTypeOf('bigint');
  });
});
