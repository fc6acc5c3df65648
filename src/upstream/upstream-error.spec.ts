import { errors as undiciErrors } from 'undici';
import { UpstreamStreamError } from './adapter.js';
import {
  AttemptKind,
  AttemptClassification,
  classifyAttempt,
  ClientAbortError,
  isClientAbort,
  parseRetryAfter,
  UpstreamTimeoutError,
} from './upstream-error.js';

type Flags = Pick<
  AttemptClassification,
  'kind' | 'retryable' | 'breakerFailure' | 'invalidatesKey' | 'differentKey'
>;
const flags = (
  kind: AttemptKind,
  retryable: boolean,
  breakerFailure: boolean,
  invalidatesKey = false,
  differentKey = false,
): Flags => ({
  kind,
  retryable,
  breakerFailure,
  invalidatesKey,
  differentKey,
});

const systemError = (code: string): Error =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });
const NOW = Date.parse('2025-06-01T12:00:00Z');

describe(classifyAttempt.name, () => {
  // ROUTING.md's outcome table, row by row.
  it.each<[string, number, Flags]>([
    ['200', 200, flags('success', false, false)],
    ['201', 201, flags('success', false, false)],
    ['400 (the request is wrong)', 400, flags('client_error', false, false)],
    ['404', 404, flags('client_error', false, false)],
    ['413', 413, flags('client_error', false, false)],
    ['422', 422, flags('client_error', false, false)],
    ['401 (bad key)', 401, flags('auth', true, false, true)],
    ['403 (bad key)', 403, flags('auth', true, false, true)],
    ['408', 408, flags('request_timeout', true, true)],
    ['429', 429, flags('rate_limited', true, false)],
    ['500', 500, flags('server_error', true, true)],
    ['502', 502, flags('server_error', true, true)],
    ['503 (overloaded: a different key)', 503, flags('overloaded', true, true, false, true)],
    ['504', 504, flags('server_error', true, true)],
    ['599', 599, flags('server_error', true, true)],
    ['302 (redirects are never followed)', 302, flags('server_error', true, true)],
  ])('status %s', (_label, status, expected) => {
    expect(classifyAttempt({ status })).toEqual(expected);
  });

  it.each<[string, unknown, AttemptKind]>([
    ['ECONNREFUSED', systemError('ECONNREFUSED'), 'network'],
    ['ECONNRESET', systemError('ECONNRESET'), 'network'],
    ['ENOTFOUND (DNS)', systemError('ENOTFOUND'), 'network'],
    ['a TLS error', systemError('ERR_TLS_CERT_ALTNAME_INVALID'), 'network'],
    ['undici SocketError', new undiciErrors.SocketError('other side closed'), 'network'],
    [
      'undici ResponseContentLengthMismatchError',
      new undiciErrors.ResponseContentLengthMismatchError(),
      'network',
    ],
    ['an unknown error', new TypeError('boom'), 'network'],
    ['undici ConnectTimeoutError', new undiciErrors.ConnectTimeoutError(), 'timeout'],
    ['undici HeadersTimeoutError (first byte)', new undiciErrors.HeadersTimeoutError(), 'timeout'],
    ['undici BodyTimeoutError (idle gap)', new undiciErrors.BodyTimeoutError(), 'timeout'],
    ['our total timeout', new UpstreamTimeoutError('total', 5000), 'timeout'],
    ['a DOMException TimeoutError', new DOMException('timed out', 'TimeoutError'), 'timeout'],
    [
      'ETIMEDOUT wrapped as a cause',
      new Error('fetch failed', { cause: systemError('ETIMEDOUT') }),
      'timeout',
    ],
    ['a client abort', new ClientAbortError(), 'client_abort'],
    ['a DOMException AbortError', new DOMException('aborted', 'AbortError'), 'client_abort'],
  ])('error: %s → %s', (_label, error, kind) => {
    const outcome = classifyAttempt({ error, status: 200 });
    expect(outcome.kind).toBe(kind);
    const expected = {
      network: flags('network', true, true),
      timeout: flags('timeout', true, true),
      client_abort: flags('client_abort', false, false),
    }[kind as string];
    const { failureClass: _class, ...rest } = outcome;
    expect(rest).toEqual(expected);
  });

  it.each<[string, unknown, string]>([
    ['ENOTFOUND', systemError('ENOTFOUND'), 'could not resolve the upstream host'],
    ['EAI_AGAIN', systemError('EAI_AGAIN'), 'could not resolve the upstream host'],
    ['ECONNREFUSED', systemError('ECONNREFUSED'), 'connection refused'],
    ['ECONNRESET', systemError('ECONNRESET'), 'connection reset'],
    ['undici SocketError', new undiciErrors.SocketError('other side closed'), 'connection reset'],
    ['EHOSTUNREACH', systemError('EHOSTUNREACH'), 'upstream host unreachable'],
    ['a TLS name mismatch', systemError('ERR_TLS_CERT_ALTNAME_INVALID'), 'TLS error'],
    ['a self-signed certificate', systemError('DEPTH_ZERO_SELF_SIGNED_CERT'), 'TLS error'],
    ['an expired certificate', systemError('CERT_HAS_EXPIRED'), 'TLS error'],
    ['an unknown error', new TypeError('boom'), 'network error'],
    [
      'a wrapped DNS error',
      new TypeError('fetch failed', { cause: systemError('ENOTFOUND') }),
      'could not resolve the upstream host',
    ],
    ['a connect timeout', new undiciErrors.ConnectTimeoutError(), 'timed out'],
  ])('names the class of %s: %s', (_label, error, failureClass) => {
    expect(classifyAttempt({ error }).failureClass).toBe(failureClass);
  });

  it('names no class for an answered status', () => {
    expect(classifyAttempt({ status: 500 }).failureClass).toBeUndefined();
  });

  it('reads Retry-After on a 429 and a 503, in seconds or as an HTTP date', () => {
    expect(classifyAttempt({ status: 429, retryAfterHeader: '7', now: NOW }).retryAfterMs).toBe(7000);
    expect(
      classifyAttempt({ status: 503, retryAfterHeader: 'Sun, 01 Jun 2025 12:00:30 GMT', now: NOW })
        .retryAfterMs,
    ).toBe(30_000);
    expect(classifyAttempt({ status: 429, retryAfterHeader: ['2', '9'] }).retryAfterMs).toBe(2000);
  });

  it('prefers the more precise retry-after-ms', () => {
    expect(
      classifyAttempt({ status: 429, retryAfterHeader: '2', retryAfterMsHeader: '1500' }).retryAfterMs,
    ).toBe(1500);
  });

  it('leaves retryAfterMs out when the header is absent, invalid, or the status is not 429/503', () => {
    expect(classifyAttempt({ status: 429 })).not.toHaveProperty('retryAfterMs');
    expect(classifyAttempt({ status: 429, retryAfterHeader: 'soon' })).not.toHaveProperty('retryAfterMs');
    expect(classifyAttempt({ status: 500, retryAfterHeader: '5' })).not.toHaveProperty('retryAfterMs');
  });

  it("prefers a wait the adapter read from the provider's own signals over both headers", () => {
    expect(
      classifyAttempt({ status: 429, retryAfterMs: 37_000, retryAfterHeader: '5', retryAfterMsHeader: '900' })
        .retryAfterMs,
    ).toBe(37_000);
  });

  it('classifies an error event inside a 200 stream by the status it stands for', () => {
    expect(classifyAttempt({ error: new UpstreamStreamError(503, 'overloaded') })).toMatchObject({
      kind: 'overloaded',
      differentKey: true,
    });
    expect(classifyAttempt({ error: new UpstreamStreamError(500, 'api_error') }).kind).toBe('server_error');
  });

  it('needs a status or an error', () => {
    expect(() => classifyAttempt({})).toThrow(TypeError);
  });
});

describe(parseRetryAfter.name, () => {
  it.each<[string | undefined, number | undefined]>([
    ['0', 0],
    ['120', 120_000],
    [' 3 ', 3000],
    ['1.5', 1500],
    ['Sun, 01 Jun 2025 12:01:00 GMT', 60_000],
    ['Sun, 01 Jun 2025 11:00:00 GMT', 0], // in the past: retry now
    ['-5', undefined],
    ['', undefined],
    ['later', undefined],
    [undefined, undefined],
  ])('%j → %j', (header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });
});

describe(isClientAbort.name, () => {
  it('tells a client abort from an upstream failure', () => {
    expect(isClientAbort(new ClientAbortError(new Error('socket closed')))).toBe(true);
    expect(isClientAbort(new UpstreamTimeoutError('total', 1))).toBe(false);
    expect(isClientAbort(new undiciErrors.SocketError('closed'))).toBe(false);
    expect(isClientAbort('string')).toBe(false);
  });
});
