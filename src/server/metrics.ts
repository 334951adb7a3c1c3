/** Prometheus metrics of one service instance (its own registry: several instances in a process do not mix). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { VerifyPool } from './pool.js';
import type { TrustStore } from './trust-store.js';

export interface ServiceMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'status'>;
  readonly verdicts: Counter<'indication' | 'recognition'>;
  readonly latency: Histogram<'route'>;
}

export function createMetrics(pool: VerifyPool, trust: TrustStore, defaults = true): ServiceMetrics {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry, prefix: 'ots_esig_' });
  const requests = new Counter({ name: 'ots_esig_http_requests_total', help: 'HTTP requests answered, by route and status', labelNames: ['route', 'status'] as const, registers: [registry] });
  const verdicts = new Counter({
    name: 'ots_esig_verdicts_total',
    help: 'Signatures judged, by main indication and recognition status (none without a relying party)',
    labelNames: ['indication', 'recognition'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'ots_esig_request_duration_seconds',
    help: 'Time from request to answer, by route',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({ name: 'ots_esig_pool_queue_depth', help: 'Verifications waiting for a worker thread', registers: [registry], collect() { this.set(pool.queueSize); } });
  new Gauge({ name: 'ots_esig_pool_threads', help: 'Worker threads of the verification pool', registers: [registry], collect() { this.set(pool.threads); } });
  new Gauge({
    name: 'ots_esig_trust_list_age_seconds',
    help: 'Age of each trusted list in force (now minus its issue date)',
    labelNames: ['list', 'sequence'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const l of trust.current?.lists ?? []) this.set({ list: l.id, sequence: String(l.sequenceNumber) }, (Date.now() - Date.parse(l.issueDate)) / 1000);
    },
  });
  new Gauge({
    name: 'ots_esig_trust_list_seconds_to_next_update',
    help: 'Seconds until each list in force reaches its NextUpdate (negative: past it)',
    labelNames: ['list'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const l of trust.current?.lists ?? []) if (l.nextUpdate) this.set({ list: l.id }, (Date.parse(l.nextUpdate) - Date.now()) / 1000);
    },
  });
  new Gauge({
    name: 'ots_esig_trust_snapshot_age_seconds',
    help: 'Seconds since the trust snapshot in force was loaded',
    registers: [registry],
    collect() {
      const s = trust.current;
      this.set(s ? (Date.now() - Date.parse(s.loadedAt)) / 1000 : -1);
    },
  });
  new Gauge({ name: 'ots_esig_trust_last_refresh_ok', help: '1 when the last trust refresh succeeded, 0 when it failed (the previous set stays in force)', registers: [registry], collect() { this.set(trust.lastRefresh?.ok ? 1 : 0); } });
  new Gauge({
    name: 'ots_esig_trust_list_fetch_age_seconds',
    help: 'Seconds since each online list in use was last confirmed by its server (200 or 304); grows while its refresh fails',
    labelNames: ['url'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const l of trust.online?.lists ?? []) if (l.fetchedAt) this.set({ url: l.url }, (Date.now() - Date.parse(l.fetchedAt)) / 1000);
    },
  });
  new Gauge({
    name: 'ots_esig_trust_list_refresh_failures',
    help: 'Failed refreshes (fetch or verification) of each online list since start (its last good copy stays in use)',
    labelNames: ['url'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const online = trust.online;
      for (const l of online?.lists ?? []) this.set({ url: l.url }, online!.failures.get(l.url) ?? 0);
    },
  });
  new Gauge({
    name: 'ots_esig_trust_list_in_use',
    help: '1 when a verified copy of each online list is in use, 0 when none is',
    labelNames: ['url'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const l of trust.online?.lists ?? []) this.set({ url: l.url }, l.inUse ? 1 : 0);
    },
  });
  new Gauge({ name: 'ots_esig_trust_refresh_failures', help: 'Failed trust refreshes since start', registers: [registry], collect() { this.set(trust.failures); } });
  return { registry, requests, verdicts, latency };
}
