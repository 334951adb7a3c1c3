import { TrustListError } from './errors.js';

/**
 * A bilateral recognition agreement (trust-lists/agreement.schema.json), the
 * OTS counterpart of an EU MRA: who recognizes whose signatures, from when to
 * when, how the partner's service types/statuses map to ours, and extra
 * constraints on the signature. Agreements are JSON files the caller supplies
 * and vouches for (they carry no signature); reports name the file's SHA-256.
 */
export const AGREEMENT_JSON_KIND = 'ots-esig/agreement';

export type EquivalenceLevel = 'qualified' | 'advanced';

/** Partner service types with these statuses count as `level` for the relying party. */
export interface AgreementEquivalence {
  readonly level: EquivalenceLevel;
  /** The partner list's ServiceTypeIdentifier URIs (its own vocabulary allowed). */
  readonly partnerServiceTypes: readonly string[];
  /** Partner statuses that count as "in good standing" for this equivalence. */
  readonly partnerStatuses: readonly string[];
  /** Qualifier URIs the partner service must carry (all of them); empty = none required. */
  readonly requiredQualifiers: readonly string[];
  /** What it corresponds to on the relying party's side (for reports). */
  readonly equivalentServiceType: string;
}

/** What an agreement requires of a signature beyond its service type: certificate policies, algorithms, key sizes. */
export interface AgreementConstraints {
  /** The signer certificate must assert at least one of these policy OIDs. */
  readonly certificatePolicies: readonly string[];
  /** Signature algorithm names as reports write them (e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA256`). */
  readonly signatureAlgorithms: readonly string[];
  /** Minimum signer key size per key family (`RSA`, `EC`, ...). */
  readonly minKeySizes: Readonly<Record<string, number>>;
  /** Document types / purposes the agreement covers; the caller states the purpose (`purpose` option). */
  readonly purposes: readonly string[];
}

/** A bilateral recognition agreement between members: parties, validity, the service types recognized and their constraints. */
export interface Agreement {
  readonly id: string;
  readonly title: string;
  readonly test: boolean;
  readonly parties: readonly [string, string];
  readonly direction: 'mutual' | 'one-way';
  /** For one-way agreements: signatures issued in `issuerParty` are recognized in `relyingParty`. */
  readonly issuerParty: string | null;
  readonly relyingParty: string | null;
  readonly effectiveFrom: string;
  /** Null = open-ended. Exclusive. */
  readonly effectiveUntil: string | null;
  readonly equivalences: readonly AgreementEquivalence[];
  readonly constraints: AgreementConstraints;
  /** Set by the loader: SHA-256 of the file, for reports. */
  readonly sha256?: string;
  readonly source?: string;
}

const CC = /^[A-Z]{2}$/;

function fail(path: string, msg: string): never {
  throw new TrustListError(`agreement JSON ${path}: ${msg}`);
}

function obj(v: unknown, path: string, keys: string[], optional: string[] = []): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'must be an object');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!keys.includes(k) && !optional.includes(k)) fail(`${path}.${k}`, 'unknown property');
  for (const k of keys) if (!(k in o)) fail(`${path}.${k}`, 'is required');
  return o;
}

function str(v: unknown, path: string, re?: RegExp): string {
  if (typeof v !== 'string' || v.length === 0) fail(path, 'must be a non-empty string');
  if (re && !re.test(v as string)) fail(path, `must match ${re}`);
  return v as string;
}

function strs(v: unknown, path: string, re?: RegExp): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(path, 'must be an array');
  return (v as unknown[]).map((x, i) => str(x, `${path}[${i}]`, re));
}

function time(v: unknown, path: string): string {
  const s = str(v, path, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  if (Number.isNaN(Date.parse(s))) fail(path, 'not a valid date-time');
  return new Date(Date.parse(s)).toISOString();
}

/** Reads and checks a bilateral agreement (agreement.schema.json); unknown or malformed fields are refused with TrustListError naming them. */
export function parseAgreementJson(input: string | unknown, source?: string): Agreement {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new TrustListError(`agreement${source ? ` ${source}` : ''} is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
  }
  const o = obj(value, '$', ['kind', 'jsonVersion', 'id', 'title', 'test', 'parties', 'direction', 'effectiveFrom', 'effectiveUntil', 'equivalences'], [
    '$schema',
    'issuerParty',
    'relyingParty',
    'constraints',
    'notes',
  ]);
  if (o.kind !== AGREEMENT_JSON_KIND) fail('$.kind', `must be "${AGREEMENT_JSON_KIND}"`);
  if (o.jsonVersion !== 1) fail('$.jsonVersion', 'must be 1');
  if (typeof o.test !== 'boolean') fail('$.test', 'must be true or false');
  const parties = strs(o.parties, '$.parties', CC);
  if (parties.length !== 2 || parties[0] === parties[1]) fail('$.parties', 'must name two different ISO 3166 alpha-2 countries');
  const direction = o.direction;
  if (direction !== 'mutual' && direction !== 'one-way') fail('$.direction', 'must be "mutual" or "one-way"');
  let issuerParty: string | null = null;
  let relyingParty: string | null = null;
  if (direction === 'one-way') {
    issuerParty = str(o.issuerParty, '$.issuerParty', CC);
    relyingParty = str(o.relyingParty, '$.relyingParty', CC);
    if (!parties.includes(issuerParty) || !parties.includes(relyingParty) || issuerParty === relyingParty) {
      fail('$', 'issuerParty and relyingParty must be the two parties');
    }
  } else if (o.issuerParty !== undefined || o.relyingParty !== undefined) {
    fail('$', 'issuerParty/relyingParty apply to one-way agreements only');
  }
  const effectiveFrom = time(o.effectiveFrom, '$.effectiveFrom');
  const effectiveUntil = o.effectiveUntil === null ? null : time(o.effectiveUntil, '$.effectiveUntil');
  if (effectiveUntil !== null && Date.parse(effectiveUntil) <= Date.parse(effectiveFrom)) fail('$.effectiveUntil', 'must be after effectiveFrom');
  if (!Array.isArray(o.equivalences) || o.equivalences.length === 0) fail('$.equivalences', 'must be a non-empty array');
  const equivalences = (o.equivalences as unknown[]).map((e, i): AgreementEquivalence => {
    const p = `$.equivalences[${i}]`;
    const eo = obj(e, p, ['level', 'partnerServiceTypes', 'partnerStatuses', 'equivalentServiceType'], ['requiredQualifiers']);
    if (eo.level !== 'qualified' && eo.level !== 'advanced') fail(`${p}.level`, 'must be "qualified" or "advanced"');
    const types = strs(eo.partnerServiceTypes, `${p}.partnerServiceTypes`);
    const statuses = strs(eo.partnerStatuses, `${p}.partnerStatuses`);
    if (!types.length || !statuses.length) fail(p, 'partnerServiceTypes and partnerStatuses must not be empty');
    return {
      level: eo.level as EquivalenceLevel,
      partnerServiceTypes: types,
      partnerStatuses: statuses,
      requiredQualifiers: strs(eo.requiredQualifiers, `${p}.requiredQualifiers`),
      equivalentServiceType: str(eo.equivalentServiceType, `${p}.equivalentServiceType`),
    };
  });
  const c = o.constraints === undefined ? {} : obj(o.constraints, '$.constraints', [], ['certificatePolicies', 'signatureAlgorithms', 'minKeySizes', 'purposes']);
  const minKeySizes: Record<string, number> = {};
  if (c.minKeySizes !== undefined) {
    // Any key is allowed, so the allowed list is the object's own keys; obj() refuses a non-object (null, an array, a number).
    const keys = c.minKeySizes !== null && typeof c.minKeySizes === 'object' ? Object.keys(c.minKeySizes) : [];
    const m = obj(c.minKeySizes, '$.constraints.minKeySizes', [], keys);
    for (const [k, v] of Object.entries(m)) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(`$.constraints.minKeySizes.${k}`, 'must be a positive integer');
      minKeySizes[k] = v;
    }
  }
  return {
    id: str(o.id, '$.id'),
    title: str(o.title, '$.title'),
    test: o.test as boolean,
    parties: [parties[0]!, parties[1]!],
    direction,
    issuerParty,
    relyingParty,
    effectiveFrom,
    effectiveUntil,
    equivalences,
    constraints: {
      certificatePolicies: strs(c.certificatePolicies, '$.constraints.certificatePolicies', /^\d+(\.\d+)+$/),
      signatureAlgorithms: strs(c.signatureAlgorithms, '$.constraints.signatureAlgorithms'),
      minKeySizes,
      purposes: strs(c.purposes, '$.constraints.purposes'),
    },
    ...(source ? { source } : {}),
  };
}

/** True when the agreement lets `relyingParty` recognize signatures from `issuerCountry`. */
export function agreementCovers(a: Agreement, relyingParty: string, issuerCountry: string): boolean {
  if (a.direction === 'mutual') return a.parties.includes(relyingParty) && a.parties.includes(issuerCountry) && relyingParty !== issuerCountry;
  return a.relyingParty === relyingParty && a.issuerParty === issuerCountry;
}

/** In force at `t`: effectiveFrom <= t < effectiveUntil. */
export function agreementInForce(a: Agreement, t: Date): boolean {
  return Date.parse(a.effectiveFrom) <= t.getTime() && (a.effectiveUntil === null || t.getTime() < Date.parse(a.effectiveUntil));
}
