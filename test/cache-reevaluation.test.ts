/**
 * Parse caches keyed by exact bytes (OCSP responses, TSTInfos, CRLs, certificates, KeyObjects by SPKI,
 * anchor pools; #19) hold what depends on the bytes alone. The same input under another validation
 * time, policy, CRL set or anchor set must be judged anew: each variant's verdict is first taken
 * with cold caches (the first call in this file's worker), then again after the other variant
 * warmed them, and the two must agree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verify, type VerifyOptions } from '../src/index.js';
import { parseCades } from '../src/cades/parse.js';
import { ParsedOcspResponse } from '../src/revocation/ocsp.js';
import { parseTimestampToken, parseTstInfo } from '../src/tsp/token.js';
import { FIXTURES, fixture } from './helpers/fixtures.js';

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'ltv/manifest.json'), 'utf8')) as {
  validationTime: string;
  trustAnchors: string[];
  timestampAnchors: string[];
  samples: { id: string; file: string; crls: string[] }[];
};
const sample = (id: string) => manifest.samples.find((s) => s.id === id)!;

async function verdict(id: string, extra: Partial<VerifyOptions> = {}, crls?: string[]): Promise<string> {
  const s = sample(id);
  const r = await verify(fixture(s.file), {
    trustAnchors: manifest.trustAnchors.map(fixture),
    timestampAnchors: manifest.timestampAnchors.map(fixture),
    crls: [...(crls ?? s.crls), 'crl/current/kz-root.crl'].map(fixture),
    validationTime: new Date(manifest.validationTime),
    ...extra,
  });
  const g = r.signatures[0]!;
  return `${g.indication}/${g.subIndication ?? ''}`;
}

/** Cold B, then A, then B again: B's verdict must not depend on what A left in the caches. */
async function coldWarm(a: () => Promise<string>, b: () => Promise<string>) {
  const bCold = await b();
  const aWarm = await a();
  const bWarm = await b();
  const aAgain = await a();
  return { aWarm, aAgain, bCold, bWarm };
}

describe('caches never change a verdict: the same LT/LTA input re-evaluated', () => {
  it('another anchor set (none): the embedded OCSP response and CRL parsed for a passing call anchor nothing', async () => {
    const r = await coldWarm(
      () => verdict('cades-lt'),
      () => verdict('cades-lt', { trustAnchors: [] }),
    );
    expect(r).toEqual({ aWarm: 'TOTAL-PASSED/', aAgain: 'TOTAL-PASSED/', bCold: 'INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND', bWarm: 'INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND' });
  });

  it('another policy (acceptable certificate policies the signer lacks)', async () => {
    const r = await coldWarm(
      () => verdict('cades-lta'),
      () => verdict('cades-lta', { acceptablePolicies: ['1.2.3.4.5'] }),
    );
    expect(r.aWarm).toBe('TOTAL-PASSED/');
    expect(r.aAgain).toBe('TOTAL-PASSED/');
    expect(r.bCold).toBe('INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE');
    expect(r.bWarm).toBe(r.bCold);
  });

  it('another CRL set: the revoking CRL and an empty one for the same signature', async () => {
    const r = await coldWarm(
      () => verdict('revoked-no-ts', {}, ['crl/kz-ca-empty.crl']),
      () => verdict('revoked-no-ts', {}, ['crl/kz-ca.crl']),
    );
    expect(r).toEqual({ aWarm: 'TOTAL-PASSED/', aAgain: 'TOTAL-PASSED/', bCold: 'INDETERMINATE/REVOKED_NO_POE', bWarm: 'INDETERMINATE/REVOKED_NO_POE' });
  });

  it('another validation time (before the signer certificate was issued)', async () => {
    const r = await coldWarm(
      () => verdict('cades-lta'),
      () => verdict('cades-lta', { validationTime: new Date('2020-01-01T00:00:00Z') }),
    );
    expect(r.aWarm).toBe('TOTAL-PASSED/');
    expect(r.aAgain).toBe('TOTAL-PASSED/');
    expect(r.bCold).not.toBe('TOTAL-PASSED/');
    expect(r.bWarm).toBe(r.bCold);
  });
});

describe('parse caches by exact DER hand out nothing a caller can change', () => {
  const lt = parseCades(fixture(sample('cades-lt').file));

  it('an OCSP response changed in place after it was cached is parsed anew', () => {
    const der = new Uint8Array(lt.otherRevocationInfo[0]!.info.encoding);
    const first = ParsedOcspResponse.cached(der);
    expect(ParsedOcspResponse.cached(der)).toBe(first);
    const at = Buffer.from(der).indexOf(Buffer.from(first.signatureValue));
    expect(at).toBeGreaterThan(0);
    der[at + 10]! ^= 0x01; // inside the response's signature value
    const again = ParsedOcspResponse.cached(der);
    expect(again).not.toBe(first);
    expect(again.signatureValue).not.toEqual(first.signatureValue);
    expect(again.signatureValue).toEqual(ParsedOcspResponse.fromDer(der).signatureValue);
  });

  it("a cached TSTInfo's genTime changed by one caller is not what the next one reads", () => {
    const ts = parseCades(fixture(sample('cades-t').file)).signers[0]!.unsignedAttributes.get('1.2.840.113549.1.9.16.2.14')![0]!.values[0]!.encoding;
    const token = parseTimestampToken(ts);
    const tst = token.cms.eContent!;
    const a = parseTstInfo(tst);
    const at = a.genTime.getTime();
    a.genTime.setTime(0);
    expect(parseTstInfo(tst).genTime.getTime()).toBe(at);
    expect(parseTimestampToken(ts).tstInfo.genTime.getTime()).toBe(at);
  });
});
