import { certificateCache } from '../pki/cache.js';
import type { ParsedCertificate } from '../pki/certificate.js';
import type { LoadedTrustList } from '../trust/load.js';
import type { TrustService } from '../trust/model.js';
import { isEtsiStatus } from '../trust/uris.js';
import { fromBase64 } from '../util/bytes.js';
import type { Finding } from './findings.js';

export interface LintOptions {
  /** The time the list is judged at (NextUpdate, certificate expiry). */
  readonly time: Date;
  /** Warn when NextUpdate or a certificate's notAfter falls within this many days. */
  readonly warnDays: number;
  /** Service type URIs accepted without a warning besides the ETSI ones (national vocabularies). */
  readonly knownServiceTypes?: readonly string[];
  /** Service status URIs accepted without a warning besides the ETSI ones. */
  readonly knownStatuses?: readonly string[];
}

const DAY = 86_400_000;
const ETSI_SERVICE_TYPE = /^http:\/\/uri\.etsi\.org\/TrstSvc\/Svctype\//;
const POSITIVE_SUFFIX = /\/(granted|recognisedatnationallevel|undersupervision|accredited|setbynationallaw|supervisionincessation)$/;

/**
 * Checks a loaded trusted list the way a scheme operator's CI should before
 * publishing: integrity, freshness, certificate lifetimes, duplicate
 * identities, history consistency and vocabulary.
 */
export function lintTrustList(loaded: LoadedTrustList, options: LintOptions): Finding[] {
  const out: Finding[] = [];
  const t = options.time.getTime();
  const { list } = loaded;
  const s = list.scheme;

  // Integrity.
  switch (loaded.signature.status) {
    case 'VALID':
      out.push({ severity: 'info', rule: 'signature.valid', message: loaded.signature.detail });
      break;
    case 'NOT_APPLICABLE':
      out.push({ severity: 'warning', rule: 'signature.json', message: 'JSON list: no signature; its integrity rests on a pinned digest or on the file source' });
      break;
    case 'NO_PINNED_CERTIFICATE':
      out.push({ severity: 'error', rule: 'signature.no-pin', message: 'no operator certificate pinned (--pin): the signature cannot be checked' });
      break;
    default:
      out.push({ severity: 'error', rule: `signature.${loaded.signature.status.toLowerCase().replace(/_/g, '-')}`, message: loaded.signature.detail });
  }
  for (const p of loaded.problems.filter((x) => !/^not used:|^expired:|^no NextUpdate/.test(x))) {
    out.push({ severity: 'warning', rule: 'structure', message: p });
  }
  if (list.test) out.push({ severity: 'info', rule: 'test-list', message: 'marked as a TEST list: never use it to trust real signatures' });

  // Scheme information.
  if (!(s.sequenceNumber >= 1)) out.push({ severity: 'error', rule: 'sequence-number', message: `TSLSequenceNumber ${s.sequenceNumber} must be a positive integer` });
  const issued = Date.parse(s.issueDate);
  if (Number.isNaN(issued)) out.push({ severity: 'error', rule: 'issue-date', message: `ListIssueDateTime "${s.issueDate}" is not a date` });
  else if (issued > t) out.push({ severity: 'error', rule: 'issue-date.future', message: `ListIssueDateTime ${s.issueDate} is in the future` });
  if (s.nextUpdate === null) {
    out.push({ severity: 'warning', rule: 'next-update.closed', message: 'no NextUpdate: the scheme is declared closed' });
  } else {
    const next = Date.parse(s.nextUpdate);
    if (next < t) out.push({ severity: 'error', rule: 'next-update.past', message: `NextUpdate ${s.nextUpdate} has passed` });
    else if (next - t < options.warnDays * DAY) out.push({ severity: 'warning', rule: 'next-update.soon', message: `NextUpdate ${s.nextUpdate} is within ${options.warnDays} days` });
    if (!Number.isNaN(issued) && next <= issued) out.push({ severity: 'error', rule: 'next-update.before-issue', message: 'NextUpdate is not after ListIssueDateTime' });
  }

  // Services.
  const seen = new Map<string, string>();
  for (const provider of list.providers) {
    for (const service of provider.services) {
      const where = `${provider.name} / ${service.name}`;
      lintService(service, where, options, out);
      for (const b64 of service.identity.certificates) {
        const cert = parse(b64);
        if (!cert) {
          out.push({ severity: 'error', rule: 'certificate.unreadable', message: 'a digital identity certificate does not parse', where });
          continue;
        }
        const key = b64.replace(/\s/g, '');
        const first = seen.get(key);
        if (first === where) out.push({ severity: 'error', rule: 'identity.duplicate', message: `certificate ${cert.subject.text} is listed twice in the same service`, where });
        else if (first) out.push({ severity: 'warning', rule: 'identity.duplicate', message: `certificate ${cert.subject.text} is also listed under ${first}`, where });
        else seen.set(key, where);
        const positive = POSITIVE_SUFFIX.test(service.status);
        if (cert.notAfter.getTime() < t) {
          out.push({ severity: positive ? 'error' : 'warning', rule: 'certificate.expired', message: `${cert.subject.text} expired ${cert.notAfter.toISOString()}${positive ? ' while the service is in good standing' : ''}`, where });
        } else if (cert.notAfter.getTime() - t < options.warnDays * DAY) {
          out.push({ severity: 'warning', rule: 'certificate.expiring', message: `${cert.subject.text} expires ${cert.notAfter.toISOString()}, within ${options.warnDays} days`, where });
        }
      }
    }
  }
  return out;
}

function lintService(service: TrustService, where: string, options: LintOptions, out: Finding[]): void {
  if (!ETSI_SERVICE_TYPE.test(service.type) && !options.knownServiceTypes?.includes(service.type)) {
    out.push({ severity: 'warning', rule: 'vocabulary.service-type', message: `unknown ServiceTypeIdentifier ${service.type}`, where });
  }
  for (const status of [service.status, ...service.history.map((h) => h.status)]) {
    if (!isEtsiStatus(status) && !options.knownStatuses?.includes(status)) {
      out.push({ severity: 'warning', rule: 'vocabulary.status', message: `unknown ServiceStatus ${status}`, where });
    }
  }
  if (service.identity.certificates.length + service.identity.skis.length + service.identity.subjectNames.length === 0) {
    out.push({ severity: 'error', rule: 'identity.empty', message: 'service has no digital identity', where });
  }
  // History: every instance strictly older than the current status and than each newer instance.
  const current = Date.parse(service.statusStartingTime);
  if (current > options.time.getTime()) out.push({ severity: 'warning', rule: 'history.future', message: `current status starts in the future (${service.statusStartingTime})`, where });
  const times = service.history.map((h) => Date.parse(h.statusStartingTime));
  const sorted = [...times].sort((a, b) => b - a);
  if (times.some((x) => Number.isNaN(x))) out.push({ severity: 'error', rule: 'history.date', message: 'a history instance has no valid StatusStartingTime', where });
  if (times.some((x) => x >= current)) out.push({ severity: 'error', rule: 'history.order', message: 'a history instance starts at or after the current status', where });
  if (new Set(sorted).size !== sorted.length) out.push({ severity: 'error', rule: 'history.duplicate-time', message: 'two history instances share a StatusStartingTime', where });
  const chronological = [...service.history].sort((a, b) => Date.parse(a.statusStartingTime) - Date.parse(b.statusStartingTime));
  for (let i = 1; i < chronological.length; i++) {
    if (chronological[i]!.status === chronological[i - 1]!.status && chronological[i]!.type === chronological[i - 1]!.type) {
      out.push({ severity: 'warning', rule: 'history.no-change', message: `history repeats status ${chronological[i]!.status} without a change`, where });
    }
  }
}

function parse(b64: string): ParsedCertificate | undefined {
  try {
    return certificateCache.get(fromBase64(b64));
  } catch {
    return undefined;
  }
}
