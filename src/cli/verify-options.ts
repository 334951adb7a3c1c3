import { existsSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import { agreementSignerArg } from './agreement-signer-arg.js';
import type { VerifyOptions } from '../validation/options.js';
import type { TrustSet } from '../trust/load.js';
import { parseTime, readFile } from './io.js';
import { InvalidOptionError } from '../errors.js';
import { AlgorithmRegistry } from '../crypto/registry.js';
import type { ValidationPolicy } from '../policy/model.js';
import { parsePolicy } from '../policy/parse.js';
import { POLICY_PRESETS } from '../policy/presets.js';
import { UsageError } from './errors.js';

/** The flags of `ots-esig verify` that shape validation (shared by the single-file and batch paths). */
export const VERIFY_FLAGS = {
  /** The signed content of a detached signature: `FILE`, or `NAME=FILE` (repeatable) for a XAdES whose references name several files. */
  content: { type: 'string', multiple: true },
  'trust-anchor': { type: 'string', multiple: true },
  /** Certificates trusted as time-stamping authorities (a TSA certificate or the CA issuing TSA certificates); --trust-anchor is not. */
  'tsa-anchor': { type: 'string', multiple: true },
  intermediates: { type: 'string', multiple: true },
  crl: { type: 'string', multiple: true },
  /** OCSP responses (DER) to use as revocation data. */
  ocsp: { type: 'string', multiple: true },
  /** Fetch OCSP / CRLs named in the certificates (AIA, CDP) when no fresh supplied or embedded data answers. */
  online: { type: 'boolean' },
  /** Kept as an override (e.g. over --policy lenient): the default policy already requires revocation status. */
  'require-revocation': { type: 'boolean' },
  /** The validation policy: a preset name (default, lenient) or a policy JSON file (policies/policy.schema.json). */
  policy: { type: 'string' },
  at: { type: 'string' },
  'trust-list': { type: 'string', multiple: true },
  'list-signer': { type: 'string', multiple: true },
  agreement: { type: 'string', multiple: true },
  /** `[CC=]CERT`: a party's agreement-signing certificate; with any given, only agreements signed by both parties are used. */
  'agreement-signer': { type: 'string', multiple: true },
  'relying-party': { type: 'string' },
  purpose: { type: 'string' },
  /** Opt-in: a --trust-list that is an https URL is fetched (pointers of a list of lists followed one level) and verified. */
  'online-lists': { type: 'boolean' },
  /** A folder keeping the last good copy of each online list with its ETag/Last-Modified (conditional GET next time). */
  'list-cache': { type: 'string' },
  /** Root certificates the list servers' TLS certificates must chain to (instead of Node's roots). */
  'list-ca': { type: 'string', multiple: true },
  /** Plain http list URLs (tests and labs only). */
  'list-allow-http': { type: 'boolean' },
  /** List URLs on loopback / private addresses (refused by default). */
  'list-allow-private': { type: 'boolean' },
  /** Optional crypto providers to register, e.g. `--algorithms gost` (GOST R 34.10-2012 and the KZ NCA profiles). */
  algorithms: { type: 'string', multiple: true },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** What each of VERIFY_FLAGS does, for the help of verify and regress. */
export const VERIFY_FLAGS_HELP = `Validation:
  --content FILE                  the signed content of a detached signature
  --content NAME=FILE             a named detached file (repeatable; XAdES references by URI)
  --trust-anchor CERT             a certificate trusted as a root for signers (repeatable; PEM or DER)
  --tsa-anchor CERT               a TSA certificate or the CA issuing TSA certificates, trusted for time-stamps only
  --intermediates FILE            CA certificates to build paths with (repeatable)
  --crl FILE / --ocsp FILE        CRLs / OCSP responses (DER) to use as revocation data (repeatable)
  --online                        fetch OCSP (AIA) and CRLs (distribution points) when nothing fresh answers
  --policy NAME|FILE              default (the default; requires fresh revocation status), lenient, tr-profile, or a policy JSON
                                  file (policies/policy.schema.json); \`ots-esig policy show NAME\` prints a preset
  --require-revocation            require revocation status over a policy that drops it
  --at ISO-8601                   the validation time, e.g. 2026-06-01T00:00:00Z (default: now)
  --algorithms gost               add GOST R 34.10-2012/Streebog, GOST R 34.10-2001 and the KZ NCA GOST profiles

Recognition:
  --trust-list FILE               a TS 119 612 list (XML) or its JSON form (repeatable); no anchors are built in
  --list-signer CERT              a certificate allowed to sign the lists (the list of lists' operator); the lists
                                  it points to are checked with the signers it announces
  --agreement FILE                a bilateral agreement (trust-lists/agreement.schema.json) (repeatable)
  --agreement-signer [CC=]CERT    a certificate allowed to sign agreements for party CC; when given, only agreements
                                  every party signed are used (repeatable)
  --relying-party CC              the member deciding recognition (ISO 3166 code, any case: tr = TR)
  --purpose P                     the purpose recognition is asked for

Online lists (opt-in; offline by default):
  --online-lists                  accept https URLs in --trust-list: each list is fetched, verified like a file (pinned
                                  --list-signer, or the signers its list of lists announces) and its list of lists'
                                  pointers followed one level; a failed fetch or verification keeps the cached copy
  --list-cache DIR                keep the last good copy of each list (ETag/Last-Modified: the next fetch is conditional)
  --list-ca CERT                  root certificate(s) the list servers' TLS certificates must chain to (default: Node's roots)
  --list-allow-private            allow list URLs on loopback/private addresses (refused by default)
  --list-allow-http               allow plain http list URLs (tests and labs only)`;

/** Values of VERIFY_FLAGS as parseArgs returns them: plain data, so it can be sent to worker threads. */
export type VerifyFlagValues = {
  [K in keyof typeof VERIFY_FLAGS]?: (typeof VERIFY_FLAGS)[K] extends { multiple: true } ? string[] : (typeof VERIFY_FLAGS)[K] extends { type: 'boolean' } ? boolean : string;
};

/**
 * `--trust-list` files loaded (and their signatures checked) once, not once per signature of a batch;
 * `--list-signer` pins apply to every list. Undefined when no list is named.
 */
export async function loadTrustListFlags(listFiles: readonly string[], values: VerifyFlagValues): Promise<TrustSet | undefined> {
  if (!listFiles.length) return undefined;
  // The list loader (and through it the XML stack) only when a list is named: start-up time of plain `verify`.
  const { loadTrustLists } = await import('../trust/load.js');
  const signers = (values['list-signer'] ?? []).map((c) => readFile(c, 'list signer certificate'));
  const urls = listFiles.filter(isUrl);
  const online = urls.length ? await fetchOnlineLists(urls, signers, values) : [];
  return loadTrustLists(
    [...listFiles.filter((f) => !isUrl(f)).map((f) => ({ data: readFile(f, 'trust list'), name: f, signingCertificates: signers })), ...online],
    { time: values.at ? parseTime(values.at) : new Date() },
  );
}

const isUrl = (s: string): boolean => /^https?:\/\//i.test(s);

/**
 * `--trust-list URL` (with --online-lists): fetched and verified by trust/online.ts. A list whose fetch or
 * verification failed but whose cached copy verifies is used with a warning on stderr; a URL with no verified
 * copy at all is an error (a smaller trust set than asked for must not pass unnoticed).
 */
async function fetchOnlineLists(urls: readonly string[], signers: readonly Uint8Array[], values: VerifyFlagValues) {
  if (!values['online-lists']) throw new UsageError(`--trust-list ${urls[0]} is a URL: fetching lists needs --online-lists`);
  const { OnlineTrustLists } = await import('../trust/online.js');
  const ca = (values['list-ca'] ?? []).map((c) => readFile(c, 'list CA certificate'));
  const online = new OnlineTrustLists({
    sources: urls.map((url) => ({ url, signingCertificates: signers })),
    http: { ...(ca.length ? { ca } : {}), allowHttp: values['list-allow-http'] === true, allowPrivateNetwork: values['list-allow-private'] === true },
    ...(values['list-cache'] ? { cacheDir: values['list-cache'] } : {}),
  });
  const r = await online.refresh();
  for (const e of r.errors) process.stderr.write(`ots-esig: warning: trust list ${e}\n`);
  const missing = online.states.filter((s) => s.origin === 'configured' && !s.inUse);
  if (missing.length) throw new InvalidOptionError(`--trust-list ${missing.map((s) => s.url).join(', ')}: no verified copy (${r.errors.join('; ')})`);
  return online.inputs;
}

export async function buildVerifyOptions(values: VerifyFlagValues): Promise<VerifyOptions> {
  const validationTime = values.at ? parseTime(values.at) : undefined;
  const trustLists = await loadTrustListFlags(values['trust-list'] ?? [], values);
  const algorithms = await loadAlgorithms(values.algorithms ?? []);
  return {
    ...algorithms,
    ...(values.policy !== undefined ? { policy: loadPolicy(values.policy) } : {}),
    ...contentOptions(values.content ?? []),
    trustAnchors: (values['trust-anchor'] ?? []).map((f) => readFile(f, 'trust anchor')),
    timestampAnchors: (values['tsa-anchor'] ?? []).map((f) => readFile(f, 'time-stamp anchor')),
    intermediates: (values.intermediates ?? []).map((f) => readFile(f, 'intermediates file')),
    crls: (values.crl ?? []).map((f) => readFile(f, 'CRL file')),
    ocspResponses: (values.ocsp ?? []).map((f) => readFile(f, 'OCSP response file')),
    online: values.online === true,
    requireRevocation: values['require-revocation'] === true,
    validationTime,
    // --list-signer pins apply to every --trust-list (typically the list-of-lists operator's certificate);
    // national lists it points to are verified with the signers its pointers announce.
    ...(trustLists ? { trustLists } : {}),
    agreements: (values.agreement ?? []).map((f) => ({ data: readFile(f, 'agreement'), name: f })),
    ...(values['agreement-signer']?.length ? { agreementSigners: values['agreement-signer'].map(agreementSignerArg) } : {}),
    // Country codes are upper case in lists and agreements; people type "tr". The library keeps requiring upper case.
    relyingParty: values['relying-party']?.toUpperCase(),
    purpose: values.purpose,
  };
}

/**
 * `--content FILE` (the one detached content) and `--content NAME=FILE` (content by reference URI, repeatable).
 * A value that names an existing file is a file even when it contains "=".
 */
export function contentOptions(values: readonly string[]): Pick<VerifyOptions, 'detachedContent' | 'detachedFiles'> {
  let single: Uint8Array | undefined;
  const named = new Map<string, Uint8Array>();
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq > 0 && !existsSync(v)) {
      const name = v.slice(0, eq);
      if (named.has(name)) throw new UsageError(`--content ${name}= is given twice`);
      named.set(name, readFile(v.slice(eq + 1), `content file for ${name}`));
    } else {
      if (single) throw new UsageError('--content FILE is given twice; name each file of a multi-file signature with --content NAME=FILE');
      single = readFile(v, 'content file');
    }
  }
  return { ...(single ? { detachedContent: single } : {}), ...(named.size ? { detachedFiles: named } : {}) };
}

/** `--policy NAME|FILE`: a preset by name, else a JSON file read and checked by parsePolicy (errors name the bad field). */
export function loadPolicy(value: string): ValidationPolicy | string {
  if (POLICY_PRESETS[value]) return value;
  const text = new TextDecoder().decode(readFile(value, `policy file (presets: ${Object.keys(POLICY_PRESETS).join(', ')})`));
  try {
    return parsePolicy(text);
  } catch (e) {
    throw new UsageError(`--policy ${value}: ${(e as Error).message}`);
  }
}

/** `--algorithms gost[,…]`: a registry with the optional providers (loaded only when asked for) and their policy. */
async function loadAlgorithms(names: readonly string[]): Promise<Pick<VerifyOptions, 'registry' | 'algorithmPolicy'>> {
  const wanted = new Set(names.flatMap((n) => n.split(',')).map((n) => n.trim().toLowerCase()).filter(Boolean));
  if (wanted.size === 0) return {};
  for (const n of wanted) if (n !== 'gost') throw new InvalidOptionError(`--algorithms: unknown provider "${n}" (known: gost)`);
  const { GostProvider, GOST_ALGORITHM_POLICY } = await import('../crypto/gost/index.js');
  return { registry: new AlgorithmRegistry().register(new GostProvider()), algorithmPolicy: GOST_ALGORITHM_POLICY };
}
