import { afterEach, describe, expect, it } from 'vitest';
import { DOMParser as XmldomParser } from '@xmldom/xmldom';
import { parseXml } from '../src/xml/parse.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('parseXml (secure XML loading)', () => {
  it('parses plain XML, with or without a BOM and declaration', () => {
    expect(parseXml('<a><b>x</b></a>').documentElement.localName).toBe('a');
    expect(parseXml(enc('\uFEFF<?xml version="1.0" encoding="UTF-8"?><r/>')).documentElement.localName).toBe('r');
  });

  it('refuses any DOCTYPE: XXE with an external entity', () => {
    expect(() => parseXml('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')).toThrow(expect.objectContaining({ code: 'ERR_INPUT_FORMAT' }));
  });

  it('refuses billion laughs before any expansion', () => {
    // Nine levels of ten: 10^9 characters once expanded. A parser that expanded before refusing would run
    // for many seconds and gigabytes, so a bound a loaded CI machine cannot reach still tells the two apart
    // (the old 100-character bomb under 100 ms could only fail by a scheduling stall).
    const names = 'abcdefghi';
    const decls = [...names].map((n, i) => (i === 0 ? `<!ENTITY a "${'a'.repeat(10)}">` : `<!ENTITY ${n} "${`&${names[i - 1]};`.repeat(10)}">`)).join('');
    const lol = `<!DOCTYPE r [${decls}]><r>&i;</r>`;
    const t0 = performance.now();
    expect(() => parseXml(lol)).toThrow(/DOCTYPE/);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('refuses a lone ENTITY declaration and undefined entities (no silent literal text)', () => {
    expect(() => parseXml('<r><!ENTITY e "x"></r>')).toThrow(/ENTITY|malformed/);
    expect(() => parseXml('<r>&e;</r>')).toThrow(/malformed XML/);
  });

  it('refuses malformed input and a second root element', () => {
    expect(() => parseXml('<r><a></r>')).toThrow(expect.objectContaining({ code: 'ERR_INPUT_FORMAT' }));
    expect(() => parseXml('<r/><s/>')).toThrow(expect.objectContaining({ code: 'ERR_INPUT_FORMAT' }));
    expect(() => parseXml('not xml')).toThrow(expect.objectContaining({ code: 'ERR_INPUT_FORMAT' }));
  });

  it('enforces size, depth and node limits', () => {
    expect(() => parseXml('<r/>', { maxBytes: 3, maxDepth: 10, maxNodes: 10 })).toThrow(expect.objectContaining({ code: 'ERR_LIMIT_EXCEEDED' }));
    expect(() => parseXml('<a><b><c><d/></c></b></a>', { maxBytes: 1000, maxDepth: 3, maxNodes: 100 })).toThrow(expect.objectContaining({ code: 'ERR_LIMIT_EXCEEDED' }));
    expect(() => parseXml(`<r>${'<x/>'.repeat(20)}</r>`, { maxBytes: 1000, maxDepth: 10, maxNodes: 10 })).toThrow(expect.objectContaining({ code: 'ERR_LIMIT_EXCEEDED' }));
  });

  describe('in a browser (native DOMParser)', () => {
    const g = globalThis as Record<string, unknown>;
    afterEach(() => {
      delete g.window;
      delete g.document;
      delete g.DOMParser;
    });
    function fakeBrowser(): void {
      // A stand-in for the platform parser: browsers report errors as a <parsererror> document.
      g.window = {};
      g.document = {};
      g.DOMParser = class {
        parseFromString(s: string, type: string) {
          let failed = false;
          let doc;
          try {
            doc = new XmldomParser({ onError: () => (failed = true) }).parseFromString(s, type);
          } catch {
            failed = true;
          }
          return failed || !doc ? new XmldomParser().parseFromString('<parsererror>bad</parsererror>', type) : doc;
        }
      };
    }
    it('uses it and turns <parsererror> into an InputFormatError', () => {
      fakeBrowser();
      expect(parseXml('<r/>').documentElement.localName).toBe('r');
      expect(() => parseXml('<r><a></r>')).toThrow(/malformed XML: bad/);
    });
    it('still refuses a DOCTYPE before the platform parser sees it', () => {
      fakeBrowser();
      expect(() => parseXml('<!DOCTYPE r><r/>')).toThrow(/DOCTYPE/);
    });
  });
});
