import { POLICY_PRESETS } from '../policy/presets.js';
import { UsageError } from './errors.js';
import { registerHelp } from './help.js';

registerHelp('policy', {
  summary: 'print a validation policy preset as JSON (policy show NAME)',
  text: `Usage: ots-esig policy show [default|lenient]

Prints a policy preset as JSON: a starting point for a policy file (policies/policy.schema.json; "extends":
"default" for a partial one), given to verify with --policy FILE.

Presets: default requires a fresh revocation status for the signer and every CA certificate and enforces the strict
RFC 5280 profile; lenient accepts less (a missing status is a warning).`,
});
registerHelp('policy show', { summary: 'print a policy preset as JSON', text: '' });

/** `ots-esig policy show [NAME]`: a preset as JSON (default: `default`), to start a policy file from. */
export function runPolicy(args: readonly string[]): number {
  const [sub, name = 'default', ...extra] = args;
  if (sub !== 'show') throw new UsageError(sub ? `unknown policy command "${sub}" (known: show)` : 'policy: give a command (show)');
  if (extra.length) throw new UsageError(`policy show takes one preset name (got ${args.length - 1})`);
  const preset = POLICY_PRESETS[name];
  if (!preset) throw new UsageError(`unknown policy preset "${name}" (known: ${Object.keys(POLICY_PRESETS).join(', ')})`);
  process.stdout.write(JSON.stringify({ $schema: 'https://github.com/ots-esig/ots-esig/policies/policy.schema.json', ...preset }, null, 2) + '\n');
  return 0;
}
