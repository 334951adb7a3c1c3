import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OtsEsigError } from '../src/index.js';
import { parseTrustedListXml } from '../src/trust/tsl-xml.js';
import { TrustListError } from '../src/trust/errors.js';

/**
 * A trusted list is hostile input like any other: a malformed value is the list's TrustListError
 * (reported, list not used), never a TypeError/DOMException escaping the loader. Fuzz finding
 * (ots-2026-12-03-hardening #1776): an X509SKI that is not base64 reached atob() and threw InvalidCharacterError.
 */
const pilot = readFileSync(new URL('../trust-lists/kz-tl.xml', import.meta.url), 'utf8');

describe('malformed values in a TS 119 612 list', () => {
  it('the pilot list parses (control)', () => {
    expect(parseTrustedListXml(pilot).list.providers.length).toBeGreaterThan(0);
  });

  for (const bad of ['@@@@', 'QUJD!', 'A', 'AB=C']) {
    it(`an X509SKI of ${JSON.stringify(bad)} is a TrustListError naming the element`, () => {
      const xml = pilot.replace('<DigitalId>', `<DigitalId><X509SKI>${bad}</X509SKI></DigitalId><DigitalId>`);
      expect(xml).not.toBe(pilot);
      let thrown: unknown;
      try {
        parseTrustedListXml(xml);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(TrustListError);
      expect(thrown).toBeInstanceOf(OtsEsigError);
      expect((thrown as Error).message).toMatch(/X509SKI/);
    });
  }
});
