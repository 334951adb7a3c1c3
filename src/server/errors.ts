/** Errors the HTTP layer answers with a status and the JSON body `{"error": {"code", "message"}}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers (Retry-After on 503). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The HTTP status for a library error code returned by a worker. */
export function statusForCode(code: string): number {
  switch (code) {
    case 'ERR_INPUT_FORMAT':
    case 'ERR_LIMIT_EXCEEDED':
    case 'ERR_UNSUPPORTED_ALGORITHM':
      return 422;
    case 'ERR_INVALID_OPTION':
      return 400;
    case 'ERR_FETCH':
    case 'ERR_TRUST_LIST':
      return 503;
    default:
      return 500;
  }
}
