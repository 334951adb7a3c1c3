import { writeFileSync } from 'node:fs';
import { trustedListFromCertificates } from '../maintain/from-certs.js';
import { parseTrustedListJson, trustedListToJson } from '../trust/json.js';
import { parseCommandArgs } from './args.js';
import { UsageError } from './errors.js';
import { registerHelp } from './help.js';
import { describeFsError, parseTime, readFile } from './io.js';

registerHelp('trust-list from-certs', {
  summary: 'build a trusted list (JSON form) from pinned root certificates',
  text: `Usage: ots-esig trust-list from-certs --territory CC --service-type TYPE [flags] CERT... [-o FILE]

Builds a trusted list in the JSON form (trust-lists/trust-list.schema.json) with one granted service per
certificate: for a member whose roots you pinned out of band and that publishes no list you can read.
A JSON list carries no signature: pin its SHA-256 or ship it with your application (docs/national-roots.md).

  --territory CC              the member's ISO 3166-1 code (any case: kz = KZ)
  --service-type TYPE         CA/QC, CA/PKC, NationalRootCA-QC, TSA/QTST, TSA, or a full service type URI;
                              CA types take CA certificates only
  --additional-info INFO      AdditionalServiceInformation, e.g. ForeSignatures (repeatable; default for CA/QC:
                              ForeSignatures; "none" for none)
  --operator NAME             the scheme operator's name (default: "CC trusted list operator")
  --provider NAME             the provider of every service (default: each certificate's O, else its CN)
  --sequence N                the list's sequence number (default 1; raise it with each issue)
  --issued ISO-8601           issue date (default: now)
  --next-update ISO-8601      next update (default: 180 days after the issue date)
  --status-since ISO-8601     services granted since (default: each certificate's notBefore)
  --test                      mark the list as a TEST list
  -o, --output FILE           write the list here (default: standard output)`,
});

const DAY = 86_400_000;

/** `ots-esig trust-list from-certs`: a JSON trusted list from pinned certificates (src/maintain/from-certs.ts). */
export function runFromCerts(args: string[]): number {
  const { values, positionals } = parseCommandArgs('trust-list from-certs', args, {
    territory: { type: 'string' },
    'service-type': { type: 'string' },
    'additional-info': { type: 'string', multiple: true },
    operator: { type: 'string' },
    provider: { type: 'string' },
    sequence: { type: 'string' },
    issued: { type: 'string' },
    'next-update': { type: 'string' },
    'status-since': { type: 'string' },
    test: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
  });
  if (!values.territory) throw new UsageError('trust-list from-certs needs --territory CC (ots-esig trust-list from-certs --help)');
  if (!values['service-type']) throw new UsageError('trust-list from-certs needs --service-type, e.g. CA/QC (ots-esig trust-list from-certs --help)');
  if (!positionals.length) throw new UsageError('trust-list from-certs needs at least one certificate file');
  const sequence = values.sequence === undefined ? 1 : Number(values.sequence);
  if (!Number.isInteger(sequence) || sequence < 1) throw new UsageError(`--sequence must be a positive integer (got "${values.sequence}")`);
  const issueDate = values.issued ? parseTime(values.issued, '--issued') : new Date();
  const nextUpdate = values['next-update'] ? parseTime(values['next-update'], '--next-update') : new Date(issueDate.getTime() + 180 * DAY);
  const info = values['additional-info'];
  const list = trustedListFromCertificates(
    positionals.map((f) => readFile(f, 'certificate')),
    {
      territory: values.territory.toUpperCase(),
      serviceType: values['service-type'],
      issueDate,
      nextUpdate,
      sequenceNumber: sequence,
      ...(values.operator ? { operatorName: values.operator } : {}),
      ...(values.provider ? { providerName: values.provider } : {}),
      ...(values['status-since'] ? { statusStartingTime: parseTime(values['status-since'], '--status-since') } : {}),
      ...(info ? { additionalServiceInformation: info.filter((i) => i !== 'none') } : {}),
      test: values.test === true,
    },
  );
  const text = JSON.stringify(trustedListToJson(list), null, 2) + '\n';
  // What is written must read back as a list: the same checks every consumer of the file applies.
  parseTrustedListJson(text);
  if (!values.output) {
    process.stdout.write(text);
    return 0;
  }
  try {
    writeFileSync(values.output, text);
  } catch (e) {
    throw new UsageError(`cannot write ${values.output}: ${describeFsError(e, values.output)}`);
  }
  const services = list.providers.reduce((n, p) => n + p.services.length, 0);
  process.stderr.write(`ots-esig: wrote ${values.output}: ${list.id} #${list.scheme.sequenceNumber}, ${services} service(s), next update ${list.scheme.nextUpdate}\n`);
  return 0;
}
