/**
 * Issue #24 class 2: a document supplied with a signature that encapsulates its content (CAdES
 * attached; XAdES enveloped / enveloping) was ignored with a warning, so any attached signature
 * "verified" any document. The supplied document must be the signed content, or the signature fails.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verify, type SignatureReport } from '../src/index.js';
import { parseCades } from '../src/cades/parse.js';
import { detectInput } from '../src/detect.js';
import { toHex } from '../src/util/bytes.js';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { fixture, fixtureCrls, loadManifest, optionsFor } from './helpers/fixtures.js';

const m = loadManifest();
const xm = loadManifest('xades/manifest.json');
const at = new Date(m.validationTime);
const kzRoot = fixture('pki/kz-root.pem');
const kzAttached = fixture('cades/kz-attached.p7s');
const forged = new TextEncoder().encode('Pay 1,000,000 KZT to the attacker.\n');
/** The content kz-attached encapsulates, read out of the CMS itself. */
const encapsulated = (() => {
  const d = detectInput(kzAttached);
  if (d.kind !== 'cms') throw new Error('not CMS');
  return parseCades(d.der).eContent!;
})();

const check = (s: SignatureReport, id: string) => s.checks.find((c) => c.id === id);

describe('CAdES: a supplied document must be the encapsulated content', () => {
  it('attached signature + a different document: TOTAL-FAILED / HASH_FAILURE, saying the document is not the signed content', async () => {
    const s = (await verify(kzAttached, { trustAnchors: [kzRoot], crls: fixtureCrls(), validationTime: at, detachedContent: forged })).signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(['TOTAL-FAILED', 'HASH_FAILURE']);
    expect(check(s, 'cv.supplied-content')).toMatchObject({ status: 'FAILED', subIndication: 'HASH_FAILURE' });
    expect(check(s, 'cv.supplied-content')!.detail).toMatch(/supplied document is not the signed content/);
    // The signature itself is intact: only the claim "this document is signed" is refused.
    expect(check(s, 'cv.signature-value')!.status).toBe('PASSED');
  });

  it('attached signature + the same bytes (a copy, not the same buffer): TOTAL-PASSED, the report states the digest verified', async () => {
    const s = (await verify(kzAttached, { trustAnchors: [kzRoot], crls: fixtureCrls(), validationTime: at, detachedContent: encapsulated.slice() })).signatures[0]!;
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(check(s, 'cv.supplied-content')!.status).toBe('PASSED');
    const sha = toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', encapsulated.slice())));
    expect(check(s, 'cv.message-digest')!.detail).toBe(`SHA-256 of the encapsulated content ${sha} matches message-digest`);
    expect(check(s, 'cv.supplied-content')!.detail).toContain(`SHA-256 ${sha}`);
  });

  it('a detached signature states the digest of the supplied content it verified', async () => {
    const content = fixture('content/document.txt');
    const s = (await verify(fixture('cades/kz-detached.p7s'), { trustAnchors: [kzRoot], crls: fixtureCrls(), validationTime: at, detachedContent: content })).signatures[0]!;
    expect(s.indication).toBe('TOTAL-PASSED');
    const sha = toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', content.slice())));
    expect(check(s, 'cv.message-digest')!.detail).toContain(`supplied detached content ${sha}`);
  });
});

describe('XAdES: a supplied document needs a detached reference to be signed', () => {
  const sample = (id: string) => xm.samples.find((x) => x.id === id)!;
  for (const id of ['kz-enveloped-b', 'kz-enveloping-b', 'tr-enveloped-b-ecdsa']) {
    it(`${id} + detachedContent: TOTAL-FAILED / HASH_FAILURE (not verified against its own embedded data)`, async () => {
      const s = sample(id);
      const ok = await verify(fixture(s.file), optionsFor(xm, s));
      expect(ok.signatures[0]!.indication).toBe('TOTAL-PASSED');
      const r = (await verify(fixture(s.file), { ...optionsFor(xm, s), detachedContent: forged })).signatures[0]!;
      expect([r.indication, r.subIndication]).toEqual(['TOTAL-FAILED', 'HASH_FAILURE']);
      expect(check(r, 'cv.supplied-content')!.detail).toMatch(/supplied document is not the signed content: this signature has no detached reference \(it signs \//);
      // Named files are supplied content as well.
      const named = (await verify(fixture(s.file), { ...optionsFor(xm, s), detachedFiles: { 'document.txt': forged } })).signatures[0]!;
      expect(named.subIndication).toBe('HASH_FAILURE');
    });
  }

  it('a detached XAdES still takes its content, and states the digest it verified', async () => {
    const s = sample('kz-detached-b');
    const content = fixture('content/document.txt');
    const r = (await verify(fixture(s.file), { ...optionsFor(xm, s), detachedContent: content })).signatures[0]!;
    expect(r.indication).toBe('TOTAL-PASSED');
    const b64 = Buffer.from(await crypto.subtle.digest('SHA-256', content.slice())).toString('base64');
    expect(r.checks.find((c) => c.id === 'cv.reference[0]')!.detail).toContain(`SHA-256 digest ${b64} matches`);
  });
});

describe('CLI --content with an attached signature', () => {
  beforeAll(() => ensureBuilt());
  it('exits non-zero with HASH_FAILURE when --content is not the encapsulated document', () => {
    const r = runCli(['verify', 'fixtures/cades/kz-attached.p7s', '--content', 'fixtures/cades/kz-detached.p7s', '--trust-anchor', 'fixtures/pki/kz-root.pem', '--at', m.validationTime, '--format', 'json']);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/HASH_FAILURE/);
    expect(r.stdout).toMatch(/supplied document is not the signed content/);
  });
});
