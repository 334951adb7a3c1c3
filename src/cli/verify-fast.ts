/**
 * Entry of dist/cli-verify.js: `ots-esig verify` as one module file (#19 cliStart). The CAdES path is about 40
 * modules; Node's ES module loader resolves, reads, compiles and links each on its own, and one file of the same
 * code starts about a fifth faster. What that path loads on demand (the XML stack, trusted lists, ZIP containers,
 * the batch pool, the XML/HTML/translated renderers, GOST) is not in this file: there the dynamic import fails with
 * FAST_PATH_MISS before anything is written, and main.ts runs the command again from the split modules
 * (tsup.config.ts, verifyFastPath). Run from source (tsx, tests) this is the ordinary module graph.
 */
export { runVerify } from './verify-command.js';
export { OtsEsigError } from '../errors.js';
export { UsageError } from './errors.js';

/** The code of the error a dynamic import outside dist/cli-verify.js rejects with. */
export const FAST_PATH_MISS = 'OTS_ESIG_FAST_PATH_MISS';
