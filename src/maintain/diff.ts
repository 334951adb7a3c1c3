import { certificateCache } from '../pki/cache.js';
import type { TrustedList, TrustService, TrustServiceProvider } from '../trust/model.js';
import { shortUri } from '../trust/uris.js';
import { fromBase64 } from '../util/bytes.js';
import type { Finding } from './findings.js';

export interface ServiceSummary {
  readonly provider: string;
  readonly service: string;
  readonly type: string;
  readonly status: string;
  readonly statusStartingTime: string;
}

export interface StatusChange extends ServiceSummary {
  readonly previousStatus: string;
  readonly previousStatusStartingTime: string;
}

export interface CertificateChange {
  readonly subject: string;
  readonly notAfter: string | null;
  readonly where: string;
}

export interface TrustListDiff {
  readonly old: { readonly id: string; readonly sequenceNumber: number; readonly issueDate: string };
  readonly new: { readonly id: string; readonly sequenceNumber: number; readonly issueDate: string };
  /** TS 119 612: each new issue of a list has a higher TSLSequenceNumber. */
  readonly sequenceMonotonic: boolean;
  readonly servicesAdded: readonly ServiceSummary[];
  readonly servicesRemoved: readonly ServiceSummary[];
  readonly statusChanges: readonly StatusChange[];
  readonly certificatesAdded: readonly CertificateChange[];
  readonly certificatesRemoved: readonly CertificateChange[];
  readonly pointersAdded: readonly string[];
  readonly pointersRemoved: readonly string[];
  readonly findings: readonly Finding[];
}

interface Keyed {
  readonly provider: TrustServiceProvider;
  readonly service: TrustService;
}

const norm = (b64: string) => b64.replace(/\s/g, '');

/** A service is the same across issues when its type and digital identity are (names may be corrected). */
export function serviceKey(s: TrustService): string {
  const id = s.identity;
  const parts = id.certificates.length ? id.certificates.map(norm) : [...id.skis.map((x) => `ski:${x.toLowerCase()}`), ...id.subjectNames.map((x) => `dn:${x}`)];
  return `${s.type}|${[...parts].sort().join(',')}`;
}

function index(list: TrustedList): Map<string, Keyed> {
  const m = new Map<string, Keyed>();
  for (const provider of list.providers) for (const service of provider.services) m.set(serviceKey(service), { provider, service });
  return m;
}

function summary(k: Keyed): ServiceSummary {
  return { provider: k.provider.name, service: k.service.name, type: k.service.type, status: k.service.status, statusStartingTime: k.service.statusStartingTime };
}

function certificates(list: TrustedList): Map<string, CertificateChange> {
  const m = new Map<string, CertificateChange>();
  for (const provider of list.providers) {
    for (const service of provider.services) {
      for (const b64 of service.identity.certificates) {
        let subject = '(unreadable certificate)';
        let notAfter: string | null = null;
        try {
          const c = certificateCache.get(fromBase64(b64));
          subject = c.subject.text;
          notAfter = c.notAfter.toISOString();
        } catch {
          /* reported by lint */
        }
        m.set(norm(b64), { subject, notAfter, where: `${provider.name} / ${service.name}` });
      }
    }
  }
  return m;
}

function pointerKeys(list: TrustedList): Set<string> {
  // Signing certificates are part of the identity: rotating them is a change a reviewer must see.
  return new Set(
    list.scheme.pointers.map((p) => `${p.territory ?? '?'} ${p.location} signed by ${p.signingCertificates.map((c) => `…${norm(c).slice(-12)}`).sort().join(' ')}`),
  );
}

/** What changed between two issues of a trusted list, for a reviewer and for CI. */
export function diffTrustLists(oldList: TrustedList, newList: TrustedList): TrustListDiff {
  const findings: Finding[] = [];
  const before = index(oldList);
  const after = index(newList);
  const servicesAdded: ServiceSummary[] = [];
  const servicesRemoved: ServiceSummary[] = [];
  const statusChanges: StatusChange[] = [];
  for (const [k, v] of after) {
    const prev = before.get(k);
    if (!prev) servicesAdded.push(summary(v));
    else if (prev.service.status !== v.service.status || prev.service.statusStartingTime !== v.service.statusStartingTime) {
      statusChanges.push({ ...summary(v), previousStatus: prev.service.status, previousStatusStartingTime: prev.service.statusStartingTime });
      if (!v.service.history.some((h) => h.status === prev.service.status && h.statusStartingTime === prev.service.statusStartingTime)) {
        findings.push({
          severity: 'error',
          rule: 'history.lost',
          message: `previous status ${shortUri(prev.service.status)} since ${prev.service.statusStartingTime} is missing from the new ServiceHistory`,
          where: `${v.provider.name} / ${v.service.name}`,
        });
      }
    }
  }
  for (const [k, v] of before) if (!after.has(k)) servicesRemoved.push(summary(v));
  for (const r of servicesRemoved) {
    findings.push({ severity: 'warning', rule: 'service.removed', message: `service removed instead of being given a final status (${shortUri(r.status)})`, where: `${r.provider} / ${r.service}` });
  }

  const oldCerts = certificates(oldList);
  const newCerts = certificates(newList);
  const certificatesAdded = [...newCerts].filter(([k]) => !oldCerts.has(k)).map(([, v]) => v);
  const certificatesRemoved = [...oldCerts].filter(([k]) => !newCerts.has(k)).map(([, v]) => v);

  const oldPtr = pointerKeys(oldList);
  const newPtr = pointerKeys(newList);
  const pointersAdded = [...newPtr].filter((p) => !oldPtr.has(p));
  const pointersRemoved = [...oldPtr].filter((p) => !newPtr.has(p));

  const sequenceMonotonic = newList.scheme.sequenceNumber > oldList.scheme.sequenceNumber;
  if (!sequenceMonotonic) {
    findings.push({
      severity: 'error',
      rule: 'sequence-number',
      message: `TSLSequenceNumber did not increase (${oldList.scheme.sequenceNumber} → ${newList.scheme.sequenceNumber})`,
    });
  }
  if (Date.parse(newList.scheme.issueDate) < Date.parse(oldList.scheme.issueDate)) {
    findings.push({ severity: 'error', rule: 'issue-date', message: `ListIssueDateTime went backwards (${oldList.scheme.issueDate} → ${newList.scheme.issueDate})` });
  }
  if (oldList.scheme.territory !== newList.scheme.territory) {
    findings.push({ severity: 'error', rule: 'territory', message: `SchemeTerritory changed (${oldList.scheme.territory} → ${newList.scheme.territory})` });
  }
  const head = (l: TrustedList) => ({ id: l.id, sequenceNumber: l.scheme.sequenceNumber, issueDate: l.scheme.issueDate });
  return {
    old: head(oldList),
    new: head(newList),
    sequenceMonotonic,
    servicesAdded,
    servicesRemoved,
    statusChanges,
    certificatesAdded,
    certificatesRemoved,
    pointersAdded,
    pointersRemoved,
    findings,
  };
}

export function formatDiffText(d: TrustListDiff): string {
  const o: string[] = [];
  o.push(`${d.old.id} #${d.old.sequenceNumber} (${d.old.issueDate}) → ${d.new.id} #${d.new.sequenceNumber} (${d.new.issueDate})`);
  const section = <T>(title: string, items: readonly T[], fmt: (x: T) => string) => {
    if (!items.length) return;
    o.push('', `${title} (${items.length}):`);
    for (const x of items) o.push(`  ${fmt(x)}`);
  };
  section('Services added', d.servicesAdded, (s) => `+ ${s.provider} / ${s.service} [${shortUri(s.type)}] ${shortUri(s.status)} since ${s.statusStartingTime}`);
  section('Services removed', d.servicesRemoved, (s) => `- ${s.provider} / ${s.service} [${shortUri(s.type)}] was ${shortUri(s.status)}`);
  section('Status changes', d.statusChanges, (s) => `~ ${s.provider} / ${s.service}: ${shortUri(s.previousStatus)} (${s.previousStatusStartingTime}) → ${shortUri(s.status)} (${s.statusStartingTime})`);
  section('Certificates added', d.certificatesAdded, (c) => `+ ${c.subject} (until ${c.notAfter ?? '?'}) in ${c.where}`);
  section('Certificates removed', d.certificatesRemoved, (c) => `- ${c.subject} from ${c.where}`);
  section('Pointers added', d.pointersAdded, (p) => `+ ${p}`);
  section('Pointers removed', d.pointersRemoved, (p) => `- ${p}`);
  section('Findings', d.findings, (f) => `${f.severity.toUpperCase()} ${f.rule}: ${f.message}${f.where ? ` (${f.where})` : ''}`);
  if (o.length === 1) o.push('', 'No changes.');
  return o.join('\n') + '\n';
}
