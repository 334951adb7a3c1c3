import { describe, expect, it } from 'vitest';
import type * as asn1js from 'asn1js';
import { dnsInSubtree, emailInSubtree, invalidConstraint, ipInSubtree, uriInSubtree } from '../src/pki/name-constraints.js';
import { subIndicationOf } from '../src/validation/path-findings.js';
import { dns, email, ip, issue, kinds, nameConstraints, validate } from './pki-testca.js';

describe('RFC 5280 4.2.1.10 subtree matching', () => {
  it('dNSName: a host covers itself and subdomains, case-insensitively', () => {
    expect(dnsInSubtree('example.com', 'example.com')).toBe(true);
    expect(dnsInSubtree('WWW.Example.COM', 'example.com')).toBe(true);
    expect(dnsInSubtree('badexample.com', 'example.com')).toBe(false);
    expect(dnsInSubtree('example.org', 'example.com')).toBe(false);
    expect(dnsInSubtree('anything', '')).toBe(true);
  });
  it('rfc822Name: mailbox, host, and .domain forms', () => {
    expect(emailInSubtree('a@example.com', 'a@example.com')).toBe(true);
    expect(emailInSubtree('b@example.com', 'a@example.com')).toBe(false);
    expect(emailInSubtree('b@example.com', 'example.com')).toBe(true);
    expect(emailInSubtree('b@mail.example.com', 'example.com')).toBe(false);
    expect(emailInSubtree('b@mail.example.com', '.example.com')).toBe(true);
    expect(emailInSubtree('b@example.com', '.example.com')).toBe(false);
  });
  it('iPAddress: address/mask, families never mix', () => {
    const net = [192, 0, 2, 0, 255, 255, 255, 0];
    expect(ipInSubtree(new Uint8Array([192, 0, 2, 77]), new Uint8Array(net))).toBe(true);
    expect(ipInSubtree(new Uint8Array([192, 0, 3, 1]), new Uint8Array(net))).toBe(false);
    expect(ipInSubtree(new Uint8Array(16), new Uint8Array(net))).toBe(false);
  });
  it('URI: by host', () => {
    expect(uriInSubtree('https://user@host.example.com:8443/x', '.example.com')).toBe(true);
    expect(uriInSubtree('https://example.com/x', 'example.com')).toBe(true);
    expect(uriInSubtree('urn:isbn:123', 'example.com')).toBe(false);
  });
  it('malformed constraints are refused', () => {
    expect(invalidConstraint({ kind: 'dns', value: '*.example.com' })).toBeDefined();
    expect(invalidConstraint({ kind: 'dns', value: '.example.com' })).toBeDefined();
    expect(invalidConstraint({ kind: 'ip', value: new Uint8Array([10, 0, 0, 0, 255, 0, 255, 0]) })).toBeDefined();
    expect(invalidConstraint({ kind: 'dns', value: 'example.com' })).toBeUndefined();
  });
});

describe('name constraints on real chains', () => {
  it('enforces DNS permitted/excluded subtrees of an intermediate on the leaf SAN', async () => {
    const root = await issue({ subject: 'CN=NC Root', ca: true });
    const ca = await issue({ subject: 'CN=NC CA', issuer: root, ca: true, extensions: [nameConstraints([dns('example.com')], [dns('bad.example.com')])] });
    const ok = await issue({ subject: 'CN=ok', issuer: ca, san: [{ type: 'dns', value: 'www.example.com' }] });
    const outside = await issue({ subject: 'CN=outside', issuer: ca, san: [{ type: 'dns', value: 'www.example.org' }] });
    const excluded = await issue({ subject: 'CN=excluded', issuer: ca, san: [{ type: 'dns', value: 'x.bad.example.com' }] });
    expect((await validate(ok, [ca], [root])).best?.valid).toBe(true);
    const o1 = await validate(outside, [ca], [root]);
    expect(o1.best?.valid).toBe(false);
    expect(kinds(o1)).toContain('name-constraints');
    expect(subIndicationOf(o1.best!.failures.find((f) => f.kind === 'name-constraints')!)).toBe('CHAIN_CONSTRAINTS_FAILURE');
    expect(kinds(await validate(excluded, [ca], [root]))).toContain('name-constraints');
  });

  it('applies the trust anchor certificate\'s own name constraints (as OpenSSL does)', async () => {
    const root = await issue({ subject: 'CN=Constrained Root', ca: true, extensions: [nameConstraints([email('.example.com')])] });
    const good = await issue({ subject: 'CN=good', issuer: root, san: [{ type: 'email', value: 'a@mail.example.com' }] });
    const bad = await issue({ subject: 'CN=bad', issuer: root, san: [{ type: 'email', value: 'a@evil.test' }] });
    expect((await validate(good, [], [root])).best?.valid).toBe(true);
    expect(kinds(await validate(bad, [], [root]))).toContain('name-constraints');
  });

  it('matches directoryName subtrees case- and space-insensitively (RFC 4518)', async () => {
    const root = await issue({ subject: 'CN=DN Root', ca: true });
    const { default: pkijs } = await import('pkijs').then((m) => ({ default: m }));
    // Two RDNs, C=KZ then O=Test  Org, as a parsed Name (pkijs would encode a Name built from attributes as one multi-valued RDN).
    const asn1 = await import('asn1js');
    const rdn = (type: string, value: asn1js.PrintableString | asn1js.Utf8String) => new asn1.Set({ value: [new pkijs.AttributeTypeAndValue({ type, value }).toSchema()] });
    const base = pkijs.RelativeDistinguishedNames.fromBER(
      new asn1.Sequence({ value: [rdn('2.5.4.6', new asn1.PrintableString({ value: 'KZ' })), rdn('2.5.4.10', new asn1.Utf8String({ value: 'Test  Org' }))] }).toBER(false),
    );
    const ca = await issue({
      subject: 'CN=DN CA',
      issuer: root,
      ca: true,
      extensions: [nameConstraints([new pkijs.GeneralSubtree({ base: new pkijs.GeneralName({ type: 4, value: base }) })])],
    });
    const inside = await issue({ subject: 'C=KZ, O=test org, CN=Signer', issuer: ca });
    const outside = await issue({ subject: 'C=KZ, O=Other Org, CN=Signer', issuer: ca });
    expect((await validate(inside, [ca], [root])).best?.valid).toBe(true);
    expect(kinds(await validate(outside, [ca], [root]))).toContain('name-constraints');
  });

  it('checks IP subtrees and exempts self-issued intermediates but not the leaf', async () => {
    const root = await issue({ subject: 'CN=IP Root', ca: true });
    const ca = await issue({ subject: 'CN=IP CA', issuer: root, ca: true, extensions: [nameConstraints([ip([10, 1, 0, 0, 255, 255, 0, 0])])] });
    const rollover = await issue({ subject: 'CN=IP CA', issuer: ca, ca: true, san: [{ type: 'ip', value: '192.168.0.1' }] });
    const leaf = await issue({ subject: 'CN=leaf', issuer: rollover, san: [{ type: 'ip', value: '10.1.2.3' }] });
    const leafOut = await issue({ subject: 'CN=leaf2', issuer: rollover, san: [{ type: 'ip', value: '10.2.0.1' }] });
    expect((await validate(leaf, [ca, rollover], [root])).best?.valid).toBe(true);
    expect(kinds(await validate(leafOut, [ca, rollover], [root]))).toContain('name-constraints');
  });
});
