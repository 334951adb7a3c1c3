// The trust model's building blocks: JSON form vs XML, the JSON Schemas,
// service status at a time, the anchor index (certificate / SKI / subject name).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAgreementJson } from '../src/trust/agreements.js';
import { convertTrustedListXmlToJson } from '../src/trust/convert.js';
import { TrustListError } from '../src/trust/errors.js';
import { parseTrustedListJson, trustedListToJson } from '../src/trust/json.js';
import { loadTrustLists } from '../src/trust/load.js';
import type { TrustService } from '../src/trust/model.js';
import { nameKeyFromCertificate, nameKeyFromString } from '../src/trust/names.js';
import { serviceStatusAt } from '../src/trust/status.js';
import { parseTrustedListXml } from '../src/trust/tsl-xml.js';
import { loadCertificates } from '../src/validation/options.js';
import { fixtureCrls } from './helpers/fixtures.js';

const root = new URL('../', import.meta.url);
const read = (p: string): Uint8Array => new Uint8Array(readFileSync(new URL(p, root)));
const json = (p: string): unknown => JSON.parse(readFileSync(new URL(p, root), 'utf8'));
const T = new Date('2026-06-01T00:00:00Z');

// --- a small JSON Schema (2020-12 subset) checker: the keywords our two schemas use, nothing else ---
type Schema = Record<string, unknown>;
function check(schema: Schema, value: unknown, rootSchema: Schema, path = '$'): string[] {
  const errs: string[] = [];
  if (schema.$ref) {
    const ref = (schema.$ref as string).replace(/^#\//, '').split('/');
    let target: unknown = rootSchema;
    for (const k of ref) target = (target as Schema)[k];
    return check(target as Schema, value, rootSchema, path);
  }
  const known = new Set(['$schema', '$id', 'title', 'description', '$defs', 'type', 'const', 'enum', 'required', 'properties', 'additionalProperties', 'items', 'minItems', 'maxItems', 'minLength', 'minimum', 'pattern', 'oneOf', 'anyOf', 'allOf', 'not', 'if', 'then', 'else']);
  for (const k of Object.keys(schema)) if (!known.has(k)) errs.push(`${path}: schema keyword ${k} not supported by the checker`);
  const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
  if (schema.type) {
    const types = ([] as string[]).concat(schema.type as string);
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) return [`${path}: expected ${types.join('|')}, got ${t}`];
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) errs.push(`${path}: expected const ${JSON.stringify(schema.const)}`);
  if (schema.enum && !(schema.enum as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(value))) errs.push(`${path}: not in enum`);
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < (schema.minLength as number)) errs.push(`${path}: too short`);
    if (schema.pattern && !new RegExp(schema.pattern as string, 'u').test(value)) errs.push(`${path}: does not match ${schema.pattern}`);
  }
  if (typeof value === 'number' && schema.minimum !== undefined && value < (schema.minimum as number)) errs.push(`${path}: below minimum`);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < (schema.minItems as number)) errs.push(`${path}: too few items`);
    if (schema.maxItems !== undefined && value.length > (schema.maxItems as number)) errs.push(`${path}: too many items`);
    if (schema.items) value.forEach((v, i) => errs.push(...check(schema.items as Schema, v, rootSchema, `${path}[${i}]`)));
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    for (const r of (schema.required as string[]) ?? []) if (!(r in o)) errs.push(`${path}.${r}: required`);
    const props = (schema.properties as Record<string, Schema>) ?? {};
    for (const [k, v] of Object.entries(o)) {
      if (props[k]) errs.push(...check(props[k]!, v, rootSchema, `${path}.${k}`));
      else if (schema.additionalProperties === false) errs.push(`${path}.${k}: not allowed`);
      else if (typeof schema.additionalProperties === 'object') errs.push(...check(schema.additionalProperties as Schema, v, rootSchema, `${path}.${k}`));
    }
  }
  if (schema.oneOf && (schema.oneOf as Schema[]).filter((s) => check(s, value, rootSchema, path).length === 0).length !== 1) errs.push(`${path}: oneOf`);
  if (schema.anyOf && !(schema.anyOf as Schema[]).some((s) => check(s, value, rootSchema, path).length === 0)) errs.push(`${path}: anyOf`);
  for (const s of (schema.allOf as Schema[]) ?? []) errs.push(...check(s, value, rootSchema, path));
  if (schema.not && check(schema.not as Schema, value, rootSchema, path).length === 0) errs.push(`${path}: matches "not"`);
  if (schema.if) {
    const branch = check(schema.if as Schema, value, rootSchema, path).length === 0 ? schema.then : schema.else;
    if (branch) errs.push(...check(branch as Schema, value, rootSchema, path));
  }
  return errs;
}
const validate = (schemaFile: string, value: unknown): string[] => {
  const s = json(schemaFile) as Schema;
  return check(s, value, s);
};

describe('JSON Schemas in trust-lists/', () => {
  const lists = readdirSync(new URL('trust-lists/json/', root)).filter((f) => f.endsWith('.json'));
  const agreements = readdirSync(new URL('trust-lists/agreements/', root)).filter((f) => f.endsWith('.json'));

  it.each(lists)('json/%s is valid against trust-list.schema.json and readable by the library', (f) => {
    const v = json(`trust-lists/json/${f}`);
    expect(validate('trust-lists/trust-list.schema.json', v)).toEqual([]);
    expect(() => parseTrustedListJson(v)).not.toThrow();
  });

  it.each(agreements)('agreements/%s is valid against agreement.schema.json and readable by the library', (f) => {
    const v = json(`trust-lists/agreements/${f}`);
    expect(validate('trust-lists/agreement.schema.json', v)).toEqual([]);
    expect((v as { test: boolean }).test).toBe(true);
    expect(() => parseAgreementJson(v)).not.toThrow();
  });

  it('the checker and the schemas reject what the library rejects', () => {
    const list = json('trust-lists/json/az-tl.json') as Record<string, unknown>;
    const bad = [{ ...list, extra: 1 }, { ...list, jsonVersion: 2 }, { ...list, scheme: { ...(list.scheme as object), issueDate: '2026-04-01' } }];
    for (const b of bad) {
      expect(validate('trust-lists/trust-list.schema.json', b).length).toBeGreaterThan(0);
      expect(() => parseTrustedListJson(b)).toThrow(TrustListError);
    }
    const ag = json('trust-lists/agreements/kz-to-uz-one-way.json') as Record<string, unknown>;
    const { issuerParty: _i, ...noIssuer } = ag;
    const mutualWithIssuer = { ...(json('trust-lists/agreements/az-tr-mutual.json') as object), issuerParty: 'AZ' };
    for (const b of [noIssuer, mutualWithIssuer, { ...ag, parties: ['KZ'] }]) {
      expect(validate('trust-lists/agreement.schema.json', b).length).toBeGreaterThan(0);
      expect(() => parseAgreementJson(b)).toThrow(TrustListError);
    }
  });
});

describe('hand-authored JSON lists', () => {
  const azRoot = Buffer.from(loadCertificates(read('fixtures/pki/az-root.pem'))[0]!.der).toString('base64');
  const minimal = {
    kind: 'ots-esig/trusted-list',
    jsonVersion: 1,
    id: 'AZ:hand',
    test: true,
    scheme: {
      version: 6,
      sequenceNumber: 1,
      type: 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/AZlist',
      operatorName: 'hand-written TEST list',
      territory: 'AZ',
      issueDate: '2026-01-01T00:00:00Z',
      nextUpdate: '2027-01-01T00:00:00Z',
    },
    providers: [
      {
        name: 'AZ Test CA',
        services: [
          {
            type: 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC',
            name: 'AZ Test Root CA',
            identity: { certificates: [azRoot] },
            status: 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted',
            statusStartingTime: '2024-01-01T00:00:00Z',
          },
        ],
      },
    ],
  };

  it('only the essentials are required; the rest defaults (schema and library agree)', async () => {
    expect(validate('trust-lists/trust-list.schema.json', minimal)).toEqual([]);
    const list = parseTrustedListJson(minimal);
    expect(list.providers[0]!.services[0]!.history).toEqual([]);
    expect(list.scheme.pointers).toEqual([]);
    const { verify } = await import('../src/validation/verify.js');
    const r = await verify(read('fixtures/cades/az-attached.p7s'), { trustLists: [{ data: JSON.stringify(minimal) }], relyingParty: 'AZ', validationTime: T, crls: fixtureCrls() });
    expect(r.signatures[0]!.recognition!.status).toBe('RECOGNIZED');
    expect(r.signatures[0]!.recognition!.basis!.kind).toBe('national');
  });

  it('a list carrying the TEST scheme rule is a test list whatever its flag says', () => {
    const hidden = { ...minimal, test: false, scheme: { ...minimal.scheme, schemeTypeCommunityRules: ['urn:ots-esig:schemerules:TEST'] } };
    expect(parseTrustedListJson(hidden).test).toBe(true);
    expect(parseTrustedListJson({ ...minimal, test: false }).test).toBe(false);
  });
});

describe('XML and JSON forms', () => {
  it.each(['ots-lotl', 'az-tl', 'kg-tl', 'tr-tl'])('%s: the committed JSON is the XML list plus provenance (SHA-256 of the signed XML)', async (name) => {
    const xml = read(`trust-lists/${name}.xml`);
    const fromXml = parseTrustedListXml(xml).list;
    const fromJson = parseTrustedListJson(json(`trust-lists/json/${name}.json`));
    const { provenance, ...rest } = fromJson;
    expect(rest).toEqual(fromXml);
    expect(provenance!.sha256).toBe(createHash('sha256').update(xml).digest('hex'));
    expect(provenance!.signature).toBe('VALID');
    expect(provenance!.signer).toMatch(/Test (Trusted List|List of Lists) Operator/);
    expect(fromJson.test).toBe(true);
  });

  it('conversion refuses a list whose signature does not verify with the given certificate', async () => {
    await expect(convertTrustedListXmlToJson(read('trust-lists/az-tl.xml'), [read('fixtures/pki/kz-tl-operator.pem')], { time: T })).rejects.toThrow(/refusing to convert/);
    const ok = await convertTrustedListXmlToJson(read('trust-lists/az-tl.xml'), [read('fixtures/pki/az-tl-operator.pem')], { time: T });
    expect(parseTrustedListJson(JSON.stringify(ok)).scheme.sequenceNumber).toBe(5);
  });

  it('round-trips model -> JSON -> model', () => {
    const list = parseTrustedListXml(read('trust-lists/kg-tl.xml')).list;
    expect(parseTrustedListJson(JSON.stringify(trustedListToJson(list)))).toEqual(list);
  });

  it('the pilot lists are TS 119 612 v6 TEST lists with sequence numbers, dates and the TEST scheme rule', () => {
    const lotl = parseTrustedListXml(read('trust-lists/ots-lotl.xml')).list;
    expect(lotl.scheme).toMatchObject({ version: 6, sequenceNumber: 3, territory: 'OTS', nextUpdate: '2027-10-01T00:00:00.000Z' });
    expect(lotl.scheme.pointers.map((p) => p.territory)).toEqual(['OTS', 'AZ', 'KZ', 'KG', 'TR', 'UZ']);
    expect(lotl.test).toBe(true);
    expect(lotl.scheme.policyOrLegalNotice).toMatch(/NOT FOR PRODUCTION/);
    const kg = parseTrustedListXml(read('trust-lists/kg-tl.xml')).list;
    expect(kg.providers[0]!.services[0]!.history).toHaveLength(1);
    // The list's signature uses the v6 profile: SigningCertificateV2.
    expect(new TextDecoder().decode(read('trust-lists/kg-tl.xml'))).toContain('SigningCertificateV2');
  });
});

describe('service status at a time (ServiceHistory)', () => {
  const svc: TrustService = {
    type: 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC',
    name: 'X',
    identity: { certificates: [], subjectNames: [], skis: [] },
    status: 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn',
    statusStartingTime: '2026-03-01T00:00:00.000Z',
    additionalServiceInformation: [],
    qualifiers: [],
    history: [
      // deliberately out of order
      { type: 'http://uri.etsi.org/TrstSvc/Svctype/CA/PKC', name: 'X', status: 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted', statusStartingTime: '2020-01-01T00:00:00.000Z', additionalServiceInformation: [], qualifiers: [] },
      { type: 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC', name: 'X', status: 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted', statusStartingTime: '2023-01-01T00:00:00.000Z', additionalServiceInformation: [], qualifiers: [] },
    ],
  };
  it.each([
    ['2019-12-31T23:59:59Z', undefined, undefined, undefined],
    ['2020-01-01T00:00:00Z', 'granted', 'CA/PKC', '2023-01-01T00:00:00.000Z'],
    ['2022-06-01T00:00:00Z', 'granted', 'CA/PKC', '2023-01-01T00:00:00.000Z'],
    ['2023-01-01T00:00:00Z', 'granted', 'CA/QC', '2026-03-01T00:00:00.000Z'],
    ['2026-02-28T23:59:59Z', 'granted', 'CA/QC', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T00:00:00Z', 'withdrawn', 'CA/QC', null],
    ['2030-01-01T00:00:00Z', 'withdrawn', 'CA/QC', null],
  ])('at %s: %s %s (until %s)', (at, status, type, until) => {
    const s = serviceStatusAt(svc, new Date(at));
    if (status === undefined) {
      expect(s).toBeUndefined();
      return;
    }
    expect(s!.status.endsWith(`/${status}`)).toBe(true);
    expect(s!.type.endsWith(`/${type}`)).toBe(true);
    expect(s!.until).toBe(until);
  });
});

describe('anchor index', () => {
  const rootCert = loadCertificates(read('fixtures/pki/az-root.pem'))[0]!;
  const caCert = loadCertificates(read('fixtures/pki/az-ca.pem'))[0]!;
  const otherCa = loadCertificates(read('fixtures/pki/kz-ca.pem'))[0]!;

  it('subject-name keys ignore attribute order, case and spacing, and refuse unknown attribute names', () => {
    expect(nameKeyFromString('CN=AZ Test Root CA, O=OTS Test PKI (NOT FOR PRODUCTION), C=AZ')).toBe(nameKeyFromCertificate(rootCert.subject));
    expect(nameKeyFromString('c=az,  cn=az   test root ca ,o=ots test pki (not for production)')).toBe(nameKeyFromCertificate(rootCert.subject));
    expect(nameKeyFromString('2.5.4.6=AZ, 2.5.4.3=AZ Test Root CA, 2.5.4.10=OTS Test PKI (NOT FOR PRODUCTION)')).toBe(nameKeyFromCertificate(rootCert.subject));
    expect(nameKeyFromString('CN=AZ Test Root CA')).not.toBe(nameKeyFromCertificate(rootCert.subject));
    expect(nameKeyFromString('FOO=bar')).toBeUndefined();
  });

  it('finds services by certificate, by SKI and by subject name with map lookups; CA certificates become anchors', async () => {
    const list = parseTrustedListJson(json('trust-lists/json/az-tl.json'));
    const svc = list.providers[0]!.services[0]!;
    const extra = [
      { ...svc, name: 'by SKI', identity: { certificates: [], subjectNames: [], skis: [caCert.subjectKeyIdentifier!] }, history: [] },
      { ...svc, name: 'by name', identity: { certificates: [], subjectNames: ['CN=AZ Test Issuing CA, O=OTS Test PKI (NOT FOR PRODUCTION), C=AZ'], skis: [] }, history: [] },
    ];
    const edited = { ...list, providers: [{ ...list.providers[0]!, services: [svc, ...extra] }] };
    const set = await loadTrustLists([{ data: JSON.stringify(trustedListToJson(edited)) }], { time: T });
    const idx = set.index;
    expect(idx.anchors.map((a) => a.certificate.subject.text)).toEqual([rootCert.subject.text]);
    const r = await idx.lookup(rootCert);
    expect(r.map((m) => [m.service.name, m.matchedBy])).toEqual([['AZ Test Root CA', 'certificate']]);
    const c = await idx.lookup(caCert);
    expect(c.map((m) => [m.service.name, m.matchedBy])).toEqual([
      ['by SKI', 'ski'],
      ['by name', 'subject-name'],
    ]);
    expect(await idx.lookup(otherCa)).toEqual([]);
  });

  it('a list given as a string reads as its UTF-8 bytes do: same digest and content, BOM dropped, lone surrogates as U+FFFD, XML too', async () => {
    const text = readFileSync(new URL('trust-lists/json/az-tl.json', root), 'utf8');
    const odd = text.replace('"name": "', '"name": "\ud800x'); // a lone surrogate inside a JSON string
    expect(odd).not.toBe(text);
    const xml = new TextDecoder().decode(read('trust-lists/az-tl.xml'));
    for (const data of [text, `\ufeff${text}`, ` \r\n${text}`, odd, xml]) {
      const [fromText] = (await loadTrustLists([{ data }], { time: T })).lists;
      const [fromBytes] = (await loadTrustLists([{ data: new TextEncoder().encode(data) }], { time: T })).lists;
      expect(fromText!.sha256).toBe(fromBytes!.sha256);
      expect(fromText!.list).toEqual(fromBytes!.list);
    }
    // A pinned digest is of the UTF-8 bytes, whichever form the list came in.
    const digest = createHash('sha256').update(new TextEncoder().encode(text)).digest('hex');
    expect((await loadTrustLists([{ data: text, sha256: digest }], { time: T })).lists[0]!.integrity).toBe('pinned-digest');
    await expect(loadTrustLists([{ data: `${text} `, sha256: digest }], { time: T })).rejects.toThrow(/SHA-256/);
    const [oddList] = (await loadTrustLists([{ data: odd }], { time: T })).lists;
    expect(JSON.stringify(oddList!.list)).toContain('\ufffdx');
  });

  it('skips unusable lists entirely', async () => {
    const set = await loadTrustLists([{ data: read('trust-lists/az-tl.xml') }], { time: T });
    expect(set.lists[0]!.usable).toBe(false);
    expect(set.index.anchors).toEqual([]);
    expect(await set.index.lookup(rootCert)).toEqual([]);
  });
});

describe('public API', () => {
  it('exports the trust layer from the package entry', async () => {
    const api = await import('../src/index.js');
    for (const name of ['loadTrustLists', 'parseTrustedListJson', 'trustedListToJson', 'convertTrustedListXmlToJson', 'parseAgreementJson', 'recognize', 'serviceStatusAt', 'TrustListError']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
    // Loading a list is explicit: nothing is trusted by importing the library.
    const set = await api.loadTrustLists([], { time: T });
    expect(set.lists).toEqual([]);
    expect(set.index.anchors).toEqual([]);
  });
});

describe('certificate facts used by agreement constraints', () => {
  it('reads certificate policy OIDs and key families', async () => {
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(globalThis.crypto);
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
    const withPolicies = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: 'CN=policy test',
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2026-01-01T00:00:00Z'),
      keys,
      signingAlgorithm: alg,
      extensions: [new x509.CertificatePolicyExtension(['1.2.398.3.3.2.1', '0.4.0.194112.1.2'])],
    });
    const c = loadCertificates(new Uint8Array(withPolicies.rawData))[0]!;
    const { certificatePolicies, keyFamily } = await import('../src/trust/cert-facts.js');
    expect(certificatePolicies(c)).toEqual(['1.2.398.3.3.2.1', '0.4.0.194112.1.2']);
    expect(keyFamily(c)).toBe('EC');
    const az = loadCertificates(read('fixtures/pki/az-signer.pem'))[0]!;
    expect(certificatePolicies(az)).toEqual([]);
    expect(keyFamily(az)).toBe('RSA');
  });
});
