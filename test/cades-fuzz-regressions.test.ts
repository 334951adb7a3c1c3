/**
 * Regression tests for the CAdES findings of the fuzz harness (scripts/fuzz/FINDINGS.md, runs of
 * 2026-11-29), each rebuilt from a committed fixture: the defect, and the inputs the oracle had
 * flagged that turned out to be legitimately valid.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verify, type VerifyOptions } from '../src/index.js';
import { ecdsaDerToRaw } from '../src/crypto/webcrypto-provider.js';
import { loadCorpus, revocationDataKeys, type Corpus } from '../scripts/fuzz/corpus.js';
import { cadesSignedDataKey, independentlyVerified } from '../scripts/fuzz/oracle.js';
import { concat, parseTlv, serialize, type TlvNode } from '../scripts/fuzz/tlv.js';
import { FIXTURES, fixture, loadManifest, optionsFor } from './helpers/fixtures.js';

const manifest = loadManifest();
const sample = (id: string) => manifest.samples.find((s) => s.id === id)!;

/** ContentInfo → SignedData, SignerInfos; `touch` marks the path to a changed node for re-encoding. */
function cms(bytes: Uint8Array) {
  const root = parseTlv(bytes)!;
  const explicit = root.children![1]!;
  const sd = explicit.children![0]!;
  const signerInfos = sd.children![sd.children!.length - 1]!;
  const touch = (...more: TlvNode[]) => {
    for (const n of [root, explicit, sd, signerInfos, ...more]) n.original = null;
  };
  return { root, sd, signerInfos, touch };
}

/** The signature value OCTET STRING of a SignerInfo (the one after signatureAlgorithm). */
function signatureValue(si: TlvNode): TlvNode {
  const kids = si.children!;
  const signedAttrs = kids.findIndex((c) => c.tag[0] === 0xa0);
  return kids[signedAttrs >= 0 ? signedAttrs + 2 : 3]!;
}

function text(x: unknown): string {
  return JSON.stringify(x);
}

describe('ECDSA-Sig-Value must be strict DER (fuzz asn1-retag on uz-attached, tr-attached)', () => {
  const s = sample('uz-attached');
  const { root, signerInfos, touch } = cms(fixture(s.file));
  const si = signerInfos.children![0]!;
  const sigNode = signatureValue(si);
  const genuine = sigNode.content.slice();
  const size = 32; // uz-attached is signed with P-256
  const [r, sv] = (() => {
    const rLen = genuine[3]!;
    return [genuine.subarray(2, 4 + rLen), genuine.subarray(4 + rLen)];
  })();
  const seq = (body: Uint8Array, tag = 0x30) => Uint8Array.of(tag, body.length, ...body);

  it('the genuine value decodes to r||s', () => {
    expect([genuine[0], genuine.length <= 72]).toEqual([0x30, true]);
    expect(ecdsaDerToRaw(genuine, size)?.length).toBe(2 * size);
  });

  it.each<[string, () => Uint8Array]>([
    ['SEQUENCE tag 0x10 (primitive)', () => seq(genuine.subarray(2), 0x10)],
    ['SET instead of SEQUENCE', () => seq(genuine.subarray(2), 0x31)],
    ['long-form length where the short form fits', () => Uint8Array.of(0x30, 0x81, genuine[1]!, ...genuine.subarray(2))],
    ['indefinite length', () => Uint8Array.of(0x30, 0x80, ...genuine.subarray(2), 0, 0)],
    ['a trailing octet after the SEQUENCE', () => Uint8Array.of(...genuine, 0)],
    ['a third element inside the SEQUENCE', () => seq(Uint8Array.of(...genuine.subarray(2), 0x02, 0x01, 0x01))],
    ['only one INTEGER', () => seq(r)],
    ['r padded with a needless zero octet', () => seq(Uint8Array.of(0x02, r[1]! + 1, 0x00, ...r.subarray(2), ...sv))],
    ['r negative (its sign octet dropped or high bit set)', () => seq(Uint8Array.of(0x02, 0x01, 0x80, ...sv))],
    ['r zero', () => seq(Uint8Array.of(0x02, 0x01, 0x00, ...sv))],
    ['r empty', () => seq(Uint8Array.of(0x02, 0x00, ...sv))],
  ])('refused: %s', (_name, make) => {
    expect(ecdsaDerToRaw(make(), size)).toBeUndefined();
  });

  it('a SignerInfo whose value has a needlessly padded INTEGER is SIG_CRYPTO_FAILURE, not TOTAL-PASSED', async () => {
    const padded = seq(Uint8Array.of(0x02, r[1]! + 1, 0x00, ...r.subarray(2), ...sv));
    sigNode.content = padded;
    sigNode.children = null;
    touch(si, sigNode);
    const rep = await verify(serialize(root), optionsFor(manifest, s));
    expect([rep.signatures[0]!.indication, rep.signatures[0]!.subIndication]).toEqual(['TOTAL-FAILED', 'SIG_CRYPTO_FAILURE']);
    // The unmutated fixture still passes: only the encoding was refused.
    const ok = await verify(fixture(s.file), optionsFor(manifest, s));
    expect(ok.signatures[0]!.indication).toBe('TOTAL-PASSED');
  });
});

describe('archive-time-stamp-v3 over a malformed unsigned attribute (fuzz asn1-retag on lta-missing-cert #99648)', () => {
  it('gives a report: the archive time-stamp is invalid with a reason, never a TypeError', async () => {
    const opts: VerifyOptions = { trustAnchors: [fixture('pki/kz-root.pem')], validationTime: new Date('2026-06-01T00:00:00Z') };
    const { root, signerInfos, touch } = cms(fixture('ltv/cades-lta.p7s'));
    const si = signerInfos.children![0]!;
    const unsigned = si.children!.find((c) => c.tag[0] === 0xa1)!;
    // ATSv3 attribute type 0.4.0.1733.2.4; retag the values SET of the first other attribute to INTEGER.
    const ats = Uint8Array.of(0x04, 0x00, 0x8d, 0x45, 0x02, 0x04);
    const attr = unsigned.children!.find((a) => Buffer.compare(Buffer.from(a.children![0]!.content), Buffer.from(ats)) !== 0)!;
    const values = attr.children![1]!;
    expect(values.tag[0]).toBe(0x31);
    values.content = concat(values.children!.map(serialize));
    values.tag = Uint8Array.of(0x02);
    values.constructed = false;
    values.children = null;
    touch(si, unsigned, attr, values);
    const rep = await verify(serialize(root), opts);
    expect(rep.signatures).toHaveLength(1);
    expect(text(rep.signatures[0])).toContain('archive-time-stamp-v3 is not valid (an unsigned attribute is not a SEQUENCE { OBJECT IDENTIFIER, SET })');
    expect(text(rep.signatures[0])).not.toContain('TypeError');
    expect(text(rep.signatures[0])).not.toContain('not iterable');
  });
});

describe('oracle false positives of the run ots-2026-11-29 (legitimately valid, not false accepts)', () => {
  let corpus: Corpus;
  beforeAll(async () => {
    corpus = await loadCorpus(FIXTURES);
  }, 60_000);
  /** The harness's exemption (scripts/fuzz/engine.ts): a fixture signer's data, no revoking data given, verified independently. */
  const exempt = async (bytes: Uint8Array, index: number, options: VerifyOptions) => {
    const rep = await verify(bytes, options);
    const sig = rep.signatures[index]!;
    const data = await cadesSignedDataKey(bytes, sig, options);
    const revokedBy = data ? corpus.signedData.get(data) : undefined;
    const given = revocationDataKeys(options);
    return !!revokedBy && !revokedBy.some((k) => given.includes(k)) && (await independentlyVerified(bytes, sig, options));
  };

  it('#14322 two-signers-one-bad asn1-edit-primitive: flipping back the generator\'s bit restores the genuine TR signature', async () => {
    const s = sample('two-signers-one-bad');
    const { root, signerInfos, touch } = cms(fixture(s.file));
    const si = signerInfos.children![1]!;
    const sig = signatureValue(si);
    const c = sig.content.slice();
    c[c.length - 1]! ^= 0x01; // editPrimitive's "flip the last bit" — the bit the generator had flipped
    sig.content = c;
    sig.children = null;
    touch(si, sig);
    const bytes = serialize(root);
    const rep = await verify(bytes, optionsFor(manifest, s));
    expect(rep.signatures.map((x) => x.indication)).toEqual(['TOTAL-PASSED', 'TOTAL-PASSED']);
    expect(await exempt(bytes, 1, optionsFor(manifest, s))).toBe(true);
  });

  it('#30944 kz-wrong-ess-v2 asn1-multi: kz-revoked grafted whole is valid where no CRL revokes it, not where one does', async () => {
    const host = cms(fixture(sample('kz-wrong-ess-v2').file));
    const donor = cms(fixture(sample('kz-revoked').file));
    host.sd.children![3] = donor.sd.children![3]!; // certificates
    host.signerInfos.children = [donor.signerInfos.children![0]!];
    host.touch();
    const bytes = serialize(host.root);
    expect(Buffer.from(bytes).equals(Buffer.from(fixture(sample('kz-revoked').file)))).toBe(true);
    // kz-ca-empty.crl (which does not list it) and kz-root's ARL: the status is known and good.
    const noCrl = { ...optionsFor(manifest, sample('kz-wrong-ess-v2')), crls: [fixture('crl/kz-ca-empty.crl'), fixture('crl/current/kz-root.crl')] };
    const withCrl = optionsFor(manifest, sample('kz-revoked'));
    expect((await verify(bytes, noCrl)).signatures[0]!.indication).toBe('TOTAL-PASSED');
    expect((await verify(bytes, withCrl)).signatures[0]!.subIndication).toBe('REVOKED_NO_POE');
    expect(await exempt(bytes, 0, noCrl)).toBe(true);
    // Were the validator to pass it despite the revoking CRL, the harness must call that a false accept.
    expect(await exempt(bytes, 0, withCrl)).toBe(false);
  });

  it('a genuinely signed negative (wrong ESS certificate hash) is never exempt: passing it would be a false accept', async () => {
    const s = sample('kz-wrong-ess-v2');
    const bytes = fixture(s.file);
    const rep = await verify(bytes, optionsFor(manifest, s));
    expect(rep.signatures[0]!.subIndication).toBe('NO_SIGNING_CERTIFICATE_FOUND');
    // Correctly signed, so it verifies independently — yet its signed data is no valid signer's.
    expect(await exempt(bytes, 0, optionsFor(manifest, s))).toBe(false);
    for (const id of ['kz-expired', 'kz-sha1', 'kz-notyetvalid']) {
      const n = sample(id);
      const r = await verify(fixture(n.file), optionsFor(manifest, n));
      expect(r.signatures[0]!.indication).not.toBe('TOTAL-PASSED');
      expect(await exempt(fixture(n.file), 0, optionsFor(manifest, n))).toBe(false);
    }
  });
});
