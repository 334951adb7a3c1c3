import type { ServiceHistoryInstance, TrustService } from './model.js';

/** The status a service had at one instant, and the window it held in. */
export interface StatusAt {
  readonly type: string;
  readonly status: string;
  readonly since: string;
  /** Start of the next status, or null when it is the current one. */
  readonly until: string | null;
  readonly additionalServiceInformation: readonly string[];
  readonly qualifiers: readonly string[];
}

/**
 * The status in effect at `t` (TS 119 612 5.5.4/5.6): the current entry and the
 * ServiceHistory instances each hold from their StatusStartingTime until the next
 * newer one. Returns undefined when `t` is before the oldest entry (the service
 * was not on the list yet).
 */
export function serviceStatusAt(service: TrustService, t: Date): StatusAt | undefined {
  const entries: ServiceHistoryInstance[] = [
    {
      type: service.type,
      name: service.name,
      status: service.status,
      statusStartingTime: service.statusStartingTime,
      additionalServiceInformation: service.additionalServiceInformation,
      qualifiers: service.qualifiers,
    },
    ...service.history,
  ];
  // Newest first; a history entry dated after the current one is malformed and cannot win a tie against it.
  const sorted = entries
    .map((e, i) => ({ e, i, at: Date.parse(e.statusStartingTime) }))
    .filter((x) => !Number.isNaN(x.at))
    .sort((a, b) => b.at - a.at || a.i - b.i);
  const time = t.getTime();
  for (let k = 0; k < sorted.length; k++) {
    const x = sorted[k]!;
    if (x.at <= time) {
      const newer = k > 0 ? sorted[k - 1]!.e.statusStartingTime : null;
      return {
        type: x.e.type,
        status: x.e.status,
        since: x.e.statusStartingTime,
        until: newer,
        additionalServiceInformation: x.e.additionalServiceInformation,
        qualifiers: x.e.qualifiers,
      };
    }
  }
  return undefined;
}
