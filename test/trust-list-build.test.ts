import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pemKeySigner } from '../src/cli/key-signer.js';
import { writeTrustedListXml } from '../src/maintain/build-list.js';
import { prepareIssue } from '../src/maintain/issue.js';
import { signTrustListXml } from '../src/maintain/sign-list.js';
import { parseTrustedListJson } from '../src/trust/json.js';
import { loadTrustLists } from '../src/trust/load.js';
import type { TrustedList } from '../src/trust/model.js';
import { parseTrustedListXml } from '../src/trust/tsl-xml.js';
import { commandAvailable, describeIf } from './helpers/skip.js';

const ST = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/';
const AT = new Date('2026-06-01T00:00:00Z');
const tmp = mkdtempSync(join(tmpdir(), 'ots-tl-build-'));
const json = (cc: string): TrustedList => parseTrustedListJson(readFileSync(`trust-lists/json/${cc}.json`, 'utf8'));
const xmlList = (cc: string): TrustedList => parseTrustedListXml(readFileSync(`trust-lists/${cc}.xml`)).list;
const signer = (name: string, cert = name) => pemKeySigner(readFileSync(`fixtures/keys/${name}.key.pem`), readFileSync(`fixtures/pki/${cert}.pem`));
/** The model minus what only the JSON form carries. */
const content = (l: TrustedList) => {
  const { provenance: _p, ...rest } = l;
  return rest;
};

const xmlsec1 = commandAvailable('xmlsec1', ['--version'], 'the trusted-list cross-check is skipped', 'apt-get install -y xmlsec1');
/** xmlsec1 --verify with `trusted` as the trust anchor (it builds the chain through `untrusted`). */
function xmlsecVerify(xml: string, trusted: string, ...untrusted: string[]): boolean {
  const f = join(tmp, `xmlsec-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(f, xml);
  try {
    execFileSync('xmlsec1', ['--verify', '--id-attr:Id', 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties', '--trusted-pem', trusted, ...untrusted.flatMap((u) => ['--untrusted-pem', u]), '--verification-gmt-time', '2026-06-01+00:00:00', f], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('writeTrustedListXml (trust-list build)', () => {
  it.each(['kz-tl', 'kg-tl', 'ots-lotl'])('writes the pilot %s JSON form as XML that reads back as the same list as the signed pilot XML', (cc) => {
    const xml = writeTrustedListXml(json(cc));
    const back = parseTrustedListXml(xml);
    expect(content(back.list)).toEqual(content(xmlList(cc)));
    // Unsigned: the only structure warning is the missing signature.
    expect(back.warnings).toEqual(['no ds:Signature element is present']);
  });

  it('puts the scheme elements in the order of the TS 119 612 schema', () => {
    const xml = writeTrustedListXml(json('ots-lotl'));
    const lines = [...xml.matchAll(/^<([A-Za-z]+)[ >/]/gm)].map((m) => m[1]);
    const si = lines.slice(lines.indexOf('SchemeInformation') + 1);
    const expected = ['TSLVersionIdentifier', 'TSLSequenceNumber', 'TSLType', 'SchemeOperatorName', 'SchemeOperatorAddress', 'SchemeName', 'SchemeInformationURI', 'StatusDeterminationApproach', 'SchemeTypeCommunityRules', 'SchemeTerritory', 'PolicyOrLegalNotice', 'HistoricalInformationPeriod', 'PointersToOtherTSL'];
    expect(si.slice(0, expected.length)).toEqual(expected);
    expect(xml.indexOf('<ListIssueDateTime>')).toBeGreaterThan(xml.indexOf('</PointersToOtherTSL>'));
    expect(xml.indexOf('<NextUpdate>')).toBeGreaterThan(xml.indexOf('<ListIssueDateTime>'));
    expect(xml.indexOf('<DistributionPoints>')).toBeGreaterThan(xml.indexOf('<NextUpdate>'));
  });

  it('refuses what the schema requires and the source lacks, and what the model cannot write faithfully', () => {
    const kz = json('kz-tl');
    const { operatorAddress: _a, ...schemeNoAddress } = kz.scheme;
    expect(() => writeTrustedListXml({ ...kz, scheme: schemeNoAddress })).toThrow(/operatorAddress is required/);
    expect(() => writeTrustedListXml({ ...kz, scheme: { ...kz.scheme, historicalInformationPeriod: null } })).toThrow(/HistoricalInformationPeriod is mandatory/);
    const { address: _b, ...providerNoAddress } = kz.providers[0]!;
    expect(() => writeTrustedListXml({ ...kz, providers: [providerNoAddress] })).toThrow(/TSPAddress is mandatory/);
    const svc = kz.providers[0]!.services[0]!;
    const qualified = { ...kz, providers: [{ ...kz.providers[0]!, services: [{ ...svc, qualifiers: ['http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCWithSSCD'] }] }] };
    // Without their criteria, qualifiers would apply to every certificate of the service: refused, not widened.
    expect(() => writeTrustedListXml(qualified)).toThrow(/qualifiers cannot be written/);
    expect(() => writeTrustedListXml({ ...kz, providers: [{ ...kz.providers[0]!, services: [{ ...svc, identity: { certificates: [], subjectNames: [], skis: [] } }] }] })).toThrow(/digital identity is empty/);
  });

  it('a test list stays one: the writer refuses a test list without the TEST scheme rule, prepareIssue adds the rule', () => {
    const kz = json('kz-tl');
    const noRule = { ...kz, scheme: { ...kz.scheme, schemeTypeCommunityRules: kz.scheme.schemeTypeCommunityRules.filter((r) => r !== 'urn:ots-esig:schemerules:TEST') } };
    expect(noRule.test).toBe(true);
    expect(() => writeTrustedListXml(noRule)).toThrow(/test list but its schemeTypeCommunityRules lack/);
    const issue = prepareIssue(noRule);
    expect(issue.notes).toEqual([expect.stringMatching(/added the scheme rule/)]);
    expect(parseTrustedListXml(writeTrustedListXml(issue.list)).list.test).toBe(true);
  });

  it('escapes markup in texts (an operator name cannot inject elements)', () => {
    const kz = json('kz-tl');
    const xml = writeTrustedListXml({ ...kz, scheme: { ...kz.scheme, operatorName: 'A</Name><Injected/>&"' } });
    const back = parseTrustedListXml(xml).list;
    expect(back.scheme.operatorName).toBe('A</Name><Injected/>&"');
    expect(xml).not.toContain('<Injected/>');
  });
});

describe('prepareIssue: the next issue against the previous one', () => {
  const previous = xmlList('kz-tl'); // #4, issued 2026-04-01, CA/QC granted since 2024-01-01

  it('refuses a sequence number that does not increase (equal or lower), and takes "next"', () => {
    expect(() => prepareIssue(json('kz-tl'), { previous })).toThrow(/TSLSequenceNumber 4 does not increase over the previous issue's 4/);
    expect(() => prepareIssue(json('kz-tl'), { previous, sequenceNumber: 3 })).toThrow(/does not increase/);
    expect(() => prepareIssue(json('kz-tl'), { sequenceNumber: 'next' })).toThrow(/needs the previous issue/);
    const next = prepareIssue(json('kz-tl'), { previous, sequenceNumber: 'next', issueDate: '2026-05-01T00:00:00.000Z' });
    expect(next.list.scheme.sequenceNumber).toBe(5);
    expect(next.list.scheme.issueDate).toBe('2026-05-01T00:00:00.000Z');
    expect(next.notes).toEqual([]);
  });

  it('refuses an issue date before the previous one, a NextUpdate not after the issue, a different territory or type', () => {
    expect(() => prepareIssue(json('kz-tl'), { previous, sequenceNumber: 5, issueDate: '2026-03-01T00:00:00.000Z' })).toThrow(/before the previous issue's/);
    expect(() => prepareIssue(json('kz-tl'), { previous, sequenceNumber: 5, nextUpdate: '2026-04-01T00:00:00.000Z' })).toThrow(/NextUpdate .* is not after/);
    expect(() => prepareIssue(json('tr-tl'), { previous, sequenceNumber: 5 })).toThrow(/SchemeTerritory changed/);
  });

  it('keeps the previous status in ServiceHistory when the source changes it without history', () => {
    const src = json('kz-tl');
    const svc = src.providers[0]!.services[0]!;
    const withdrawn = { ...src, providers: [{ ...src.providers[0]!, services: [{ ...svc, status: `${ST}withdrawn`, statusStartingTime: '2026-05-01T00:00:00.000Z', history: [] }] }] };
    const next = prepareIssue(withdrawn, { previous, sequenceNumber: 'next', issueDate: '2026-05-02T00:00:00.000Z' });
    const h = next.list.providers[0]!.services[0]!.history;
    expect(h.map((x) => [x.status, x.statusStartingTime])).toEqual([[`${ST}granted`, '2024-01-01T00:00:00.000Z']]);
    expect(next.notes).toEqual([expect.stringMatching(/kept granted since 2024-01-01.* in ServiceHistory/)]);
    // The built XML carries it, and diff finds no lost history.
    const xml = writeTrustedListXml(next.list);
    expect(parseTrustedListXml(xml).list.providers[0]!.services[0]!.history).toHaveLength(1);
  });

  it('refuses to rewrite the previous status in place (same starting time, another status)', () => {
    const src = json('kz-tl');
    const svc = src.providers[0]!.services[0]!;
    const rewritten = { ...src, providers: [{ ...src.providers[0]!, services: [{ ...svc, status: `${ST}withdrawn` }] }] };
    expect(() => prepareIssue(rewritten, { previous, sequenceNumber: 'next' })).toThrow(/not before the new status's/);
  });

  it('notes a service dropped from the list', () => {
    const src = json('kz-tl');
    const next = prepareIssue({ ...src, providers: [] }, { previous, sequenceNumber: 'next' });
    expect(next.notes).toEqual([expect.stringMatching(/removed from the list instead of being given a final status/)]);
  });
});

describe('signTrustListXml (trust-list sign)', () => {
  const unsigned = () => writeTrustedListXml(prepareIssue(json('kz-tl'), { previous: xmlList('kz-tl'), sequenceNumber: 'next', issueDate: '2026-05-01T00:00:00.000Z' }).list);
  const load = async (xml: string, pin: string) =>
    (await loadTrustLists([{ data: xml, name: 'kz', signingCertificates: [readFileSync(`fixtures/pki/${pin}.pem`)] }], { time: AT })).lists[0]!;

  it('produces an enveloped XAdES-B list that loads as usable with the pinned operator certificate (RSA)', async () => {
    const signed = await signTrustListXml(unsigned(), signer('kz-tl-operator'), { signingTime: new Date('2026-05-01T00:00:00Z') });
    const l = await load(signed, 'kz-tl-operator');
    expect(l.signature.status).toBe('VALID');
    expect(l.usable).toBe(true);
    expect(l.integrity).toBe('xades-signature');
    // TS 119 612 v6 profile: no structure finding (SigningCertificateV2 present, one signature).
    expect(l.problems).toEqual([]);
    expect(l.list.scheme.sequenceNumber).toBe(5);
    expect(signed).toMatch(/<ds:Reference Id="tsl-signature-ref-list" URI=""><ds:Transforms><ds:Transform Algorithm="http:\/\/www.w3.org\/2000\/09\/xmldsig#enveloped-signature"\/><ds:Transform Algorithm="http:\/\/www.w3.org\/2001\/10\/xml-exc-c14n#"\/>/);
    expect(signed).toContain('<xades:SigningTime>2026-05-01T00:00:00Z</xades:SigningTime>');
    // Someone else's pin: not used.
    const other = await load(signed, 'tr-tl-operator');
    expect(other.signature.status).toBe('INVALID');
    expect(other.usable).toBe(false);
  });

  it('signs with an EC P-256 key too (ECDSA r||s)', async () => {
    const signed = await signTrustListXml(unsigned(), signer('tr-signer'));
    expect(signed).toContain('xmldsig-more#ecdsa-sha256');
    expect((await load(signed, 'tr-signer')).signature.status).toBe('VALID');
    // tr-signer is not self-signed: xmlsec1 wants its chain to the TR root.
    if (xmlsec1) expect(xmlsecVerify(signed, 'fixtures/pki/tr-root.pem', 'fixtures/pki/tr-ca.pem')).toBe(true);
  });

  it('refuses a tampered signed list (loader, and xmlsec1 independently)', async () => {
    const signed = await signTrustListXml(unsigned(), signer('kz-tl-operator'));
    const tampered = signed.replace(`${ST}granted`, `${ST}withdrawn`);
    expect(tampered).not.toBe(signed);
    const l = await load(tampered, 'kz-tl-operator');
    expect(l.signature.status).toBe('INVALID');
    expect(l.usable).toBe(false);
    if (xmlsec1) {
      expect(xmlsecVerify(signed, 'fixtures/pki/kz-tl-operator.pem')).toBe(true);
      expect(xmlsecVerify(tampered, 'fixtures/pki/kz-tl-operator.pem')).toBe(false);
    }
  });

  it('refuses an already signed list, a v5 list, and a key that is not the certificate\'s', async () => {
    await expect(signTrustListXml(readFileSync('trust-lists/kz-tl.xml'), signer('kz-tl-operator'))).rejects.toThrow(/already signed/);
    await expect(signTrustListXml(unsigned().replace('<TSLVersionIdentifier>6<', '<TSLVersionIdentifier>5<'), signer('kz-tl-operator'))).rejects.toThrow(/only v6 lists/);
    expect(() => signer('kz-tl-operator', 'tr-tl-operator')).toThrow(/does not belong to the certificate/);
  });
});

describeIf(!!xmlsec1, 'xmlsec1 is not installed')('xmlsec1 --verify agrees on a list signed by trust-list sign', () => {
  it('verifies the signed LOTL and national list with the operator certificates as the only trusted keys', async () => {
    for (const [cc, op] of [['ots-lotl', 'ots-lotl-operator'], ['kg-tl', 'kg-tl-operator']] as const) {
      const signed = await signTrustListXml(writeTrustedListXml(json(cc)), signer(op));
      expect(xmlsecVerify(signed, `fixtures/pki/${op}.pem`), cc).toBe(true);
    }
  });
});
