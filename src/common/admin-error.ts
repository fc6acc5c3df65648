// What the admin services and their rules throw (STYLE.md "Errors"): a domain code and a clear
// message, no HTTP. Each surface's filter maps the code to its status and body.

export const ADMIN_ERROR_CODES = [
  'invalid',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'too_many_requests',
  'unavailable',
] as const;
export type AdminErrorCode = (typeof ADMIN_ERROR_CODES)[number];

export class AdminError extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    /** When to try again (the `Retry-After` header), for a refusal that passes. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

/** The HTTP status of a code, for the `/admin`, `/api` and `/metrics` surfaces alike. */
export function adminErrorStatus(code: AdminErrorCode): number {
  switch (code) {
    case 'invalid':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'too_many_requests':
      return 429;
    case 'unavailable':
      return 503;
  }
}
