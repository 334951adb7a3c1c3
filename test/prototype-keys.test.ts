/**
 * Names that come from input and are looked up in the library's tables (policy presets, algorithm URIs and OIDs,
 * attribute type names, JWS `alg`) must find only the tables' own entries. In a plain object "constructor",
 * "__proto__", "toString"... find Object.prototype's members, which read as a match: before src/util/table.ts a
 * policy named "constructor" became the Object function as a policy (a TypeError inside verify(): exit 3 in the
 * CLI, HTTP 500 in the service, `policy show constructor` printed an empty policy with exit 0).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { POLICY_PRESETS, parsePolicy, verify } from '../src/index.js';
import { DIGEST_OIDS, SIGNATURE_OIDS, CURVE_OIDS, GOST_KEY_BITS, DIGEST_OID_BY_NAME } from '../src/crypto/algorithms.js';
import { GOST_CURVES, GOST_DIGESTS, GOST_KEYS, GOST_SIGNATURES } from '../src/crypto/gost/oids.js';
import { GOST_XML_DIGEST_METHODS, GOST_XML_SIGNATURE_METHODS } from '../src/crypto/gost/xml-uris.js';
import { C14N_METHODS, XML_DIGEST_OIDS, XML_SIGNATURE_METHODS } from '../src/xades/algorithms.js';
import { nameKeyFromString } from '../src/trust/names.js';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { fixture } from './helpers/fixtures.js';

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

describe('lookup tables keyed by input hold only their own entries', () => {
  const tables = { POLICY_PRESETS, DIGEST_OIDS, SIGNATURE_OIDS, CURVE_OIDS, GOST_KEY_BITS, DIGEST_OID_BY_NAME, GOST_CURVES, GOST_DIGESTS, GOST_KEYS, GOST_SIGNATURES, GOST_XML_DIGEST_METHODS, GOST_XML_SIGNATURE_METHODS, XML_DIGEST_OIDS, XML_SIGNATURE_METHODS, C14N_METHODS };

  it.each(Object.entries(tables))('%s: no Object.prototype member is an entry, and the table is frozen', (_name, table) => {
    for (const key of PROTOTYPE_NAMES) expect([key, (table as Record<string, unknown>)[key]]).toEqual([key, undefined]);
    expect(Object.isFrozen(table)).toBe(true);
    expect(Object.keys(table).length).toBeGreaterThan(0);
  });

  it('a distinguished-name string with an Object.prototype member as attribute type is unreadable', () => {
    for (const key of PROTOTYPE_NAMES) expect(nameKeyFromString(`${key}=x, C=KZ`)).toBeUndefined();
    expect(nameKeyFromString('CN=x, C=KZ')).toBeDefined();
  });
});

describe('a policy named like an Object.prototype member is an unknown policy', () => {
  const sig = fixture('cades/kg-attached.p7s');
  const trustAnchors = [fixture('pki/kg-root.pem')];

  it.each(PROTOTYPE_NAMES)('verify(…, { policy: %j }) is refused with ERR_INVALID_OPTION', async (name) => {
    await expect(verify(sig, { policy: name as never, trustAnchors })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(/unknown policy preset/) });
  });

  it.each(['constructor', 'toString', 'hasOwnProperty'])('a policy document extending %j is refused', (name) => {
    expect(() => parsePolicy({ name: 'p', extends: name })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });

  describe('in the CLI', () => {
    beforeAll(() => ensureBuilt());
    it('verify --policy constructor and policy show constructor are usage errors (exit 2), not internal errors', () => {
      const v = runCli(['verify', 'fixtures/cades/kg-attached.p7s', '--trust-anchor', 'fixtures/pki/kg-root.pem', '--policy', 'constructor']);
      expect([v.status, v.stderr]).toEqual([2, expect.stringMatching(/presets: default, lenient/)]);
      expect(v.stderr).not.toMatch(/internal error|TypeError/);
      const s = runCli(['policy', 'show', 'constructor']);
      expect([s.status, s.stdout]).toEqual([2, '']);
    });
  });
});
