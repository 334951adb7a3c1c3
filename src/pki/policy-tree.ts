import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { toArrayBuffer } from '../util/bytes.js';
import type { ParsedCertificate } from './certificate.js';
import { decodeExtension } from './general-name.js';
import { OID } from './oids.js';

export const ANY_POLICY = '2.5.29.32.0';

/** The policy-related extensions of one certificate, read once. */
export interface CertificatePolicyInfo {
  /** Undefined when the certificatePolicies extension is absent. */
  readonly policies?: readonly string[];
  readonly mappings?: readonly { readonly issuerDomainPolicy: string; readonly subjectDomainPolicy: string }[];
  readonly requireExplicitPolicy?: number;
  readonly inhibitPolicyMapping?: number;
  readonly inhibitAnyPolicy?: number;
  readonly selfIssued: boolean;
}

/** Reads the policy extensions; throws a plain Error naming the one that is malformed. */
export function readPolicyInfo(cert: ParsedCertificate): CertificatePolicyInfo {
  let policies: string[] | undefined;
  let mappings: { issuerDomainPolicy: string; subjectDomainPolicy: string }[] | undefined;
  let requireExplicitPolicy: number | undefined;
  let inhibitPolicyMapping: number | undefined;
  let inhibitAnyPolicy: number | undefined;
  const as = <T>(type: unknown, value: Uint8Array) => decodeExtension(value, type as { fromBER(raw: BufferSource): T });
  for (const e of cert.extensions) {
    switch (e.oid) {
      case OID.certificatePolicies: {
        const pv = as<pkijs.CertificatePolicies>(pkijs.CertificatePolicies, e.value);
        if (!pv) throw new Error('certificatePolicies extension is malformed');
        policies = pv.certificatePolicies.map((p) => p.policyIdentifier);
        if (new Set(policies).size !== policies.length) throw new Error('certificatePolicies lists a policy twice');
        break;
      }
      case OID.policyMappings: {
        const pv = as<pkijs.PolicyMappings>(pkijs.PolicyMappings, e.value);
        if (!pv) throw new Error('policyMappings extension is malformed');
        mappings = pv.mappings.map((m) => ({ issuerDomainPolicy: m.issuerDomainPolicy, subjectDomainPolicy: m.subjectDomainPolicy }));
        break;
      }
      case OID.policyConstraints: {
        const pv = as<pkijs.PolicyConstraints>(pkijs.PolicyConstraints, e.value);
        if (!pv) throw new Error('policyConstraints extension is malformed');
        if (pv.requireExplicitPolicy === undefined && pv.inhibitPolicyMapping === undefined) throw new Error('policyConstraints extension is empty');
        requireExplicitPolicy = pv.requireExplicitPolicy;
        inhibitPolicyMapping = pv.inhibitPolicyMapping;
        break;
      }
      case OID.inhibitAnyPolicy: {
        const asn = asn1js.fromBER(toArrayBuffer(e.value));
        if (asn.offset === -1 || !(asn.result instanceof asn1js.Integer)) throw new Error('inhibitAnyPolicy extension is malformed');
        inhibitAnyPolicy = asn.result.valueBlock.valueDec;
        if (inhibitAnyPolicy < 0) throw new Error('inhibitAnyPolicy is negative');
        break;
      }
    }
  }
  return { policies, mappings, requireExplicitPolicy, inhibitPolicyMapping, inhibitAnyPolicy, selfIssued: cert.isSelfIssued };
}

/** RFC 5280 6.1.1 (c), (e), (f), (g) inputs. */
export interface PolicyInputs {
  /** user-initial-policy-set; default { anyPolicy }. */
  readonly initialPolicySet?: readonly string[];
  readonly initialExplicitPolicy?: boolean;
  readonly initialPolicyMappingInhibit?: boolean;
  readonly initialAnyPolicyInhibit?: boolean;
}

export type PolicyOutcome =
  | { readonly ok: true; /** Valid policies of the path (leaf-level valid_policy values); empty when the tree is NULL. */ readonly policies: readonly string[] }
  | { readonly ok: false; /** Index into the path, 0 = first certificate after the anchor. */ readonly index: number; readonly reason: string };

interface PolicyNode {
  readonly validPolicy: string;
  expected: Set<string>;
  readonly parent?: PolicyNode;
  children: PolicyNode[];
}

/**
 * RFC 5280 6.1 policy processing over a path given anchor-side first (index 0
 * is the certificate the anchor issued, the last is the target): the
 * valid_policy_tree with policy mapping, inhibitAnyPolicy, requireExplicitPolicy
 * and the final intersection with the user-initial-policy-set.
 */
export function processPolicies(path: readonly CertificatePolicyInfo[], inputs: PolicyInputs = {}): PolicyOutcome {
  const n = path.length;
  const root: PolicyNode = { validPolicy: ANY_POLICY, expected: new Set([ANY_POLICY]), children: [] };
  // levels[d] = nodes at depth d; null tree when levels[0] is empty.
  let levels: PolicyNode[][] = [[root]];
  let explicitPolicy = inputs.initialExplicitPolicy ? 0 : n + 1;
  let inhibitAnyPolicy = inputs.initialAnyPolicyInhibit ? 0 : n + 1;
  let policyMapping = inputs.initialPolicyMappingInhibit ? 0 : n + 1;
  let treeNull = false;

  const remove = (node: PolicyNode, depth: number) => {
    levels[depth] = levels[depth]!.filter((x) => x !== node);
    for (const c of node.children) remove(c, depth + 1);
    if (node.parent) node.parent.children = node.parent.children.filter((x) => x !== node);
  };
  /** Deletes childless nodes above `depth`, bottom-up; NULLs the tree when the root goes. */
  const prune = (depth: number) => {
    for (let d = depth - 1; d >= 0; d--) {
      for (const node of [...levels[d]!]) if (node.children.length === 0) remove(node, d);
    }
    if (levels[0]!.length === 0) treeNull = true;
  };

  for (let k = 0; k < n; k++) {
    const i = k + 1; // RFC numbering
    const cert = path[k]!;
    const isLast = i === n;
    // 6.1.3 (d)/(e)
    if (!treeNull && cert.policies) {
      const parents = levels[i - 1]!;
      const next: PolicyNode[] = [];
      levels[i] = next;
      for (const p of cert.policies) {
        if (p === ANY_POLICY) continue;
        let matched = false;
        for (const parent of parents) {
          if (parent.expected.has(p)) {
            const child: PolicyNode = { validPolicy: p, expected: new Set([p]), parent, children: [] };
            parent.children.push(child);
            next.push(child);
            matched = true;
          }
        }
        if (!matched) {
          const anyParent = parents.find((x) => x.validPolicy === ANY_POLICY);
          if (anyParent) {
            const child: PolicyNode = { validPolicy: p, expected: new Set([p]), parent: anyParent, children: [] };
            anyParent.children.push(child);
            next.push(child);
          }
        }
      }
      if (cert.policies.includes(ANY_POLICY) && (inhibitAnyPolicy > 0 || (!isLast && cert.selfIssued))) {
        for (const parent of parents) {
          for (const value of parent.expected) {
            if (parent.children.some((c) => c.validPolicy === value)) continue;
            const child: PolicyNode = { validPolicy: value, expected: new Set([value]), parent, children: [] };
            parent.children.push(child);
            next.push(child);
          }
        }
      }
      prune(i);
    } else {
      treeNull = true;
    }
    if (treeNull) levels = [[]];
    // (f)
    if (explicitPolicy <= 0 && treeNull) return { ok: false, index: k, reason: 'no valid policy remains and an explicit policy is required' };

    if (isLast) break;
    // 6.1.4 (a), (b)
    if (cert.mappings) {
      if (cert.mappings.some((m) => m.issuerDomainPolicy === ANY_POLICY || m.subjectDomainPolicy === ANY_POLICY)) {
        return { ok: false, index: k, reason: 'policyMappings maps to or from anyPolicy' };
      }
      if (!treeNull) {
        const byIssuer = new Map<string, Set<string>>();
        for (const m of cert.mappings) {
          const s = byIssuer.get(m.issuerDomainPolicy) ?? new Set<string>();
          s.add(m.subjectDomainPolicy);
          byIssuer.set(m.issuerDomainPolicy, s);
        }
        const level = levels[i] ?? [];
        if (policyMapping > 0) {
          for (const [idp, subjects] of byIssuer) {
            const nodes = level.filter((x) => x.validPolicy === idp);
            if (nodes.length) for (const node of nodes) node.expected = new Set(subjects);
            else {
              const anyNode = level.find((x) => x.validPolicy === ANY_POLICY);
              if (anyNode?.parent) {
                const child: PolicyNode = { validPolicy: idp, expected: new Set(subjects), parent: anyNode.parent, children: [] };
                anyNode.parent.children.push(child);
                level.push(child);
              }
            }
          }
        } else {
          for (const idp of byIssuer.keys()) for (const node of level.filter((x) => x.validPolicy === idp)) remove(node, i);
          prune(i);
          if (treeNull) levels = [[]];
        }
      }
    }
    // (h), (i), (j)
    if (!cert.selfIssued) {
      if (explicitPolicy > 0) explicitPolicy--;
      if (policyMapping > 0) policyMapping--;
      if (inhibitAnyPolicy > 0) inhibitAnyPolicy--;
    }
    if (cert.requireExplicitPolicy !== undefined) explicitPolicy = Math.min(explicitPolicy, cert.requireExplicitPolicy);
    if (cert.inhibitPolicyMapping !== undefined) policyMapping = Math.min(policyMapping, cert.inhibitPolicyMapping);
    if (cert.inhibitAnyPolicy !== undefined) inhibitAnyPolicy = Math.min(inhibitAnyPolicy, cert.inhibitAnyPolicy);
  }

  // 6.1.5 (a), (b)
  if (n > 0) {
    if (explicitPolicy > 0) explicitPolicy--;
    if (path[n - 1]!.requireExplicitPolicy === 0) explicitPolicy = 0;
  }
  // (g) intersection with the user-initial-policy-set
  const initial = inputs.initialPolicySet && inputs.initialPolicySet.length ? new Set(inputs.initialPolicySet) : new Set([ANY_POLICY]);
  if (!treeNull && n > 0 && !initial.has(ANY_POLICY)) {
    const all = levels.flat();
    const validNodeSet = all.filter((x) => x.parent?.validPolicy === ANY_POLICY);
    for (const node of validNodeSet) {
      if (node.validPolicy !== ANY_POLICY && !initial.has(node.validPolicy)) remove(node, depthOf(node));
    }
    const anyLeaf = (levels[n] ?? []).find((x) => x.validPolicy === ANY_POLICY);
    if (anyLeaf?.parent) {
      const present = new Set(validNodeSet.filter((x) => levels[depthOf(x)]!.includes(x)).map((x) => x.validPolicy));
      for (const p of initial) {
        if (present.has(p)) continue;
        const child: PolicyNode = { validPolicy: p, expected: new Set([p]), parent: anyLeaf.parent, children: [] };
        anyLeaf.parent.children.push(child);
        levels[n]!.push(child);
      }
      remove(anyLeaf, n);
    }
    prune(n);
  }
  const leaves = treeNull || n === 0 ? [] : (levels[n] ?? []).map((x) => x.validPolicy);
  if (explicitPolicy > 0 || leaves.length > 0 || (n === 0 && !treeNull)) return { ok: true, policies: leaves };
  return { ok: false, index: n - 1, reason: 'no valid policy for the path satisfies the acceptable policy set and an explicit policy is required' };
}

function depthOf(node: PolicyNode): number {
  let d = 0;
  for (let p = node.parent; p; p = p.parent) d++;
  return d;
}
