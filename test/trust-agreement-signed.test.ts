import 'reflect-metadata';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { pemKeySigner } from '../src/cli/key-signer.js';
import { verify } from '../src/index.js';
import { signAgreement, type JwsSigner } from '../src/maintain/agreement-sign.js';
import { base64url } from '../src/trust/agreement-jws.js';
import { fixture, fixtureCrls, loadManifest } from './helpers/fixtures.js';

// Signed bilateral agreements (JWS general JSON serialization, one signature per party): used only when
// both parties' signatures verify with certificates the relying party pinned (or its list of lists announces).
const at = new Date(loadManifest().validationTime);
const AGREEMENT = readFileSync('trust-lists/agreements/az-tr-mutual.json');
const ID = 'OTS-TEST-BA-AZ-TR-2025';
const op = (cc: string) => pemKeySigner(readFileSync(`fixtures/keys/${cc}-tl-operator.key.pem`), readFileSync(`fixtures/pki/${cc}-tl-operator.pem`));
const opCert = (cc: string) => fixture(`pki/${cc}-tl-operator.pem`);
const T = { signingTime: new Date('2026-05-01T00:00:00Z') };
const enc = (s: string) => new TextEncoder().encode(s);
// AZ and TR national lists, each pinned to its operator: AZ's signatures reach TR only through an agreement.
const lists = ['az-tl.xml', 'tr-tl.xml'].map((f) => ({ data: readFileSync(`trust-lists/${f}`), name: f, signingCertificates: [opCert(f.slice(0, 2))] }));

async function bothSigned(): Promise<string> {
  return signAgreement(enc(await signAgreement(AGREEMENT, op('az'), T)), op('tr'), T);
}

async function run(agreement: string | Uint8Array, o: { signers?: unknown[]; lotl?: boolean } = {}) {
  const trustLists = o.lotl
    ? [{ data: readFileSync('trust-lists/ots-lotl.xml'), name: 'ots-lotl.xml', signingCertificates: [fixture('pki/ots-lotl-operator.pem')] }, ...lists]
    : lists;
  const r = await verify(fixture('cades/az-attached.p7s'), {
    validationTime: at,
    trustLists,
    agreements: [{ data: agreement, name: 'agreement' }],
    ...(o.signers ? { agreementSigners: o.signers as never } : {}),
    relyingParty: 'TR',
    crls: fixtureCrls(),
  });
  return { recognition: r.signatures[0]!.recognition!, summary: r.trust!.agreements[0]!, warnings: r.warnings };
}

describe('signed agreements', () => {
  it('signed by both parties and verified with the pinned operator certificates: used, RECOGNIZED on the bilateral basis', async () => {
    const env = JSON.parse(await bothSigned());
    expect(env.signatures).toHaveLength(2);
    // The payload is the agreement file byte for byte.
    expect(Buffer.from(env.payload, 'base64url').equals(AGREEMENT)).toBe(true);
    const r = await run(await bothSigned(), { signers: [opCert('az'), opCert('tr')] });
    expect(r.summary).toMatchObject({ id: ID, used: true, authentication: 'signed', reason: null });
    expect(r.summary.signatures!.map((s) => [s.party, s.status])).toEqual([['AZ', 'VALID'], ['TR', 'VALID']]);
    expect(r.recognition.status).toBe('RECOGNIZED');
    expect(r.recognition.basis).toMatchObject({ kind: 'bilateral', agreementId: ID });
    expect(r.warnings.some((w) => /not signed: trusted as supplied/.test(w))).toBe(false);
  });

  it('party given explicitly ({ party, certificate }) works the same; a certificate without a country and no party is an option error', async () => {
    const r = await run(await bothSigned(), { signers: [{ party: 'AZ', certificate: opCert('az') }, { party: 'TR', certificate: opCert('tr') }] });
    expect(r.recognition.status).toBe('RECOGNIZED');
  });

  it('signed by one party only: reported and not used; recognition says why', async () => {
    const r = await run(await signAgreement(AGREEMENT, op('az'), T), { signers: [opCert('az'), opCert('tr')] });
    expect(r.summary).toMatchObject({ used: false, authentication: 'signed' });
    expect(r.summary.signatures!.map((s) => [s.party, s.status])).toEqual([['AZ', 'VALID'], ['TR', 'MISSING']]);
    expect(r.recognition.status).toBe('NOT_RECOGNIZED');
    expect(r.recognition.reasons.join(' ')).toMatch(new RegExp(`agreement ${ID} is not used: not signed by TR`));
    expect(r.warnings).toContainEqual(expect.stringMatching(new RegExp(`agreement ${ID} NOT USED: not signed by TR`)));
  });

  it('a tampered agreement (payload changed after both signed) is not used', async () => {
    const env = JSON.parse(await bothSigned());
    const changed = Buffer.from(env.payload, 'base64url').toString('utf8').replace('"effectiveFrom": "2025-01-01T00:00:00Z"', '"effectiveFrom": "2020-01-01T00:00:00Z"');
    expect(changed).toContain('2020-01-01');
    const tampered = JSON.stringify({ ...env, payload: base64url(enc(changed)) });
    const r = await run(tampered, { signers: [opCert('az'), opCert('tr')] });
    expect(r.summary.used).toBe(false);
    expect(r.summary.signatures!.map((s) => s.status)).toEqual(['MISSING', 'MISSING']);
    expect(r.recognition.status).toBe('NOT_RECOGNIZED');
    // A flipped bit in one signature: that party is missing.
    const sig = env.signatures[1].signature as string;
    const flipped = JSON.stringify({ ...env, signatures: [env.signatures[0], { ...env.signatures[1], signature: (sig[5] === 'A' ? 'B' : 'A') + sig.slice(1) }] });
    expect((await run(flipped, { signers: [opCert('az'), opCert('tr')] })).summary.signatures!.map((s) => s.status)).toEqual(['VALID', 'MISSING']);
  });

  it('two signatures by the same party do not make a second party; a signature claiming another certificate counts for nobody', async () => {
    const a1 = JSON.parse(await signAgreement(AGREEMENT, op('az'), T));
    const a2 = JSON.parse(await signAgreement(AGREEMENT, op('az'), { signingTime: new Date('2026-05-02T00:00:00Z') }));
    const twice = JSON.stringify({ payload: a1.payload, signatures: [a1.signatures[0], a2.signatures[0]] });
    expect((await run(twice, { signers: [opCert('az'), opCert('tr')] })).summary.signatures!.map((s) => s.status)).toEqual(['VALID', 'MISSING']);
    // AZ's key, TR's certificate in x5t#S256: not TR's signature (wrong key), not AZ's (names another certificate).
    const az = op('az');
    const impostor: JwsSigner = { certificate: op('tr').certificate, jwsAlgorithm: 'RS256', sign: az.sign };
    const forged = await signAgreement(enc(await signAgreement(AGREEMENT, az, T)), impostor, T);
    expect((await run(forged, { signers: [opCert('az'), opCert('tr')] })).summary.signatures!.map((s) => s.status)).toEqual(['VALID', 'MISSING']);
  });

  it('x5t#S256 binds a signature to its certificate: AZ\'s signature does not count for a TR certificate with the same key', async () => {
    // A second certificate (C=TR) over the AZ operator's key, pinned for TR: the key verifies AZ's signature,
    // but that signature names AZ's certificate, so TR has not signed.
    x509.cryptoProvider.set(globalThis.crypto);
    const pem = readFileSync('fixtures/keys/az-tl-operator.key.pem');
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const privateKey = await crypto.subtle.importKey('pkcs8', createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' }), alg, false, ['sign']);
    const publicKey = await crypto.subtle.importKey('spki', createPublicKey(pem).export({ format: 'der', type: 'spki' }), alg, true, ['verify']);
    const twin = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: 'C=TR, CN=Twin of the AZ operator key', notBefore: new Date('2025-01-01'), notAfter: new Date('2035-01-01'), keys: { privateKey, publicKey }, signingAlgorithm: alg });
    const r = await run(await signAgreement(AGREEMENT, op('az'), T), { signers: [opCert('az'), new Uint8Array(twin.rawData)] });
    expect(r.summary.signatures!.map((s) => [s.party, s.status])).toEqual([['AZ', 'VALID'], ['TR', 'MISSING']]);
    expect(r.summary.used).toBe(false);
  });

  it('a junk or alg "none" signature appended to a good envelope neither breaks nor replaces it', async () => {
    const env = JSON.parse(await bothSigned());
    const none = { protected: base64url(enc(JSON.stringify({ alg: 'none', 'x5t#S256': 'x' }))), signature: '' };
    const crit = { protected: base64url(enc(JSON.stringify({ alg: 'RS256', 'x5t#S256': 'x', crit: ['exp'] }))), signature: 'AAAA' };
    const r = await run(JSON.stringify({ payload: env.payload, signatures: [none, crit, ...env.signatures] }), { signers: [opCert('az'), opCert('tr')] });
    expect(r.summary.used).toBe(true);
    const onlyNone = JSON.stringify({ payload: env.payload, signatures: [none, { ...none }] });
    expect((await run(onlyNone, { signers: [opCert('az'), opCert('tr')] })).summary.used).toBe(false);
  });

  it('without pins, the operator certificates a verified list of lists announces for AZ and TR authenticate the agreement', async () => {
    const r = await run(await bothSigned(), { lotl: true });
    expect(r.summary.used).toBe(true);
    expect(r.summary.signatures!.map((s) => s.detail)).toEqual([expect.stringMatching(/announced by OTS:LOTL seq 3/), expect.stringMatching(/announced by OTS:LOTL seq 3/)]);
    // Neither pinned nor announced: a signed agreement cannot be checked, so it is not used.
    const none = await run(await bothSigned());
    expect(none.summary.used).toBe(false);
    expect(none.summary.reason).toMatch(/no agreement signer certificate is pinned or announced for AZ/);
    expect(none.recognition.status).toBe('NOT_RECOGNIZED');
  });

  it('a bare (unsigned) agreement: used as supplied and reported unauthenticated while nothing is pinned; not used once signers are pinned', async () => {
    const bare = await run(AGREEMENT);
    expect(bare.summary).toMatchObject({ used: true, authentication: 'unsigned', signatures: null });
    expect(bare.recognition.status).toBe('RECOGNIZED');
    expect(bare.warnings).toContainEqual(`agreement ${ID} is not signed: trusted as supplied by the caller (unauthenticated)`);
    const pinned = await run(AGREEMENT, { signers: [opCert('az'), opCert('tr')] });
    expect(pinned.summary).toMatchObject({ used: false, authentication: 'unsigned' });
    expect(pinned.recognition.status).toBe('NOT_RECOGNIZED');
    expect(pinned.recognition.reasons.join(' ')).toMatch(/is not used: not signed, and agreement signers are pinned/);
  });

  it('signAgreement refuses a second signature by the same certificate and a payload that is not an agreement', async () => {
    await expect(signAgreement(enc(await signAgreement(AGREEMENT, op('az'), T)), op('az'), T)).rejects.toThrow(/already carries a signature by this certificate/);
    await expect(signAgreement(enc('{"kind":"ots-esig/agreement"}'), op('az'), T)).rejects.toMatchObject({ code: 'ERR_TRUST_LIST' });
  });
});

describe('the pilot signed agreements (trust-lists/agreements/signed/, made by fixtures/gen-trust.ts with agreement sign)', () => {
  it.each(['az-tr-mutual', 'kz-to-uz-one-way', 'kg-kz-ended'])('%s: the payload is the bare file and both parties\u2019 operators signed it', async (name) => {
    const { readAgreementJws, verifyAgreementSignatures } = await import('../src/trust/agreement-jws.js');
    const { pinnedAgreementSigners } = await import('../src/trust/agreement-load.js');
    const { parseAgreementJson } = await import('../src/trust/agreements.js');
    const { jws, payload } = readAgreementJws(JSON.parse(readFileSync(`trust-lists/agreements/signed/${name}.jws.json`, 'utf8')));
    expect(Buffer.from(payload).equals(readFileSync(`trust-lists/agreements/${name}.json`))).toBe(true);
    const a = parseAgreementJson(new TextDecoder().decode(payload));
    const signers = pinnedAgreementSigners(['az', 'kg', 'kz', 'tr', 'uz'].map(opCert));
    expect((await verifyAgreementSignatures(jws, a.parties, signers)).map((s) => s.status)).toEqual(['VALID', 'VALID']);
  });
});
