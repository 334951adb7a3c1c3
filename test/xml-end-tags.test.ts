/**
 * src/xml/xmldom-end-tags.ts: xmldom's end-tag expression is remembered instead of rebuilt per end tag.
 * The parser must refuse exactly what it refused before (malformed and mismatched end tags), however
 * often the remembered expression is reused.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../src/xml/parse.js';
import { rememberRegOn } from '../src/xml/xmldom-end-tags.js';

const grammar = createRequire(import.meta.url)('@xmldom/xmldom/lib/grammar.js') as {
  reg: ((...parts: (RegExp | string)[]) => RegExp) & { remembered?: true };
  QName_group: RegExp;
  S_OPT: RegExp;
};

describe('xmldom end-tag expression, remembered', () => {
  it('is installed on the grammar module the SAX parser uses, and gives one expression per argument list', () => {
    parseXml('<a><b/></a>');
    expect(grammar.reg.remembered).toBe(true);
    const first = grammar.reg('^', grammar.QName_group, grammar.S_OPT, '$');
    expect(grammar.reg('^', grammar.QName_group, grammar.S_OPT, '$')).toBe(first);
    expect(grammar.reg('^', grammar.QName_group)).not.toBe(first);
    expect(first.global || first.sticky).toBe(false);
  });

  it('still refuses malformed and mismatched end tags, each time (the second and later parses reuse the expression)', () => {
    const bad = ['<a></a b>', '<a></b>', '<a><b></a></b>', '<a></a\nx>', '<a></1a>', '<p:a xmlns:p="urn:x"></p:a:b>'];
    for (let round = 0; round < 3; round++) {
      for (const xml of bad) expect(() => parseXml(xml), `${xml} (round ${round})`).toThrow(/malformed XML|XML/);
    }
    for (let round = 0; round < 3; round++) {
      const doc = parseXml('<r xmlns:p="urn:x"><p:a>t</p:a ><b></b  ></r>');
      expect(doc.documentElement!.childNodes.length).toBe(2);
    }
  });

  it('shares only stateless results, for calls through the grammar module, within a bound', () => {
    let made = 0;
    const fake = {
      reg(this: unknown, ...parts: (RegExp | string)[]) {
        made++;
        return new RegExp(parts.map((p) => (typeof p === 'string' ? p : p.source)).join(''), parts.includes('G') ? 'g' : '');
      },
    };
    expect(rememberRegOn(fake)).toBe(true);
    const r = fake.reg('^', /x/);
    expect(fake.reg('^', /x/)).not.toBe(r); // another RegExp object: another argument list
    const x = /y/;
    expect(fake.reg('^', x)).toBe(fake.reg('^', x));
    expect(fake.reg('G', x)).not.toBe(fake.reg('G', x)); // a global expression keeps lastIndex: never shared
    expect(fake.reg.call(undefined, '^', x)).not.toBe(fake.reg('^', x)); // not through the module: computed as before
    const before = made;
    for (let i = 0; i < 200; i++) fake.reg(`${i}`);
    for (let i = 0; i < 200; i++) fake.reg(`${i}`);
    expect(made - before).toBeGreaterThan(200 + 100); // past the bound, results are computed again
    expect(rememberRegOn(undefined)).toBe(false);
    expect(rememberRegOn({})).toBe(false);
  });
});
