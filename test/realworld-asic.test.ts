import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { openContainer, parseTimestampToken, verify } from '../src/index.js';
import { describeIf } from './helpers/skip.js';

// The libdigidocpp ASiC samples (realworld/EU/libdigidocpp, PROVENANCE.tsv): real producers' containers.
const corpus = process.env.OTS_CORPUS ?? fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const EU = `${corpus}/realworld/EU/libdigidocpp`;
const have = existsSync(`${EU}/test.asice`);
if (!have) console.warn(`realworld-asic: skipped — no corpus at ${EU} (set OTS_CORPUS)`);
const file = (p: string) => new Uint8Array(readFileSync(`${EU}/${p}`));
// The chain files beside the samples: ESTEID-SK 2011 (production EE CA) and VRK Gov. CA (FI). Neither issued
// any of these samples' signers or TSAs (libdigidocpp's own test PKI, TEST of ESTEID-SK 2011, DEMO of SK TSA 2014).
const chainFiles = () => [file('chain-from-bdoc/ESTEID-SK_2011.pem'), file('chain-from-FI-TL/VRK_Gov_CA_for_Citizen_Qualified_Certificates.pem')];
const verdict = (v: { indication: string; subIndication: string | null }) => [v.indication, v.subIndication];
const tsaCertificates = async (container: Uint8Array) => {
  const token = parseTimestampToken((await openContainer(container)).files.find((f) => f.name === 'META-INF/timestamp.tst')!.data);
  return { certs: token.cms.certificates.map((c) => c.der), genTime: token.tstInfo.genTime };
};

describeIf(!!have, 'the shared corpus (OTS_CORPUS) has no realworld/EU/libdigidocpp')('libdigidocpp ASiC samples (realworld/EU/libdigidocpp)', () => {
  it('forged_lt.asice: the SignatureValue was made with another key than the signing certificate\'s: TOTAL-FAILED', async () => {
    for (const options of [{}, { trustAnchors: chainFiles() }]) {
      const r = await verify(file('forged_lt.asice'), options);
      expect(r.signatures.map(verdict)).toEqual([['TOTAL-FAILED', 'SIG_CRYPTO_FAILURE']]);
      expect(verdict(r.container!)).toEqual(['TOTAL-FAILED', 'SIG_CRYPTO_FAILURE']);
      expect(r.container!.signatures[0]!.covers).toEqual(['example-for-signing.txt']);
    }
  });

  it('test.asice (ASiC-E XAdES, libdigidocpp test PKI): INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND, with or without the chain files', async () => {
    for (const options of [{}, { trustAnchors: chainFiles() }]) {
      const r = await verify(file('test.asice'), options);
      expect(r.container).toMatchObject({ type: 'ASiC-E', mimetype: 'application/vnd.etsi.asic-e+zip', notCovered: [], manifestMismatches: [] });
      expect(r.signatures.map(verdict)).toEqual([['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']]);
      expect(verdict(r.container!)).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
      expect(r.container!.signatures).toEqual([{ signature: "META-INF/signatures0.xml#Signature[@Id='S0']", file: 'META-INF/signatures0.xml', covers: ['test1.txt'] }]);
      // The signature's own integrity is intact: the reference to test1.txt digests and the value verifies.
      expect(r.signatures[0]!.checks.filter((c) => c.block === 'CV').every((c) => c.status === 'PASSED')).toBe(true);
    }
  });

  it('test.asics (ASiC-S with an RFC 3161 time-stamp): INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND; with the TSA pinned, the time-stamp binds test1.txt', async () => {
    for (const options of [{}, { trustAnchors: chainFiles(), timestampAnchors: chainFiles() }]) {
      const r = await verify(file('test.asics'), options);
      expect(r.container).toMatchObject({ type: 'ASiC-S', signatures: [], timestamps: [{ file: 'META-INF/timestamp.tst', covers: ['test1.txt'], status: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND', tsa: expect.stringContaining('DEMO of SK TSA 2014') }] });
      expect(verdict(r.container!)).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
    }
    // Pinning the token's own TSA certificate (at genTime) shows the imprint check: PASSED over the real data ...
    const { certs, genTime } = await tsaCertificates(file('test.asics'));
    const pinned = { timestampAnchors: certs, validationTime: genTime };
    const r = await verify(file('test.asics'), pinned);
    expect(r.container!.timestamps[0]).toMatchObject({ status: 'PASSED', genTime: '2016-11-02T11:07:45.000Z' });
    expect(verdict(r.container!)).toEqual(['TOTAL-PASSED', null]);
    // ... and not over other data in its place.
    const entries = unzipSync(file('test.asics'));
    const changed = zipSync({ mimetype: [entries['mimetype']!, { level: 0 }], 'test1.txt': new TextEncoder().encode('tes1\n'), 'META-INF/timestamp.tst': entries['META-INF/timestamp.tst']! });
    const bad = await verify(changed, pinned);
    expect(bad.container!.timestamps[0]!.status).toBe('FAILED');
    expect(bad.container!.indication).toBe('TOTAL-FAILED');
  });

  it('test-tera.asics (a time-stamped DDOC): the time-stamp and the inner container are reported', async () => {
    const r = await verify(file('test-tera.asics'));
    expect(r.container!.type).toBe('ASiC-S');
    expect(r.container!.entries.find((e) => e.name === 'ddoc_for_testing.ddoc')).toMatchObject({ role: 'data', nested: { kind: 'DDOC' } });
    expect(r.container!.timestamps).toMatchObject([{ covers: ['ddoc_for_testing.ddoc'], status: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND', genTime: '2017-04-10T06:27:28.000Z' }]);
    expect(r.container!.warnings.join('\n')).toMatch(/ddoc_for_testing\.ddoc is itself a container \(a legacy DigiDoc \(DDOC\) file/);
    const { certs, genTime } = await tsaCertificates(file('test-tera.asics'));
    const pinned = await verify(file('test-tera.asics'), { timestampAnchors: certs, validationTime: genTime });
    expect(pinned.container!.timestamps[0]!.status).toBe('PASSED');
  });

  it('tsl.asice (ASiC-E XAdES-LT, TEST of ESTEID-SK 2011): INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND (the production ESTEID-SK 2011 does not anchor it)', async () => {
    const r = await verify(file('tsl.asice'), { trustAnchors: chainFiles() });
    expect(r.signatures.map((s) => [...verdict(s), s.level])).toEqual([['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND', 'XAdES-BASELINE-LT']]);
    expect(r.container!.signatures[0]!.covers).toEqual(['test.txt']);
  });
});
