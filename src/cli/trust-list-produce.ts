import { writeFileSync } from 'node:fs';
import { parseCommandArgs } from './args.js';
import { writeTrustedListXml } from '../maintain/build-list.js';
import { prepareIssue } from '../maintain/issue.js';
import { signTrustListXml } from '../maintain/sign-list.js';
import { TrustListError } from '../trust/errors.js';
import { parseTrustedListJson } from '../trust/json.js';
import { loadTrustLists } from '../trust/load.js';
import { parseTrustedListXml } from '../trust/tsl-xml.js';
import { parseXml } from '../xml/parse.js';
import { UsageError } from './errors.js';
import { parseTime, readFile } from './io.js';
import { pemKeySigner } from './key-signer.js';

/**
 * `ots-esig trust-list build SOURCE.json -o LIST.xml [--previous OLD.xml [--previous-pin CERT]]
 * [--sequence N|next] [--issued ISO] [--next-update ISO]`: the unsigned XML of the next issue.
 * Notes (history carried over, services dropped) go to stderr; a refused issue exits 2.
 */
export async function runBuild(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('trust-list build', args, {
      output: { type: 'string', short: 'o' },
      previous: { type: 'string' },
      'previous-pin': { type: 'string', multiple: true },
      sequence: { type: 'string' },
      issued: { type: 'string' },
      'next-update': { type: 'string' },
    });
  if (positionals.length !== 1) throw new UsageError('trust-list build takes exactly one source file (the JSON form)');
  if (!values.output) throw new UsageError('trust-list build needs -o LIST.xml');
  const source = parseTrustedListJson(new TextDecoder().decode(readFile(positionals[0]!, 'list source')));
  let sequenceNumber: number | 'next' | undefined;
  if (values.sequence === 'next') sequenceNumber = 'next';
  else if (values.sequence !== undefined) {
    if (!/^\d+$/.test(values.sequence)) throw new UsageError(`--sequence must be a positive integer or "next" (got "${values.sequence}")`);
    sequenceNumber = Number(values.sequence);
  }
  let previous;
  if (values.previous) {
    const pins = values['previous-pin'] ?? [];
    const set = await loadTrustLists([{ data: readFile(values.previous, 'previous issue'), name: values.previous, signingCertificates: pins.map((p) => readFile(p, 'pinned certificate')) }], { time: new Date() });
    const l = set.lists[0]!;
    // With a pin the previous issue must be the operator's own; without one its content is only compared.
    if (pins.length && l.signature.status !== 'VALID') throw new TrustListError(`previous issue ${values.previous}: ${l.signature.detail}`);
    previous = l.list;
  }
  const issue = prepareIssue(source, {
    ...(previous ? { previous } : {}),
    ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
    ...(values.issued ? { issueDate: parseTime(values.issued, '--issued').toISOString() } : {}),
    ...(values['next-update'] ? { nextUpdate: parseTime(values['next-update'], '--next-update').toISOString() } : {}),
  });
  const xml = writeTrustedListXml(issue.list);
  // The written XML must read back as the list it was built from: nothing dropped or misplaced.
  const back = parseTrustedListXml(xml).list;
  if (JSON.stringify(comparable(back)) !== JSON.stringify(comparable(issue.list))) throw new TrustListError('internal: the written XML does not read back as the source list');
  writeFileSync(values.output, xml);
  for (const n of issue.notes) process.stderr.write(`note: ${n}\n`);
  process.stdout.write(`${values.output}: ${issue.list.id} #${issue.list.scheme.sequenceNumber}, issued ${issue.list.scheme.issueDate}, next update ${issue.list.scheme.nextUpdate ?? 'none (closed)'} (unsigned)\n`);
  return 0;
}

/**
 * The model minus what the XML does not carry (provenance) or the JSON may spell differently (id, the test
 * flag the rules imply), with each history instance's identity made explicit (the XML always has one: the
 * service's current identity when the source gave none).
 */
function comparable(l: ReturnType<typeof parseTrustedListJson>): unknown {
  const { provenance: _p, id: _i, test: _t, ...rest } = l;
  return {
    ...rest,
    providers: rest.providers.map((p) => ({
      ...p,
      services: p.services.map((s) => ({ ...s, history: s.history.map((h) => ({ ...h, identity: h.identity ?? s.identity })) })),
    })),
  };
}

const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * `ots-esig trust-list sign LIST.xml --key KEY.pem --cert CERT.pem -o SIGNED.xml [--tsa URL | --no-tsa] [--signing-time ISO]`.
 * Without --tsa the list is XAdES-B: the network is used only when asked (the project's offline default), and
 * TS 119 612 does not require a time-stamp on a list (its ListIssueDateTime and the LOTL pointer carry the dates).
 */
export async function runSign(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('trust-list sign', args, {
      output: { type: 'string', short: 'o' },
      key: { type: 'string' },
      cert: { type: 'string' },
      'signing-time': { type: 'string' },
      tsa: { type: 'string' },
      'no-tsa': { type: 'boolean' },
    });
  if (positionals.length !== 1) throw new UsageError('trust-list sign takes exactly one list file');
  if (!values.output || !values.key || !values.cert) throw new UsageError('trust-list sign needs --key KEY.pem --cert CERT.pem -o SIGNED.xml');
  if (values.tsa && values['no-tsa']) throw new UsageError('give either --tsa URL (XAdES-T) or --no-tsa (XAdES-B), not both');
  if (values.tsa !== undefined && !/^https?:\/\/[^/]/i.test(values.tsa)) throw new UsageError(`--tsa must be an http:// or https:// URL (got "${values.tsa}")`);
  const signer = pemKeySigner(readFile(values.key, 'private key'), readFile(values.cert, 'certificate'));
  const time = values['signing-time'] ? parseTime(values['signing-time'], '--signing-time') : new Date();
  const timestamp = values.tsa ? (await import('../maintain/tsa-client.js')).httpTimestamper(values.tsa) : undefined;
  const signed = await signTrustListXml(readFile(positionals[0]!, 'trust list'), signer, { signingTime: time, ...(timestamp ? { timestamp } : {}) });
  // Check our own product with the verifier before anyone else sees it.
  const set = await loadTrustLists([{ data: signed, name: values.output, signingCertificates: [signer.certificate] }], { time });
  const l = set.lists[0]!;
  if (l.signature.status !== 'VALID') throw new TrustListError(`internal: the signed list does not verify: ${l.signature.detail}`);
  let level = 'XAdES-B, enveloped; no time-stamp (--tsa URL for XAdES-T)';
  if (timestamp) {
    // The TSA's token is checked (signature, imprint over ds:SignatureValue, key usage, genTime) before the list is written.
    const { lintListTimestamps } = await import('../maintain/lint-timestamp.js');
    // Judged a few minutes ahead: a TSA whose clock runs slightly ahead of ours gives a genTime "after now",
    // which is no reason to refuse the operator's own fresh token (validation later has no such allowance).
    const findings = await lintListTimestamps(parseXml(signed), { time: new Date(Date.now() + CLOCK_SKEW_MS) });
    const bad = findings.find((f) => f.severity === 'error');
    if (bad) throw new TrustListError(`the TSA's time-stamp is refused: ${bad.message}`);
    level = `XAdES-T, enveloped; ${findings.find((f) => f.rule === 'signature-timestamp.valid')?.message ?? 'time-stamped'}`;
  }
  writeFileSync(values.output, signed);
  process.stdout.write(`${values.output}: signed by ${l.signature.signer} (${level})\n`);
  return 0;
}
