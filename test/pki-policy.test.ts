import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { ANY_POLICY, processPolicies, type CertificatePolicyInfo } from '../src/pki/policy-tree.js';
import { subIndicationOf } from '../src/validation/path-findings.js';
import { issue, kinds, pkijsExtension, policies, validate } from './pki-testca.js';

const P1 = '2.16.840.1.101.3.2.1.48.1';
const P2 = '2.16.840.1.101.3.2.1.48.2';
const P3 = '2.16.840.1.101.3.2.1.48.3';
const ca = (p: string[] | undefined, extra: Partial<CertificatePolicyInfo> = {}): CertificatePolicyInfo => ({ policies: p, selfIssued: false, ...extra });

describe('RFC 5280 6.1 valid_policy_tree', () => {
  it('keeps the policies every certificate asserts', () => {
    const r = processPolicies([ca([P1, P2]), ca([P1])]);
    expect(r).toEqual({ ok: true, policies: [P1] });
  });
  it('anyPolicy in a CA lets the leaf policy through', () => {
    expect(processPolicies([ca([ANY_POLICY]), ca([P2])])).toEqual({ ok: true, policies: [P2] });
  });
  it('a certificate without policies NULLs the tree; fails only when explicit policy is required', () => {
    expect(processPolicies([ca([P1]), ca(undefined)]).ok).toBe(true);
    expect(processPolicies([ca([P1]), ca(undefined)], { initialExplicitPolicy: true }).ok).toBe(false);
  });
  it('requireExplicitPolicy in a CA certificate counts down', () => {
    expect(processPolicies([ca([P1], { requireExplicitPolicy: 0 }), ca(undefined)]).ok).toBe(false);
    expect(processPolicies([ca([P1], { requireExplicitPolicy: 2 }), ca(undefined)]).ok).toBe(true);
  });
  it('user-initial-policy-set with explicit policy (acceptable policies of an agreement)', () => {
    expect(processPolicies([ca([P1]), ca([P1])], { initialPolicySet: [P1], initialExplicitPolicy: true })).toEqual({ ok: true, policies: [P1] });
    expect(processPolicies([ca([P1]), ca([P1])], { initialPolicySet: [P2], initialExplicitPolicy: true }).ok).toBe(false);
    // anyPolicy all the way: the acceptable policy is taken as asserted.
    expect(processPolicies([ca([ANY_POLICY]), ca([ANY_POLICY])], { initialPolicySet: [P2], initialExplicitPolicy: true })).toEqual({ ok: true, policies: [P2] });
  });
  it('policy mapping maps issuer to subject domain policies, and can be inhibited', () => {
    const mapping = ca([P1], { mappings: [{ issuerDomainPolicy: P1, subjectDomainPolicy: P2 }] });
    // The leaf-level valid_policy is the subject-domain policy (RFC 5280 6.1.3 (d)(1)(i) over the mapped expected set).
    expect(processPolicies([mapping, ca([P2])], { initialExplicitPolicy: true })).toEqual({ ok: true, policies: [P2] });
    expect(processPolicies([mapping, ca([P2])], { initialExplicitPolicy: true, initialPolicyMappingInhibit: true }).ok).toBe(false);
    expect(processPolicies([ca([P1], { mappings: [{ issuerDomainPolicy: ANY_POLICY, subjectDomainPolicy: P2 }] }), ca([P2])]).ok).toBe(false);
  });
  it('inhibitAnyPolicy stops anyPolicy below the CA that sets it', () => {
    const r = processPolicies([ca([P1], { inhibitAnyPolicy: 0 }), ca([ANY_POLICY]), ca([P3])], { initialExplicitPolicy: true });
    expect(r.ok).toBe(false);
    expect(processPolicies([ca([P1]), ca([ANY_POLICY]), ca([P1])], { initialExplicitPolicy: true })).toEqual({ ok: true, policies: [P1] });
    expect(processPolicies([ca([ANY_POLICY]), ca([P1])], { initialExplicitPolicy: true, initialAnyPolicyInhibit: true }).ok).toBe(false);
  });
});

describe('policies on real chains', () => {
  it('acceptable policies pass or fail the path, and report the valid policies', async () => {
    const root = await issue({ subject: 'CN=Policy Root', ca: true });
    const caCert = await issue({ subject: 'CN=Policy CA', issuer: root, ca: true, extensions: [policies(P1, P2)] });
    const leaf = await issue({ subject: 'CN=Policy Leaf', issuer: caCert, extensions: [policies(P1)] });
    const ok = await validate(leaf, [caCert], [root], { initialPolicySet: [P1], requireExplicitPolicy: true });
    expect(ok.best?.valid).toBe(true);
    expect(ok.best?.policies).toEqual([P1]);
    const bad = await validate(leaf, [caCert], [root], { initialPolicySet: [P3], requireExplicitPolicy: true });
    expect(kinds(bad)).toEqual(['policy']);
    expect(subIndicationOf(bad.best!.failures[0]!)).toBe('CHAIN_CONSTRAINTS_FAILURE');
  });
  it('a critical policyConstraints with requireExplicitPolicy 0 needs policies below it', async () => {
    const root = await issue({ subject: 'CN=PC Root', ca: true });
    const pc = pkijsExtension('2.5.29.36', true, new pkijs.PolicyConstraints({ requireExplicitPolicy: 0 }));
    const caCert = await issue({ subject: 'CN=PC CA', issuer: root, ca: true, extensions: [pc, policies(P1)] });
    const without = await issue({ subject: 'CN=No Policy Leaf', issuer: caCert });
    const withP1 = await issue({ subject: 'CN=P1 Leaf', issuer: caCert, extensions: [policies(P1)] });
    expect(kinds(await validate(without, [caCert], [root]))).toEqual(['policy']);
    expect((await validate(withP1, [caCert], [root])).best?.valid).toBe(true);
  });
});

describe('VerifyOptions.acceptablePolicies', () => {
  it('fails the signer path when no acceptable policy is asserted, and refuses non-OIDs', async () => {
    const { verify } = await import('../src/index.js');
    const { fixture, loadManifest, optionsFor } = await import('./helpers/fixtures.js');
    const manifest = loadManifest();
    const sample = manifest.samples.find((s) => s.id === 'kz-attached')!;
    const base = optionsFor(manifest, sample);
    expect((await verify(fixture(sample.file), base)).signatures[0]?.indication).toBe('TOTAL-PASSED');
    // The KZ test PKI asserts no certificate policies: an agreement requiring one cannot be met.
    const required = await verify(fixture(sample.file), { ...base, acceptablePolicies: [P1] });
    expect(required.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CHAIN_CONSTRAINTS_FAILURE' });
    await expect(verify(fixture(sample.file), { ...base, acceptablePolicies: ['not-an-oid'] })).rejects.toMatchObject({ code: expect.any(String) });
  });
});
