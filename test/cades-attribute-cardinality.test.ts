/**
 * Signed attributes that RFC 5652 / ESS / EN 319 122-1 allow once occur once
 * with one value, in signatures and in time-stamp tokens; anything else is a
 * FORMAT_FAILURE. Attack input: kz-attached re-signed (with the fixture signer
 * key) with a second signing-time; the signature covers the DER (sorted) order,
 * so whoever forwards it can reorder the two and choose the "claimed" time.
 */
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { verify } from '../src/index.js';
import { parseCades } from '../src/cades/parse.js';
import { singleValuedProblems } from '../src/cades/attributes.js';
import { OID } from '../src/pki/oids.js';
import { validateTimestampToken } from '../src/tsp/index.js';
import { createContext } from '../src/validation/options.js';
import { fixture, fixtureCrls, loadManifest } from './helpers/fixtures.js';
import { attribute, resign } from './helpers/resign.js';

const at = new Date(loadManifest().validationTime);
const opts = () => ({ trustAnchors: [fixture('pki/kz-root.pem')], crls: fixtureCrls(), validationTime: at });
const signingTime = (iso: string) => attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: new Date(iso) }));

describe('single-valued signed attributes (CAdES)', () => {
  it('the re-signing helper makes genuinely valid signatures (control)', async () => {
    const control = await resign(fixture('cades/kz-attached.p7s'), { key: 'kz-signer', add: [] });
    const r = await verify(control, opts());
    expect(r.signatures[0]!.indication).toBe('TOTAL-PASSED');
  });

  it('two signing-time attributes: FORMAT_FAILURE and no claimed time, whatever order they arrive in', async () => {
    const base = fixture('cades/kz-attached.p7s');
    const claimed: (string | null)[] = [];
    for (const order of ['der', 'reversed'] as const) {
      const input = await resign(base, { key: 'kz-signer', add: [signingTime('2020-01-01T00:00:00Z')], order });
      expect(parseCades(input).signers[0]!.signedAttributes.get(OID.signingTime)).toHaveLength(2);
      const s = (await verify(input, opts())).signatures[0]!;
      // Before: TOTAL-PASSED, claimed time 2020-01-01 or 2026-03-01 depending on the order chosen by the sender.
      expect(s.indication).toBe('TOTAL-FAILED');
      expect(s.subIndication).toBe('FORMAT_FAILURE');
      expect(s.checks.find((c) => c.id === 'fc.attribute-cardinality')?.detail).toMatch(/signing-time occurs 2 times/);
      // The signature itself verifies: the failure is the format, not a broken signature.
      expect(s.checks.find((c) => c.id === 'cv.signature-value')?.status).toBe('PASSED');
      claimed.push(s.times.claimedSigningTime);
    }
    expect(claimed).toEqual([null, null]);
  });

  it('one signing-time attribute with two values is refused too', async () => {
    const both = attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: new Date('2020-01-01T00:00:00Z') }), new asn1js.UTCTime({ valueDate: new Date('2021-01-01T00:00:00Z') }));
    // kz-attached already has a signing-time: replace the check with a unit one on a map holding only this.
    const si = parseCades(await resign(fixture('cades/kz-attached.p7s'), { key: 'kz-signer', add: [both] })).signers[0]!;
    const only = new Map([[OID.signingTime, si.signedAttributes.get(OID.signingTime)!.filter((a) => a.values.length === 2)]]);
    expect(singleValuedProblems(only)).toEqual(['signed attribute signing-time has 2 values (exactly one)']);
  });

  it.each([
    ['signing-certificate-v2', OID.signingCertificateV2],
    ['content-type', OID.contentType],
    ['message-digest', OID.messageDigest],
    ['signature-policy-identifier', '1.2.840.113549.1.9.16.2.15'],
  ])('a repeated %s is a FORMAT_FAILURE', async (name, oid) => {
    const existing = parseCades(fixture('cades/kz-attached.p7s')).signers[0]!.signedAttributes.get(oid)?.[0];
    // A second instance: of the attribute the signature has (same value), or two of one it lacks.
    const value = (v?: Uint8Array) => (v ? asn1js.fromBER(v.slice().buffer).result : new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.3.4' })] }));
    const add = existing ? [attribute(oid, value(existing.values[0]!.encoding))] : [attribute(oid, value()), attribute(oid, value(), new asn1js.Null())];
    const s = (await verify(await resign(fixture('cades/kz-attached.p7s'), { key: 'kz-signer', add }), opts())).signatures[0]!;
    expect(s.indication, name).toBe('TOTAL-FAILED');
    expect(s.subIndication, name).toBe('FORMAT_FAILURE');
  });
});

describe('single-valued signed attributes (time-stamp tokens)', () => {
  const si = parseCades(fixture('ltv/cades-t.p7s')).signers[0]!;
  const token = si.unsignedAttributes.get(OID.signatureTimeStampToken)![0]!.values[0]!.encoding.slice();
  const ctx = () => createContext({ trustAnchors: [fixture('pki/kz-root.pem')], intermediates: [fixture('pki/kz-ca.pem')], crls: [fixture('crl/kz-ca-empty.crl'), fixture('crl/current/kz-root.crl')], validationTime: at });

  it('a token re-signed by the TSA key with two signing-time attributes is FORMAT_FAILURE; without, it is as before', async () => {
    const control = await validateTimestampToken(await resign(token, { key: 'kz-tsa', add: [] }), { imprint: { data: si.signatureValue }, ctx: ctx() });
    const genuine = await validateTimestampToken(token, { imprint: { data: si.signatureValue }, ctx: ctx() });
    expect(control.status).toBe(genuine.status);
    expect(control.subIndication).toBe(genuine.subIndication);
    const twice = await resign(token, { key: 'kz-tsa', add: [signingTime('2026-03-01T10:00:05Z'), signingTime('2020-01-01T00:00:00Z')], order: 'reversed' });
    const r = await validateTimestampToken(twice, { imprint: { data: si.signatureValue }, ctx: ctx() });
    expect(r.status).toBe('FAILED');
    expect(r.subIndication).toBe('FORMAT_FAILURE');
    expect(r.checks.map((c) => c.detail).join(' ')).toMatch(/signing-time occurs 2 times/);
  });
});
