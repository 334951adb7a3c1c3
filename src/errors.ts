/**
 * Typed errors with stable `code`s. Callers branch on `code`, never on messages.
 * A validation *outcome* (a failed signature) is never an error: it is a report.
 * Errors are for input that cannot be evaluated at all, misuse, and exceeded limits.
 */
export type ErrorCode =
  | 'ERR_INPUT_FORMAT'
  | 'ERR_INVALID_OPTION'
  | 'ERR_LIMIT_EXCEEDED'
  | 'ERR_UNSUPPORTED_ALGORITHM'
  | 'ERR_TRUST_LIST'
  | 'ERR_FETCH'
  | 'ERR_TIMESTAMP_RESPONSE';

/** Base of every error the library throws on purpose; `code` (ErrorCode) is stable to branch on. Verdicts are reports, not errors. */
export class OtsEsigError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The input is not a signature this library can read (not CMS/XML, truncated, wrong content type). */
export class InputFormatError extends OtsEsigError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_INPUT_FORMAT', message, options);
  }
}

/** An option passed by the caller is malformed (bad date, unreadable certificate, ...). */
export class InvalidOptionError extends OtsEsigError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_INVALID_OPTION', message, options);
  }
}

/** A configured resource limit (size, depth, count, work) was exceeded by untrusted input. */
export class LimitExceededError extends OtsEsigError {
  readonly limit: string;
  readonly max: number;
  constructor(limit: string, max: number, message?: string) {
    super('ERR_LIMIT_EXCEEDED', message ?? `limit ${limit} exceeded (max ${max})`);
    this.limit = limit;
    this.max = max;
  }
}

/** No registered provider implements the algorithm identified by `oid`. */
export class UnsupportedAlgorithmError extends OtsEsigError {
  readonly oid: string;
  constructor(oid: string, message?: string) {
    super('ERR_UNSUPPORTED_ALGORITHM', message ?? `unsupported algorithm ${oid}`);
    this.oid = oid;
  }
}
