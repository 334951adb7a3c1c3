import { parseCades } from '../cades/parse.js';
import { validateCadesSigner } from '../cades/validate.js';
import { detectInput } from '../detect.js';
import { InputFormatError } from '../errors.js';
import type { SignatureReport, ValidationReport } from '../report/model.js';
import { toBytes } from '../util/bytes.js';
import { VERSION } from '../version.js';
import { createContext, type VerifyOptions } from './options.js';

export type SignatureInput = Uint8Array | ArrayBuffer | string;

/**
 * Validates every signature in `input` (CMS/CAdES as DER, PEM or base64) and
 * returns one report per signature. Throws only when the input is not a
 * signature at all or an option is unusable (`OtsEsigError` with a `code`);
 * a bad signature is a report with TOTAL-FAILED or INDETERMINATE, never a throw.
 */
export async function verify(input: SignatureInput, options: VerifyOptions = {}): Promise<ValidationReport> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : toBytes(input);
  const ctx = createContext(options);
  const detected = detectInput(bytes);
  let signatures: SignatureReport[];
  if (detected.kind === 'cms') {
    const sig = parseCades(detected.der, ctx.cmsLimits);
    signatures = [];
    for (const si of sig.signers) signatures.push(await validateCadesSigner(sig, si, ctx));
  } else {
    throw new InputFormatError('XML (XAdES) input is not supported yet');
  }
  return {
    tool: { name: 'ots-esig', version: VERSION },
    validationTime: ctx.time.toISOString(),
    signatures,
    warnings: ctx.warnings,
  };
}
