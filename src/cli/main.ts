import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { OtsEsigError } from '../errors.js';
import { VERSION } from '../version.js';
import { runBatchWorker, WORKER_ROLE } from './batch.js';
import { UsageError } from './errors.js';
import { runVerify } from './verify-command.js';
import { runTrustList } from './trust-list-command.js';
import { runRegress } from './regress-command.js';
import { runPolicy } from './policy-command.js';
import { runAgreement } from './agreement-command.js';
import { runServe } from './serve-command.js';
import { runQueue } from './queue-command.js';

const USAGE = `Usage:
  ots-esig verify <signature-file|folder>... [--content FILE | --content NAME=FILE...] [--trust-anchor CERT]... [--tsa-anchor CERT]... [--intermediates FILE]...
                  [--crl FILE]... [--ocsp FILE]... [--online] [--policy NAME|FILE] [--require-revocation] [--at ISO-8601]
                  [--format json|text|etsi-xml|junit|html] [--lang en|az|kk|ky|tr|uz|tk|hu|ru] [--jobs N]
                  [--trust-list FILE]... [--list-signer CERT]... [--agreement FILE]... [--agreement-signer [CC=]CERT]...
                  [--relying-party CC] [--purpose P]
                  [--algorithms gost]
  ots-esig trust-list lint <list.xml|list.json> [--pin CERT]... [--at ISO-8601] [--warn-days N] [--format text|json|junit]
  ots-esig trust-list diff <old> <new> [--format text|json|junit]
  ots-esig trust-list build <source.json> -o <list.xml> [--previous OLD.xml [--previous-pin CERT]...] [--sequence N|next]
                  [--issued ISO-8601] [--next-update ISO-8601]
  ots-esig trust-list sign <list.xml> --key KEY.pem --cert CERT.pem -o <signed.xml> [--signing-time ISO-8601]
  ots-esig regress --trust-list NEW... [--baseline OLD... | --expect MANIFEST] [--write-expect FILE]
                   [verify flags: --list-signer, --agreement, --relying-party, --at ...] [--format text|json|junit] CORPUS_DIR
  ots-esig agreement sign <agreement.json> --key KEY.pem --cert CERT.pem -o <signed.json> [--signing-time ISO-8601]
  ots-esig agreement verify <signed.json> --signer [CC=]CERT... [--format text|json]
  ots-esig policy show [default|lenient]
  ots-esig serve [--host 127.0.0.1] [--port 8080] [--config FILE] [verify trust flags: --trust-list, --list-signer, --agreement,
                 --trust-anchor, --tsa-anchor, --crl, --policy, --relying-party ...]
  ots-esig queue add --redis URL --queue NAME [--at ISO-8601] [--inline] [verify trust flags] FILE|FOLDER...
  ots-esig queue work --redis URL --queue NAME [--concurrency N] [--lock-ms MS]
  ots-esig queue report --redis URL --queue NAME [--format text|json|junit]
  ots-esig --version | --help

Recognition: --trust-list takes TS 119 612 XML or JSON lists; --list-signer pins certificates allowed to sign
them (a list-of-lists' operator; lists it points to are checked with the signers it announces); --agreement
takes bilateral agreement JSON, bare or signed by both parties (JWS, \`ots-esig agreement sign\`); --agreement-signer pins
a party's agreement-signing certificate (party = CC, or the certificate's country): with any pinned, only agreements
signed by both parties (with pinned certificates or those the list of lists announces for the party) are used;
without, bare agreements are used as supplied (reported unauthenticated). --relying-party CC evaluates
RECOGNIZED / NOT_RECOGNIZED / INDETERMINATE / INVALID.
There are no built-in anchors. The pilot lists in trust-lists/ are TEST lists.
--algorithms gost adds GOST R 34.10-2012/Streebog, GOST R 34.10-2001 and the Kazakhstan NCA GOST profiles
(and a policy accepting them); without it, GOST signatures are INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE.
Time-stamps: a time-stamp is proof of existence only when its TSA chains to a --tsa-anchor CERT (a TSA certificate or
the CA issuing TSA certificates) or to a time-stamping service (TSA, TSA/QTST) of a --trust-list in good standing at
its genTime; --trust-anchor and CA services are never trusted for time-stamps.
Revocation: --crl / --ocsp supply CRLs and OCSP responses (DER); data embedded in the signature is used too.
--online fetches OCSP (AIA) and CRLs (distribution points) when nothing fresh answers; offline by default.
Policy: --policy default (the default) requires a fresh revocation status for the signer and every CA certificate
(INDETERMINATE / TRY_LATER otherwise) and enforces the strict RFC 5280 profile; --policy lenient accepts less (a missing
status is a warning); --policy FILE reads a JSON policy (policies/policy.schema.json; "extends": "default" for a partial one).
--require-revocation restores the revocation requirement over a policy that drops it (redundant with the default).
\`ots-esig policy show NAME\` prints a preset as JSON, a starting point for a policy file.
Several files or a folder are verified as a batch across N worker threads, with a summary at the end.
Exit status: 0 every signature TOTAL-PASSED (and RECOGNIZED with --relying-party), 1 any signature not (or a batch file not evaluable),
2 usage error or not a signature.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'verify':
        return await runVerify(rest, new URL(import.meta.url));
      case 'trust-list':
        return await runTrustList(rest);
      case 'regress':
        return await runRegress(rest, new URL(import.meta.url));
      case 'policy':
        return runPolicy(rest);
      case 'agreement':
        return await runAgreement(rest);
      case 'serve':
        return await runServe(rest, new URL(import.meta.url));
      case 'queue':
        return await runQueue(rest);
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
    const argsError = (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (e instanceof UsageError || e instanceof OtsEsigError || argsError) {
      const code = e instanceof OtsEsigError ? ` [${e.code}]` : '';
      // One line, so scripts can show it as-is; --help has the full usage.
      process.stderr.write(`ots-esig: ${(e as Error).message.split('\n')[0]}${code}\n`);
      return 2;
    }
    process.stderr.write(`ots-esig: internal error: ${(e as Error).stack ?? e}\n`);
    return 3;
  }
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === WORKER_ROLE) {
  // This same file runs as a batch worker thread.
  const data = workerData as { values: Parameters<typeof runBatchWorker>[1]; alternatives?: Parameters<typeof runBatchWorker>[2] };
  void runBatchWorker(parentPort!, data.values, data.alternatives);
} else {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 3;
    },
  );
}
