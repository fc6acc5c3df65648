import type { ServerResponse } from 'node:http';
import { once } from 'node:events';
import { anthropicError } from './messages/anthropic-errors.js';
import { ProxyError, toOpenAiError } from './proxy-error.js';

/** The error envelope a client gets: OpenAI's, or Anthropic's on `/v1/messages`. */
export type ErrorFormat = 'openai' | 'anthropic';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

export function errorFormatOf(endpoint: string): ErrorFormat {
  return endpoint === 'messages' || endpoint === 'count_tokens' ? 'anthropic' : 'openai';
}

/** Answers with the gateway's own error in the client's envelope (unless the answer already started). */
export function sendProxyError(
  res: ServerResponse,
  error: ProxyError,
  headers: Readonly<Record<string, string>> = {},
  format: ErrorFormat = 'openai',
): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify(
    format === 'anthropic' ? anthropicError(error.status, error.message) : toOpenAiError(error),
  );
  res.writeHead(error.status, {
    ...headers,
    ...error.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Readonly<Record<string, string>>,
): void {
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Writes with backpressure: waits for `drain` (or the client leaving) when the socket buffer is full. */
export async function writeChunk(res: ServerResponse, chunk: string): Promise<void> {
  if (res.write(chunk) || res.destroyed) return;
  await Promise.race([once(res, 'drain'), once(res, 'close')]);
}
