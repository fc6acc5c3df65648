// Errors the gateway itself answers on /v1, mapped to OpenAI's error envelope in one place.

export type ProxyErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'unknown_backend'
  | 'invalid_api_key'
  | 'model_not_allowed'
  | 'backend_not_allowed'
  | 'model_not_found'
  | 'not_found'
  | 'method_not_allowed'
  | 'body_too_large'
  | 'request_timeout'
  | 'rate_limit_exceeded'
  | 'tokens_rate_limit_exceeded'
  | 'budget_exceeded'
  | 'upstream_rate_limited'
  | 'upstream_failed'
  | 'upstream_response_too_large'
  | 'no_healthy_backend'
  | 'upstream_timeout'
  | 'shutting_down'
  | 'internal_error';

export class ProxyError extends Error {
  constructor(
    readonly code: ProxyErrorCode,
    message: string,
    /** Extra response headers (Retry-After, x-ratelimit-*). */
    readonly headers: Readonly<Record<string, string>> = {},
    /** The request field at fault, for OpenAI's `param`. */
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'ProxyError';
  }

  get status(): number {
    return describe(this.code).status;
  }
}

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

export function toOpenAiError(error: ProxyError): OpenAiErrorBody {
  return {
    error: { message: error.message, type: describe(error.code).type, param: error.param, code: error.code },
  };
}

function describe(code: ProxyErrorCode): { status: number; type: string } {
  switch (code) {
    case 'invalid_request':
    case 'invalid_json':
    case 'unknown_backend':
      return { status: 400, type: 'invalid_request_error' };
    case 'invalid_api_key':
      return { status: 401, type: 'authentication_error' };
    case 'model_not_allowed':
    case 'backend_not_allowed':
      return { status: 403, type: 'permission_error' };
    case 'model_not_found':
    case 'not_found':
      return { status: 404, type: 'not_found_error' };
    case 'method_not_allowed':
      return { status: 405, type: 'invalid_request_error' };
    case 'request_timeout':
      return { status: 408, type: 'invalid_request_error' };
    case 'body_too_large':
      return { status: 413, type: 'invalid_request_error' };
    case 'rate_limit_exceeded':
    case 'tokens_rate_limit_exceeded':
    case 'upstream_rate_limited':
      return { status: 429, type: 'rate_limit_error' };
    case 'budget_exceeded':
      return { status: 429, type: 'insufficient_quota' };
    case 'upstream_failed':
    case 'upstream_response_too_large':
      return { status: 502, type: 'upstream_error' };
    case 'no_healthy_backend':
    case 'shutting_down':
      return { status: 503, type: 'service_unavailable' };
    case 'upstream_timeout':
      return { status: 504, type: 'timeout_error' };
    case 'internal_error':
      return { status: 500, type: 'api_error' };
  }
}
