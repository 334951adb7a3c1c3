import type { ParseArgsConfig } from 'node:util';
import type { VerifyOptions } from '../validation/options.js';
import { parseTime, readFile } from './io.js';

/** The flags of `ots-esig verify` that shape validation (shared by the single-file and batch paths). */
export const VERIFY_FLAGS = {
  content: { type: 'string' },
  'trust-anchor': { type: 'string', multiple: true },
  intermediates: { type: 'string', multiple: true },
  crl: { type: 'string', multiple: true },
  at: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Values of VERIFY_FLAGS as parseArgs returns them: plain data, so it can be sent to worker threads. */
export type VerifyFlagValues = { [K in keyof typeof VERIFY_FLAGS]?: (typeof VERIFY_FLAGS)[K] extends { multiple: true } ? string[] : string };

export async function buildVerifyOptions(values: VerifyFlagValues): Promise<VerifyOptions> {
  return {
    detachedContent: values.content ? readFile(values.content, 'content file') : undefined,
    trustAnchors: (values['trust-anchor'] ?? []).map((f) => readFile(f, 'trust anchor')),
    intermediates: (values.intermediates ?? []).map((f) => readFile(f, 'intermediates file')),
    crls: (values.crl ?? []).map((f) => readFile(f, 'CRL file')),
    validationTime: values.at ? parseTime(values.at) : undefined,
  };
}
