import { OtsEsigError } from '../errors.js';

/** A trusted list or agreement that cannot be read (structure, vocabulary, JSON shape). Code `ERR_TRUST_LIST`. */
export class TrustListError extends OtsEsigError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_TRUST_LIST', message, options);
  }
}
