import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { OtsEsigError } from '../errors.js';
import { formatText } from '../report/text.js';
import { formatEtsiXml } from '../report/etsi-xml.js';
import { verify } from '../validation/verify.js';
import { VERSION } from '../version.js';

const USAGE = `Usage:
  ots-esig verify <signature-file> [--content FILE] [--trust-anchor CERT]... [--intermediates FILE]...
                  [--crl FILE]... [--at ISO-8601] [--format json|text|etsi-xml]
  ots-esig --version | --help

Exit status: 0 every signature TOTAL-PASSED, 1 any signature not, 2 usage error or not a signature.`;

/** A usage problem: printed as one line on stderr, exit 2. */
class UsageError extends Error {}

function readFile(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function parseTime(s: string): Date {
  // Require an explicit ISO-8601 date (and zone when a time is given) so "now-ish" strings are not guessed at.
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(s)) {
    throw new UsageError(`--at expects an ISO-8601 date or date-time with zone, e.g. 2026-06-01T00:00:00Z (got "${s}")`);
  }
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--at: invalid date "${s}"`);
  return d;
}

async function runVerify(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      content: { type: 'string' },
      'trust-anchor': { type: 'string', multiple: true },
      intermediates: { type: 'string', multiple: true },
      crl: { type: 'string', multiple: true },
      at: { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('verify takes exactly one signature file');
  const format = values.format;
  if (format !== 'json' && format !== 'text' && format !== 'etsi-xml') {
    throw new UsageError(`--format must be json, text or etsi-xml (got "${format}")`);
  }
  const input = readFile(positionals[0]!, 'signature file');
  const report = await verify(input, {
    detachedContent: values.content ? readFile(values.content, 'content file') : undefined,
    trustAnchors: (values['trust-anchor'] ?? []).map((f) => readFile(f, 'trust anchor')),
    intermediates: (values.intermediates ?? []).map((f) => readFile(f, 'intermediates file')),
    crls: (values.crl ?? []).map((f) => readFile(f, 'CRL file')),
    validationTime: values.at ? parseTime(values.at) : undefined,
  });
  process.stdout.write(
    format === 'json' ? JSON.stringify(report, null, 2) + '\n' : format === 'etsi-xml' ? formatEtsiXml(report) : formatText(report),
  );
  return report.signatures.every((s) => s.indication === 'TOTAL-PASSED') ? 0 : 1;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'verify':
        return await runVerify(rest);
      case '--version':
      case '-v':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return 0;
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof OtsEsigError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const code = e instanceof OtsEsigError ? ` [${e.code}]` : '';
      // One line, so scripts can show it as-is; --help has the full usage.
      process.stderr.write(`ots-esig: ${(e as Error).message.split('\n')[0]}${code}\n`);
      return 2;
    }
    process.stderr.write(`ots-esig: internal error: ${(e as Error).stack ?? e}\n`);
    return 3;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 3;
  },
);
