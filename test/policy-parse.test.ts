/**
 * The policy's JSON form: policies/policy.schema.json and parsePolicy() must judge every document alike
 * (checked with ajv, a dev dependency only), presets included; errors name the bad field; the identity
 * (name + SHA-256 of canonical JSON) ignores key order and changes with any rule.
 */
import { readFileSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, InvalidOptionError, LENIENT_POLICY, parsePolicy, policyIdentity, verify } from '../src/index.js';
import { fixture } from './helpers/fixtures.js';

const schema = JSON.parse(readFileSync(new URL('../policies/policy.schema.json', import.meta.url), 'utf8'));
// The CommonJS module's default export is the class (its .default under some interop settings).
const Ajv2020 = ((Ajv2020Module as unknown as { default?: typeof Ajv2020Module }).default ?? Ajv2020Module) as unknown as typeof Ajv2020Module.default;
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const VALID: [string, unknown][] = [
  ['the default preset', clone(DEFAULT_POLICY)],
  ['the lenient preset', clone(LENIENT_POLICY)],
  ['a partial file over default', { name: 'tsa-lenient', extends: 'default', revocation: { timestampAuthority: 'none' } }],
  ['a partial file over lenient with $schema', { $schema: './policy.schema.json', name: 'x', extends: 'lenient', certificate: { profile: 'strict' }, severity: { xmlMarkupNotCovered: 'FAIL' } }],
  ['a full policy with acceptable policies and maxAge', { ...clone(DEFAULT_POLICY), name: 'kz-qes', certificate: { profile: 'strict', acceptablePolicies: ['1.2.398.3.3.2.1'] }, revocation: { ...DEFAULT_POLICY.revocation, maxAgeSeconds: 86400 } }],
  ['extends with only a name', { name: 'same-as-default', extends: 'default' }],
];
const INVALID: [string, unknown, RegExp][] = [
  ['no name', { extends: 'default' }, /policy\.name is required/],
  ['unknown preset', { name: 'x', extends: 'paranoid' }, /policy\.extends must be one of default, lenient/],
  ['bad revocation scope', { name: 'x', extends: 'default', revocation: { signer: 'ca-only' } }, /policy\.revocation\.signer must be one of/],
  ['unknown top-level field', { name: 'x', extends: 'default', strict: true }, /policy\.strict is not a known field/],
  ['unknown nested field', { name: 'x', extends: 'default', revocation: { requireFresh: true } }, /policy\.revocation\.requireFresh is not a known field/],
  ['full policy missing a section', (({ severity: _s, ...rest }) => rest)(clone(DEFAULT_POLICY)), /policy\.severity is required/],
  ['full policy missing a nested field', { ...clone(DEFAULT_POLICY), revocation: { signer: 'signer', timestampAuthority: 'none', acceptStale: false } }, /policy\.revocation\.maxAgeSeconds is required/],
  ['a date that is not ISO UTC', { name: 'x', extends: 'default', algorithms: { digests: { 'SHA-1': '2012-01-01' } } }, /policy\.algorithms\.digests\.SHA-1 must be an ISO 8601 UTC time/],
  ['negative maxAgeSeconds', { name: 'x', extends: 'default', revocation: { maxAgeSeconds: -1 } }, /policy\.revocation\.maxAgeSeconds must be an integer/],
  ['a key rule without until', { name: 'x', extends: 'default', algorithms: { keys: { RSA: [{ minBits: 2048 }] } } }, /policy\.algorithms\.keys\.RSA\[0\]\.until is required/],
  ['a policy OID that is not one', { name: 'x', extends: 'default', certificate: { acceptablePolicies: ['qes'] } }, /policy\.certificate\.acceptablePolicies\[0\] must be an OID/],
  ['severity outside the enum', { name: 'x', extends: 'default', severity: { signingCertificateNotSigned: 'ERROR' } }, /policy\.severity\.signingCertificateNotSigned must be one of FAIL, WARN, IGNORE/],
  ['not an object', ['default'], /policy must be an object/],
];

describe('policy JSON: schema and parsePolicy agree', () => {
  it.each(VALID)('accepts %s (schema and parser)', (_n, doc) => {
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(() => parsePolicy(doc)).not.toThrow();
  });

  it.each(INVALID)('refuses %s (schema and parser), naming the field', (_n, doc, message) => {
    expect(validate(doc)).toBe(false);
    expect(() => parsePolicy(doc)).toThrow(InvalidOptionError);
    expect(() => parsePolicy(doc)).toThrow(message);
  });

  it('deep-merges a partial file over its preset', () => {
    const p = parsePolicy(JSON.stringify({ name: 'tsa-lenient', extends: 'default', revocation: { timestampAuthority: 'none' }, algorithms: { digests: { 'SHA-1': null } } }));
    expect(p.name).toBe('tsa-lenient');
    expect(p.revocation).toEqual({ ...DEFAULT_POLICY.revocation, timestampAuthority: 'none' });
    expect(p.certificate).toEqual(DEFAULT_POLICY.certificate);
    expect(p.algorithms.digests['SHA-1']).toBeNull();
    expect(p.algorithms.digests['SHA-256']).toBeNull();
    expect(p.algorithms.keys).toEqual(DEFAULT_POLICY.algorithms.keys);
    expect('extends' in p).toBe(false);
  });

  it('text that is not JSON is an InvalidOptionError', () => {
    expect(() => parsePolicy('{name: default')).toThrow(/not JSON/);
  });

  it('verify() checks a caller policy object the same way', async () => {
    const bad = { ...DEFAULT_POLICY, revocation: { ...DEFAULT_POLICY.revocation, signer: 'everything' } } as never;
    await expect(verify(fixture('cades/kz-attached.p7s'), { policy: bad })).rejects.toThrow(/policy\.revocation\.signer must be one of/);
  });
});

describe('policyIdentity', () => {
  it('names the policy and hashes its canonical JSON: key order does not matter, any rule does', async () => {
    const a = await policyIdentity(DEFAULT_POLICY);
    expect(a.name).toBe('default');
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    const reordered = JSON.parse(JSON.stringify(DEFAULT_POLICY, Object.keys(DEFAULT_POLICY).reverse().concat(Object.keys(DEFAULT_POLICY.revocation).reverse()).concat(['profile', 'digests', 'keys', 'minBits', 'until', 'MD5', 'SHA-1', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512', 'RSA', 'RSA-PSS', 'EC', 'Ed25519', 'requireSignatureTimestamp', 'maxPerSignature', 'signerServiceTypes', 'timestampServiceTypes', ...Object.keys(DEFAULT_POLICY.severity)])));
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(DEFAULT_POLICY)[0]);
    expect((await policyIdentity(reordered)).sha256).toBe(a.sha256);
    expect((await policyIdentity(parsePolicy({ name: 'default', extends: 'default' }))).sha256).not.toBe(a.sha256); // description dropped
    const changed = await policyIdentity({ ...DEFAULT_POLICY, revocation: { ...DEFAULT_POLICY.revocation, acceptStale: true } });
    expect(changed.sha256).not.toBe(a.sha256);
    expect((await policyIdentity(LENIENT_POLICY)).sha256).not.toBe(a.sha256);
  });
});
