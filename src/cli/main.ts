import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { OtsEsigError } from '../errors.js';
import { VERSION } from '../version.js';
import { runBatchWorker, WORKER_ROLE } from './batch.js';
import { UsageError } from './errors.js';
import { commandPaths, helpFor, nearest, requestedHelp } from './help.js';
import { runVerify } from './verify-command.js';
import { runTrustList } from './trust-list-command.js';
import { runRegress } from './regress-command.js';
import { runPolicy } from './policy-command.js';
import { runAgreement } from './agreement-command.js';
import { runServe } from './serve-command.js';
import { runQueue } from './queue-command.js';

const COMMANDS = ['verify', 'trust-list', 'regress', 'policy', 'agreement', 'serve', 'queue'];

/** `ots-esig --help`: the commands (from the help registry), then what is common to them. */
function usage(): string {
  const top = commandPaths().filter((p) => !p.includes(' '));
  const width = Math.max(...top.map((p) => p.length));
  return `Usage: ots-esig <command> [flags]

Commands:
${top.map((p) => `  ${p.padEnd(width)}  ${helpFor(p)!.summary}`).join('\n')}

ots-esig <command> --help shows a command's flags (trust-list lint --help for a trust-list command).
ots-esig --version prints the version.

Recognition: --trust-list takes TS 119 612 XML or JSON lists; --list-signer pins certificates allowed to sign
them (a list-of-lists' operator; lists it points to are checked with the signers it announces); --agreement
takes bilateral agreement JSON; --relying-party CC evaluates RECOGNIZED / NOT_RECOGNIZED / INDETERMINATE / INVALID.
There are no built-in anchors. The pilot lists in trust-lists/ are TEST lists.
Exit status: 0 every signature TOTAL-PASSED (and RECOGNIZED with --relying-party), 1 any signature not (or a batch
file not evaluable), 2 usage error or not a signature, 3 internal error.`;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const help = requestedHelp(argv);
    if (help) {
      // `policy show --help` has no text of its own: its parent's covers it.
      process.stdout.write((helpFor(help)!.text || helpFor(help.split(' ')[0]!)!.text) + '\n');
      return 0;
    }
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
        process.stdout.write(usage() + '\n');
        return 0;
      default:
        if (!command) throw new UsageError('no command given (ots-esig --help)');
        {
          const near = nearest(command.replace(/^-+/, ''), [...COMMANDS, 'help', 'version']);
          throw new UsageError(`unknown command "${command}"${near ? `; did you mean ${near === 'version' ? '--version' : near}?` : ''} (ots-esig --help)`);
        }
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
