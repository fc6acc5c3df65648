import { currentToken, setToken } from './session.js';

/** An API failure as the operator should read it: the server's message and the request id. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly requestId: string | undefined,
    readonly retryAfterSeconds: number | undefined,
    readonly fieldMessages: readonly string[],
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  /** The login call: a 401 there is a wrong password, not an expired session. */
  anonymous?: boolean;
  signal?: AbortSignal;
}

const TIMEOUT_MS = 30_000;

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = currentToken();
  if (token && !options.anonymous) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const signal = options.signal
    ? AbortSignal.any([options.signal, AbortSignal.timeout(TIMEOUT_MS)])
    : AbortSignal.timeout(TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(withQuery(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, 'The gateway could not be reached. Is it running?', undefined, undefined, []);
  }
  // Back to Sign in, unless the token has changed meanwhile (a password change issues a new one
  // while older calls are still in flight; their 401 says nothing about the new token).
  if (res.status === 401 && !options.anonymous && currentToken() === token) setToken(undefined, 'expired');
  if (res.status === 204) return undefined as T;
  const body = await readBody(res);
  if (!res.ok) throw errorOf(res, body);
  return body as T;
}

export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function errorOf(res: Response, body: unknown): ApiError {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const nested = record.error as Record<string, unknown> | undefined;
  const raw = nested?.message ?? record.message ?? (typeof body === 'string' ? body : undefined);
  // The gateway joins validation messages with "; ".
  const messages = (Array.isArray(raw) ? raw.map(String) : raw === undefined ? [] : [String(raw)]).flatMap(
    (message) => message.split('; '),
  );
  const message = messages.join('; ') || `${res.status} ${res.statusText}`.trim();
  const requestId = res.headers.get('x-request-id') ?? (record.requestId as string | undefined);
  const retryAfter = Number(res.headers.get('retry-after'));
  return new ApiError(
    res.status,
    message,
    requestId ?? undefined,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    messages,
  );
}

/** The messages of a validation error that name `field` (class-validator starts them with the field). */
export function messagesFor(error: unknown, field: string): string[] {
  if (!(error instanceof ApiError)) return [];
  return error.fieldMessages.filter((message) => new RegExp(`^(each of )?${field}\\b`).test(message));
}
