/**
 * Time-stamping services of trusted lists as time-stamp anchors (TS 119 612
 * service types TSA, TSA/QTST, TSA/TSS-QC, TSA/TSS-AdESQCandQES).
 *
 * A TSA path may end at the identity certificate of such a service; the token
 * counts as proof of existence only when a certificate of that path (the TSA
 * itself, an issuer, or the anchor) has the key of a time-stamping service
 * whose status at the token's genTime is in good standing, on a list that is
 * fresh at the validation time. A CA/QC service's certificate is never a
 * time-stamp anchor, whatever it issued.
 */
import { CertificatePool, type TrustAnchor } from '../pki/pool.js';
import type { TimestampTrust } from './timestamp-trust.js';
import { isTimestampServiceType } from './anchors.js';
import { listExpiredAt, type TrustSet } from './load.js';
import { serviceStatusAt } from './status.js';
import { isPositiveEtsiStatus, shortType, shortUri } from './uris.js';

/** `direct` (the caller's timestampAnchors) widened with the time-stamping services of `set`'s usable lists. */
export function withTimestampServices(direct: TimestampTrust, set: TrustSet, validationTime: Date, serviceTypes?: readonly string[]): TimestampTrust {
  // The policy's time-stamping service types (default: every TS 119 612 TSA type).
  const accepted = serviceTypes ? new Set(serviceTypes) : undefined;
  const isTsaType = (t: string) => (accepted ? accepted.has(t) : isTimestampServiceType(t));
  const listed = accepted ? set.index.timestampAnchorsFor([...accepted]) : set.index.timestampAnchors;
  if (listed.length === 0) return direct;
  const anchors = new CertificatePool<TrustAnchor>([...direct.anchors.values(), ...listed]);
  return {
    anchors,
    description: `${direct.anchors.size ? `${direct.description}, and ` : ''}the time-stamping services of the trusted lists`,
    judge(chain, genTime) {
      const fromCaller = direct.judge(chain, genTime);
      if (fromCaller.trusted) return fromCaller;
      const at = genTime.toISOString();
      const reasons: string[] = [];
      for (let i = chain.length - 1; i >= 0; i--) {
        for (const m of set.index.lookupByKey(chain[i]!)) {
          const where = `${m.list.list.id} seq ${m.list.list.scheme.sequenceNumber}`;
          const label = `service "${m.service.name}" of ${where}`;
          if (listExpiredAt(m.list, validationTime)) {
            reasons.push(`${label}: the list expired (NextUpdate ${m.list.list.scheme.nextUpdate}) before the validation time ${validationTime.toISOString()}`);
            continue;
          }
          const s = serviceStatusAt(m.service, genTime);
          if (!s) reasons.push(`${label} was not yet listed at ${at}`);
          else if (!isTsaType(s.type)) reasons.push(`${label} was a ${shortType(s.type)} service at ${at}, not a time-stamping service`);
          else if (!isPositiveEtsiStatus(s.status)) reasons.push(`${label} was ${shortUri(s.status)} at ${at} (since ${s.since})`);
          else {
            return {
              trusted: true,
              detail: `${chain[i]!.subject.text} has the key of the ${shortType(s.type)} ${label}, ${shortUri(s.status)} at ${at} (since ${s.since})`,
            };
          }
        }
      }
      return { trusted: false, detail: reasons.length ? reasons.join('; ') : fromCaller.detail };
    },
  };
}
