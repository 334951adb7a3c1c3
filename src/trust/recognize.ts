import type { ParsedCertificate } from '../pki/certificate.js';
import type {
  MatchedService,
  RecognitionBasis,
  RecognitionEvaluation,
  RecognitionReport,
  SignatureReport,
} from '../report/model.js';
import { agreementCovers, agreementInForce, type Agreement } from './agreements.js';
import { certificatePolicies, keyFamily } from './cert-facts.js';
import type { KeyMatch } from './anchors.js';
import { listExpiredAt, type LoadedTrustList, type TrustSet } from './load.js';
import type { MutualRecognitionInfo } from './model.js';
import { serviceStatusAt, type StatusAt } from './status.js';
import { SERVICE_TYPE, isEtsiStatus, isPositiveEtsiStatus, shortType, shortUri } from './uris.js';

/**
 * Who is asking and on what grounds (DESIGN.md "Trust model"): the relying
 * party's country, the loaded trusted lists (national lists, lists of lists)
 * and the bilateral agreements. Nothing else is trusted.
 */
export interface RecognitionPolicy {
  /** ISO 3166 alpha-2 country of the relying party. */
  readonly relyingParty: string;
  /** Document type / purpose, checked against agreement constraints. */
  readonly purpose?: string;
  readonly trust: TrustSet;
  readonly agreements: readonly Agreement[];
  /** Agreements the caller gave that are not used (unauthenticated): never a basis, only a reason. */
  readonly rejectedAgreements?: readonly RejectedAgreement[];
  /**
   * The time list freshness (NextUpdate) is judged at; default the report's validation time. A TrustSet
   * can outlive the time it was loaded for, so expiry is never taken from loading.
   */
  readonly validationTime?: Date;
}

/** An agreement that was supplied but not used, and why (e.g. a party's signature is missing). */
export interface RejectedAgreement {
  readonly agreement: Agreement;
  readonly reason: string;
}

type Outcome = Pick<RecognitionEvaluation, 'status' | 'equivalenceLevel' | 'mapping' | 'reasons'>;

const notRecognized = (...reasons: string[]): Outcome => ({ status: 'NOT_RECOGNIZED', equivalenceLevel: null, mapping: null, reasons });
const indeterminate = (...reasons: string[]): Outcome => ({ status: 'INDETERMINATE', equivalenceLevel: null, mapping: null, reasons });

function levelOfEtsiType(type: string): 'qualified' | 'advanced' | null {
  if (type === SERVICE_TYPE.CA_QC || type === SERVICE_TYPE.NATIONAL_ROOT_CA_QC) return 'qualified';
  if (type === SERVICE_TYPE.CA_PKC) return 'advanced';
  return null;
}

function when(s: StatusAt): string {
  return `since ${s.since}${s.until ? ` until ${s.until}` : ''}`;
}

/** ETSI vocabulary read as is: a positive status of a CA service type. */
function etsiMeaning(s: StatusAt): Outcome {
  if (!isEtsiStatus(s.status)) {
    return notRecognized(`status ${s.status} is not ETSI TS 119 612 vocabulary and no equivalence mapping applies`);
  }
  if (!isPositiveEtsiStatus(s.status)) return notRecognized(`the service was ${shortUri(s.status)} at the best-signature-time (${when(s)})`);
  const level = levelOfEtsiType(s.type);
  if (!level) return notRecognized(`service type ${s.type} does not issue signature certificates (CA/QC, CA/PKC or NationalRootCA-QC expected)`);
  return { status: 'RECOGNIZED', equivalenceLevel: level, mapping: null, reasons: [`${shortUri(s.status)} ${shortType(s.type)} service (${when(s)})`] };
}

/** EU MRA equivalence (mra_schema_v2), applied as DSS does: exactly one enacted equivalence for the type, started by `t`. */
function mraMeaning(mra: MutualRecognitionInfo, s: StatusAt, t: Date): Outcome {
  const hasAsi = (need: readonly string[]): boolean => need.every((u) => s.additionalServiceInformation.includes(u));
  const candidates = mra.equivalences.filter(
    (e) => e.pointedServiceTypes.some((p) => p.type === s.type && hasAsi(p.additionalServiceInformation)),
  );
  const active = candidates.filter((e) => e.status === 'enacted' && Date.parse(e.statusStartingTime) <= t.getTime());
  if (active.length === 0) {
    const repealed = candidates.find((e) => e.status === 'repealed');
    return notRecognized(
      repealed
        ? `the equivalence ${repealed.legalIdentifier} for service type ${s.type} is repealed (since ${repealed.statusStartingTime})`
        : `no enacted equivalence covers service type ${s.type} at the best-signature-time`,
    );
  }
  if (active.length > 1) return indeterminate(`${active.length} enacted equivalences match service type ${s.type}; the mapping is ambiguous`);
  const e = active[0]!;
  const target = e.pointingServiceTypes[0]?.type ?? '';
  if (e.invalidStatuses.pointed.includes(s.status)) {
    return notRecognized(`the service was ${shortUri(s.status)} at the best-signature-time (${when(s)}), equivalent to ${shortUri(e.invalidStatuses.pointing[0] ?? 'withdrawn')}`);
  }
  if (!e.validStatuses.pointed.includes(s.status)) return notRecognized(`status ${s.status} has no equivalent under ${e.legalIdentifier}`);
  const level = levelOfEtsiType(target) ?? (e.legalIdentifier || null);
  return {
    status: 'RECOGNIZED',
    equivalenceLevel: level,
    mapping: `${s.type} / ${s.status} -> ${target} / ${e.validStatuses.pointing[0] ?? '?'} (${e.legalIdentifier}, enacted ${e.statusStartingTime})`,
    reasons: [`${shortUri(s.status)} service (${when(s)}) equivalent to ${shortType(target)} under ${e.legalIdentifier}`],
  };
}

function agreementMeaning(a: Agreement, s: StatusAt, t: Date, signer: ParsedCertificate, report: SignatureReport, purpose: string | undefined): Outcome {
  if (!agreementInForce(a, t)) {
    return notRecognized(
      `agreement ${a.id} is in force from ${a.effectiveFrom}${a.effectiveUntil ? ` until ${a.effectiveUntil}` : ''}; the best-signature-time ${t.toISOString()} is outside it`,
    );
  }
  const eqs = a.equivalences.filter((e) => e.partnerServiceTypes.includes(s.type));
  if (eqs.length === 0) return notRecognized(`agreement ${a.id} maps no equivalence for service type ${s.type}`);
  const eq = eqs.find((e) => e.partnerStatuses.includes(s.status) && e.requiredQualifiers.every((q) => s.qualifiers.includes(q)));
  if (!eq) {
    const statusOk = eqs.some((e) => e.partnerStatuses.includes(s.status));
    return notRecognized(
      statusOk
        ? `the service lacks qualifiers agreement ${a.id} requires (${eqs.flatMap((e) => e.requiredQualifiers).map(shortUri).join(', ')})`
        : `the service was ${shortUri(s.status)} at the best-signature-time (${when(s)}); agreement ${a.id} accepts ${[...new Set(eqs.flatMap((e) => e.partnerStatuses))].map(shortUri).join(', ')}`,
    );
  }
  const c = a.constraints;
  const failures: string[] = [];
  if (c.certificatePolicies.length) {
    // What the path is valid for (RFC 5280 6.1.5), not what the signer asserts: an issuing CA limited to
    // another policy takes the signer's assertion away. anyPolicy in the set (the signer asserts
    // anyPolicy) names no policy the agreement could require, so it never satisfies one.
    const valid = report.validPolicies;
    if (valid === undefined) failures.push(`the policies the signer's path is valid for are not known; agreement ${a.id} requires one of ${c.certificatePolicies.join(', ')}`);
    else if (!valid.some((p) => c.certificatePolicies.includes(p))) {
      const asserted = certificatePolicies(signer);
      failures.push(
        `the signer's path is valid for ${valid.length ? `policies ${valid.join(', ')}` : 'no certificate policy'}` +
          `${asserted !== 'malformed' && asserted.length ? ` (the signer certificate asserts ${asserted.join(', ')})` : ''}; agreement ${a.id} requires one of ${c.certificatePolicies.join(', ')}`,
      );
    }
  }
  if (c.signatureAlgorithms.length && !c.signatureAlgorithms.includes(report.signatureAlgorithm ?? '')) {
    failures.push(`signature algorithm ${report.signatureAlgorithm ?? 'unknown'} is not one agreement ${a.id} accepts (${c.signatureAlgorithms.join(', ')})`);
  }
  const families = Object.keys(c.minKeySizes);
  if (families.length) {
    const fam = keyFamily(signer);
    const min = c.minKeySizes[fam];
    if (min === undefined) failures.push(`signer key type ${fam} is not accepted by agreement ${a.id} (accepted: ${families.join(', ')})`);
    else if (signer.publicKey.bits < min) failures.push(`signer ${fam} key of ${signer.publicKey.bits} bits is below the ${min} bits agreement ${a.id} requires`);
  }
  if (failures.length) return notRecognized(...failures);
  if (c.purposes.length) {
    if (purpose === undefined) return indeterminate(`agreement ${a.id} covers only the purposes ${c.purposes.join(', ')}; no purpose was given`);
    if (!c.purposes.includes(purpose)) return notRecognized(`purpose "${purpose}" is not covered by agreement ${a.id} (${c.purposes.join(', ')})`);
  }
  return {
    status: 'RECOGNIZED',
    equivalenceLevel: eq.level,
    mapping: `${s.type} / ${s.status} -> ${eq.equivalentServiceType} (${eq.level}, agreement ${a.id})`,
    reasons: [`${shortUri(s.status)} service (${when(s)}) recognized as ${eq.level} under agreement ${a.id}`],
  };
}

/**
 * A relying party takes part in a list of lists when the list points to the
 * party's own list (a multilateral scheme such as the OTS or EU LOTL), or when
 * it is the party's own list of recognized foreign lists (its SchemeTerritory
 * is the party: the bilateral MRA-LOTL arrangement of the EU pilot).
 */
function isMember(lotl: LoadedTrustList, country: string): boolean {
  return lotl.list.scheme.territory === country || lotl.list.scheme.pointers.some((p) => p.territory === country);
}

function describeService(m: KeyMatch, s: StatusAt, t: Date): MatchedService {
  return {
    listId: m.list.list.id,
    sequenceNumber: m.list.list.scheme.sequenceNumber,
    territory: m.list.list.scheme.territory,
    provider: m.provider.name,
    name: m.service.name,
    type: s.type,
    status: s.status,
    statusSince: s.since,
    statusUntil: s.until,
    at: t.toISOString(),
    matchedCertificate: m.certificate.subject.text,
    matchedBy: m.matchedBy,
  };
}

const ORDER = { national: 0, multilateral: 1, bilateral: 2, none: 3 } as const;

/**
 * Decides whether `policy.relyingParty` recognizes a validated signature
 * (layer 2). `chain` is the path layer 1 built, signer first, anchor last.
 * The service's status and the agreement periods are taken at the
 * best-signature-time, so a service withdrawn after a proven signing time
 * still supports it; list expiry is judged at the validation time.
 */
export async function recognize(report: SignatureReport, chain: readonly ParsedCertificate[], policy: RecognitionPolicy): Promise<RecognitionReport> {
  const R = policy.relyingParty;
  const t = new Date(report.times.bestSignatureTime);
  const validationTime = policy.validationTime ?? new Date(report.times.validationTime);
  const anchor = chain[chain.length - 1];
  const fallbackCountry = anchor?.country ?? report.signer?.country ?? null;
  const anyTest = policy.trust.lists.some((l) => l.usable && l.list.test) || policy.agreements.some((a) => a.test);
  const base = { relyingParty: R, time: t.toISOString(), test: anyTest };
  if (report.indication !== 'TOTAL-PASSED') {
    return {
      ...base,
      status: 'INVALID',
      issuerCountry: fallbackCountry,
      basis: null,
      service: null,
      equivalenceLevel: null,
      mapping: null,
      reasons: [`the signature itself is ${report.indication}${report.subIndication ? `/${report.subIndication}` : ''}; recognition applies only to TOTAL-PASSED signatures`],
      evaluations: [],
    };
  }

  // Services vouching for the chain: only a certificate whose key verified the path (an issuer or the
  // anchor; the signer only when it is its own anchor) can tie it to a service, and only by that key being
  // the one the service lists. SKIs and subject names are hints any certificate can carry, the signer's
  // own included, so they never match here.
  const matches: KeyMatch[] = [];
  const matched = new Set<KeyMatch['service']>();
  const lowest = chain.length > 1 ? 1 : 0;
  for (let i = chain.length - 1; i >= lowest; i--) {
    for (const m of policy.trust.index.lookupByKey(chain[i]!)) {
      if (matched.has(m.service)) continue;
      matched.add(m.service);
      matches.push(m);
    }
  }
  if (matches.length === 0) {
    return {
      ...base,
      status: 'NOT_RECOGNIZED',
      issuerCountry: fallbackCountry,
      basis: null,
      service: null,
      equivalenceLevel: null,
      mapping: null,
      reasons: [
        `no issuer or anchor of the chain (anchor ${anchor?.subject.text ?? 'none'}) has the key of a service on a usable trusted list; an anchor given directly is trusted for validation but gives no recognition basis`,
      ],
      evaluations: [],
    };
  }

  const evaluations: RecognitionEvaluation[] = [];
  for (const m of matches) {
    const L = m.list;
    const X = L.list.scheme.territory ?? '??';
    const listBasis = { listId: L.list.id, sequenceNumber: L.list.scheme.sequenceNumber };
    const s = serviceStatusAt(m.service, t);
    // Each basis with the lists it rests on (all must be fresh for a firm answer).
    const bases: { basis: RecognitionBasis; restsOn: LoadedTrustList[]; evaluate: (s: StatusAt) => Outcome }[] = [];
    if (X === R) {
      bases.push({
        basis: { kind: 'national', ...listBasis, listOfLists: L.via ? { id: L.via.id, sequenceNumber: L.via.sequenceNumber } : null, agreementId: null, description: `${R}'s own trusted list ${L.list.id} seq ${L.list.scheme.sequenceNumber}` },
        restsOn: [L],
        evaluate: etsiMeaning,
      });
    }
    if (L.via && X !== R) {
      const lotl = policy.trust.lists.find((x) => x.list.id === L.via!.id && x.list.scheme.sequenceNumber === L.via!.sequenceNumber && x.usable);
      const basis: RecognitionBasis = {
        kind: 'multilateral',
        ...listBasis,
        listOfLists: { id: L.via.id, sequenceNumber: L.via.sequenceNumber },
        agreementId: null,
        description: `list of lists ${L.via.id} seq ${L.via.sequenceNumber} -> ${L.list.id} seq ${L.list.scheme.sequenceNumber}`,
      };
      if (lotl && isMember(lotl, R)) {
        const mra = L.via.pointer.mra;
        bases.push({ basis, restsOn: [lotl, L], evaluate: (st) => (mra ? mraMeaning(mra, st, t) : etsiMeaning(st)) });
      } else {
        evaluations.push({ basis, status: 'NOT_RECOGNIZED', service: s ? describeService(m, s, t) : null, equivalenceLevel: null, mapping: null, reasons: [`${R} is not a member of ${L.via.id} (it neither points to a list of ${R} nor is ${R}'s own list)`] });
      }
    }
    for (const a of policy.agreements) {
      if (!agreementCovers(a, R, X)) continue;
      bases.push({
        basis: { kind: 'bilateral', ...listBasis, listOfLists: L.via ? { id: L.via.id, sequenceNumber: L.via.sequenceNumber } : null, agreementId: a.id, description: `agreement ${a.id} (${a.direction === 'mutual' ? `${a.parties.join(' <-> ')}` : `${a.issuerParty} -> ${a.relyingParty}`})` },
        restsOn: [L],
        evaluate: (st) => agreementMeaning(a, st, t, chain[0]!, report, policy.purpose),
      });
    }
    let rejectedCovers = false;
    for (const { agreement: a, reason } of policy.rejectedAgreements ?? []) {
      if (!agreementCovers(a, R, X)) continue;
      rejectedCovers = true;
      evaluations.push({
        basis: { kind: 'bilateral', ...listBasis, listOfLists: L.via ? { id: L.via.id, sequenceNumber: L.via.sequenceNumber } : null, agreementId: a.id, description: `agreement ${a.id} (not used)` },
        status: 'NOT_RECOGNIZED',
        service: s ? describeService(m, s, t) : null,
        equivalenceLevel: null,
        mapping: null,
        reasons: [`agreement ${a.id} is not used: ${reason}`],
      });
    }
    if (bases.length === 0 && !(L.via && X !== R) && !rejectedCovers) {
      evaluations.push({
        basis: { kind: 'none', ...listBasis, listOfLists: null, agreementId: null, description: `${X}'s list ${L.list.id} seq ${L.list.scheme.sequenceNumber}` },
        status: 'NOT_RECOGNIZED',
        service: s ? describeService(m, s, t) : null,
        equivalenceLevel: null,
        mapping: null,
        reasons: [`${R} has no basis to recognize ${X}: no agreement between ${R} and ${X} and ${X}'s list was not reached through a list of lists ${R} belongs to`],
      });
    }
    for (const b of bases) {
      let out: Outcome;
      const stale = b.restsOn.filter((x) => listExpiredAt(x, validationTime));
      if (!s) out = notRecognized(`the service ${m.service.name} was not yet listed at the best-signature-time ${t.toISOString()}`);
      else if (stale.length) {
        out = indeterminate(
          ...stale.map((x) => `trusted list ${x.list.id} seq ${x.list.scheme.sequenceNumber} expired (NextUpdate ${x.list.scheme.nextUpdate}); the service status cannot be confirmed`),
        );
      }
      else out = b.evaluate(s);
      evaluations.push({ basis: b.basis, service: s ? describeService(m, s, t) : null, ...out });
    }
  }

  const recognized = evaluations.filter((e) => e.status === 'RECOGNIZED').sort((a, b) => ORDER[a.basis.kind] - ORDER[b.basis.kind]);
  const issuerCountry = matches[0]!.list.list.scheme.territory ?? fallbackCountry;
  const chosen = recognized[0] ?? evaluations.find((e) => e.status === 'INDETERMINATE');
  if (chosen) {
    return {
      ...base,
      status: chosen.status,
      issuerCountry,
      basis: chosen.basis,
      service: chosen.service,
      equivalenceLevel: chosen.equivalenceLevel,
      mapping: chosen.mapping,
      reasons: chosen.status === 'RECOGNIZED' ? [`recognized on the basis of ${chosen.basis.description}: ${chosen.reasons.join('; ')}`] : chosen.reasons,
      evaluations,
    };
  }
  return {
    ...base,
    status: 'NOT_RECOGNIZED',
    issuerCountry,
    basis: null,
    service: evaluations.find((e) => e.service)?.service ?? null,
    equivalenceLevel: null,
    mapping: null,
    reasons: [...new Set(evaluations.flatMap((e) => e.reasons.map((r) => `${e.basis.description}: ${r}`)))],
    evaluations,
  };
}
