import { describe, expect, it } from 'vitest';
import { LimitExceededError } from '../src/errors.js';
import { decodeWhole } from '../src/util/asn1-tree.js';
import {
  Asn1Element,
  DecodeMemo,
  ElementBudget,
  NotWalkable,
  TlvElement,
  locateAll,
  measureTlv,
  octetsOf,
  oidOf,
  seqOf,
  timeOf,
  type DerElement,
} from '../src/util/der.js';
import { LruCache } from '../src/util/lru.js';
import { fixture } from './helpers/fixtures.js';

const hex = (s: string) => new Uint8Array(s.match(/../g)!.map((b) => parseInt(b, 16)));
const budget = (n = 1000) => new ElementBudget(n, 'test.elements');

/** Every element of a tree as [tagClass, tagNumber, constructed, encoding hex, content hex | children]. */
function shape(el: DerElement): unknown {
  return [el.tagClass, el.tagNumber, el.constructed, Buffer.from(el.encoding).toString('hex'), el.constructed ? el.children('x').map(shape) : Buffer.from(el.content('x')).toString('hex')];
}

describe('DerElement: header-walked and asn1js-decoded views', () => {
  it('see the same tree, encodings and content octets (BIT STRING content includes its unused-bits octet in both)', () => {
    // SEQUENCE { OID 1.2.840.113549.1.1.11, BIT STRING (1 unused bit) 0x80, [0] { INTEGER 5 }, OCTET STRING 'ab' }
    const bytes = hex('3018' + '06092a864886f70d01010b' + '03020180' + 'a003020105' + '0402abcd');
    const walked = TlvElement.of(bytes, budget())!;
    const decoded = new Asn1Element(decodeWhole(bytes, 'test'));
    expect(shape(walked)).toEqual(shape(decoded));
    expect(walked.children('x')[1]!.content('x')).toEqual(hex('0180'));
    expect(oidOf(seqOf(walked, 'x')[0], 'x')).toBe('1.2.840.113549.1.1.11');
  });

  it('read a whole CMS fixture identically', () => {
    const der = fixture('cades/kz-attached.p7s');
    expect(shape(TlvElement.of(der, budget(100_000))!)).toEqual(shape(new Asn1Element(decodeWhole(der, 'cms'))));
  });

  it('a BER constructed OCTET STRING is the concatenation of its segments', () => {
    const ber = hex('2408' + '0402abcd' + '0402ef01');
    expect(octetsOf(TlvElement.of(ber, budget())!, 'x')).toEqual(hex('abcdef01'));
    expect(octetsOf(new Asn1Element(decodeWhole(ber, 'x')), 'x')).toEqual(hex('abcdef01'));
    expect(() => octetsOf(TlvElement.of(hex('2404' + '0202abcd'), budget())!, 'x')).toThrow(/not an OCTET STRING/);
  });

  it('the walk does not follow indefinite lengths or identifiers X.690 forbids; the caller decodes those', () => {
    expect(TlvElement.of(hex('3080' + '020101' + '0000'), budget())).toBeUndefined();
    for (const inner of ['2203020101' /* constructed INTEGER */, '0f00' /* universal 15 */, '0000' /* universal 0 */]) {
      const outer = TlvElement.of(hex(`30${(inner.length / 2).toString(16).padStart(2, '0')}${inner}`), budget())!;
      expect(() => outer.children('x'), inner).toThrow(NotWalkable);
    }
  });

  it('the element budget and the depth bound raise LimitExceededError', () => {
    const der = fixture('cades/kz-attached.p7s');
    expect(() => locateAll(TlvElement.of(der, budget(50))!, 100, { name: 'test.depth', max: 100 })).toThrow(LimitExceededError);
    expect(() => locateAll(TlvElement.of(der, budget(100_000))!, 3, { name: 'test.depth', max: 3 })).toThrow(/test.depth/);
    const m = measureTlv(der, 100_000, 100)!;
    expect(m.depth).toBeGreaterThan(5);
    expect(measureTlv(der, m.nodes - 1, 100)).toBeUndefined();
    expect(measureTlv(der, m.nodes, m.depth)).toEqual(m);
  });

  it('times are read by asn1js from either view', () => {
    const utc = hex('170d3236303630313030303030305a');
    expect(timeOf(TlvElement.of(utc, budget()), 'x').toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(timeOf(new Asn1Element(decodeWhole(utc, 'x')), 'x').toISOString()).toBe('2026-06-01T00:00:00.000Z');
  });

  it('the DER forms read from the located bytes give what asn1js gives, whatever the digits (rollover, the 1950 pivot, years < 100)', () => {
    const tlv = (tag: number, text: string) => Uint8Array.from([tag, text.length, ...Buffer.from(text, 'latin1')]);
    const both = (der: Uint8Array) => {
      const fromAsn1 = (() => {
        try {
          return timeOf(new Asn1Element(decodeWhole(der, 'x')), 'x').getTime();
        } catch (e) {
          return (e as Error).constructor.name;
        }
      })();
      const walked = (() => {
        try {
          return timeOf(TlvElement.of(der, budget()), 'x').getTime();
        } catch (e) {
          return (e as Error).constructor.name;
        }
      })();
      return [walked, fromAsn1];
    };
    const fixed = [
      '260601000000Z', '491231235959Z', '500101000000Z', '991231235959Z', '000229000000Z', '261301000000Z', '260100000000Z', '260631256099Z', '999999999999Z',
      '20260601000000Z', '00500101000000Z', '00000101000000Z', '99991231235959Z', '20261340996199Z', '19500101000000Z',
      // Not the DER forms: asn1js decides (fractions, offsets, lower-case z, missing seconds, signs).
      '2606010000Z', '260601000000z', '260601000000+0100', '20260601000000.5Z', '202606010000Z', '2026060100000-Z', '26060100000AZ', '',
    ];
    let rnd = 0x2545f491;
    const next = () => ((rnd = (rnd * 1103515245 + 12345) >>> 0) >>> 16) % 10;
    const random = Array.from({ length: 400 }, (_, i) => Array.from({ length: i % 2 ? 14 : 12 }, next).join('') + 'Z');
    for (const text of [...fixed, ...random]) {
      for (const tag of [0x17, 0x18]) {
        const [walked, fromAsn1] = both(tlv(tag, text));
        expect(walked, `${tag === 0x17 ? 'UTCTime' : 'GeneralizedTime'} "${text}"`).toEqual(fromAsn1);
      }
    }
  });
});

describe('DecodeMemo', () => {
  it('decodes each distinct encoding once, from a private copy, and never remembers a failure', () => {
    let decodes = 0;
    const memo = new DecodeMemo((node) => {
      decodes++;
      return node.valueBeforeDecodeView;
    }, 8);
    const a = hex('020105');
    const first = memo.get(TlvElement.of(a, budget())!, 'x');
    memo.get(TlvElement.of(a.slice(), budget())!, 'x');
    expect(decodes).toBe(1);
    a[2] = 6; // the caller's buffer changes: the remembered value does not, and new bytes are new
    expect(first).toEqual(hex('020105'));
    expect(memo.get(TlvElement.of(a, budget())!, 'x')).toEqual(hex('020106'));
    expect(decodes).toBe(2);
    const bad = hex('030208ff'); // 8 unused bits: asn1js refuses it
    expect(() => memo.get(TlvElement.of(bad, budget())!, 'x')).toThrow();
    expect(() => memo.get(TlvElement.of(bad, budget())!, 'x')).toThrow();
  });
});

describe('LruCache (two generations)', () => {
  it('holds at most its capacity and keeps what is used', () => {
    const c = new LruCache<number, number>(4);
    for (let i = 0; i < 100; i++) {
      c.set(i, i);
      c.get(0); // used all the time
      expect(c.size).toBeLessThanOrEqual(4);
    }
    expect(c.get(0)).toBe(0);
    expect(c.get(99)).toBe(99);
    expect(c.get(50)).toBeUndefined();
    c.delete(0);
    expect(c.get(0)).toBeUndefined();
    c.clear();
    expect(c.size).toBe(0);
  });
});
