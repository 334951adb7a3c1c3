/**
 * A trust anchor is a name and a key (RFC 5280 6.1.1 (d)): a root re-issued with other validity dates (the MA3 test
 * roots of 2013, re-issued in 2019 with the same names, serials and keys) is the same anchor. A self-signed
 * certificate the signature carries with the anchor's name and key is tried as that anchor (pki/path-builder.ts),
 * its self-signature verified with the anchor's key (pki/path-validator.ts); a certificate that merely copies the
 * name and public key, signed by another key, must never stand for the anchor.
 */
import { describe, expect, it } from 'vitest';
import { AT, issue, kinds, validate } from './pki-testca.js';

const DAY = 86_400_000;
const ROOT = 'CN=Reissued Root,O=Test,C=TR';

async function roots() {
  // The configured anchor: issued after the validation time (like the 2019 copy judged at a 2017 signing time).
  const current = await issue({ subject: ROOT, ca: true, notBefore: new Date(AT.getTime() + DAY), notAfter: new Date(AT.getTime() + 3650 * DAY) });
  // The earlier issue of the same root: same name and key, valid at the validation time.
  const earlier = await issue({ subject: ROOT, ca: true, keys: current.keys, notBefore: new Date(AT.getTime() - 365 * DAY), notAfter: new Date(AT.getTime() + 365 * DAY) });
  const leaf = await issue({ subject: 'CN=Reissue Leaf', issuer: earlier });
  return { current, earlier, leaf };
}

describe('re-issued trust anchor carried by the signature', () => {
  it('control: under strict checking the configured anchor certificate is not yet valid', async () => {
    const { current, leaf } = await roots();
    expect(kinds(await validate(leaf, [], [current], { strict: true }))).toContain('not-yet-valid');
  });

  it('a carried re-issue (same name and key, signed by that key) stands for the anchor: valid path ending at it', async () => {
    const { current, earlier, leaf } = await roots();
    const r = await validate(leaf, [earlier], [current], { strict: true });
    expect(r.best?.valid).toBe(true);
    expect(r.best?.chain.at(-1)?.der).toEqual(earlier.cert.der);
  });

  it('attack: a certificate with the anchor name and public key but signed by another key is not the anchor', async () => {
    const { current, leaf } = await roots();
    const attacker = (await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const forged = await issue({
      subject: ROOT,
      ca: true,
      keys: { publicKey: current.keys.publicKey, privateKey: attacker.privateKey },
      notBefore: new Date(AT.getTime() - 365 * DAY),
      notAfter: new Date(AT.getTime() + 365 * DAY),
    });
    expect(forged.cert.spkiKey).toBe(current.cert.spkiKey);
    const r = await validate(leaf, [forged], [current], { strict: true });
    expect(r.best?.valid).not.toBe(true);
    expect(r.tried.some((t) => t.failures.some((f) => f.kind === 'signature' && /not a re-issue of the trust anchor/.test(f.detail)))).toBe(true);
  });

  it('a self-signed certificate of the same name with another key is no re-issue', async () => {
    const { current } = await roots();
    const other = await issue({ subject: ROOT, ca: true, notBefore: new Date(AT.getTime() - 365 * DAY), notAfter: new Date(AT.getTime() + 365 * DAY) });
    const leaf = await issue({ subject: 'CN=Other Leaf', issuer: other });
    expect((await validate(leaf, [other], [current], { strict: true })).best?.valid).not.toBe(true);
  });
});
