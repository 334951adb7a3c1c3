import type { AgreementSignerInput } from '../trust/inputs.js';
import { readFile } from './io.js';

/**
 * `[CC=]CERT` as given to --signer / --agreement-signer: the party explicit, or the certificate's countryName.
 * A module of its own: `verify` reads these without loading the agreement signing code.
 */
export function agreementSignerArg(arg: string): AgreementSignerInput {
  const m = /^([A-Z]{2})=(.+)$/.exec(arg);
  return m ? { party: m[1]!, certificate: readFile(m[2]!, 'agreement signer certificate') } : readFile(arg, 'agreement signer certificate');
}
