// Recognition matrix: relying party × signer country × basis × time, through the
// real verify() pipeline on the fixture CAdES signatures and the signed pilot
// TEST lists in trust-lists/. The expectations come from a plain statement of
// the pilot's rules (below), not from the implementation.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTrustLists, type TrustListInput, type TrustSet } from '../src/trust/load.js';
import { verify } from '../src/validation/verify.js';
import { fixtureCrls } from './helpers/fixtures.js';

const root = new URL('../', import.meta.url);
const read = (p: string): Uint8Array => new Uint8Array(readFileSync(new URL(p, root)));

const MEMBERS = ['AZ', 'KZ', 'KG', 'TR', 'UZ'];
const RELYING = ['AZ', 'KZ', 'KG', 'TR', 'UZ', 'HU'] as const;
const SIGNERS = ['AZ', 'KZ', 'KG', 'TR', 'UZ', 'HU', 'TM'] as const;
type Basis = 'multilateral' | 'bilateral' | 'both';
const BASES: Basis[] = ['multilateral', 'bilateral', 'both'];

// The pilot's facts (fixtures/gen-trust.ts):
const KG_WITHDRAWN = Date.parse('2026-03-01T00:00:00Z'); // KG root CA service withdrawn
const AZ_TR_FROM = Date.parse('2025-01-01T00:00:00Z'); // AZ <-> TR mutual, open-ended
const KZ_UZ_FROM = Date.parse('2025-06-01T00:00:00Z'); // KZ -> UZ one way, purposes restricted
const KG_KZ_UNTIL = Date.parse('2026-01-01T00:00:00Z'); // KG <-> KZ mutual, ended

const TIMES = {
  'before KZ->UZ starts': '2025-03-01T00:00:00Z',
  'all agreements in force': '2025-09-01T00:00:00Z',
  'KG-KZ ended, KG still granted': '2026-02-01T00:00:00Z',
  'KG withdrawn (fixture validation time)': '2026-06-01T00:00:00Z',
} as const;

type Status = 'RECOGNIZED' | 'NOT_RECOGNIZED' | 'INDETERMINATE' | 'INVALID';
interface Expected {
  status: Status;
  /** Every one of these must occur in the reasons. */
  reasons: RegExp[];
  kind?: 'national' | 'multilateral' | 'bilateral';
  level?: 'qualified' | 'advanced';
}

function expected(basis: Basis, R: string, X: string, t: number): Expected {
  if (X === 'TM') return { status: 'INVALID', reasons: [/NO_CERTIFICATE_CHAIN_FOUND/] };
  const good = X !== 'KG' || t < KG_WITHDRAWN;
  const level = X === 'TR' ? 'advanced' : 'qualified';
  const outcomes: { status: Status; kind: Expected['kind']; reason?: RegExp }[] = [];
  const serviceOutcome = (kind: Expected['kind']) =>
    outcomes.push(good ? { status: 'RECOGNIZED', kind } : { status: 'NOT_RECOGNIZED', kind, reason: /withdrawn at the best-signature-time/ });
  if (X === R) serviceOutcome('national');
  const lotlLoaded = basis !== 'bilateral';
  if (lotlLoaded && MEMBERS.includes(X) && X !== R) {
    if (MEMBERS.includes(R)) serviceOutcome('multilateral');
    else outcomes.push({ status: 'NOT_RECOGNIZED', kind: 'multilateral', reason: new RegExp(`${R} is not a member`) });
  }
  if (basis !== 'multilateral') {
    const pair = [R, X].sort().join('-');
    if (pair === 'AZ-TR' && t >= AZ_TR_FROM) serviceOutcome('bilateral');
    if (R === 'UZ' && X === 'KZ') {
      outcomes.push(
        t < KZ_UZ_FROM
          ? { status: 'NOT_RECOGNIZED', kind: 'bilateral', reason: /outside it/ }
          : { status: 'INDETERMINATE', kind: 'bilateral', reason: /no purpose was given/ },
      );
    }
    if (pair === 'KG-KZ') {
      if (t >= KG_KZ_UNTIL) outcomes.push({ status: 'NOT_RECOGNIZED', kind: 'bilateral', reason: /outside it/ });
      else serviceOutcome('bilateral');
    }
  }
  const rec = outcomes.find((o) => o.status === 'RECOGNIZED');
  if (rec) return { status: 'RECOGNIZED', reasons: [/recognized on the basis of/], kind: rec.kind, level };
  const ind = outcomes.find((o) => o.status === 'INDETERMINATE');
  if (ind) return { status: 'INDETERMINATE', reasons: [ind.reason!], kind: ind.kind };
  if (outcomes.length === 0) return { status: 'NOT_RECOGNIZED', reasons: [new RegExp(`${R} has no basis to recognize ${X}`)] };
  return { status: 'NOT_RECOGNIZED', reasons: outcomes.map((o) => o.reason!) };
}

function listInputs(basis: Basis): TrustListInput[] {
  const national = (cc: string, pinned: boolean): TrustListInput => ({
    data: read(`trust-lists/${cc}-tl.xml`),
    name: `${cc}-tl.xml`,
    ...(pinned ? { signingCertificates: [read(`fixtures/pki/${cc}-tl-operator.pem`)] } : {}),
  });
  const hu = national('hu', true); // observer: never on the list of lists, pinned directly
  if (basis === 'bilateral') return [...['az', 'kz', 'kg', 'tr', 'uz'].map((c) => national(c, true)), hu];
  return [
    { data: read('trust-lists/ots-lotl.xml'), name: 'ots-lotl.xml', signingCertificates: [read('fixtures/pki/ots-lotl-operator.pem')] },
    ...['az', 'kz', 'kg', 'tr', 'uz'].map((c) => national(c, false)),
    hu,
  ];
}

const AGREEMENTS = ['az-tr-mutual', 'kz-to-uz-one-way', 'kg-kz-ended'].map((a) => ({ data: read(`trust-lists/agreements/${a}.json`), name: `${a}.json` }));
const signature = Object.fromEntries(SIGNERS.map((cc) => [cc, read(`fixtures/cades/${cc.toLowerCase()}-attached.p7s`)]));
const sets = new Map<string, TrustSet>();
/** The current CRLs of the test PKI: the default policy requires the status of every signer and CA certificate. */
const FIXTURE_CRLS = fixtureCrls();

beforeAll(async () => {
  for (const basis of BASES) {
    for (const time of Object.values(TIMES)) sets.set(`${basis}@${time}`, await loadTrustLists(listInputs(basis), { time: new Date(time) }));
  }
});

const cases: [Basis, string, string, (typeof RELYING)[number], (typeof SIGNERS)[number]][] = [];
for (const basis of BASES) for (const [label, time] of Object.entries(TIMES)) for (const R of RELYING) for (const X of SIGNERS) cases.push([basis, label, time, R, X]);

describe(`recognition matrix (${cases.length} cases: ${RELYING.length} relying parties x ${SIGNERS.length} signer countries x ${BASES.length} bases x ${Object.keys(TIMES).length} times)`, () => {
  it.each(cases)('%s, %s: relying party %s, signer %s', async (basis, _label, time, R, X) => {
    const t = new Date(time);
    const report = await verify(signature[X]!, {
      trustLists: sets.get(`${basis}@${time}`)!,
      agreements: basis === 'multilateral' ? [] : AGREEMENTS,
      relyingParty: R,
      validationTime: t,
      crls: FIXTURE_CRLS,
    });
    const s = report.signatures[0]!;
    const rec = s.recognition!;
    const want = expected(basis, R, X, t.getTime());
    expect(rec.status).toBe(want.status);
    expect(rec.relyingParty).toBe(R);
    expect(rec.time).toBe(t.toISOString());
    expect(rec.test).toBe(true);
    const reasons = rec.reasons.join(' | ');
    for (const re of want.reasons) expect(reasons).toMatch(re);
    if (want.status === 'INVALID') {
      expect(s.indication).not.toBe('TOTAL-PASSED');
      return;
    }
    expect(s.indication).toBe('TOTAL-PASSED');
    expect(rec.issuerCountry).toBe(X);
    if (want.status === 'RECOGNIZED') {
      expect(rec.basis!.kind).toBe(want.kind);
      expect(rec.equivalenceLevel).toBe(want.level);
      expect(rec.service!.listId).toBe(`${X}:TL`);
      expect(rec.service!.name).toBe(`${X} Test Root CA`);
      expect(rec.service!.status).toMatch(/Svcstatus\/granted$/);
      expect(rec.basis!.listId).toBe(`${X}:TL`);
      expect(rec.basis!.sequenceNumber).toBe(rec.service!.sequenceNumber);
      if (want.kind === 'multilateral') expect(rec.basis!.listOfLists).toEqual({ id: 'OTS:LOTL', sequenceNumber: 3 });
      if (want.kind === 'bilateral') expect(rec.basis!.agreementId).toMatch(/^OTS-TEST-BA-/);
    } else {
      expect(rec.basis === null || want.status === 'INDETERMINATE').toBe(true);
      expect(rec.equivalenceLevel).toBeNull();
    }
    if (X === 'KG' && rec.service) {
      // The status reported is the one in effect at the best-signature-time, from the service history.
      expect(rec.service.status).toMatch(t.getTime() < KG_WITHDRAWN ? /granted$/ : /withdrawn$/);
    }
    expect(report.warnings.some((w) => w.startsWith('TEST LIST in use'))).toBe(true);
  });
});
