import { TrustListError } from '../trust/errors.js';
import { TEST_LIST_RULE, type ServiceHistoryInstance, type TrustedList, type TrustService } from '../trust/model.js';
import { shortUri } from '../trust/uris.js';
import { serviceKey } from './diff.js';

export interface IssueOptions {
  /** The issue this one replaces (its content; whether it was well signed is lint's question). */
  readonly previous?: TrustedList;
  /** TSLSequenceNumber to write; `next` = the previous issue's + 1. Default: the source's. */
  readonly sequenceNumber?: number | 'next';
  /** ListIssueDateTime to write (ISO); default: the source's. */
  readonly issueDate?: string;
  /** NextUpdate to write (ISO); default: the source's. */
  readonly nextUpdate?: string;
}

export interface PreparedIssue {
  readonly list: TrustedList;
  /** What the preparation did or what a reviewer should look at (history entries carried over, services dropped). */
  readonly notes: readonly string[];
}

/**
 * Makes the next issue of a list from its source: sets the sequence number and dates the
 * operator asked for and checks them against the previous issue (TS 119 612 5.3.2: every new
 * issue has a higher TSLSequenceNumber; a list with a lower or equal number would be an old
 * issue replayed, which relying parties cannot tell from a rollback). Refuses, never repairs:
 * a non-increasing sequence number, an issue date before the previous issue's, a NextUpdate not
 * after the issue date, a changed territory or list type. Carries service history forward: when
 * a service's status changed since the previous issue, the previous status (and the previous
 * issue's history) is kept in the new ServiceHistory, so a signature made while the service was
 * granted stays decidable after a withdrawal.
 */
export function prepareIssue(source: TrustedList, o: IssueOptions = {}): PreparedIssue {
  const prev = o.previous;
  let seq = source.scheme.sequenceNumber;
  if (o.sequenceNumber === 'next') {
    if (!prev) throw new TrustListError('sequence number "next" needs the previous issue');
    seq = prev.scheme.sequenceNumber + 1;
  } else if (o.sequenceNumber !== undefined) seq = o.sequenceNumber;
  const issueDate = o.issueDate ?? source.scheme.issueDate;
  const nextUpdate = o.nextUpdate ?? source.scheme.nextUpdate;
  if (!Number.isSafeInteger(seq) || seq < 1) throw new TrustListError(`TSLSequenceNumber ${seq} must be a positive integer`);
  if (Number.isNaN(Date.parse(issueDate))) throw new TrustListError(`ListIssueDateTime "${issueDate}" is not a date-time`);
  if (nextUpdate !== null && !(Date.parse(nextUpdate) > Date.parse(issueDate))) throw new TrustListError(`NextUpdate ${nextUpdate} is not after ListIssueDateTime ${issueDate}`);
  const notes: string[] = [];
  let rules = source.scheme.schemeTypeCommunityRules;
  if (source.test && !rules.includes(TEST_LIST_RULE)) {
    // The JSON flag has no XML element: the scheme rule is how the written list stays a test list.
    rules = [TEST_LIST_RULE, ...rules];
    notes.push(`test list: added the scheme rule ${TEST_LIST_RULE}`);
  }
  let providers = source.providers;
  if (prev) {
    const p = prev.scheme;
    if (seq <= p.sequenceNumber) throw new TrustListError(`TSLSequenceNumber ${seq} does not increase over the previous issue's ${p.sequenceNumber}`);
    if (Date.parse(issueDate) < Date.parse(p.issueDate)) throw new TrustListError(`ListIssueDateTime ${issueDate} is before the previous issue's ${p.issueDate}`);
    if (p.territory !== source.scheme.territory) throw new TrustListError(`SchemeTerritory changed (${p.territory} → ${source.scheme.territory}): not an issue of the same list`);
    if (p.type !== source.scheme.type) throw new TrustListError(`TSLType changed (${p.type} → ${source.scheme.type}): not an issue of the same list`);
    const before = new Map<string, TrustService>();
    for (const pr of prev.providers) for (const s of pr.services) before.set(serviceKey(s), s);
    const seen = new Set<string>();
    providers = source.providers.map((pr) => ({
      ...pr,
      services: pr.services.map((s) => {
        const key = serviceKey(s);
        seen.add(key);
        const old = before.get(key);
        return old ? carryHistory(s, old, `${pr.name} / ${s.name}`, notes) : s;
      }),
    }));
    for (const pr of prev.providers) {
      for (const s of pr.services) {
        if (!seen.has(serviceKey(s))) notes.push(`${pr.name} / ${s.name}: removed from the list instead of being given a final status (was ${shortUri(s.status)})`);
      }
    }
  }
  return { list: { ...source, scheme: { ...source.scheme, sequenceNumber: seq, issueDate, nextUpdate, schemeTypeCommunityRules: rules }, providers }, notes };
}

const entryKey = (h: { type: string; status: string; statusStartingTime: string }) => `${h.type}|${h.status}|${Date.parse(h.statusStartingTime)}`;

function carryHistory(s: TrustService, old: TrustService, where: string, notes: string[]): TrustService {
  const start = Date.parse(s.statusStartingTime);
  const have = new Set([entryKey(s), ...s.history.map(entryKey)]);
  const added: ServiceHistoryInstance[] = [];
  const candidates: ServiceHistoryInstance[] = [
    // The previous status applied to the previous identity (a key rollover may come with the status change).
    { type: old.type, name: old.name, status: old.status, statusStartingTime: old.statusStartingTime, additionalServiceInformation: old.additionalServiceInformation, qualifiers: old.qualifiers, identity: old.identity },
    ...old.history,
  ];
  for (const h of candidates) {
    if (have.has(entryKey(h))) continue;
    // Only what came before the current status is history; a later entry would contradict the source.
    if (!(Date.parse(h.statusStartingTime) < start)) {
      throw new TrustListError(`${where}: the previous issue has status ${shortUri(h.status)} since ${h.statusStartingTime}, not before the new status's ${s.statusStartingTime}`);
    }
    have.add(entryKey(h));
    added.push(h);
  }
  if (!added.length) return s;
  for (const h of added) notes.push(`${where}: kept ${shortUri(h.status)} since ${h.statusStartingTime} in ServiceHistory`);
  const history = [...s.history, ...added].sort((a, b) => Date.parse(b.statusStartingTime) - Date.parse(a.statusStartingTime));
  return { ...s, history };
}
