/**
 * Issue #24 class 6: the XML declaration lies outside the canonical form and the input was always
 * decoded as (lenient) UTF-8, so `<?xml version="1.0" encoding="windows-1251"?>` prepended to a signed
 * UTF-8 document kept TOTAL-PASSED while every consumer honouring the declaration read other text.
 * Signed XML — signatures and trusted lists — is now accepted in UTF-8 only.
 */
import { describe, expect, it } from 'vitest';
import { InputFormatError, verify } from '../src/index.js';
import { TrustListError } from '../src/trust/errors.js';
import { parseTrustedListXml } from '../src/trust/tsl-xml.js';
import { parseXml } from '../src/xml/parse.js';
import { fixture, fixtureCrls } from './helpers/fixtures.js';
import { certB64, envelopedTransform, excC14nTransform, reference, signatureXml, signXml } from './helpers/xml-sign.js';

const options = { validationTime: new Date('2026-06-01T00:00:00Z'), trustAnchors: [fixture('pki/kz-root.pem')], crls: fixtureCrls() };
/** A signed UTF-8 document whose text is not ASCII: read as windows-1251 it is different text. */
const signed = signXml(
  `<платёж xmlns="urn:x"><сумма>1000 ₸</сумма>${signatureXml({ references: [reference('', [envelopedTransform, excC14nTransform()])], keyInfoCerts: [certB64('kz-signer'), certB64('kz-ca')] })}</платёж>`,
);
const utf8 = (s: string) => new TextEncoder().encode(s);

async function outcome(input: Uint8Array | string): Promise<string> {
  try {
    const r = await verify(input, options);
    return r.signatures[0]!.indication;
  } catch (e) {
    return e instanceof InputFormatError ? `InputFormatError: ${e.message}` : String(e);
  }
}

describe('XML is read as UTF-8 only', () => {
  it('the signed UTF-8 document passes, also with a UTF-8 declaration (any case, "UTF8" alias) or a UTF-8 BOM', async () => {
    const xml = await signed;
    expect(await outcome(xml)).toBe('TOTAL-PASSED');
    for (const decl of ['<?xml version="1.0" encoding="UTF-8"?>', "<?xml version='1.0' encoding='utf-8' standalone='yes'?>", '<?xml version="1.0" encoding="UTF8"?>', '<?xml version="1.0"?>']) {
      expect(await outcome(decl + xml), decl).toBe('TOTAL-PASSED');
    }
    expect(await outcome(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(xml)]))).toBe('TOTAL-PASSED');
  });

  it('encoding="windows-1251" prepended to the signed UTF-8 document: refused with InputFormatError, not TOTAL-PASSED', async () => {
    const xml = await signed;
    for (const decl of ['<?xml version="1.0" encoding="windows-1251"?>', "<?xml version='1.0' encoding='ISO-8859-1'?>", '<?xml version="1.0"   encoding = "KOI8-R" standalone="no" ?>', '<?xml version="1.0" encoding="UTF-16"?>']) {
      const r = await outcome(decl + xml);
      expect(r, decl).toMatch(/^InputFormatError: XML declared as encoding="[^"]+" is refused: signed XML is accepted in UTF-8 only/);
    }
  });

  it('UTF-16 input (with or without a BOM) is refused, not guessed', () => {
    const text = '<?xml version="1.0" encoding="UTF-16"?><a>б</a>';
    const le = new Uint8Array(2 + text.length * 2);
    le.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      le[2 + 2 * i] = text.charCodeAt(i) & 0xff;
      le[3 + 2 * i] = text.charCodeAt(i) >> 8;
    }
    expect(() => parseXml(le)).toThrow(/UTF-16\/UTF-32 byte-order mark is refused/);
    expect(() => parseXml(le.subarray(2))).toThrow(/looks UTF-16\/UTF-32 encoded/);
    const be = new Uint8Array(le.length);
    for (let i = 0; i < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1]!, le[i]!];
    expect(() => parseXml(be)).toThrow(InputFormatError);
  });

  it('invalid UTF-8 is refused as such, before any parser could map it to U+FFFD', async () => {
    const bytes = utf8(await signed);
    const at = bytes.indexOf(0xd1); // lead byte of a Cyrillic letter in the signed text
    const forged = new Uint8Array([...bytes.subarray(0, at), 0xff, ...bytes.subarray(at + 2)]);
    expect(await outcome(forged)).toMatch(/^InputFormatError: XML is not valid UTF-8/);
  });

  it('trusted lists go through the same parser: a list declared windows-1251 is refused', () => {
    const tl = new TextDecoder().decode(fixture('../trust-lists/kz-tl.xml'));
    expect(tl.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(() => parseTrustedListXml(tl)).not.toThrow();
    const forged = tl.replace('encoding="UTF-8"', 'encoding="windows-1251"');
    expect(() => parseTrustedListXml(forged)).toThrow(TrustListError);
    expect(() => parseTrustedListXml(utf8(forged))).toThrow(/encoding="windows-1251" is refused/);
  });
});
