import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPkitsCase, type PkitsCase } from '../scripts/conformance/pkits.js';
import { LimitExceededError } from '../src/errors.js';
import type { PathFailure } from '../src/pki/path-validator.js';
import { primaryFailure, subIndicationOf } from '../src/validation/path-findings.js';
import { AT, issue, kinds, policies, validate } from './pki-testca.js';
import { describeIf } from './helpers/skip.js';

/** pki/ reports failure kinds; the sub-indication is the stage's mapping of them. */
const withSub = (f: PathFailure | undefined) => f && { ...f, subIndication: subIndicationOf(f) };

const PKITS_DIR = join(resolve(__dirname, '..', process.env.OTS_CORPUS ?? '../shared/corpus'), 'pkits');

describe('basicConstraints and pathLenConstraint', () => {
  it('a pathLen violation is CHAIN_CONSTRAINTS_FAILURE; self-issued CAs do not count', async () => {
    const root = await issue({ subject: 'CN=PL Root', ca: true });
    const ca0 = await issue({ subject: 'CN=PL CA0', issuer: root, ca: true, pathLen: 0 });
    const sub = await issue({ subject: 'CN=PL Sub', issuer: ca0, ca: true });
    const leaf = await issue({ subject: 'CN=PL Leaf', issuer: sub });
    const o = await validate(leaf, [ca0, sub], [root]);
    expect(o.best?.valid).toBe(false);
    expect(withSub(primaryFailure(o.best!))).toMatchObject({ kind: 'path-length', subIndication: 'CHAIN_CONSTRAINTS_FAILURE' });

    // A self-issued certificate (key rollover) under a pathLen 0 CA is allowed (RFC 5280 6.1.4 (l)).
    const rollover = await issue({ subject: 'CN=PL CA0', issuer: ca0, ca: true });
    const leaf2 = await issue({ subject: 'CN=PL Leaf 2', issuer: rollover });
    expect((await validate(leaf2, [ca0, rollover], [root])).best?.valid).toBe(true);
  });

  it('a CA certificate without cA or keyCertSign cannot issue', async () => {
    const root = await issue({ subject: 'CN=BC Root', ca: true });
    const notCa = await issue({ subject: 'CN=Not A CA', issuer: root, ca: false, keyUsage: x509.KeyUsageFlags.keyCertSign });
    const leaf = await issue({ subject: 'CN=BC Leaf', issuer: notCa });
    expect(kinds(await validate(leaf, [notCa], [root]))).toContain('basic-constraints');
    const noKcs = await issue({ subject: 'CN=No KCS CA', issuer: root, ca: true, keyUsage: x509.KeyUsageFlags.cRLSign });
    const leaf2 = await issue({ subject: 'CN=KU Leaf', issuer: noKcs });
    expect(kinds(await validate(leaf2, [noKcs], [root]))).toContain('key-usage');
  });

  it('an unknown critical extension is CERTIFICATE_CHAIN_GENERAL_FAILURE; a broken signature is NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const root = await issue({ subject: 'CN=X Root', ca: true });
    const leaf = await issue({ subject: 'CN=X Leaf', issuer: root, extensions: [new x509.Extension('1.3.6.1.4.1.99999.1', true, new Uint8Array([5, 0]))] });
    const o = await validate(leaf, [], [root]);
    expect(withSub(primaryFailure(o.best!))).toMatchObject({ kind: 'critical-extension', subIndication: 'CERTIFICATE_CHAIN_GENERAL_FAILURE' });

    const impostor = await issue({ subject: 'CN=X Root', ca: true }); // same name, other key
    const forged = await issue({ subject: 'CN=Forged Leaf', issuer: impostor, akiKey: root.keys.publicKey });
    const f = await validate(forged, [], [root]);
    expect(f.best).toBeUndefined();
    expect(withSub(f.tried[0]?.failures[0])).toMatchObject({ kind: 'signature', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
  });

  it('validity: an expired intermediate fails with OUT_OF_BOUNDS_NO_POE', async () => {
    const root = await issue({ subject: 'CN=V Root', ca: true });
    const old = await issue({ subject: 'CN=V CA', issuer: root, ca: true, notAfter: new Date(AT.getTime() - 1000) });
    const leaf = await issue({ subject: 'CN=V Leaf', issuer: old });
    expect(withSub(primaryFailure((await validate(leaf, [old], [root])).best!))).toMatchObject({ kind: 'expired', subIndication: 'OUT_OF_BOUNDS_NO_POE' });
  });
});

describe('path building', () => {
  it('follows a cross-certificate to the root the relying party trusts (bridge between two states)', async () => {
    const rootA = await issue({ subject: 'C=KZ, CN=Root A', ca: true });
    const rootB = await issue({ subject: 'C=TR, CN=Root B', ca: true });
    // Root B certified by Root A: same name and key as Root B, issued by A.
    const cross = await issue({ subject: 'C=TR, CN=Root B', issuer: rootA, ca: true, keys: rootB.keys });
    const caB = await issue({ subject: 'C=TR, CN=CA B', issuer: rootB, ca: true });
    const leaf = await issue({ subject: 'C=TR, CN=Signer', issuer: caB });
    const viaA = await validate(leaf, [caB, cross, rootB], [rootA]);
    expect(viaA.best?.valid).toBe(true);
    expect(viaA.best?.chain.map((c) => c.subject.text)).toEqual(['CN=Signer, C=TR', 'CN=CA B, C=TR', 'CN=Root B, C=TR', 'CN=Root A, C=KZ']);
    expect((await validate(leaf, [caB, cross], [rootB])).best?.chain.length).toBe(3);
  });

  it('tries every candidate issuer with the same name and picks the one that validates', async () => {
    const root = await issue({ subject: 'CN=Multi Root', ca: true });
    const expired = await issue({ subject: 'CN=Multi CA', issuer: root, ca: true, notAfter: new Date('2021-01-01T00:00:00Z') });
    const current = await issue({ subject: 'CN=Multi CA', issuer: root, ca: true, keys: expired.keys });
    const leaf = await issue({ subject: 'CN=Multi Leaf', issuer: current });
    const o = await validate(leaf, [expired, current], [root]);
    expect(o.best?.valid).toBe(true);
    expect(o.best?.chain[1]?.der).toBe(current.cert.der);
  });

  it('cuts cycles between mutually cross-signed CAs and reports dead ends', async () => {
    const a = await issue({ subject: 'CN=Cycle A', ca: true });
    const b = await issue({ subject: 'CN=Cycle B', ca: true });
    const aByB = await issue({ subject: 'CN=Cycle A', issuer: b, ca: true, keys: a.keys });
    const bByA = await issue({ subject: 'CN=Cycle B', issuer: a, ca: true, keys: b.keys });
    const leaf = await issue({ subject: 'CN=Cycle Leaf', issuer: aByB });
    const other = await issue({ subject: 'CN=Unrelated Root', ca: true });
    const o = await validate(leaf, [aByB, bByA], [other]);
    expect(o.best).toBeUndefined();
    expect(o.tried).toHaveLength(0);
    expect(o.deadEnds.length).toBeGreaterThan(0);
    expect(o.deadEnds[0]?.reason).toMatch(/no issuer/);
  });

  it('bounds total work on a hostile pool with LimitExceededError', async () => {
    const root = await issue({ subject: 'CN=DoS Root', ca: true });
    // Many CAs with the same name and no usable key link: each is a candidate at every level.
    const clones = await Promise.all(Array.from({ length: 12 }, () => issue({ subject: 'CN=DoS CA', issuer: root, ca: true, noKeyIds: true })));
    const selfIssued = await Promise.all(clones.map((c) => issue({ subject: 'CN=DoS CA', issuer: c, ca: true, noKeyIds: true })));
    const leaf = await issue({ subject: 'CN=DoS Leaf', issuer: selfIssued[0]!, noKeyIds: true });
    await expect(validate(leaf, [...clones, ...selfIssued], [await issue({ subject: 'CN=Elsewhere', ca: true })], {}, { maxDepth: 6, maxCandidates: 40, maxPaths: 4 })).rejects.toBeInstanceOf(
      LimitExceededError,
    );
  });

  it('respects maxDepth', async () => {
    const root = await issue({ subject: 'CN=Depth Root', ca: true });
    const c1 = await issue({ subject: 'CN=Depth 1', issuer: root, ca: true });
    const c2 = await issue({ subject: 'CN=Depth 2', issuer: c1, ca: true });
    const leaf = await issue({ subject: 'CN=Depth Leaf', issuer: c2 });
    expect((await validate(leaf, [c1, c2], [root], {}, { maxDepth: 3, maxCandidates: 100, maxPaths: 4 })).best?.valid).toBe(true);
    const short = await validate(leaf, [c1, c2], [root], {}, { maxDepth: 2, maxCandidates: 100, maxPaths: 4 });
    expect(short.best).toBeUndefined();
    expect(short.deadEnds[0]?.reason).toMatch(/depth limit/);
  });

  it('strict mode enforces profile MUSTs and the anchor as a certificate', async () => {
    const root = await issue({ subject: 'CN=Strict Root', ca: true, notAfter: new Date(AT.getTime() - 1000) });
    const leaf = await issue({ subject: 'CN=Strict Leaf', issuer: root });
    expect((await validate(leaf, [], [root])).best?.valid).toBe(true);
    expect(kinds(await validate(leaf, [], [root], { strict: true }))).toContain('expired');
  });
});

describe('cost', () => {
  it('validates without building the pkijs form of any certificate (ParsedCertificate.raw stays lazy)', async () => {
    const root = await issue({ subject: 'CN=Lazy Root', ca: true });
    const ca = await issue({ subject: 'CN=Lazy CA', issuer: root, ca: true, extensions: [policies('1.2.3.4')] });
    const leaf = await issue({ subject: 'CN=Lazy Leaf', issuer: ca, san: [{ type: 'dns', value: 'lazy.example' }], extensions: [policies('1.2.3.4')] });
    expect((await validate(leaf, [ca], [root], { strict: true })).best?.valid).toBe(true);
    for (const c of [root, ca, leaf]) expect((c.cert as unknown as { pkijsCertificate?: unknown }).pkijsCertificate).toBeUndefined();
  });
});

describeIf(existsSync(join(PKITS_DIR, 'pkits.json')), 'no corpus (set OTS_CORPUS=/path/to/corpus): pkits/')('DSA parameter inheritance (RFC 5280 6.1.4 (f)) on PKITS 4.1.4-4.1.6', () => {
  for (const id of ['40104', '40105', '40106']) {
    it(id, async () => {
      const c = (JSON.parse(readFileSync(join(PKITS_DIR, 'pkits.json'), 'utf8')) as PkitsCase[]).find((x) => x.id === id)!;
      const r = await runPkitsCase(PKITS_DIR, c);
      expect(r.result, r.reason).toBe('AGREE');
    });
  }
});
