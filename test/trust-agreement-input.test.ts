import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { parseAgreementJson } from '../src/trust/agreements.js';
import { fixture, fixtureCrls, loadManifest } from './helpers/fixtures.js';

const at = new Date(loadManifest().validationTime);
const raw = JSON.parse(readFileSync('trust-lists/agreements/az-tr-mutual.json', 'utf8'));
const lists = ['az-tl.xml', 'tr-tl.xml'].map((f) => ({ data: readFileSync(`trust-lists/${f}`), name: f, signingCertificates: [fixture(`pki/${f.slice(0, 2)}-tl-operator.pem`)] }));

async function recognitionWith(agreement: unknown) {
  const r = await verify(fixture('cades/az-attached.p7s'), {
    validationTime: at,
    trustLists: lists,
    agreements: [agreement as never],
    relyingParty: 'TR',
    crls: fixtureCrls(),
  });
  return r.signatures[0]!.recognition!;
}

describe('agreements given as objects in code', () => {
  it('a raw agreement JSON object and an already parsed agreement recognize like the file does', async () => {
    const fromFile = await recognitionWith({ data: readFileSync('trust-lists/agreements/az-tr-mutual.json'), name: 'az-tr' });
    expect(fromFile.status).toBe('RECOGNIZED');
    expect((await recognitionWith(raw)).status).toBe('RECOGNIZED');
    expect((await recognitionWith(parseAgreementJson(raw))).status).toBe('RECOGNIZED');
  });

  it('a malformed object is a typed error, not a crash inside recognition', async () => {
    const { constraints: _c, ...noConstraints } = raw;
    await expect(recognitionWith({ ...raw, equivalences: [] })).rejects.toMatchObject({ code: 'ERR_TRUST_LIST' });
    await expect(recognitionWith({ ...noConstraints, id: 7 })).rejects.toMatchObject({ code: 'ERR_TRUST_LIST' });
  });
});

describe('constraints.minKeySizes of the wrong type (fuzz finding ots-2026-12-03-hardening2 #10357)', () => {
  // Before: Object.keys(null) threw a TypeError out of parseAgreementJson instead of the agreement's own error.
  for (const bad of [null, 5, 'RSA', true, [2048]]) {
    it(`minKeySizes: ${JSON.stringify(bad)} is ERR_TRUST_LIST naming the field`, () => {
      let thrown: unknown;
      try {
        parseAgreementJson({ ...raw, constraints: { ...raw.constraints, minKeySizes: bad } });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toMatchObject({ code: 'ERR_TRUST_LIST', message: expect.stringMatching(/minKeySizes/) });
    });
  }
});
