/**
 * Reading a validation policy from JSON (policies/policy.schema.json describes the same shape).
 *
 * Hand-written structural checks, no schema engine: the library stays small and runs in browsers. A
 * file either gives the whole policy, or says `"extends": "default" | "lenient"` and gives only what
 * differs; it is then deep-merged over that preset (objects merged key by key, arrays and scalars
 * replaced). Every error names the path of the bad field. test/policy-parse.test.ts checks, with ajv,
 * that the schema and this parser accept and refuse the same documents.
 */
import { sha256Hex } from '../util/sha256.js';
import { InvalidOptionError } from '../errors.js';
import type { ValidationPolicy } from './model.js';
import { POLICY_PRESETS } from './presets.js';
import { KEY_USAGE_BITS } from '../pki/certificate.js';

type Json = Record<string, unknown>;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const OID = /^[0-2](\.(0|[1-9]\d*))+$/;
const SCOPES = ['signer-and-ca', 'signer', 'none'] as const;
const SEVERITIES = ['FAIL', 'WARN', 'IGNORE'] as const;
const SEVERITY_FINDINGS = ['signingCertificateDigestBelowPolicy', 'signingCertificateNotSigned', 'qualifyingPropertiesTargetMismatch', 'xmlMarkupNotCovered'] as const;

/** One field: how to check it, and whether a full policy must have it. */
interface Field {
  readonly check: (v: unknown, path: string, partial: boolean) => void;
  readonly required: boolean;
  /** Required in a partial (`extends`) file too. */
  readonly always?: boolean;
}

const fail = (path: string, what: string): never => {
  throw new InvalidOptionError(`invalid validation policy: ${path} ${what}`);
};
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(fields: Readonly<Record<string, Field>>): Field['check'] {
  return (v, path, partial) => {
    if (!isObject(v)) fail(path, 'must be an object');
    const o = v as Json;
    for (const k of Object.keys(o)) if (!(k in fields)) fail(`${path}.${k}`, `is not a known field (known: ${Object.keys(fields).join(', ')})`);
    for (const [k, f] of Object.entries(fields)) {
      if (o[k] === undefined) {
        if (f.always || (f.required && !partial)) fail(`${path}.${k}`, 'is required');
        continue;
      }
      f.check(o[k], `${path}.${k}`, partial);
    }
  };
}

const req = (check: Field['check']): Field => ({ check, required: true });
const opt = (check: Field['check']): Field => ({ check, required: false });

const string: Field['check'] = (v, path) => {
  if (typeof v !== 'string' || v.length === 0) fail(path, 'must be a non-empty string');
};
const boolean: Field['check'] = (v, path) => {
  if (typeof v !== 'boolean') fail(path, 'must be true or false');
};
const oneOf =
  (values: readonly string[]): Field['check'] =>
  (v, path) => {
    if (typeof v !== 'string' || !values.includes(v)) fail(path, `must be one of ${values.join(', ')} (got ${JSON.stringify(v)})`);
  };
const integer =
  (min: number, max: number): Field['check'] =>
  (v, path) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(path, `must be an integer from ${min} to ${max}`);
  };
const time: Field['check'] = (v, path) => {
  if (typeof v !== 'string' || !ISO_TIME.test(v) || Number.isNaN(Date.parse(v))) fail(path, 'must be an ISO 8601 UTC time (YYYY-MM-DDThh:mm:ssZ)');
};
const timeOrNull: Field['check'] = (v, path, partial) => (v === null ? undefined : time(v, path, partial));
const arrayOf =
  (item: Field['check'], minItems = 0): Field['check'] =>
  (v, path, partial) => {
    if (!Array.isArray(v)) return fail(path, 'must be an array');
    if (v.length < minItems) fail(path, `must have at least ${minItems} item(s)`);
    v.forEach((x, i) => item(x, `${path}[${i}]`, partial));
  };
const recordOf =
  (value: Field['check']): Field['check'] =>
  (v, path, partial) => {
    if (!isObject(v)) fail(path, 'must be an object');
    for (const [k, x] of Object.entries(v as Json)) value(x, `${path}.${k}`, partial);
  };
const oid: Field['check'] = (v, path) => {
  if (typeof v !== 'string' || !OID.test(v)) fail(path, `must be an OID in dotted form (got ${JSON.stringify(v)})`);
};

const hex: Field['check'] = (v, path) => {
  if (typeof v !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(v)) fail(path, 'must be hex bytes');
};

const POLICY = object({
  /** Editors' pointer to policies/policy.schema.json; not part of the policy. */
  $schema: opt(string),
  name: { check: string, required: true, always: true },
  description: opt(string),
  extends: opt(oneOf(Object.keys(POLICY_PRESETS))),
  certificate: req(
    object({
      profile: req(oneOf(['strict', 'lenient'])),
      acceptablePolicies: opt(arrayOf(oid, 1)),
      explicitPolicy: opt(boolean),
      inhibitPolicyMapping: opt(boolean),
      inhibitAnyPolicy: opt(boolean),
      requireAnchorReference: opt(boolean),
    }),
  ),
  revocation: req(
    object({
      signer: req(oneOf(SCOPES)),
      timestampAuthority: req(oneOf(SCOPES)),
      acceptStale: req(boolean),
      maxAgeSeconds: req((v, path, partial) => (v === null ? undefined : integer(0, 2 ** 31)(v, path, partial))),
      rejectUnacceptableCarried: opt(boolean),
    }),
  ),
  algorithms: req(
    object({
      digests: req(recordOf(timeOrNull)),
      keys: req(recordOf(arrayOf(object({ minBits: req(integer(1, 65536)), until: req(timeOrNull) })))),
    }),
  ),
  timestamps: req(object({ requireSignatureTimestamp: req(boolean), maxPerSignature: req(integer(1, 64)), requireAllValid: opt(boolean) })),
  trustServices: req(object({ signerServiceTypes: req(arrayOf(string)), timestampServiceTypes: req(arrayOf(string)) })),
  severity: req(object(Object.fromEntries(SEVERITY_FINDINGS.map((f) => [f, req(oneOf(SEVERITIES))])))),
  signaturePolicy: opt(
    object({
      required: req(boolean),
      acceptable: opt(arrayOf(oid, 1)),
      known: req(arrayOf(object({ id: req(oid), description: opt(string), digestAlgorithm: req(string), digest: req(hex), signerRevocation: opt(oneOf(['crl', 'ocsp'])) }))),
      unknown: req(oneOf(SEVERITIES)),
    }),
  ),
  signer: opt(
    object({
      requireSigningTime: req(boolean),
      keyUsage: opt(arrayOf(oneOf(KEY_USAGE_BITS), 1)),
      maxSigningTimeToTimestampSeconds: opt(integer(0, 2 ** 31)),
      requiredQcStatements: opt(arrayOf(oid, 1)),
      requireUserNotice: opt(boolean),
    }),
  ),
});

/** Objects merged key by key; arrays, scalars and null replace. */
function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = v === undefined ? base[k] : deepMerge(base[k], v);
  return out;
}

/**
 * A ValidationPolicy from its JSON form (an object, or JSON text). Throws InvalidOptionError naming the
 * path of the first bad field. With `extends`, the given fields are deep-merged over the named preset.
 */
export function parsePolicy(json: unknown): ValidationPolicy {
  let doc = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (e) {
      throw new InvalidOptionError(`invalid validation policy: not JSON (${(e as Error).message})`, { cause: e });
    }
  }
  if (!isObject(doc)) fail('policy', 'must be an object');
  const o = doc as Json;
  const base = o.extends;
  POLICY(o, 'policy', base !== undefined);
  const { $schema: _schema, extends: _preset, ...rest } = o;
  if (base === undefined) return structuredClone(rest) as unknown as ValidationPolicy;
  const merged = deepMerge(structuredClone(POLICY_PRESETS[base as string]), structuredClone(rest));
  POLICY(merged, 'policy', false);
  const { description, ...without } = merged as Json;
  // The preset's description no longer describes the result unless the file kept or gave one.
  return (o.description !== undefined ? { ...without, description } : without) as unknown as ValidationPolicy;
}

/** JSON with object keys sorted at every level, no whitespace: the form a policy's hash is taken over. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The policy as a report names it: its name and the SHA-256 of its canonical JSON. */
export async function policyIdentity(policy: ValidationPolicy): Promise<{ name: string; sha256: string }> {
  // Presets and caller objects come back with every call: hash each (frozen or not yet changed) object once.
  const hit = identities.get(policy);
  if (hit && Object.isFrozen(policy)) return { ...hit };
  const bytes = new TextEncoder().encode(canonicalJson(policy));
  const id = { name: policy.name, sha256: await sha256Hex(bytes) };
  identities.set(policy, id);
  return id;
}

const identities = new WeakMap<ValidationPolicy, { name: string; sha256: string }>();
