import { TrustListError } from './errors.js';
import {
  TEST_LIST_RULE,
  TRUST_LIST_JSON_VERSION,
  type DigitalIdentity,
  type ListAddress,
  type MutualRecognitionInfo,
  type ServiceEquivalence,
  type ServiceHistoryInstance,
  type TrustedList,
  type TrustListProvenance,
  type TrustService,
  type TrustServiceProvider,
  type TslPointer,
} from './model.js';

/**
 * The JSON form of a trusted list (trust-lists/trust-list.schema.json). It is
 * the model itself plus a `kind`/`jsonVersion` header. A JSON list carries no
 * signature: its integrity is whatever the caller establishes for the file
 * (a pinned SHA-256, or shipping it inside the application), and reports say which.
 */
export const TRUST_LIST_JSON_KIND = 'ots-esig/trusted-list';

/** A trusted list in its JSON form: the model with a `kind`/`jsonVersion` header. */
export interface TrustListJson extends TrustedList {
  readonly $schema?: string;
  readonly kind: typeof TRUST_LIST_JSON_KIND;
  readonly jsonVersion: number;
}

/** The JSON form of a trusted list (trust-list.schema.json), with the provenance of its XML source when converted from one. */
export function trustedListToJson(list: TrustedList, provenance?: TrustListProvenance): TrustListJson {
  return {
    $schema: 'https://ots-esig.invalid/schemas/trust-list.schema.json',
    kind: TRUST_LIST_JSON_KIND,
    jsonVersion: TRUST_LIST_JSON_VERSION,
    ...list,
    ...(provenance ? { provenance } : {}),
  };
}

// --- reading: every field checked, unknown fields refused (a typo must not silently drop a constraint) ---

type Obj = Record<string, unknown>;

class Reader {
  /**
   * The path (`$.providers[0].name`) is spelled out only for an error: built eagerly it was a string per field
   * read, 75,000 for a 5,000-service list, about a tenth of loading it.
   */
  constructor(
    private readonly parent: Reader | undefined,
    private readonly key: string | number,
  ) {}
  private get path(): string {
    const step = typeof this.key === 'number' ? `[${this.key}]` : this.parent ? `.${this.key}` : this.key;
    return this.parent ? this.parent.path + step : step;
  }
  at(key: string | number): Reader {
    return new Reader(this, key);
  }
  fail(msg: string): never {
    throw new TrustListError(`trust list JSON ${this.path}: ${msg}`);
  }
  obj(v: unknown, keys: readonly string[], optional: readonly string[] = []): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail('must be an object');
    const o = v as Obj;
    for (const k of Object.keys(o)) if (!keys.includes(k) && !optional.includes(k)) this.at(k).fail('unknown property');
    for (const k of keys) if (!(k in o)) this.at(k).fail('is required');
    return o;
  }
  str(v: unknown): string {
    if (typeof v !== 'string') this.fail('must be a string');
    return v as string;
  }
  strOrNull(v: unknown): string | null {
    return v === null ? null : this.str(v);
  }
  int(v: unknown): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) this.fail('must be a non-negative integer');
    return v as number;
  }
  time(v: unknown): string {
    const s = this.str(v);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(s) || Number.isNaN(Date.parse(s))) this.fail('must be an ISO-8601 UTC date-time');
    return new Date(Date.parse(s)).toISOString();
  }
  timeOrNull(v: unknown): string | null {
    return v === null ? null : this.time(v);
  }
  arr<T>(v: unknown, each: (r: Reader, x: unknown) => T): T[] {
    if (!Array.isArray(v)) this.fail('must be an array');
    return (v as unknown[]).map((x, i) => each(this.at(i), x));
  }
  strs(v: unknown): string[] {
    return this.arr(v, (r, x) => r.str(x));
  }
  /** Optional list (hand-authored files may leave it out): absent = empty. */
  optStrs(v: unknown): string[] {
    return v === undefined ? [] : this.strs(v);
  }
  optArr<T>(v: unknown, each: (r: Reader, x: unknown) => T): T[] {
    return v === undefined ? [] : this.arr(v, each);
  }
  /** Optional nullable string: absent = null. */
  optStrOrNull(v: unknown): string | null {
    return v === undefined ? null : this.strOrNull(v);
  }
  bool(v: unknown): boolean {
    if (typeof v !== 'boolean') this.fail('must be true or false');
    return v as boolean;
  }
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HEX = /^[0-9a-f]+$/;

function identity(r: Reader, v: unknown): DigitalIdentity {
  const o = r.obj(v, [], ['certificates', 'subjectNames', 'skis']);
  return {
    certificates: r.at('certificates').optArr(o.certificates, (rr, x) => (B64.test(rr.str(x)) ? (x as string) : rr.fail('must be base64 DER'))),
    subjectNames: r.at('subjectNames').optStrs(o.subjectNames),
    skis: r.at('skis').optArr(o.skis, (rr, x) => (HEX.test(rr.str(x)) ? (x as string) : rr.fail('must be lower-case hex'))),
  };
}

function address(r: Reader, v: unknown): ListAddress {
  const o = r.obj(v, ['street', 'locality', 'countryName', 'electronic'], ['stateOrProvince', 'postalCode']);
  return {
    street: r.at('street').str(o.street),
    locality: r.at('locality').str(o.locality),
    stateOrProvince: r.at('stateOrProvince').optStrOrNull(o.stateOrProvince),
    postalCode: r.at('postalCode').optStrOrNull(o.postalCode),
    countryName: r.at('countryName').str(o.countryName),
    electronic: r.at('electronic').strs(o.electronic),
  };
}

function history(r: Reader, v: unknown): ServiceHistoryInstance {
  const o = r.obj(v, ['type', 'status', 'statusStartingTime'], ['name', 'identity', 'additionalServiceInformation', 'qualifiers']);
  return {
    type: r.at('type').str(o.type),
    name: o.name === undefined ? '' : r.at('name').str(o.name),
    status: r.at('status').str(o.status),
    statusStartingTime: r.at('statusStartingTime').time(o.statusStartingTime),
    additionalServiceInformation: r.at('additionalServiceInformation').optStrs(o.additionalServiceInformation),
    qualifiers: r.at('qualifiers').optStrs(o.qualifiers),
    ...(o.identity !== undefined ? { identity: identity(r.at('identity'), o.identity) } : {}),
  };
}

function service(r: Reader, v: unknown): TrustService {
  const o = r.obj(v, ['type', 'name', 'identity', 'status', 'statusStartingTime'], ['additionalServiceInformation', 'qualifiers', 'history']);
  return {
    type: r.at('type').str(o.type),
    name: r.at('name').str(o.name),
    identity: identity(r.at('identity'), o.identity),
    status: r.at('status').str(o.status),
    statusStartingTime: r.at('statusStartingTime').time(o.statusStartingTime),
    additionalServiceInformation: r.at('additionalServiceInformation').optStrs(o.additionalServiceInformation),
    qualifiers: r.at('qualifiers').optStrs(o.qualifiers),
    history: r.at('history').optArr(o.history, history).sort((a, b) => Date.parse(b.statusStartingTime) - Date.parse(a.statusStartingTime)),
  };
}

function provider(r: Reader, v: unknown): TrustServiceProvider {
  const o = r.obj(v, ['name', 'services'], ['tradeNames', 'address', 'informationUris']);
  return {
    name: r.at('name').str(o.name),
    tradeNames: r.at('tradeNames').optStrs(o.tradeNames),
    services: r.at('services').arr(o.services, service),
    ...(o.address !== undefined ? { address: address(r.at('address'), o.address) } : {}),
    ...(o.informationUris !== undefined ? { informationUris: r.at('informationUris').strs(o.informationUris) } : {}),
  };
}

function svcTypes(r: Reader, v: unknown): { type: string; additionalServiceInformation: string[] }[] {
  return r.arr(v, (rr, x) => {
    const o = rr.obj(x, ['type', 'additionalServiceInformation']);
    return { type: rr.at('type').str(o.type), additionalServiceInformation: rr.at('additionalServiceInformation').strs(o.additionalServiceInformation) };
  });
}

function statusPair(r: Reader, v: unknown): { pointed: string[]; pointing: string[] } {
  const o = r.obj(v, ['pointed', 'pointing']);
  return { pointed: r.at('pointed').strs(o.pointed), pointing: r.at('pointing').strs(o.pointing) };
}

function equivalence(r: Reader, v: unknown): ServiceEquivalence {
  const o = r.obj(v, ['legalIdentifier', 'status', 'statusStartingTime', 'pointedServiceTypes', 'pointingServiceTypes', 'validStatuses', 'invalidStatuses']);
  const status = r.at('status').str(o.status);
  if (status !== 'enacted' && status !== 'repealed') r.at('status').fail('must be "enacted" or "repealed"');
  return {
    legalIdentifier: r.at('legalIdentifier').str(o.legalIdentifier),
    status: status as 'enacted' | 'repealed',
    statusStartingTime: r.at('statusStartingTime').time(o.statusStartingTime),
    pointedServiceTypes: svcTypes(r.at('pointedServiceTypes'), o.pointedServiceTypes),
    pointingServiceTypes: svcTypes(r.at('pointingServiceTypes'), o.pointingServiceTypes),
    validStatuses: statusPair(r.at('validStatuses'), o.validStatuses),
    invalidStatuses: statusPair(r.at('invalidStatuses'), o.invalidStatuses),
  };
}

function mra(r: Reader, v: unknown): MutualRecognitionInfo {
  const o = r.obj(v, ['pointingContractingPartyLegislation', 'pointedContractingPartyLegislation', 'technicalType', 'version', 'equivalences']);
  return {
    pointingContractingPartyLegislation: r.at('pointingContractingPartyLegislation').str(o.pointingContractingPartyLegislation),
    pointedContractingPartyLegislation: r.at('pointedContractingPartyLegislation').str(o.pointedContractingPartyLegislation),
    technicalType: r.at('technicalType').int(o.technicalType),
    version: r.at('version').int(o.version),
    equivalences: r.at('equivalences').arr(o.equivalences, equivalence),
  };
}

function pointer(r: Reader, v: unknown): TslPointer {
  const o = r.obj(v, ['location', 'territory', 'signingCertificates'], ['type', 'mimeType', 'operatorName', 'schemeTypeCommunityRules', 'mra']);
  return {
    location: r.at('location').str(o.location),
    territory: r.at('territory').strOrNull(o.territory),
    type: r.at('type').optStrOrNull(o.type),
    mimeType: r.at('mimeType').optStrOrNull(o.mimeType),
    operatorName: r.at('operatorName').optStrOrNull(o.operatorName),
    schemeTypeCommunityRules: r.at('schemeTypeCommunityRules').optStrs(o.schemeTypeCommunityRules),
    signingCertificates: r.at('signingCertificates').arr(o.signingCertificates, (rr, x) => (B64.test(rr.str(x)) ? (x as string) : rr.fail('must be base64 DER'))),
    ...(o.mra !== undefined ? { mra: mra(r.at('mra'), o.mra) } : {}),
  };
}

const SCHEME_KEYS = ['version', 'sequenceNumber', 'type', 'operatorName', 'territory', 'issueDate', 'nextUpdate'];
/** May be left out of hand-authored files: lists default to empty, texts to null/"". */
const SCHEME_OPTIONAL_KEYS = [
  'operatorAddress', 'schemeName', 'statusDeterminationApproach', 'schemeTypeCommunityRules', 'schemeInformationUris',
  'policyOrLegalNotice', 'historicalInformationPeriod', 'distributionPoints', 'pointers',
];

/** Reads the JSON form (text or parsed value), checking every field; throws TrustListError on any deviation. */
export function parseTrustedListJson(input: string | unknown): TrustedList {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new TrustListError(`trust list JSON is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
  }
  const r = new Reader(undefined, '$');
  const o = r.obj(value, ['kind', 'jsonVersion', 'id', 'scheme', 'providers', 'test'], ['$schema', 'provenance']);
  if (o.kind !== TRUST_LIST_JSON_KIND) r.at('kind').fail(`must be "${TRUST_LIST_JSON_KIND}"`);
  if (o.jsonVersion !== TRUST_LIST_JSON_VERSION) r.at('jsonVersion').fail(`unsupported version ${String(o.jsonVersion)} (this library reads ${TRUST_LIST_JSON_VERSION})`);
  const rs = r.at('scheme');
  const s = rs.obj(o.scheme, SCHEME_KEYS, SCHEME_OPTIONAL_KEYS);
  const hip = s.historicalInformationPeriod;
  let provenance: TrustListProvenance | undefined;
  if (o.provenance !== undefined) {
    const rp = r.at('provenance');
    const p = rp.obj(o.provenance, ['format', 'sha256', 'signature', 'signer', 'convertedAt']);
    if (p.format !== 'xml') rp.at('format').fail('must be "xml"');
    const sha = rp.at('sha256').str(p.sha256);
    if (!/^[0-9a-f]{64}$/.test(sha)) rp.at('sha256').fail('must be 64 lower-case hex digits');
    provenance = {
      format: 'xml',
      sha256: sha,
      signature: rp.at('signature').str(p.signature),
      signer: rp.at('signer').strOrNull(p.signer),
      convertedAt: rp.at('convertedAt').time(p.convertedAt),
    };
  }
  const rules = rs.at('schemeTypeCommunityRules').optStrs(s.schemeTypeCommunityRules);
  return {
    id: r.at('id').str(o.id),
    // The TEST scheme rule cannot be overridden by the flag: a test list stays one.
    test: r.at('test').bool(o.test) || rules.includes(TEST_LIST_RULE),
    scheme: {
      version: rs.at('version').int(s.version),
      sequenceNumber: rs.at('sequenceNumber').int(s.sequenceNumber),
      type: rs.at('type').str(s.type),
      operatorName: rs.at('operatorName').str(s.operatorName),
      ...(s.operatorAddress !== undefined ? { operatorAddress: address(rs.at('operatorAddress'), s.operatorAddress) } : {}),
      schemeName: s.schemeName === undefined ? '' : rs.at('schemeName').str(s.schemeName),
      territory: rs.at('territory').strOrNull(s.territory),
      statusDeterminationApproach: rs.at('statusDeterminationApproach').optStrOrNull(s.statusDeterminationApproach),
      schemeTypeCommunityRules: rules,
      schemeInformationUris: rs.at('schemeInformationUris').optStrs(s.schemeInformationUris),
      policyOrLegalNotice: rs.at('policyOrLegalNotice').optStrOrNull(s.policyOrLegalNotice),
      historicalInformationPeriod: hip === null || hip === undefined ? null : rs.at('historicalInformationPeriod').int(hip),
      issueDate: rs.at('issueDate').time(s.issueDate),
      nextUpdate: rs.at('nextUpdate').timeOrNull(s.nextUpdate),
      distributionPoints: rs.at('distributionPoints').optStrs(s.distributionPoints),
      pointers: rs.at('pointers').optArr(s.pointers, pointer),
    },
    providers: r.at('providers').arr(o.providers, provider),
    ...(provenance ? { provenance } : {}),
  };
}
