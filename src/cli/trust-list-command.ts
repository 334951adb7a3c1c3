import { diffTrustLists, formatDiffText, type TrustListDiff } from '../maintain/diff.js';
import { countBySeverity, type Finding } from '../maintain/findings.js';
import { lintTrustList } from '../maintain/lint.js';
import { OtsEsigError } from '../errors.js';
import { loadTrustLists, type LoadedTrustList } from '../trust/load.js';
import { parseCommandArgs } from './args.js';
import { UsageError } from './errors.js';
import { TRUST_LIST_COMMANDS } from './trust-list-help.js';
import { runFromCerts } from './trust-list-from-certs.js';
import { parseTime, readFile } from './io.js';
import { formatJunit, type JunitCase } from './junit.js';
import { runBuild, runSign } from './trust-list-produce.js';
import { parseXml } from '../xml/parse.js';

const FORMATS = ['text', 'json', 'junit'];

function checkFormat(format: string): void {
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be ${FORMATS.join(', ')} (got "${format}")`);
}

/** `ots-esig trust-list lint|diff|build|sign ...` for scheme operators and their CI. */
export async function runTrustList(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'lint') return runLint(rest);
  if (sub === 'diff') return runDiff(rest);
  if (sub === 'build') return runBuild(rest);
  if (sub === 'sign') return runSign(rest);
  if (sub === 'from-certs') return runFromCerts(rest);
  const known = TRUST_LIST_COMMANDS.join(', ');
  throw new UsageError(sub ? `unknown trust-list command "${sub}" (${known}; ots-esig trust-list --help)` : `trust-list needs a command: ${known}`);
}

/** List bytes by URL, fetched before loading when lint is given URLs with --online-lists. */
const fetched = new Map<string, Uint8Array>();
const readList = (f: string, what: string): Uint8Array => fetched.get(f) ?? readFile(f, what);

/**
 * `trust-list lint` with URLs (--online-lists): each fetched once over https (net/https-get.ts, no cache), then
 * linted exactly as a file, so a list whose signature fails is reported as a finding, not hidden.
 */
async function fetchLintUrls(urls: readonly string[], values: { 'online-lists'?: boolean; 'list-ca'?: string[]; 'list-allow-http'?: boolean; 'list-allow-private'?: boolean }): Promise<void> {
  if (!urls.length) return;
  if (!values['online-lists']) throw new UsageError(`${urls[0]} is a URL: fetching lists needs --online-lists`);
  const { conditionalGet } = await import('../net/https-get.js');
  const ca = (values['list-ca'] ?? []).map((c) => readFile(c, 'list CA certificate'));
  for (const url of urls) {
    const r = await conditionalGet(url, {}, { ...(ca.length ? { ca } : {}), allowHttp: values['list-allow-http'] === true, allowPrivateNetwork: values['list-allow-private'] === true });
    fetched.set(url, r.body!);
  }
}

async function load(file: string, time: Date, pins: readonly string[]): Promise<LoadedTrustList> {
  const set = await loadTrustLists([{ data: readList(file, 'trust list'), name: file, signingCertificates: pins.map((p) => readFile(p, 'pinned certificate')) }], { time });
  return set.lists[0]!;
}

/**
 * The list as verify loads it: beside the lists of lists named (signed by the --list-signer pins), so the
 * signers a list of lists announces for the list's territory verify it.
 */
async function loadThroughLotl(file: string, time: Date, pins: readonly string[], lotls: readonly string[], lotlPins: readonly string[]): Promise<{ loaded: LoadedTrustList; lotls: readonly LoadedTrustList[] }> {
  const signers = lotlPins.map((p) => readFile(p, 'list signer certificate'));
  const set = await loadTrustLists(
    [
      ...lotls.map((f) => ({ data: readList(f, 'list of lists'), name: f, signingCertificates: signers })),
      { data: readList(file, 'trust list'), name: file, signingCertificates: pins.map((p) => readFile(p, 'pinned certificate')) },
    ],
    { time },
  );
  const loaded = set.lists[set.lists.length - 1]!;
  const lotlLists = set.lists.slice(0, -1);
  if (!loaded.via && !loaded.usable) {
    const unusable = set.lists.slice(0, -1).filter((l) => !l.usable);
    const why = unusable.length
      ? `the list of lists is not usable (${unusable.map((l) => `${l.name}: ${l.problems.join('; ') || l.signature.detail}`).join('; ')})`
      : `no list of lists given points to ${loaded.list.scheme.territory} ${loaded.list.scheme.type}`;
    return { loaded: { ...loaded, problems: [...loaded.problems, `signer not found: ${why}`] }, lotls: lotlLists };
  }
  return { loaded, lotls: lotlLists };
}

async function runLint(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('trust-list lint', args, {
    pin: { type: 'string', multiple: true },
    'trust-list': { type: 'string', multiple: true },
    'list-signer': { type: 'string', multiple: true },
    at: { type: 'string' },
    'warn-days': { type: 'string', default: '30' },
    format: { type: 'string', default: 'text' },
    'tsa-anchor': { type: 'string', multiple: true },
    crl: { type: 'string', multiple: true },
    'online-lists': { type: 'boolean' },
    'list-ca': { type: 'string', multiple: true },
    'list-allow-http': { type: 'boolean' },
    'list-allow-private': { type: 'boolean' },
  });
  checkFormat(values.format);
  if (positionals.length !== 1) throw new UsageError('trust-list lint takes exactly one list file');
  await fetchLintUrls([positionals[0]!, ...(values['trust-list'] ?? [])].filter((f) => /^https?:\/\//i.test(f)), values);
  const warnDays = Number(values['warn-days']);
  if (!Number.isInteger(warnDays) || warnDays < 0) throw new UsageError(`--warn-days must be a non-negative integer (got "${values['warn-days']}")`);
  const time = values.at ? parseTime(values.at) : new Date();
  const file = positionals[0]!;
  let findings: Finding[];
  let header = file;
  const bytes = readList(file, 'trust list');
  // The schema structure is checked on the XML itself, so a list the reader refuses still gets its findings by path.
  let doc: Document | undefined;
  let schema: Finding[] = [];
  if (!looksLikeJson(bytes)) {
    try {
      doc = parseXml(bytes);
      schema = (await import('../maintain/lint-schema.js')).lintTslSchema(doc);
    } catch {
      // Not well-formed: the loader below says why.
    }
  }
  try {
    const lotls = values['trust-list'] ?? [];
    if (!lotls.length && values['list-signer']) throw new UsageError('--list-signer pins the signer of a list of lists: give the list of lists with --trust-list');
    const through = lotls.length ? await loadThroughLotl(file, time, values.pin ?? [], lotls, values['list-signer'] ?? []) : undefined;
    const loaded = through ? through.loaded : await load(file, time, values.pin ?? []);
    header = `${file}: ${loaded.list.id} #${loaded.list.scheme.sequenceNumber}, issued ${loaded.list.scheme.issueDate}, next update ${loaded.list.scheme.nextUpdate ?? 'none'}`;
    findings = [...lintTrustList(loaded, { time, warnDays }), ...schema];
    if (doc && loaded.format === 'xml') {
      const { lintListTimestamps } = await import('../maintain/lint-timestamp.js');
      findings.push(
        ...(await lintListTimestamps(doc, {
          time,
          timestampAnchors: (values['tsa-anchor'] ?? []).map((p) => readFile(p, 'time-stamp anchor')),
          crls: (values.crl ?? []).map((p) => readFile(p, 'CRL')),
        })),
      );
      if (through) findings.push(...(await (await import('../maintain/lint-pointer.js')).lintAnnouncedSigner(doc, loaded.list, through.lotls)));
    }
  } catch (e) {
    // A list that does not even parse is the first thing lint must report, not a usage error.
    if (!(e instanceof OtsEsigError) || e.code === 'ERR_INVALID_OPTION') throw e;
    findings = [{ severity: 'error', rule: 'structure', message: e.message }, ...schema];
  }
  const counts = countBySeverity(findings);
  if (values.format === 'json') {
    process.stdout.write(JSON.stringify({ file, findings, ...counts }, null, 2) + '\n');
  } else if (values.format === 'junit') {
    process.stdout.write(formatJunit(`trust-list lint ${file}`, lintJunit(file, findings)));
  } else {
    const lines = [header, ...findings.map((f) => `  ${f.severity.toUpperCase().padEnd(7)} ${f.rule}: ${f.message}${f.where ? ` (${f.where})` : ''}`)];
    lines.push(`${counts.errors} error(s), ${counts.warnings} warning(s)`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return counts.errors ? 1 : 0;
}

/** A JSON list starts with `{` after whitespace or a byte-order mark (as the loader decides). */
function looksLikeJson(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0xef || b === 0xbb || b === 0xbf) continue;
    return b === 0x7b;
  }
  return false;
}

function lintJunit(file: string, findings: readonly Finding[]): JunitCase[] {
  const cases: JunitCase[] = findings
    .filter((f) => f.severity !== 'info')
    .map((f) => ({
      classname: file,
      name: `${f.severity} ${f.rule}${f.where ? ` (${f.where})` : ''}`,
      ...(f.severity === 'error' ? { failure: { message: f.message } } : {}),
    }));
  if (!cases.some((c) => c.failure)) cases.unshift({ classname: file, name: 'lint' });
  return cases;
}

async function runDiff(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('trust-list diff', args, { format: { type: 'string', default: 'text' } });
  checkFormat(values.format);
  if (positionals.length !== 2) throw new UsageError('trust-list diff takes two list files: OLD NEW');
  // Diff reads content only; whether each issue is well signed is lint's job.
  const time = new Date();
  const [a, b] = await Promise.all(positionals.map((f) => load(f, time, [])));
  const d = diffTrustLists(a!.list, b!.list);
  if (values.format === 'json') process.stdout.write(JSON.stringify(d, null, 2) + '\n');
  else if (values.format === 'junit') process.stdout.write(formatJunit(`trust-list diff`, diffJunit(d)));
  else process.stdout.write(formatDiffText(d));
  return d.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

function diffJunit(d: TrustListDiff): JunitCase[] {
  const cls = `${d.old.id} #${d.old.sequenceNumber} -> #${d.new.sequenceNumber}`;
  const cases: JunitCase[] = d.findings.map((f) => ({
    classname: cls,
    name: `${f.rule}${f.where ? ` (${f.where})` : ''}`,
    ...(f.severity === 'error' ? { failure: { message: f.message } } : {}),
  }));
  cases.push({ classname: cls, name: `${d.servicesAdded.length} added, ${d.servicesRemoved.length} removed, ${d.statusChanges.length} status change(s)` });
  return cases;
}
