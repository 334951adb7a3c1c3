import * as nodeModule from 'node:module';
import type { MessagePort } from 'node:worker_threads';
import { OtsEsigError } from '../errors.js';
import { VERSION } from '../version.js';
import { UsageError } from './errors.js';
import { commandPaths, helpFor, nearest, requestedHelp } from './help.js';
import { WORKER_ROLE } from './worker-role.js';

type BatchModule = typeof import('./batch.js');

/**
 * Each command's module, loaded only when that command runs (or its help is asked for): `verify` of a CAdES
 * file does not parse the trust-list, agreement, regress or service code. Each module registers its help
 * texts (help.ts) when it is loaded.
 */
const COMMANDS = {
  verify: () => import('./verify-command.js'),
  'trust-list': () => import('./trust-list-command.js'),
  regress: () => import('./regress-command.js'),
  policy: () => import('./policy-command.js'),
  agreement: () => import('./agreement-command.js'),
  serve: () => import('./serve-command.js'),
  queue: () => import('./queue-command.js'),
} as const;
type Command = keyof typeof COMMANDS;

function isCommand(word: string | undefined): word is Command {
  return word !== undefined && Object.hasOwn(COMMANDS, word);
}

/** Loads the command modules whose help a command line may ask for: the named command's, else all of them. */
async function loadHelp(command: string | undefined): Promise<void> {
  await Promise.all(isCommand(command) ? [COMMANDS[command]()] : Object.values(COMMANDS).map((load) => load()));
}

/** `--help` or `-h` before any `--`: help is asked for (requestedHelp then says whose). */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

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

let fast: typeof import('./verify-fast.js') | undefined;

/**
 * Command-line words after which dist/cli-verify.js would stop anyway (XML and container files by name, trusted
 * lists, agreements, recognition, GOST, the XML and HTML reports): those runs start on the split build and do not
 * load the one file first. Only a shortcut; what decides is FAST_PATH_MISS.
 */
const SPLIT_BUILD_HINT = /\.(xml|asice|asics|sce|bdoc|zip)$|^--(trust-list|agreement|relying-party|algorithms)(=|$)|^(etsi-xml|html)$|^--format=(etsi-xml|html)$/i;

/**
 * `verify` from dist/cli-verify.js, the command's CAdES path in one module file (start-up, #19 cliStart), and from
 * the split modules when that run needs code the file leaves out (XML, trusted lists, containers, a batch, other
 * renderers, GOST): it stops with FAST_PATH_MISS at the first such import, before anything is written, and the
 * command runs again here. Command lines with --online or --online-lists start here: their network work (and
 * list cache writes) may come before such an import and must not happen twice.
 */
async function runVerifyCommand(args: string[], workerUrl: URL): Promise<number> {
  if (!args.some((a) => /^--online(-lists)?(=|$)/.test(a) || SPLIT_BUILD_HINT.test(a))) {
    fast ??= await import('./verify-fast.js');
    try {
      return await fast.runVerify(args, workerUrl);
    } catch (e) {
      if ((e as { code?: unknown } | null)?.code !== fast.FAST_PATH_MISS) throw e;
    }
  }
  return await (await COMMANDS.verify()).runVerify(args, workerUrl);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === '--help' || command === '-h' || command === 'help' || asksForHelp(argv)) await loadHelp(command);
    const help = requestedHelp(argv);
    if (help) {
      // `policy show --help` has no text of its own: its parent's covers it.
      process.stdout.write((helpFor(help)!.text || helpFor(help.split(' ')[0]!)!.text) + '\n');
      return 0;
    }
    switch (command) {
      case 'verify':
        return await runVerifyCommand(rest, new URL(import.meta.url));
      case 'trust-list':
        return await (await COMMANDS['trust-list']()).runTrustList(rest);
      case 'regress':
        return await (await COMMANDS.regress()).runRegress(rest, new URL(import.meta.url));
      case 'policy':
        return (await COMMANDS.policy()).runPolicy(rest);
      case 'agreement':
        return await (await COMMANDS.agreement()).runAgreement(rest);
      case 'serve':
        return await (await COMMANDS.serve()).runServe(rest, new URL(import.meta.url));
      case 'queue':
        return await (await COMMANDS.queue()).runQueue(rest);
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
          const near = nearest(command.replace(/^-+/, ''), [...Object.keys(COMMANDS), 'help', 'version']);
          throw new UsageError(`unknown command "${command}"${near ? `; did you mean ${near === 'version' ? '--version' : near}?` : ''} (ots-esig --help)`);
        }
    }
  } catch (e) {
    const argsError = (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    // dist/cli-verify.js has its own copies of the error classes.
    const otsError = e instanceof OtsEsigError || (fast !== undefined && e instanceof fast.OtsEsigError);
    if (e instanceof UsageError || (fast !== undefined && e instanceof fast.UsageError) || otsError || argsError) {
      const code = otsError ? ` [${(e as OtsEsigError).code}]` : '';
      // One line, so scripts can show it as-is; --help has the full usage.
      process.stderr.write(`ots-esig: ${(e as Error).message.split('\n')[0]}${code}\n`);
      return 2;
    }
    process.stderr.write(`ots-esig: internal error: ${(e as Error).stack ?? e}\n`);
    return 3;
  }
}

/**
 * Node 22.1+ keeps V8's compiled code of the modules loaded from here on in an on-disk cache (the OS temporary
 * directory, checked against each module's source), so a second `ots-esig verify` does not compile pkijs, asn1js
 * and the library again: start-up time (#19). On Node 20 the function does not exist and nothing happens;
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off. A cache that cannot be written only costs that time back.
 */
function enableCompileCache(): void {
  const enable = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (typeof enable !== 'function') return;
  try {
    enable();
  } catch {
    // Start-up time only: the CLI works the same without a cache.
  }
}

enableCompileCache();

/**
 * A batch worker thread runs this same file. batch.ts starts it with WORKER_ROLE as its argument as well as in
 * workerData: node:worker_threads (a few milliseconds of Node's own modules) is loaded only when that argument
 * is there, not at every start (#19 cliStart). workerData is what decides, as before.
 */
async function workerPort(): Promise<{ port: MessagePort; data: Parameters<BatchModule['runBatchWorker']>[1] } | undefined> {
  if (process.argv[2] !== WORKER_ROLE) return undefined;
  const { isMainThread, parentPort, workerData } = await import('node:worker_threads');
  if (isMainThread || (workerData as { role?: string } | null)?.role !== WORKER_ROLE) return undefined;
  return { port: parentPort!, data: workerData as Parameters<BatchModule['runBatchWorker']>[1] };
}

void workerPort().then((worker) => {
  if (worker) {
    // The worker loads only the batch code; messages the main thread posts meanwhile wait in the port.
    void import('./batch.js').then(({ runBatchWorker }) => runBatchWorker(worker.port, worker.data));
    return;
  }
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 3;
    },
  );
});
