/**
 * The service configuration: a JSON file (`--config FILE`, paths relative to it) under the
 * command-line flags (the verify trust flags plus --host/--port). Defaults are safe for one
 * machine: loopback only, a bounded queue, a per-request time limit.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InvalidOptionError } from '../errors.js';

export interface ServiceConfig {
  readonly host: string;
  readonly port: number;
  readonly trustLists: readonly string[];
  readonly listSigners: readonly string[];
  readonly agreements: readonly string[];
  readonly trustAnchors: readonly string[];
  readonly tsaAnchors: readonly string[];
  readonly intermediates: readonly string[];
  readonly crls: readonly string[];
  readonly ocsp: readonly string[];
  /** A preset name (default, lenient) or a policy JSON file. */
  readonly policy?: string;
  /** Default relying party (ISO 3166 alpha-2) when a request names none. */
  readonly relyingParty?: string;
  readonly purpose?: string;
  readonly algorithms: readonly string[];
  readonly online: boolean;
  readonly requireRevocation: boolean;
  /**
   * Opt-in: `trustLists` entries that are https URLs are fetched (the list of lists' pointers followed
   * one level), cached by URL with ETag/Last-Modified and verified completely before use; a failed
   * fetch or verification keeps the last good copy. Without it a URL entry is refused.
   */
  readonly onlineTrustLists: boolean;
  /** A folder keeping each online list's last good copy across restarts (verified again on load). */
  readonly trustListCacheDir?: string;
  /** Root certificates (PEM/DER files) the list servers' TLS certificates must chain to, instead of Node's roots. */
  readonly trustListCa: readonly string[];
  /** Allow plain http list URLs: tests and labs only. */
  readonly trustListAllowHttp: boolean;
  /** Allow list URLs on loopback and private addresses (refused by default, as for AIA/OCSP URLs). */
  readonly trustListAllowPrivateNetwork: boolean;
  /** Files are read again (online lists fetched again), verified completely and swapped in at this interval; 0 = never. */
  readonly refreshIntervalSeconds: number;
  /** Worker threads verifying signatures. */
  readonly workers: number;
  /** Requests waiting for a worker beyond this answer 503 with Retry-After (0: no waiting, refused whenever every worker is busy). */
  readonly maxQueue: number;
  /** Per-request verification time limit (queue wait included); the worker is terminated past it (504). */
  readonly requestTimeoutMs: number;
  /** Largest accepted request body (JSON or multipart), bytes (413 beyond). */
  readonly bodyLimitBytes: number;
  /**
   * DSS policy documents accepted on the DSS route, by SHA-256 (hex) of their bytes, each mapped to
   * a preset name or a policy JSON file. Any other policy document is refused (400).
   */
  readonly dssPolicies: Readonly<Record<string, string>>;
  /**
   * On SIGTERM, /readyz answers 503 at once and requests are still accepted for this long (a load
   * balancer stops sending meanwhile; connections already queued in the kernel are served), then
   * the listener closes and in-flight requests finish.
   */
  readonly drainDelayMs: number;
  /** pino level; `silent` turns request logs off. */
  readonly logLevel: string;
}

export const DEFAULT_CONFIG: ServiceConfig = {
  host: '127.0.0.1',
  port: 8080,
  trustLists: [],
  listSigners: [],
  agreements: [],
  trustAnchors: [],
  tsaAnchors: [],
  intermediates: [],
  crls: [],
  ocsp: [],
  algorithms: [],
  online: false,
  requireRevocation: false,
  onlineTrustLists: false,
  trustListCa: [],
  trustListAllowHttp: false,
  trustListAllowPrivateNetwork: false,
  refreshIntervalSeconds: 300,
  workers: Math.max(1, availableParallelism()),
  maxQueue: 256,
  requestTimeoutMs: 10_000,
  bodyLimitBytes: 10 * 1024 * 1024,
  dssPolicies: {},
  drainDelayMs: 1000,
  logLevel: 'info',
};

const LISTS = ['trustLists', 'listSigners', 'agreements', 'trustAnchors', 'tsaAnchors', 'intermediates', 'crls', 'ocsp', 'algorithms', 'trustListCa'] as const;
const PATH_LISTS = new Set<string>(['trustLists', 'listSigners', 'agreements', 'trustAnchors', 'tsaAnchors', 'intermediates', 'crls', 'ocsp', 'trustListCa']);
const NUMBERS = ['port', 'refreshIntervalSeconds', 'workers', 'maxQueue', 'requestTimeoutMs', 'bodyLimitBytes', 'drainDelayMs'] as const;
const STRINGS = ['host', 'policy', 'relyingParty', 'purpose', 'logLevel', 'trustListCacheDir'] as const;
const BOOLEANS = ['online', 'requireRevocation', 'onlineTrustLists', 'trustListAllowHttp', 'trustListAllowPrivateNetwork'] as const;
/** A trustLists entry that is a URL, not a file (fetched only with onlineTrustLists). */
const isUrl = (s: string): boolean => /^https?:\/\//i.test(s);

/** Reads a config file: unknown keys and wrong types are refused (a typo must not silently fall back to a default). */
export function readConfigFile(file: string): Partial<ServiceConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InvalidOptionError(`config ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return checkConfig(raw, dirname(resolve(file)), file);
}

export function checkConfig(raw: unknown, baseDir: string, source = 'config'): Partial<ServiceConfig> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InvalidOptionError(`${source}: not a JSON object`);
  const out: Record<string, unknown> = {};
  const at = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  for (const [key, value] of Object.entries(raw)) {
    const bad = (what: string) => new InvalidOptionError(`${source}: "${key}" must be ${what}`);
    if ((LISTS as readonly string[]).includes(key)) {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw bad('an array of strings');
      out[key] = PATH_LISTS.has(key) ? value.map((v: string) => (isUrl(v) ? v : at(v))) : value;
    } else if ((NUMBERS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw bad('a non-negative integer');
      out[key] = value;
    } else if ((STRINGS as readonly string[]).includes(key)) {
      if (typeof value !== 'string') throw bad('a string');
      // A policy file is a path; a preset name stays a name.
      out[key] = (key === 'policy' && /[./\\]/.test(value)) || key === 'trustListCacheDir' ? at(value) : value;
    } else if ((BOOLEANS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') throw bad('true or false');
      out[key] = value;
    } else if (key === 'dssPolicies') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('an object of sha256 → preset or policy file');
      const map: Record<string, string> = {};
      for (const [digest, target] of Object.entries(value)) {
        if (!/^[0-9a-f]{64}$/i.test(digest) || typeof target !== 'string') throw bad('an object of sha256 (hex) → preset or policy file');
        map[digest.toLowerCase()] = /[./\\]/.test(target) ? at(target) : target;
      }
      out[key] = map;
    } else {
      throw new InvalidOptionError(`${source}: unknown key "${key}"`);
    }
  }
  return out as Partial<ServiceConfig>;
}

export function resolveConfig(...layers: Partial<ServiceConfig>[]): ServiceConfig {
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const l of layers) for (const [k, v] of Object.entries(l)) if (v !== undefined) merged[k] = v;
  const c = merged as unknown as ServiceConfig;
  if (c.port > 65535) throw new InvalidOptionError(`port must be 0..65535 (got ${c.port})`);
  if (c.workers < 1) throw new InvalidOptionError('workers must be at least 1');
  if (c.requestTimeoutMs < 1) throw new InvalidOptionError('requestTimeoutMs must be at least 1');
  const urls = c.trustLists.filter(isUrl);
  if (urls.length && !c.onlineTrustLists) throw new InvalidOptionError(`trust list ${urls[0]} is a URL: fetching lists needs onlineTrustLists (--online-lists)`);
  if (c.relyingParty !== undefined && !/^[A-Z]{2}$/.test(c.relyingParty)) throw new InvalidOptionError(`relyingParty must be an ISO 3166 alpha-2 code (got "${c.relyingParty}")`);
  return c;
}
