import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { validateTimestampToken } from '../src/tsp/index.js';
import { createContext } from '../src/validation/options.js';
import { parseXml } from '../src/xml/parse.js';
import { findQualifyingProperties, readQualifyingProperties } from '../src/xades/properties.js';
import { archiveTimestampInput, sigAndRefsTimestampInput, signatureTimestampInput } from '../src/xades/timestamps.js';
import { findSignatures } from '../src/xades/validate.js';
import { referenceDigestInputs } from '../src/xades/xmldsig.js';
import { describeIf } from './helpers/skip.js';

// Time-stamp inputs checked against third-party signatures: the DSS XAdES T/LTA samples
// (XAdES 1.3.2 and 1.4.1 ArchiveTimeStamp, enveloped and enveloping).
// The corpus is read from $OTS_CORPUS (relative to the repository root), default ../shared/corpus, like the other tests.
const corpus = resolve(fileURLToPath(new URL('..', import.meta.url)), process.env.OTS_CORPUS ?? '../shared/corpus');
const dss = join(corpus, 'dss', 'xades') + '/';
const haveCorpus = existsSync(dss);
if (!haveCorpus) console.warn(`xades-timestamps: DSS time-stamp vectors skipped, no corpus at ${dss} (set OTS_CORPUS)`);

async function imprints(file: string): Promise<string[]> {
  const doc = parseXml(new Uint8Array(readFileSync(dss + file)));
  const sig = findSignatures(doc)[0]!;
  const qp = readQualifyingProperties(findQualifyingProperties(sig)[0]!);
  const refs = await referenceDigestInputs(doc, sig);
  const ctx = createContext({});
  const out: string[] = [];
  for (const ts of qp.timeStamps) {
    const input =
      ts.kind === 'SignatureTimeStamp'
        ? signatureTimestampInput(ts, sig)
        : ts.kind === 'ArchiveTimeStamp'
          ? archiveTimestampInput(ts, sig, qp, refs)
          : ts.kind === 'SigAndRefsTimeStamp'
            ? sigAndRefsTimestampInput(ts, sig)
            : undefined;
    if (!input) continue;
    const v = await validateTimestampToken(ts.token!, { ctx, imprint: { data: input } });
    out.push(`${ts.kind}:${v.checks.find((c) => c.id.endsWith('message-imprint'))?.status}`);
  }
  return out;
}

describeIf(haveCorpus, 'no corpus (set OTS_CORPUS=/path/to/corpus): dss/ XAdES')('XAdES time-stamp inputs agree with DSS-made signatures', () => {
  for (const f of ['xades-enveloping-LTA.xml', 'xades-enveloped-LTA.xml', 'xades-enveloped-LTA-arcTst132.xml', 'xades-enveloping-LTA-arcTst132.xml', 'xades-enveloping-A.xml']) {
    it(f, async () => {
      expect(await imprints(f)).toEqual(['SignatureTimeStamp:PASSED', 'ArchiveTimeStamp:PASSED']);
    });
  }
  for (const f of ['xades-enveloping-T.xml', 'xades-T-with-tsvd.xml']) {
    it(f, async () => {
      expect(await imprints(f)).toEqual(['SignatureTimeStamp:PASSED']);
    });
  }
  for (const f of ['xades-enveloping-XL.xml', 'xades-enveloping-X-level.xml']) {
    it(`${f} (XAdES-X SigAndRefsTimeStamp)`, async () => {
      expect(await imprints(f)).toEqual(['SignatureTimeStamp:PASSED', 'SigAndRefsTimeStamp:PASSED']);
    });
  }
  it('invalid-xades-lta-corrupted-cert.xml: the archive time-stamp no longer matches (DSS: A-level not valid)', async () => {
    expect(await imprints('invalid-xades-lta-corrupted-cert.xml')).toEqual(['SignatureTimeStamp:PASSED', 'ArchiveTimeStamp:FAILED']);
  });
});

describe('XAdES-LTA fixture', () => {
  const fx = (p: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${p}`, import.meta.url)));
  const opts = { trustAnchors: [fx('pki/kz-root.pem')], timestampAnchors: [fx('pki/kz-root.pem')], crls: [fx('crl/kz-ca-empty.crl'), fx('crl/current/kz-root.crl')], validationTime: new Date('2026-06-01T00:00:00Z') };
  it('validates both time-stamps', async () => {
    const [sig] = (await verify(fx('xades/kz-enveloped-lta.xml'), opts)).signatures;
    // The archive time-stamp is validated first: it is the proof of existence for the signature time-stamp.
    expect(sig!.checks.filter((c) => c.block === 'TST').map((c) => [c.id, c.status])).toEqual([
      ['tst.ArchiveTimeStamp[1]', 'PASSED'],
      ['tst.SignatureTimeStamp[0]', 'PASSED'],
    ]);
  });
  it('ignores an archive time-stamp over other data, with a warning', async () => {
    const [sig] = (await verify(fx('xades/kz-enveloped-lta-wrong-archive-imprint.xml'), opts)).signatures;
    expect(sig!.checks.find((c) => c.id === 'tst.ArchiveTimeStamp[1]')?.status).toBe('SKIPPED');
    expect(sig!.warnings.join('\n')).toMatch(/ArchiveTimeStamp 1 ignored: failed validation \(HASH_FAILURE\)/);
  });
});
