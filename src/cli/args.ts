import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';
import { nearest } from './help.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type CommandConfig<O extends Options> = { args: string[]; allowPositionals: true; strict: true; options: O & { help: { type: 'boolean'; short: 'h' } } };

/**
 * parseArgs for a command, with its errors rewritten for people: an unknown
 * flag is answered with the command's nearest valid flag, and every error
 * points at `ots-esig <command> --help`. `--help` itself is answered by main
 * before the command runs, so it is accepted (and ignored) here.
 */
export function parseCommandArgs<O extends Options>(command: string, args: readonly string[], options: O): ReturnType<typeof parseArgs<CommandConfig<O>>> {
  try {
    const config: CommandConfig<O> = { args: [...args], allowPositionals: true, strict: true, options: { ...options, help: { type: 'boolean', short: 'h' } } };
    return parseArgs(config);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (!code?.startsWith('ERR_PARSE_ARGS')) throw e;
    const more = `(ots-esig ${command} --help)`;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'([^']+)'/.exec((e as Error).message)?.[1] ?? '';
      const name = flag.replace(/^-+/, '').split('=')[0]!;
      const near = nearest(name, Object.keys(options));
      throw new UsageError(`${command}: unknown flag ${flag}${near ? `; did you mean --${near}?` : ''} ${more}`);
    }
    throw new UsageError(`${command}: ${(e as Error).message.split('\n')[0]} ${more}`);
  }
}
