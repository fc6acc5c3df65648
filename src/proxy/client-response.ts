import type { ServerResponse } from 'node:http';
import { once } from 'node:events';
import { ProxyError, toOpenAiError } from './proxy-error.js';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/** Answers with the gateway's own error in OpenAI's envelope (unless the answer already started). */
export function sendProxyError(
  res: ServerResponse,
  error: ProxyError,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify(toOpenAiError(error));
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
